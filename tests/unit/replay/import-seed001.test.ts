/**
 * The seed-001 CSV importer on a hand-written fixture (tests/fixtures/replay/seed001): frame kinds and counts, the
 * stable ts sort, book sizes and server timestamps, PolyBolt frames the real feed stores, bad rows counted with the
 * first error, inferred winners against a hand-computed TWAP comparison, and the errors for a bad header or markets.
 *
 * Hand computation (T0 = 1776327600, windows of 300 s; TWAP60(t) = mean of the prices in (t − 60 s, t]):
 * - M1 start T0: 84000 (T0−50), 84010 (T0−30), 84020 (T0−10), 84030 (T0) -> 84015; 83000 at T0−60 is outside.
 * - M1 end = M2 start T0+300: 84050, 84000, 83990, 83980 -> 84005 < 84015 -> M1 Down (token 1002).
 * - M2 end T0+600: 84100, 84000, 83915 -> 84005 = 84005 -> tie -> M2 Up (token 2001).
 * - M3 end T0+900: the prices stop at T0+610 -> unresolved.
 * Rows: 28 data lines, 6 deliberately bad (ts "abc", event "trade", bid 0.6 > ask 0.5, price 0, token 9999,
 * bid 1.2) -> 22 frames (16 price, 6 book) + 2 market_resolved = 24.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { ReferenceStore } from '../../../bot/core';
import { PolyboltFeed } from '../../../bot/feeds';
import { type MarketWsEvent } from '../../../bot/protocol/market-ws';
import { parseMarketFrame } from '../../../bot/protocol/market-text';
import { pointValue, PolyboltServerFrame } from '../../../bot/protocol/polybolt';
import { importSeed001Csv } from '../../../bot/replay/import-seed001';
import type { RecordedFrame, SessionSource } from '../../../bot/replay/session';
import { Prng } from '../../../bot/util/prng';

const FIX = join(__dirname, '../../fixtures/replay/seed001');
const CSV = join(FIX, 'sample.csv');
const MARKETS = join(FIX, 'markets.json');
const T0 = 1776327600_000;

async function collect(src: SessionSource, chunkSize?: number): Promise<RecordedFrame[]> {
  const out: RecordedFrame[] = [];
  for await (const c of src.frames(chunkSize ? { chunkSize } : undefined)) out.push(...c);
  return out;
}

function one(raw: string): MarketWsEvent {
  const r = parseMarketFrame(raw);
  if (r.kind !== 'events' || r.events.length !== 1 || r.dropped.length) throw new Error(`not one event: ${raw}`);
  return r.events[0]!;
}

let tmp: string;
let src: SessionSource;
let frames: RecordedFrame[];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'seed001-'));
  src = await importSeed001Csv(CSV, MARKETS);
  frames = await collect(src);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('importSeed001Csv on the fixture', () => {
  it('turns 22 valid rows into 16 PolyBolt + 6 book frames, adds 2 resolutions, counts the 6 bad rows', () => {
    expect(frames).toHaveLength(24);
    expect(src.manifest.frames).toBe(24);
    expect(frames.filter((f) => f.source === 'polybolt')).toHaveLength(16);
    const clob = frames.filter((f) => f.source === 'clob-market').map((f) => one(f.raw).event_type);
    expect(clob.filter((t) => t === 'book')).toHaveLength(6);
    expect(clob.filter((t) => t === 'market_resolved')).toHaveLength(2);
    expect(src.invalid.count).toBe(6);
    // The first bad row is line 7 (header = line 1).
    expect(src.invalid.first).toMatch(/^line 7: ts "abc"/);
  });

  it('sorts by ts stably: out-of-order rows move, equal ts keep file order', () => {
    for (let i = 1; i < frames.length; i++) expect(frames[i]!.tsRecvMs).toBeGreaterThanOrEqual(frames[i - 1]!.tsRecvMs);
    const prices = frames.filter((f) => f.source === 'polybolt').map((f) => {
      const r = PolyboltServerFrame.parse(JSON.parse(f.raw));
      if (!('payload' in r) || !r.payload || 'data' in r.payload) throw new Error('not a live point');
      return pointValue(r.payload);
    });
    // File order had 84030 (T0) before 84020 (T0−10).
    expect(prices.slice(0, 6)).toEqual([83000, 84000, 84010, 84020, 84030, 84031.5]);
    // At T0+1 s the file has book 1001, book 1002, then the price: same order out.
    const at = frames.filter((f) => f.tsRecvMs === T0 + 1000);
    expect(at.map((f) => (f.source === 'polybolt' ? 'price' : (one(f.raw) as { asset_id: string }).asset_id))).toEqual(['1001', '1002', 'price']);
  });

  it('writes book frames with one level per side of depthShares and strictly increasing server timestamps', async () => {
    const books = frames.filter((f) => f.source === 'clob-market').map((f) => ({ f, e: one(f.raw) })).filter((x) => x.e.event_type === 'book');
    let prev = -1;
    for (const { f, e } of books) {
      if (e.event_type !== 'book') continue;
      expect(e.bids.length).toBeLessThanOrEqual(1);
      expect(e.asks.length).toBe(1);
      for (const l of [...e.bids, ...e.asks]) expect(l.size).toBe('1000');
      const ts = Number(e.timestamp);
      expect(ts).toBeGreaterThan(prev);
      expect(ts).toBeGreaterThanOrEqual(f.tsRecvMs);
      prev = ts;
      expect(e.market).toBe(src.manifest.markets.find((m) => m.upTokenId === e.asset_id || m.downTokenId === e.asset_id)!.conditionId);
    }
    const first = books[0]!.e;
    if (first.event_type !== 'book') throw new Error('unreachable');
    expect(first.bids).toEqual([{ price: '0.48', size: '1000' }]);
    expect(first.asks).toEqual([{ price: '0.52', size: '1000' }]);
    // The blank bid of line 11 is a one-sided book.
    const oneSided = books.find((x) => x.f.tsRecvMs === T0 + 5000)!.e;
    expect(oneSided.event_type === 'book' && oneSided.bids).toEqual([]);
    const small = await collect(await importSeed001Csv(CSV, MARKETS, { depthShares: 250 }));
    expect(small.filter((f) => f.raw.includes('"size":"250"'))).toHaveLength(6);
  });

  it('feeds the real PolyBolt normaliser: the store gives the hand-computed TWAPs (live-mean rule)', () => {
    const clock = new SimClock(T0 - 120_000);
    const bus = new EventBus({ clock });
    const store = new ReferenceStore();
    const feed = new PolyboltFeed({ url: 'ws://127.0.0.1:9', clock, bus, prng: new Prng('seed001'), creds: { key: 'k', secret: 's', passphrase: 'p' }, store });
    for (const f of frames) if (f.source === 'polybolt') feed.ingest(f.raw);
    expect(feed.conn.health.badFrames).toBe(0);
    expect(store.live.all()).toHaveLength(16);
    expect(store.twapAt(T0)).toEqual({ price: 84015, source: 'live-mean' });
    expect(store.twapAt(T0 + 300_000)).toEqual({ price: 84005, source: 'live-mean' });
    expect(store.twapAt(T0 + 600_000)).toEqual({ price: 84005, source: 'live-mean' });
  });

  it('appends market_resolved at end + 5 s for the markets the prices settle: M1 Down, M2 Up (tie), M3 none', () => {
    const res = frames.filter((f) => f.source === 'clob-market').map((f) => ({ f, e: one(f.raw) })).filter((x) => x.e.event_type === 'market_resolved');
    expect(res.map(({ f, e }) => [f.tsRecvMs, e.event_type === 'market_resolved' && e.winning_asset_id, e.event_type === 'market_resolved' && e.winning_outcome])).toEqual([
      [T0 + 305_000, '1002', 'Down'],
      [T0 + 605_000, '2001', 'Up'],
    ]);
    expect(src.manifest.notes.join(' ')).toMatch(/unresolved 1: btc-updown-5m-1776328200/);
  });

  it('describes the session in the manifest', () => {
    const m = src.manifest;
    expect(m.format).toBe('seed001-csv');
    expect(m.capabilities).toEqual({ books: true, reference: true, spot: false, resolutions: 'inferred' });
    expect(m.sources).toEqual(['clob-market', 'polybolt']);
    expect(m.markets.map((x) => [x.slug, x.kind, x.startMs, x.endMs, x.upTokenId, x.downTokenId])).toEqual([
      ['btc-updown-5m-1776327600', '5m', T0, T0 + 300_000, '1001', '1002'],
      ['btc-updown-5m-1776327900', '5m', T0 + 300_000, T0 + 600_000, '2001', '2002'],
      ['btc-updown-5m-1776328200', '5m', T0 + 600_000, T0 + 900_000, '3001', '3002'],
    ]);
    for (const x of m.markets) expect(x.conditionId).toMatch(/^0x[0-9a-f]{64}$/);
    expect(new Set(m.markets.map((x) => x.conditionId)).size).toBe(3);
    expect(m.startMs).toBe(T0 - 60_000);
    expect(m.endMs).toBe(T0 + 610_000);
    expect(m.id).toBe('seed001-sample');
    expect(m.notes.join(' ')).toMatch(/TWAP60\(end\) >= TWAP60\(start\)/);
  });

  it('yields the same frames whatever the chunk size, pass after pass', async () => {
    expect(await collect(src, 1)).toEqual(frames);
    expect(await collect(src, 5)).toEqual(frames);
  });
});

describe('importSeed001Csv inputs', () => {
  it('reads CRLF, a BOM, quoted fields and extra columns', async () => {
    const p = join(tmp, 'crlf.csv');
    writeFileSync(p, '\uFEFFts,event,price,token_id,bid,ask,extra\r\n1776327601.5,book,,"1001",0.4,0.6,x\r\n1776327602,PRICE,84000.25,,,,y\r\n');
    const s = await importSeed001Csv(p, MARKETS);
    const f = await collect(s);
    expect(s.invalid.count).toBe(0);
    expect(f.map((x) => x.tsRecvMs)).toEqual([T0 + 1500, T0 + 2000]);
    expect(one(f[0]!.raw)).toMatchObject({ event_type: 'book', asset_id: '1001' });
    expect(f[1]!.raw).toContain('"full_accuracy_value":"84000.25"');
  });

  it('throws a clear error for a header without a required column', async () => {
    const p = join(tmp, 'nohdr.csv');
    writeFileSync(p, 'ts,event,price,token_id,bid\n1776327601,price,84000,,\n');
    await expect(importSeed001Csv(p, MARKETS)).rejects.toThrow(new RegExp(`${p}: the CSV header lacks column\\(s\\) ask`));
    const e = join(tmp, 'empty.csv');
    writeFileSync(e, '');
    await expect(importSeed001Csv(e, MARKETS)).rejects.toThrow(`${e}: empty file`);
  });

  it('throws a clear error for a missing or invalid markets JSON', async () => {
    const missing = join(tmp, 'nope.json');
    await expect(importSeed001Csv(CSV, missing)).rejects.toThrow(`${missing}: cannot read the markets JSON (ENOENT)`);
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, '[{"slug":"x"');
    await expect(importSeed001Csv(CSV, bad)).rejects.toThrow(`${bad}: the markets file is not valid JSON`);
    writeFileSync(bad, JSON.stringify([{ slug: 'x', start_epoch: 0, end_epoch: 300, up_token_id: 'up', down_token_id: '2', horizon_minutes: 5 }]));
    await expect(importSeed001Csv(CSV, bad)).rejects.toThrow(/bad\.json: not a seed-001 markets array: 0\.up_token_id/);
  });

  it('throws for a missing CSV, naming it', async () => {
    const p = join(tmp, 'missing.csv');
    await expect(importSeed001Csv(p, MARKETS)).rejects.toThrow(`${p}: cannot read the CSV (ENOENT)`);
  });
});
