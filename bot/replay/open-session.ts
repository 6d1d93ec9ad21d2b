/**
 * openSession: one door from a user's reference (CLI argument, console pick) to a SessionSource.
 *
 * `ref` is a path or a session id, tried in this order:
 * 1. a path (as given, then relative to `dataDir` when it is relative):
 *    - a directory with manifest.json -> our recording / synthetic day (`openRecording`);
 *    - a directory with *.parquet files, or a `market_data/` folder holding them -> the Parquet book importer (through
 *      the import cache when `importCache` is given);
 *    - a `*.csv` file -> the seed-001 importer (needs `markets`, the markets JSON; through the import cache when
 *      `importCache` is given);
 *    - a manifest.json file -> its directory as above;
 * 2. otherwise an id, resolved by `lookupId` (the store's session index) to a directory, then opened as in 1.
 *
 * Invariants: never guesses beyond these rules; every failure is an Error saying what was tried (paths and whether an
 * id lookup ran), never a bare ENOENT.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { cachedParquetImport, cachedSeed001Import, type ImportCacheOptions } from './import-cache';
import { importParquetBooks, type ImportParquetOptions } from './import-parquet';
import { importSeed001Csv } from './import-seed001';
import { openRecording } from './recording-reader';
import type { SessionSource } from './session';

export interface OpenSessionOptions {
  /** Relative paths are also tried under this directory; a looked-up relative directory is taken from here. */
  dataDir?: string;
  /** The seed-001 markets JSON (required for a *.csv ref). */
  markets?: string;
  /** The store's session index: id -> session directory. */
  lookupId?: (id: string) => string | undefined;
  /** Passed to the Parquet importer (bounded reads). */
  maxRows?: number;
  /** Passed to the seed-001 importer: shares of every synthesised book level. */
  depthShares?: number;
  /** Keep Parquet imports here and read them back next time (import-cache.ts); absent: import every time. */
  importCache?: ImportCacheOptions;
}

const ID_RE = /^[A-Za-z0-9._-]{1,120}$/;

type Kind = { kind: 'file' } | { kind: 'dir' } | { kind: 'missing' } | { kind: 'error'; message: string };

async function probe(path: string): Promise<Kind> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? { kind: 'dir' } : { kind: 'file' };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    return { kind: 'error', message: `cannot read ${path} (${code ?? (e as Error).message})` };
  }
}

async function hasParquet(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).some((n) => n.endsWith('.parquet'));
  } catch {
    return false;
  }
}

/** Open an existing path by what it holds. */
async function openPath(path: string, kind: 'file' | 'dir', opts: OpenSessionOptions): Promise<SessionSource> {
  if (kind === 'file') {
    if (/\.csv$/i.test(path)) {
      if (!opts.markets) throw new Error(`a seed-001 CSV needs --markets <json> (${path})`);
      const seedOpts = opts.depthShares === undefined ? {} : { depthShares: opts.depthShares };
      return opts.importCache ? cachedSeed001Import(path, opts.markets, seedOpts, opts.importCache) : importSeed001Csv(path, opts.markets, seedOpts);
    }
    if (basename(path) === 'manifest.json') return openRecording(dirname(path));
    throw new Error(`${path}: not a session (expected a directory with manifest.json or *.parquet files, or a seed-001 *.csv)`);
  }
  if ((await probe(join(path, 'manifest.json'))).kind === 'file') return openRecording(path);
  const parquetOpts = opts.maxRows === undefined ? {} : { maxRows: opts.maxRows };
  const parquet = (dir: string, o: ImportParquetOptions) => (opts.importCache ? cachedParquetImport(dir, o, opts.importCache) : importParquetBooks(dir, o));
  if (await hasParquet(path)) return parquet(path, parquetOpts);
  const sub = join(path, 'market_data');
  if ((await probe(sub)).kind === 'dir' && (await hasParquet(sub))) return parquet(sub, parquetOpts);
  throw new Error(`${path}: not a session directory (no manifest.json, no *.parquet files, no market_data/ folder with *.parquet)`);
}

/** Open a session by path or id (see the header for the rules). */
export async function openSession(ref: string, opts: OpenSessionOptions = {}): Promise<SessionSource> {
  if (ref.trim() === '') throw new Error('no session given (expected a path or a session id)');
  const candidates = [resolve(ref)];
  if (opts.dataDir && !isAbsolute(ref)) candidates.push(resolve(opts.dataDir, ref));
  const tried: string[] = [];
  for (const p of candidates) {
    if (tried.includes(p)) continue;
    tried.push(p);
    const k = await probe(p);
    if (k.kind === 'error') throw new Error(k.message);
    if (k.kind !== 'missing') return openPath(p, k.kind, opts);
  }
  const triedText = `tried the path${tried.length > 1 ? 's' : ''} ${tried.join(', ')}`;
  if (!ID_RE.test(ref)) throw new Error(`session "${ref}" not found: ${triedText}, and it is not a session id`);
  if (!opts.lookupId) throw new Error(`session "${ref}" not found: ${triedText}; no session index to look the id up in`);
  const dir = opts.lookupId(ref);
  if (dir === undefined) throw new Error(`session "${ref}" not found: ${triedText}, and the session index has no id "${ref}"`);
  const path = isAbsolute(dir) ? dir : resolve(opts.dataDir ?? '.', dir);
  const k = await probe(path);
  if (k.kind === 'error') throw new Error(k.message);
  if (k.kind === 'missing') throw new Error(`session "${ref}": the session index points at ${path}, which does not exist`);
  return openPath(path, k.kind, opts);
}
