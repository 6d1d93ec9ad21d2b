/**
 * Import cache: an import (a Parquet folder of the real sample, a seed-001 CSV with its markets JSON) kept on disk
 * already packed (packed-frames.ts), so that the replays, backtests and sweeps after the first read it back instead of
 * importing it again: the shipped sample ~1-1.6 s -> ~0.07 s; 24 h of seed-001 CSV ~1-1.5 s (and ~0.2 s more to
 * pack for a sweep) -> ~0.15-0.4 s. A sweep shares the packed frames read back as they are (sweep-shared.ts); a replay
 * unpacks them once.
 *
 * Invariants:
 * - An entry's key is a SHA-256 of the cache format, the importer and its output version (PARQUET_IMPORT_VERSION,
 *   SEED001_IMPORT_VERSION, each pinned with a frame digest in a test, so a change of an importer's output cannot meet
 *   old entries), the V8 version (entries are V8-serialized), the import options and every input file's name, size
 *   and content hash: a changed, added or removed file is a new key.
 * - An entry is used only when it deserializes, carries its key and format, and its manifest (of the expected format),
 *   packed frames (packedProblem: counts, blocks, known sources, finite non-decreasing receive times, text ends) and
 *   invalid count validate; any other entry is rejected (counted in `importCacheStats`, reported to `onEvent`,
 *   removed) and the input imported again: a bad entry never replays.
 * - Writes are atomic (a temp file per writer, then rename); a failed write is counted and reported, and the import
 *   is returned all the same. Bounded: at most `maxEntries` entries and `maxBytes` bytes, least recently used out;
 *   entries of the first format (`.v8`, frames as objects) are removed on the next write.
 * - A hit replays exactly the frames, manifest and invalid count the import gave (a test compares ledgers).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { deserialize, serialize } from 'node:v8';
import { importParquetBooks, PARQUET_IMPORT_VERSION, type ImportParquetOptions } from './import-parquet';
import { importSeed001Csv, SEED001_IMPORT_VERSION, type ImportSeed001Options } from './import-seed001';
import { FramePacker, packedProblem, packedSource, type PackedFrames, type PackedSource } from './packed-frames';
import { listBookParquetFiles } from './parquet-books';
import { manifestSchema, type RecordedFrame, type SessionManifest, type SessionSource } from './session';

/** Bumped when the entry layout changes (1: frames as objects, `.v8`; 2: packed frames, `.pack`). */
const CACHE_FORMAT = 2;
const EXT = '.pack';
/** The first format's entries: removed on the next write. */
const OLD_EXT = '.v8';

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

/** Packed frames as they are serialized (typed arrays on plain buffers: V8 does not serialize shared ones). */
interface StoredFrames {
  frames: number;
  blockBytes: number[];
  text: Uint8Array;
  ends: Float64Array;
  ts: Float64Array;
  sources: Uint8Array;
}

interface Entry {
  format: number;
  key: string;
  manifest: SessionManifest;
  packed: StoredFrames;
  invalid: { count: number; first?: string };
}

type ImportFormat = 'parquet' | 'seed001-csv';

/** SHA-256 over the cache format, the importer, V8, the options and each input file's name, size and content hash. */
function keyOf(importer: Record<string, unknown>, opts: object, files: readonly string[]): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ format: CACHE_FORMAT, ...importer, v8: process.versions.v8, opts: sortedOptions(opts as Record<string, unknown>) }));
  for (const f of files) {
    const bytes = readFileSync(f);
    h.update(`\n${basename(f)}\n${bytes.length}\n`);
    h.update(createHash('sha256').update(bytes).digest());
  }
  return h.digest('hex');
}

/** The key of a folder's import (see the header). */
export async function importCacheKey(dir: string, opts: ImportParquetOptions): Promise<string> {
  const files = (await listBookParquetFiles(dir)).flatMap((x) => x.files);
  return keyOf({ importer: PARQUET_IMPORT_VERSION }, opts, files);
}

/** The key of a seed-001 CSV's import with its markets JSON (see the header). */
export function seed001CacheKey(csvPath: string, marketsPath: string, opts: ImportSeed001Options): string {
  return keyOf({ importer: 'seed001', version: SEED001_IMPORT_VERSION }, opts, [csvPath, marketsPath]);
}

