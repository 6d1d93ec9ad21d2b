/**
 * Sweep worker code as two CommonJS bundles (the worker module and the task module with everything they import), so
 * that a sweep worker starts by loading two files instead of ~435 TypeScript modules through tsx: ~0.2 s instead of
 * ~0.55-0.8 s per worker on the 2-core machine, paid by every sweep (the CLI's and the console's) before its first point.
 *
 * Bundles are built with esbuild (what tsx itself compiles with) and kept in a cache directory inside the project's
 * node_modules (`node_modules/.cache/updown-sweep`), so that the packages left outside the bundle resolve from there.
 *
 * Invariants:
 * - A bundle is used only while every file it was built from has the content it was built from: the index of a
 *   (task, worker) pair lists each input with the SHA-256 of the very bytes esbuild compiled (read by this module's
 *   load hook, not re-read afterwards), and every use hashes them again. Anything else (no index, unreadable or foreign
 *   index, a changed or missing input, a missing bundle file) builds again. The key also covers the bundle format,
 *   esbuild's and Node's versions and the external list.
 * - A build with any esbuild warning is refused (e.g. `import.meta` in CommonJS output would silently be empty):
 *   the caller falls back to loading the TypeScript through tsx, as sweeps did before.
 * - Writes are atomic (temp file, then rename); bundles of an older key are removed once STALE_MS old (a sweep that
 *   started on them has loaded them long before).
 * - Packages with native addons or that start threads from their own files stay outside (BUNDLE_EXTERNAL).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { threadId } from 'node:worker_threads';

/** Bumped when the bundle layout or build options change. */
const BUNDLE_FORMAT = 1;
/** Left to Node at run time: a native addon (better-sqlite3), thread transports loaded by file (pino), optional native helpers (ws). */
export const BUNDLE_EXTERNAL: readonly string[] = ['better-sqlite3', 'pino', 'ws'];
/** Bundles of an older key are removed once this old. */
export const STALE_MS = 10 * 60_000;

export interface SweepBundle {
  /** The bundled sweep worker module (CommonJS). */
  workerPath: string;
  /** The bundled task module (CommonJS, default export as `exports.default`). */
  taskPath: string;
  /** True when this call built it (false: the cached bundle was still current). */
  built: boolean;
  /** Files it was built from. */
  inputs: number;
}

interface BundleIndex {
  format: number;
  key: string;
  inputs: [path: string, sha256: string][];
}

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** The cache directory: `.cache/updown-sweep` in the node_modules folder the external packages resolve from. */
export function defaultSweepBundleDir(): string {
  const pkg = createRequire(import.meta.url).resolve('better-sqlite3/package.json');
  return join(dirname(dirname(pkg)), '.cache', 'updown-sweep');
}

/** The installed esbuild's version, read without loading esbuild. */
function esbuildVersion(): string {
  return (createRequire(import.meta.url)('esbuild/package.json') as { version: string }).version;
}

/** Inputs in path order (the index's order, and the key's). */
const byPath = (a: readonly [string, string], b: readonly [string, string]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

function keyOf(esbuildVersion: string, inputs: readonly (readonly [string, string])[]): string {
  const h = createHash('sha256').update(`${BUNDLE_FORMAT}\0${esbuildVersion}\0${process.version}\0${BUNDLE_EXTERNAL.join(',')}\0`);
  for (const [path, sum] of [...inputs].sort(byPath)) h.update(`${path}\0${sum}\0`);
  return h.digest('hex');
}

function readIndex(file: string): BundleIndex | undefined {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<BundleIndex>;
    if (v.format !== BUNDLE_FORMAT || typeof v.key !== 'string' || !Array.isArray(v.inputs)) return undefined;
    if (!v.inputs.every((x) => Array.isArray(x) && x.length === 2 && typeof x[0] === 'string' && typeof x[1] === 'string')) return undefined;
    return v as BundleIndex;
  } catch {
    return undefined;
  }
}

