/**
 * The import cache (bot/replay/import-cache.ts) on the shipped real sample and the seed-001 fixture CSV: each
 * importer's output is pinned to its version (PARQUET_IMPORT_VERSION, SEED001_IMPORT_VERSION); a miss imports and
 * keeps, a hit reads back exactly the import (frames, manifest, invalid count), packed as it was packed; the key follows
 * the files and the options; bad entries (garbage, truncated, another key, another import format, frames out of
 * order, unknown source, wrong count, blocks that do not add up) are rejected, counted, reported and replaced; a failed
 * write is counted and the import still returned; the directory stays within its bounds, the least recently used entry
 * going first, and first-format entries go; openSession uses the cache only when asked.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { cachedParquetImport, cachedSeed001Import, entryProblem, importCacheKey, importCacheStats, seed001CacheKey, type ImportCacheEvent } from '../../../bot/replay/import-cache';
import { importParquetBooks, PARQUET_IMPORT_VERSION } from '../../../bot/replay/import-parquet';
import { importSeed001Csv, SEED001_IMPORT_VERSION } from '../../../bot/replay/import-seed001';
import { openSession } from '../../../bot/replay/open-session';
import { unpackFrames } from '../../../bot/replay/packed-frames';
import type { RecordedFrame, SessionSource } from '../../../bot/replay/session';

const DATA = resolve('samples/polymarket-btc-5m-books/market_data');
const CSV = resolve('tests/fixtures/replay/seed001/sample.csv');
const MARKETS = resolve('tests/fixtures/replay/seed001/markets.json');
const tmp = mkdtempSync(join(tmpdir(), 'import-cache-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let n = 0;
const freshDir = () => join(tmp, `cache-${++n}`);
const entries = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.pack')) : []);

async function collect(s: SessionSource): Promise<RecordedFrame[]> {
  const out: RecordedFrame[] = [];
  for await (const c of s.frames({ chunkSize: 1000 })) out.push(...c);
  return out;
}

async function digest(s: SessionSource): Promise<string> {
  const h = createHash('sha256').update(JSON.stringify(s.manifest)).update(JSON.stringify(s.invalid));
  for (const f of await collect(s)) h.update(`${f.source}\n${f.tsRecvMs}\n${f.raw}\n`);
  return h.digest('hex').slice(0, 16);
}

/** A copy of the first `files` Parquet files of the sample (other folders, other keys). */
function sampleCopy(name: string, files: number): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(DATA).filter((x) => x.endsWith('.parquet')).sort().slice(0, files)) copyFileSync(join(DATA, f), join(dir, f));
  return dir;
}

const SMALL = { maxRows: 300 };
let before: typeof importCacheStats;
beforeEach(() => {
  before = { ...importCacheStats };
});
const delta = () => ({
  hits: importCacheStats.hits - before.hits,
  misses: importCacheStats.misses - before.misses,
  rejected: importCacheStats.rejected - before.rejected,
  writeFailures: importCacheStats.writeFailures - before.writeFailures,
});

