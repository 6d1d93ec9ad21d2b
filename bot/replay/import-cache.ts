/**
 * Import cache: a Parquet folder's import kept on disk, so that the replays, backtests and sweeps after the first read
 * it back (~0.1 s for the shipped sample) instead of importing it again (~1-1.6 s on the 2-core machine).
 *
 * Invariants:
 * - An entry's key is a SHA-256 of the cache format, the importer's output version (PARQUET_IMPORT_VERSION, pinned
 *   with the sample's frame digest in a test, so a change of the importer's output cannot meet old entries), the V8
 *   version (entries are V8-serialized), the import options and every Parquet file's name, size and content hash: a
 *   changed, added or removed file is a new key.
 * - An entry is used only when it deserializes, carries its key and format, and its manifest, frames (known sources,
 *   finite non-decreasing receive times, text) and invalid count validate; any other entry is rejected (counted in
 *   `importCacheStats`, reported to `onEvent`, removed) and the folder imported again: a bad entry never replays.
 * - Writes are atomic (a temp file per writer, then rename); a failed write is counted and reported, and the import
 *   is returned all the same. Bounded: at most `maxEntries` entries and `maxBytes` bytes, least recently used out.
 * - A hit replays exactly the frames, manifest and invalid count the import gave (a test compares ledgers).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { deserialize, serialize } from 'node:v8';
import { importParquetBooks, PARQUET_IMPORT_VERSION, type ImportParquetOptions } from './import-parquet';
import { listBookParquetFiles } from './parquet-books';
import { arraySource, FRAME_SOURCES, manifestSchema, type RecordedFrame, type SessionManifest, type SessionSource } from './session';

/** Bumped when the entry layout changes. */
const CACHE_FORMAT = 1;
const EXT = '.v8';
const SOURCES: ReadonlySet<string> = new Set(FRAME_SOURCES);

export interface ImportCacheOptions {
  /** The cache directory (the CLIs and the server use `<DATA_DIR>/cache/imports`). */
  dir: string;
  /** Entries kept (default 8). */
  maxEntries?: number;
  /** Bytes kept (default 1 GiB). */
  maxBytes?: number;
  /** Told about rejected entries and failed writes (the CLIs print them). */
  onEvent?: (e: ImportCacheEvent) => void;
}

export type ImportCacheEvent = { kind: 'rejected'; path: string; reason: string } | { kind: 'write-failed'; path: string; reason: string };

/** The cache directory of a data directory (the CLIs' DATA_DIR, the server's): `<dataDir>/cache/imports`. */
export function importCacheDirOf(dataDir: string): string {
  return join(dataDir, 'cache', 'imports');
}

/** Process-wide counters (per thread). */
export const importCacheStats = { hits: 0, misses: 0, rejected: 0, writeFailures: 0 };

interface Entry {
  format: number;
  key: string;
  manifest: SessionManifest;
  frames: RecordedFrame[];
  invalid: { count: number; first?: string };
}

/** The key of a folder's import (see the header). */
export async function importCacheKey(dir: string, opts: ImportParquetOptions): Promise<string> {
  const h = createHash('sha256');
  h.update(JSON.stringify({ format: CACHE_FORMAT, importer: PARQUET_IMPORT_VERSION, v8: process.versions.v8, opts: sortedOptions(opts) }));
  for (const { files } of await listBookParquetFiles(dir)) {
    for (const f of files) {
      const bytes = readFileSync(f);
      h.update(`\n${basename(f)}\n${bytes.length}\n`);
      h.update(createHash('sha256').update(bytes).digest());
    }
  }
  return h.digest('hex');
}

function sortedOptions(o: ImportParquetOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) if (o[k as keyof ImportParquetOptions] !== undefined) out[k] = o[k as keyof ImportParquetOptions];
  return out;
}

/** Import a Parquet folder through the cache: a valid entry is read back, otherwise the folder is imported and kept. */
export async function cachedParquetImport(dir: string, opts: ImportParquetOptions, cache: ImportCacheOptions): Promise<SessionSource> {
  const key = await importCacheKey(dir, opts);
  const path = join(cache.dir, key + EXT);
  const hit = readEntry(path, key, cache);
  if (hit) {
    importCacheStats.hits++;
    touch(cache.dir, path);
    return arraySource(hit.manifest, hit.frames, hit.invalid);
  }
  importCacheStats.misses++;
  const source = await importParquetBooks(dir, opts);
  const frames: RecordedFrame[] = [];
  for await (const chunk of source.frames()) for (const f of chunk) frames.push(f);
  const invalid = source.invalid.first === undefined ? { count: source.invalid.count } : { count: source.invalid.count, first: source.invalid.first };
  writeEntry(path, { format: CACHE_FORMAT, key, manifest: source.manifest, frames, invalid }, cache);
  return arraySource(source.manifest, frames, invalid);
}

