/**
 * The Parquet `book` reader on the shipped real sample (samples/polymarket-btc-5m-books): the files are intact,
 * grouped per market, every row parses into a wire-shaped snapshot with its raw message kept verbatim, rows come out
 * in receive-time order, bad rows are counted not thrown, and reads are bounded.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectFastPathEqualsSchema } from '../../helpers/fast-path';
import { fastLevels, levelsSchema, listBookParquetFiles, parseBookRow, readBookParquet, readBookParquetDir } from '../../../bot/replay/parquet-books';

const SAMPLE = join(__dirname, '../../../samples/polymarket-btc-5m-books');
const DATA = join(SAMPLE, 'market_data');
const SLUGS = ['btc-updown-5m-1776327600', 'btc-updown-5m-1776327900', 'btc-updown-5m-1776328200'];

describe('shipped sample', () => {
  it('matches SHA256SUMS byte for byte and keeps the attribution', () => {
    const lines = readFileSync(join(SAMPLE, 'SHA256SUMS'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(33);
    for (const line of lines) {
      const [sum, file] = line.split(/\s+/);
      expect(createHash('sha256').update(readFileSync(join(SAMPLE, file!))).digest('hex'), file).toBe(sum);
    }
    const readme = readFileSync(join(SAMPLE, 'README.md'), 'utf8');
    expect(readme).toContain('Polymarket BTC Orderbook Dataset © 2026 by CronosVirus00, licensed under CC BY 4.0');
    expect(readme).toContain('734d6bbbb2f2b596b6ef0f9957a4ea9bb7d4bf0d');
    expect(readFileSync(join(SAMPLE, 'LICENSE-CC-BY-4.0.txt'), 'utf8')).toContain('Attribution 4.0 International');
  });
});

describe('parquet book reader', () => {
  it('lists files per market slug in flush order', async () => {
    const groups = await listBookParquetFiles(DATA);
    expect(groups.map((g) => g.slug)).toEqual(SLUGS);
    expect(groups.map((g) => g.files.length)).toEqual([7, 13, 13]);
    for (const g of groups) {
      const flush = g.files.map((f) => Number(/_(\d+)\.parquet$/.exec(f)![1]));
      expect([...flush].sort((a, b) => a - b)).toEqual(flush);
    }
  });

  it('reads one file into wire-shaped snapshots with the raw message verbatim', async () => {
    const file = (await listBookParquetFiles(DATA))[0]!.files[0]!;
    const r = await readBookParquet(file);
    expect(r.invalid).toBe(0);
    expect(r.truncated).toBe(false);
    expect(r.rows.length).toBeGreaterThan(100);
    const row = r.rows[0]!;
    expect(row.slug).toBe(SLUGS[0]);
    expect(row.assetId).toMatch(/^[0-9]{60,}$/);
    expect(row.market).toMatch(/^0x[0-9a-f]{64}$/);
    expect(row.tsRecvMs).toBeGreaterThan(Date.UTC(2026, 3, 16, 8, 20));
    expect(row.serverTsMs).toBeGreaterThan(row.tsRecvMs - 5_000);
    const raw = JSON.parse(row.raw) as { event_type: string; asset_id: string; bids: unknown; asks: unknown };
    expect(raw.event_type).toBe('book');
    expect(raw.asset_id).toBe(row.assetId);
    expect(raw.bids).toEqual(row.bids);
    expect(raw.asks).toEqual(row.asks);
    // Levels as the venue sends them: strings, best LAST (bids ascend, asks descend).
    const bidPx = row.bids.map((l) => Number(l.price));
    const askPx = row.asks.map((l) => Number(l.price));
    expect(typeof row.bids[0]!.price).toBe('string');
    expect(bidPx[bidPx.length - 1]).toBe(Math.max(...bidPx));
    expect(askPx[askPx.length - 1]).toBe(Math.min(...askPx));
    expect(Math.max(...bidPx)).toBeLessThan(Math.min(...askPx));
  });

  it('reads a directory in receive-time order, optionally only some markets', async () => {
    const all = await readBookParquetDir(DATA);
    expect(all.invalid).toBe(0);
    expect(all.rows).toHaveLength(9321);
    for (let i = 1; i < all.rows.length; i++) expect(all.rows[i]!.tsRecvMs).toBeGreaterThanOrEqual(all.rows[i - 1]!.tsRecvMs);
    expect(new Set(all.rows.map((r) => r.slug))).toEqual(new Set(SLUGS));
    const one = await readBookParquetDir(DATA, { slugs: [SLUGS[1]!] });
    expect(one.rows).toHaveLength(3758);
    expect(new Set(one.rows.map((r) => r.assetId)).size).toBe(2);
  });

  it('stops at maxRows and says so', async () => {
    const r = await readBookParquetDir(DATA, { maxRows: 500 });
    expect(r.rows).toHaveLength(500);
    expect(r.truncated).toBe(true);
  });

  it('counts a bad row with a clear error instead of throwing', () => {
    const good = { timestamp: 1776327632.5, slug: 's', asset_id: '123', bids: '[{"price":"0.5","size":"10"}]', asks: '[]', raw_data: '{"event_type":"book","timestamp":"1776327632400"}' };
    const ok = parseBookRow(good);
    expect(ok.ok && ok.row.tsRecvMs).toBe(1776327632500);
    expect(ok.ok && ok.row.serverTsMs).toBe(1776327632400);
    const bad = [
      { ...good, asset_id: 'abc' },
      { ...good, bids: '[{"price":"-1","size":"10"}]' },
      { ...good, asks: 'not json' },
      { ...good, raw_data: '{"timestamp": "soon"}' },
      { ...good, timestamp: undefined },
    ];
    for (const b of bad) {
      const r = parseBookRow(b);
      expect(r.ok, JSON.stringify(b)).toBe(false);
      if (!r.ok) expect(r.error.length).toBeGreaterThan(5);
    }
  });
});

describe('level lists: the fast path equals the schema', () => {
  it('over a real row\'s levels and their mutations (values, keys, shapes)', async () => {
    const file = (await listBookParquetFiles(DATA))[0]!.files[0]!;
    const { rows } = await readBookParquet(file, { maxRows: 3 });
    const real = rows.flatMap((r) => [r.bids, r.asks]).filter((l) => l.length > 0) as unknown[][];
    expect(real.length).toBeGreaterThan(0);
    const bad: unknown[] = ['', null, undefined, 0, 1.5, '01', '1.', '-1', ' 1', '1e3', true, {}, []];
    const variants: unknown[] = [...real, [], {}, 'x', null, real[0]!.slice(0, 1)];
    for (const l of real.slice(0, 2)) {
      for (let i = 0; i < Math.min(3, l.length); i++) {
        const lvl = l[i] as Record<string, unknown>;
        for (const k of ['price', 'size']) for (const v of bad) variants.push(l.map((x, j) => (j === i ? { ...lvl, [k]: v } : x)));
        variants.push(l.map((x, j) => (j === i ? { ...lvl, extra: 1 } : x)));
        variants.push(l.map((x, j) => (j === i ? { price: lvl.price } : x)));
        variants.push(l.map((x, j) => (j === i ? null : x)));
        variants.push(l.map((x, j) => (j === i ? [lvl.price, lvl.size] : x)));
      }
    }
    const fast = expectFastPathEqualsSchema(variants, fastLevels, levelsSchema);
    for (const l of real) expect(fastLevels(l)).toBeDefined();
    expect(fast).toBeGreaterThan(real.length);
  });
});