describe('import cache', () => {
  it('the importer output is the one its version names (bump PARQUET_IMPORT_VERSION when this digest changes)', async () => {
    const direct = await importParquetBooks(DATA);
    expect({ version: PARQUET_IMPORT_VERSION, frames: direct.manifest.frames, digest: await digest(direct) }).toEqual({ version: 1, frames: 11_260, digest: '9f003bc5e8cbe3af' });
  }, 60_000);

  it('the seed-001 importer output is the one its version names (bump SEED001_IMPORT_VERSION when this digest changes)', async () => {
    const direct = await importSeed001Csv(CSV, MARKETS);
    expect({ version: SEED001_IMPORT_VERSION, frames: direct.manifest.frames, invalid: direct.invalid.count, digest: await digest(direct) }).toEqual({ version: 1, frames: 24, invalid: 6, digest: '6a6f151df7348901' });
  });

  it('a seed-001 CSV: a miss imports and keeps, a hit reads back exactly the import; the key follows both files and the options', async () => {
    const dir = freshDir();
    const direct = await importSeed001Csv(CSV, MARKETS);
    const want = await collect(direct);
    const first = await cachedSeed001Import(CSV, MARKETS, {}, { dir });
    const second = await cachedSeed001Import(CSV, MARKETS, {}, { dir });
    expect(delta()).toEqual({ hits: 1, misses: 1, rejected: 0, writeFailures: 0 });
    for (const s of [first, second]) {
      expect(s.manifest).toEqual(direct.manifest);
      expect(s.invalid).toEqual(direct.invalid);
      expect(await collect(s)).toEqual(want);
      expect(unpackFrames(s.packed)).toEqual(want);
    }
    // The hit's packed frames are on shared buffers (a sweep posts them to its workers as they are).
    expect(second.packed.text).toBeInstanceOf(SharedArrayBuffer);
    const key = seed001CacheKey(CSV, MARKETS, {});
    expect(seed001CacheKey(CSV, MARKETS, { depthShares: 10 })).not.toBe(key);
    // The same files elsewhere: the same key (names, sizes and contents make it); then each file changed, one at a time.
    mkdirSync(join(tmp, 'seed-copy'));
    const csv2 = join(tmp, 'seed-copy', 'sample.csv');
    const markets2 = join(tmp, 'seed-copy', 'markets.json');
    copyFileSync(CSV, csv2);
    copyFileSync(MARKETS, markets2);
    expect(seed001CacheKey(csv2, markets2, {})).toBe(key);
    writeFileSync(markets2, `${readFileSync(MARKETS, 'utf8')} `);
    expect(seed001CacheKey(csv2, markets2, {})).not.toBe(key);
    writeFileSync(csv2, `${readFileSync(CSV, 'utf8')}\n`);
    copyFileSync(MARKETS, markets2);
    expect(seed001CacheKey(csv2, markets2, {})).not.toBe(key);
    // openSession goes through it when given the cache.
    const opened = await openSession(CSV, { markets: MARKETS, importCache: { dir } });
    expect(await collect(opened)).toEqual(want);
    expect(delta()).toEqual({ hits: 2, misses: 1, rejected: 0, writeFailures: 0 });
  });

  it('a miss imports and keeps the import; a hit reads back exactly its frames, manifest and invalid count', async () => {
    const dir = freshDir();
    const direct = await importParquetBooks(DATA);
    const first = await cachedParquetImport(DATA, {}, { dir });
    expect(delta()).toEqual({ hits: 0, misses: 1, rejected: 0, writeFailures: 0 });
    expect(entries(dir)).toHaveLength(1);
    const second = await cachedParquetImport(DATA, {}, { dir });
    expect(delta()).toEqual({ hits: 1, misses: 1, rejected: 0, writeFailures: 0 });
    const want = await collect(direct);
    expect(want.length).toBe(11_260);
    for (const s of [first, second]) {
      expect(s.manifest).toEqual(direct.manifest);
      expect(s.invalid).toEqual(direct.invalid);
      expect(await collect(s)).toEqual(want);
    }
  }, 60_000);

  it('the key follows the files (one removed, one changed) and the import options', async () => {
    const a = sampleCopy('key-a', 4);
    const k = await importCacheKey(a, {});
    expect(await importCacheKey(a, {})).toBe(k);
    expect(await importCacheKey(a, { maxRows: 10 })).not.toBe(k);
    expect(await importCacheKey(a, { maxRows: undefined })).toBe(k);
    const b = sampleCopy('key-b', 3);
    expect(await importCacheKey(b, {})).not.toBe(k);
    const names = readdirSync(b).sort();
    const f = join(b, names[0]!);
    const bytes = readFileSync(f);
    const kb = await importCacheKey(b, {});
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 1, bytes.length - 1);
    writeFileSync(f, bytes);
    expect(await importCacheKey(b, {})).not.toBe(kb);
  });

  it('rejects bad entries (garbage, truncated, another key or format, frames out of order, unknown source, wrong count, bad blocks): counted, reported, replaced', async () => {
    const dir = freshDir();
    const events: ImportCacheEvent[] = [];
    const opts = { dir, onEvent: (e: ImportCacheEvent) => events.push(e) };
    const good = await collect(await cachedParquetImport(DATA, SMALL, opts));
    const key = await importCacheKey(DATA, SMALL);
    const path = join(dir, `${key}.pack`);
    const valid = readFileSync(path);
    type Stored = { key: string; manifest: { format: string; frames: number }; packed: { frames: number; blockBytes: number[]; ts: Float64Array; sources: Uint8Array; ends: Float64Array } };
    const entry = deserialize(Buffer.from(valid)) as Stored;
    const variant = (edit: (e: Stored) => void) => {
      // A copy: Node deserializes typed arrays as views on the bytes it is given.
      const e = deserialize(Buffer.from(valid)) as Stored;
      edit(e);
      return serialize(e);
    };
    const bad: [string, Buffer][] = [
      ['garbage', Buffer.from('not an entry at all')],
      ['truncated', valid.subarray(0, valid.length >> 1)],
      ['another key', variant((e) => (e.key = 'f'.repeat(64)))],
      ['another format', variant((e) => (e.manifest.format = 'seed001-csv'))],
      ['out of order', variant((e) => (e.packed.ts[5] = e.packed.ts[4]! - 1))],
      ['unknown source', variant((e) => (e.packed.sources[3] = 200))],
      ['wrong count', variant((e) => (e.packed.frames -= 1))],
      ['bad blocks', variant((e) => (e.packed.blockBytes[0] = e.packed.blockBytes[0]! - 1))],
      ['bad ends', variant((e) => (e.packed.ends[7] = e.packed.ends[6]! - 1))],
    ];
    const reasons: string[] = [];
    for (const [, bytes] of bad) {
      writeFileSync(path, bytes);
      events.length = 0;
      const back = await collect(await cachedParquetImport(DATA, SMALL, opts));
      expect(back).toEqual(good);
      expect(events).toHaveLength(1);
      expect(events[0]!.kind).toBe('rejected');
      reasons.push((events[0] as { reason: string }).reason);
      // Replaced by a valid entry: the next open is a hit.
      events.length = 0;
      await cachedParquetImport(DATA, SMALL, opts);
      expect(events).toEqual([]);
    }
    expect(reasons.slice(2)).toEqual([
      'key does not match the input',
      'manifest format seed001-csv, expected parquet',
      'frames: frame 5: receive time out of order',
      'frames: frame 3: unknown source index 200',
      `${entry.packed.frames - 1} frames, the manifest says ${entry.manifest.frames}`,
      expect.stringMatching(/^frames: blocks hold \d+ bytes, the text \d+$/) as unknown as string,
      expect.stringMatching(/^frames: frame 7: text end \d+ before \d+$/) as unknown as string,
    ]);
    expect(delta()).toEqual({ hits: bad.length, misses: 1 + bad.length, rejected: bad.length, writeFailures: 0 });
    expect(entryProblem(entry, key)).toBeUndefined();
    expect(entryProblem(entry, key, 'seed001-csv')).toBe('manifest format parquet, expected seed001-csv');
    expect(entryProblem(null, key)).toBe('not an entry object');
  }, 60_000);

  it('a write that fails is counted and reported, and the import is returned all the same', async () => {
    const blocker = join(tmp, 'a-file');
    writeFileSync(blocker, 'x');
    const events: ImportCacheEvent[] = [];
    const s = await cachedParquetImport(DATA, SMALL, { dir: join(blocker, 'cache'), onEvent: (e) => events.push(e) });
    expect(await collect(s)).toEqual(await collect(await importParquetBooks(DATA, SMALL)));
    expect(events.map((e) => e.kind)).toEqual(['write-failed']);
    expect(delta()).toMatchObject({ misses: 1, writeFailures: 1 });
  });

  it('stays within maxEntries, the least recently used entry going first', async () => {
    const dir = freshDir();
    const o = { dir, maxEntries: 2 };
    const keyOf = (rows: number) => importCacheKey(DATA, { maxRows: rows });
    await cachedParquetImport(DATA, { maxRows: 100 }, o);
    await cachedParquetImport(DATA, { maxRows: 110 }, o);
    // 100 is used again: 110 is now the least recently used and goes when 120 comes.
    await cachedParquetImport(DATA, { maxRows: 100 }, o);
    await cachedParquetImport(DATA, { maxRows: 120 }, o);
    expect(entries(dir).sort()).toEqual([`${await keyOf(100)}.pack`, `${await keyOf(120)}.pack`].sort());
    expect(delta()).toEqual({ hits: 1, misses: 3, rejected: 0, writeFailures: 0 });
    // maxBytes below two entries keeps only the newest.
    // A first-format entry (frames as objects, .v8) is removed by the next write.
    writeFileSync(join(dir, `${'0'.repeat(64)}.v8`), 'old');
    await cachedParquetImport(DATA, { maxRows: 130 }, { dir, maxBytes: 1 });
    expect(entries(dir)).toEqual([`${await keyOf(130)}.pack`]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.v8'))).toEqual([]);
  });

  it('openSession goes through the cache only when given one', async () => {
    const dir = freshDir();
    const plain = await openSession(DATA, SMALL);
    const cached = await openSession(DATA, { ...SMALL, importCache: { dir } });
    expect(entries(dir)).toHaveLength(1);
    expect(await collect(cached)).toEqual(await collect(plain));
    await openSession(resolve(DATA, '..'), { ...SMALL, importCache: { dir } });
    expect(delta()).toEqual({ hits: 1, misses: 1, rejected: 0, writeFailures: 0 });
  });
});