function sortedOptions(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/** Import a Parquet folder through the cache: a valid entry is read back, otherwise the folder is imported and kept. */
export async function cachedParquetImport(dir: string, opts: ImportParquetOptions, cache: ImportCacheOptions): Promise<PackedSource> {
  return throughCache(await importCacheKey(dir, opts), 'parquet', () => importParquetBooks(dir, opts), cache);
}

/** Import a seed-001 CSV through the cache (as cachedParquetImport). */
export async function cachedSeed001Import(csvPath: string, marketsPath: string, opts: ImportSeed001Options, cache: ImportCacheOptions): Promise<PackedSource> {
  return throughCache(seed001CacheKey(csvPath, marketsPath, opts), 'seed001-csv', () => importSeed001Csv(csvPath, marketsPath, opts), cache);
}

async function throughCache(key: string, format: ImportFormat, load: () => Promise<SessionSource>, cache: ImportCacheOptions): Promise<PackedSource> {
  const path = join(cache.dir, key + EXT);
  const hit = readEntry(path, key, format, cache);
  if (hit) {
    importCacheStats.hits++;
    touch(cache.dir, path);
    return packedSource(hit.entry.manifest, hit.packed, hit.entry.invalid);
  }
  importCacheStats.misses++;
  const source = await load();
  const frames: RecordedFrame[] = [];
  const packer = new FramePacker();
  for await (const chunk of source.frames()) {
    for (const f of chunk) {
      frames.push(f);
      packer.add(f);
    }
  }
  const packed = packer.finish();
  const invalid = source.invalid.first === undefined ? { count: source.invalid.count } : { count: source.invalid.count, first: source.invalid.first };
  writeEntry(path, { format: CACHE_FORMAT, key, manifest: source.manifest, packed: stored(packed), invalid }, cache);
  return packedSource(source.manifest, packed, invalid, frames);
}

/** Packed frames as stored: copies on plain buffers. */
function stored(p: PackedFrames): StoredFrames {
  return { frames: p.frames, blockBytes: [...p.blockBytes], text: new Uint8Array(p.text).slice(), ends: new Float64Array(p.ends).slice(), ts: new Float64Array(p.ts).slice(), sources: new Uint8Array(p.sources).slice() };
}

/** Stored frames as packed frames: copies on shared buffers (a sweep posts them to its workers without a copy). */
function shared(s: StoredFrames): PackedFrames {
  const copy = (a: Uint8Array | Float64Array): SharedArrayBuffer => {
    const sab = new SharedArrayBuffer(Math.max(1, a.byteLength));
    new Uint8Array(sab).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    return sab;
  };
  return { frames: s.frames, blockBytes: s.blockBytes, text: copy(s.text), ends: copy(s.ends), ts: copy(s.ts), sources: copy(s.sources) };
}

function readEntry(path: string, key: string, format: ImportFormat, cache: ImportCacheOptions): { entry: Entry; packed: PackedFrames } | undefined {
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
  const checked = checkEntry(value, key, format);
  return typeof checked === 'string' ? reject(path, checked, cache) : checked;
}

/** What is wrong with a deserialized entry, or undefined when it is a valid entry of this key and import format. */
export function entryProblem(v: unknown, key: string, format: ImportFormat = 'parquet'): string | undefined {
  const checked = checkEntry(v, key, format);
  return typeof checked === 'string' ? checked : undefined;
}

/** A valid entry with its frames on shared buffers (validated as they will be replayed), or what is wrong with it. */
function checkEntry(v: unknown, key: string, format: ImportFormat): { entry: Entry; packed: PackedFrames } | string {
  if (typeof v !== 'object' || v === null) return 'not an entry object';
  const e = v as Partial<Entry>;
  if (e.format !== CACHE_FORMAT) return `format ${String(e.format)}, expected ${CACHE_FORMAT}`;
  if (e.key !== key) return 'key does not match the input';
  const m = manifestSchema.safeParse(e.manifest);
  if (!m.success) return `manifest invalid (${m.error.issues[0]?.message ?? 'schema'})`;
  if (m.data.format !== format) return `manifest format ${m.data.format}, expected ${format}`;
  const p = e.packed;
  if (typeof p !== 'object' || p === null) return 'frames missing';
  if (!(p.text instanceof Uint8Array && p.ends instanceof Float64Array && p.ts instanceof Float64Array && p.sources instanceof Uint8Array)) return 'frames malformed';
  if (p.frames !== m.data.frames) return `${String(p.frames)} frames, the manifest says ${m.data.frames}`;
  const packed = shared(p);
  const why = packedProblem(packed);
  if (why) return `frames: ${why}`;
  const inv = e.invalid;
  if (typeof inv !== 'object' || inv === null || !Number.isInteger(inv.count) || inv.count < 0 || (inv.first !== undefined && typeof inv.first !== 'string')) return 'invalid count malformed';
  return { entry: e as Entry, packed };
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
    if (n.endsWith(OLD_EXT)) {
      removeQuietly(p);
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