function readEntry(path: string, key: string, cache: ImportCacheOptions): Entry | undefined {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    return reject(path, `unreadable (${(e as Error).message})`, cache);
  }
  let value: unknown;
  try {
    value = deserialize(buf);
  } catch (e) {
    return reject(path, `does not deserialize (${(e as Error).message})`, cache);
  }
  const why = entryProblem(value, key);
  return why ? reject(path, why, cache) : (value as Entry);
}

/** What is wrong with a deserialized entry, or undefined when it is a valid entry of this key. */
export function entryProblem(v: unknown, key: string): string | undefined {
  if (typeof v !== 'object' || v === null) return 'not an entry object';
  const e = v as Partial<Entry>;
  if (e.format !== CACHE_FORMAT) return `format ${String(e.format)}, expected ${CACHE_FORMAT}`;
  if (e.key !== key) return 'key does not match the folder';
  const m = manifestSchema.safeParse(e.manifest);
  if (!m.success) return `manifest invalid (${m.error.issues[0]?.message ?? 'schema'})`;
  if (m.data.format !== 'parquet') return `manifest format ${m.data.format}, expected parquet`;
  const frames = e.frames;
  if (!Array.isArray(frames)) return 'frames missing';
  if (frames.length !== m.data.frames) return `${frames.length} frames, the manifest says ${m.data.frames}`;
  let last = -Infinity;
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i] as Partial<RecordedFrame> | null;
    if (typeof f !== 'object' || f === null || typeof f.raw !== 'string' || typeof f.source !== 'string' || !SOURCES.has(f.source)) return `frame ${i} is not a recorded frame`;
    const t = f.tsRecvMs;
    if (typeof t !== 'number' || !Number.isFinite(t) || t < last) return `frame ${i} receive time out of order`;
    last = t;
  }
  const inv = e.invalid;
  if (typeof inv !== 'object' || inv === null || !Number.isInteger(inv.count) || inv.count < 0 || (inv.first !== undefined && typeof inv.first !== 'string')) return 'invalid count malformed';
  return undefined;
}

function reject(path: string, reason: string, cache: ImportCacheOptions): undefined {
  importCacheStats.rejected++;
  cache.onEvent?.({ kind: 'rejected', path, reason });
  try {
    unlinkSync(path);
  } catch {
    // gone already, or not ours to remove: the rewrite below replaces it
  }
  return undefined;
}

let tmpSeq = 0;

function writeEntry(path: string, entry: Entry, cache: ImportCacheOptions): void {
  const tmp = `${path}.tmp-${process.pid}-${threadId}-${++tmpSeq}`;
  try {
    mkdirSync(cache.dir, { recursive: true });
    writeFileSync(tmp, serialize(entry));
    renameSync(tmp, path);
  } catch (e) {
    importCacheStats.writeFailures++;
    cache.onEvent?.({ kind: 'write-failed', path, reason: (e as Error).message });
    try {
      unlinkSync(tmp);
    } catch {
      // never written
    }
    return;
  }
  prune(cache, path);
}

/** Mark an entry used: its mtime moves past every other entry's (the pruning's order; no clock is read). */
function touch(dir: string, path: string): void {
  try {
    let newest = 0;
    for (const n of readdirSync(dir)) if (n.endsWith(EXT) && join(dir, n) !== path) newest = Math.max(newest, statSync(join(dir, n)).mtimeMs);
    const own = statSync(path).mtimeMs;
    if (own > newest) return;
    const sec = (newest + 1) / 1000;
    utimesSync(path, sec, sec);
  } catch {
    // a concurrent prune removed an entry: the order is only a preference
  }
}

/** Keep the newest entries within the bounds (`keep`, just written, always stays); temp files of dead writers go. */
function prune(cache: ImportCacheOptions, keep: string): void {
  const maxEntries = cache.maxEntries ?? 8;
  const maxBytes = cache.maxBytes ?? 1024 ** 3;
  let names: string[];
  try {
    names = readdirSync(cache.dir);
  } catch {
    return;
  }
  const entries: { path: string; mtimeMs: number; size: number }[] = [];
  for (const n of names) {
    const p = join(cache.dir, n);
    const tmp = /\.tmp-(\d+)-\d+-\d+$/.exec(n);
    if (tmp) {
      if (!alive(Number(tmp[1]))) removeQuietly(p);
      continue;
    }
    if (!n.endsWith(EXT)) continue;
    try {
      const s = statSync(p);
      entries.push({ path: p, mtimeMs: s.mtimeMs, size: s.size });
    } catch {
      // removed meanwhile
    }
  }
  entries.sort((a, b) => (a.path === keep ? -1 : b.path === keep ? 1 : b.mtimeMs - a.mtimeMs));
  let bytes = 0;
  entries.forEach((e, i) => {
    bytes += e.size;
    if (e.path !== keep && (i >= maxEntries || bytes > maxBytes)) removeQuietly(e.path);
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeQuietly(p: string): void {
  try {
    unlinkSync(p);
  } catch {
    // already gone
  }
}