/** True when every input still has the bytes it was built from. */
function inputsUnchanged(index: BundleIndex): boolean {
  try {
    return index.inputs.every(([path, sum]) => sha256(readFileSync(path)) === sum);
  } catch {
    return false;
  }
}

function writeAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.${threadId}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

function pruneStale(dir: string, id: string, keep: ReadonlySet<string>, now: number): void {
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(`${id}-`) || keep.has(name)) continue;
    try {
      if (now - statSync(join(dir, name)).mtimeMs >= STALE_MS) unlinkSync(join(dir, name));
    } catch {
      // Another sweep removed or replaced it: nothing to do.
    }
  }
}

/**
 * The bundles of a task module and the sweep worker module, from the cache when current, else built (and cached).
 * Rejects when esbuild cannot build them cleanly (a syntax error, a missing import, any warning).
 */
export async function sweepBundle(taskPath: string, workerPath: string, dir: string): Promise<SweepBundle> {
  const id = sha256(`${BUNDLE_FORMAT}\0${taskPath}\0${workerPath}`).slice(0, 16);
  const indexFile = join(dir, `${id}.json`);
  const files = (key: string) => ({ workerPath: join(dir, `${id}-${key.slice(0, 16)}.worker.cjs`), taskPath: join(dir, `${id}-${key.slice(0, 16)}.task.cjs`) });
  // The check runs synchronously (no await before it): a sweep's workers are not held up behind the caller's other work.
  const cached = readIndex(indexFile);
  if (cached && cached.key === keyOf(esbuildVersion(), cached.inputs) && inputsUnchanged(cached)) {
    const out = files(cached.key);
    try {
      statSync(out.workerPath);
      statSync(out.taskPath);
      return { ...out, built: false, inputs: cached.inputs.length };
    } catch {
      // A bundle file is gone: build again.
    }
  }
  const esbuild = await import('esbuild');
  if (esbuild.version !== esbuildVersion()) throw new Error(`esbuild ${esbuild.version} loaded, but its package.json says ${esbuildVersion()}`);
  const seen = new Map<string, string>();
  const result = await esbuild.build({
    entryPoints: { worker: workerPath, task: taskPath },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node}`,
    external: [...BUNDLE_EXTERNAL],
    outdir: dir,
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [
      {
        name: 'hash-inputs',
        setup(b) {
          // Every file esbuild compiles is read here, so the index holds the hash of exactly the bytes in the bundle.
          b.onLoad({ filter: /.*/ }, (args) => {
            const bytes = readFileSync(args.path);
            seen.set(args.path, sha256(bytes));
            return { contents: bytes, loader: 'default' };
          });
        },
      },
    ],
  });
  if (result.warnings.length > 0) {
    const w = result.warnings[0]!;
    throw new Error(`esbuild warned: ${w.text}${w.location ? ` (${w.location.file}:${w.location.line})` : ''}`);
  }
  for (const [name, o] of Object.entries(result.metafile.outputs)) {
    // The worker module serves when loaded: a second copy inside the task bundle would answer every job twice.
    if (basename(name) === 'task.js' && Object.keys(o.inputs).some((i) => resolve(i) === workerPath)) {
      throw new Error('the task module imports the sweep worker module; it cannot be bundled apart from it');
    }
  }
  const inputs = [...seen].sort(byPath);
  const key = keyOf(esbuild.version, inputs);
  const out = files(key);
  mkdirSync(dir, { recursive: true });
  for (const f of result.outputFiles) {
    const name = basename(f.path);
    if (name === 'worker.js') writeAtomic(out.workerPath, f.contents);
    else if (name === 'task.js') writeAtomic(out.taskPath, f.contents);
    else throw new Error(`esbuild wrote an unexpected file ${name}`);
  }
  writeAtomic(indexFile, JSON.stringify({ format: BUNDLE_FORMAT, key, inputs } satisfies BundleIndex));
  // "Now" as the file system tells it (the index just written), the clock the other files' mtimes come from.
  pruneStale(dir, id, new Set([basename(out.workerPath), basename(out.taskPath)]), statSync(indexFile).mtimeMs);
  return { ...out, built: true, inputs: inputs.length };
}
