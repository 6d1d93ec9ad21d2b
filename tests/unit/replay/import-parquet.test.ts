/**
 * The Parquet importer on the shipped real sample (samples/polymarket-btc-5m-books, 3 markets, CC BY 4.0):
 * the frame count (rows + mirror frames + inferred resolutions, each term derived here from the rows that
 * `readBookParquetDir` returns, not from the importer), sort order, books of named tokens at fixed receive times,
 * mirrors that really mirror, resolution frames the protocol parses, the manifest, bounded reads.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BookEvent, type MarketWsEvent } from '../../../bot/protocol/market-ws';
import { parseMarketFrame } from '../../../bot/protocol/market-text';
import { complementPrice, importParquetBooks, inferWinner, mirrorTokenId } from '../../../bot/replay/import-parquet';
import { readBookParquetDir, type ParquetBookRow } from '../../../bot/replay/parquet-books';
import type { RecordedFrame, SessionSource } from '../../../bot/replay/session';

const SAMPLE = join(__dirname, '../../../samples/polymarket-btc-5m-books');
const DATA = join(SAMPLE, 'market_data');
const README = readFileSync(join(SAMPLE, 'README.md'), 'utf8');

// Token ids as recorded (market 1 has one token; markets 2 and 3 have both).
const M1_TOKEN = '85498884949518729383732350459462160678708776284164991673928640819612836381122';
const M2_A = '30374892988817695637664071124103875945534723397931072275474412031960901451028';
const M2_B = '72413361812669114338635327965800858804940646630138056605492476258591855120344';
const M3_A = '29088523052039777483086986957662189828178917307564043198233096144189169784170';
const M3_B = '55524824070433055239925054742178742219562728992854608434098447157355282294337';
/** The synthetic twin, computed here from its definition (2^256 − 1 − id). */
const M1_MIRROR = ((1n << 256n) - 1n - BigInt(M1_TOKEN)).toString();

async function collect(src: SessionSource, chunkSize?: number): Promise<RecordedFrame[]> {
  const out: RecordedFrame[] = [];
  for await (const c of src.frames(chunkSize ? { chunkSize } : undefined)) out.push(...c);
  return out;
}

function one(raw: string): MarketWsEvent {
  const r = parseMarketFrame(raw);
  if (r.kind !== 'events' || r.events.length !== 1 || r.dropped.length) throw new Error(`not one event: ${raw.slice(0, 120)}`);
  return r.events[0]!;
}

const bestBid = (l: readonly { price: string }[]) => l.reduce((m, x) => Math.max(m, Number(x.price)), 0);
const bestAsk = (l: readonly { price: string }[]) => l.reduce((m, x) => Math.min(m, Number(x.price)), 1);

let src: SessionSource;
let frames: RecordedFrame[];
/** frames[i] parsed once with the protocol's parseMarketFrame (throws unless it is exactly one valid event). */
let events: MarketWsEvent[];
let rows: ParquetBookRow[];

beforeAll(async () => {
  const [s, r] = await Promise.all([importParquetBooks(DATA), readBookParquetDir(DATA)]);
  src = s;
  rows = r.rows;
  expect(r.invalid).toBe(0);
  frames = await collect(src);
  events = frames.map((f) => one(f.raw));
}, 60_000);

/** Per slug: its token ids, rows and last row (rows are in stable receive-time order). */
function bySlug(): Map<string, { tokens: Set<string>; rows: number; last: ParquetBookRow }> {
  const m = new Map<string, { tokens: Set<string>; rows: number; last: ParquetBookRow }>();
  for (const r of rows) {
    const e = m.get(r.slug) ?? { tokens: new Set<string>(), rows: 0, last: r };
    e.tokens.add(r.assetId);
    e.rows++;
    e.last = r;
    m.set(r.slug, e);
  }
  return m;
}

describe('importParquetBooks on the 3-market sample', () => {
  it('pins the frame count: Parquet rows + one mirror per row of a one-token market + one resolution per settled market', () => {
    const slugs = bySlug();
    // Term 1: every Parquet row is one frame; the README states 9,321 rows.
    expect(README).toContain('9,321 rows');
    const rowTerm = rows.length;
    expect(rowTerm).toBe(9321);
    // Term 2: markets with one recorded token get one mirror frame per row (README: 1,936 rows, one token recorded).
    const single = [...slugs.values()].filter((s) => s.tokens.size === 1);
    expect(single).toHaveLength(1);
    expect(README).toContain('`btc-updown-5m-1776327600` (7 files, 1,936 rows, one outcome token recorded)');
    const mirrorTerm = single.reduce((n, s) => n + s.rows, 0);
    expect(mirrorTerm).toBe(1936);
    // Term 3: a market settles when its last book's mid (bid or 0, ask or 1) is <= 0.1 or >= 0.9.
    const settled = [...slugs.values()].filter((s) => {
      const mid = (bestBid(s.last.bids) + bestAsk(s.last.asks)) / 2;
      return mid <= 0.1 || mid >= 0.9;
    });
    const resolutionTerm = settled.length;
    expect(resolutionTerm).toBe(3);
    expect(frames).toHaveLength(rowTerm + mirrorTerm + resolutionTerm);
    expect(frames).toHaveLength(11_260);
    expect(src.manifest.frames).toBe(frames.length);
    expect(src.invalid.count).toBe(0);
  });

  it('yields frames in receive-time order, every one a single valid market-socket event, recorded raws verbatim', () => {
    for (let i = 1; i < frames.length; i++) expect(frames[i]!.tsRecvMs).toBeGreaterThanOrEqual(frames[i - 1]!.tsRecvMs);
    const recorded = new Set(rows.map((r) => r.assetId));
    const kept: string[] = [];
    frames.forEach((f, i) => {
      expect(f.source).toBe('clob-market');
      const e = events[i]!;
      if (e.event_type === 'book' && recorded.has(e.asset_id)) kept.push(f.raw);
    });
    expect(events).toHaveLength(frames.length);
    // Same raws, same order as the independent reader's stable receive-time sort.
    expect(kept).toEqual(rows.map((r) => r.raw));
    expect(src.manifest.startMs).toBe(frames[0]!.tsRecvMs);
    expect(src.manifest.endMs).toBe(frames[frames.length - 1]!.tsRecvMs);
  });

  it('gives named tokens the best bid/ask of their latest recorded book at fixed receive times', () => {
    const at = (tMs: number) => {
      const books = new Map<string, BookEvent>();
      for (let i = 0; i < frames.length && frames[i]!.tsRecvMs <= tMs; i++) {
        const e = events[i]!;
        if (e.event_type === 'book') books.set(e.asset_id, e);
      }
      return (id: string) => {
        const b = books.get(id);
        return b ? { bid: bestBid(b.bids), ask: bestAsk(b.asks) } : undefined;
      };
    };
    const expected = (id: string, tMs: number) => {
      let last: ParquetBookRow | undefined;
      for (const r of rows) if (r.assetId === id && r.tsRecvMs <= tMs) last = r;
      if (!last) throw new Error(`no row of ${id} before ${tMs}`);
      return { bid: bestBid(last.bids), ask: bestAsk(last.asks) };
    };
    const t1 = Date.UTC(2026, 3, 16, 8, 22, 30);
    const t2 = Date.UTC(2026, 3, 16, 8, 25, 20);
    const t3 = Date.UTC(2026, 3, 16, 8, 32, 5);
    const b1 = at(t1);
    expect(b1(M1_TOKEN)).toEqual(expected(M1_TOKEN, t1));
    const rec = expected(M1_TOKEN, t1);
    expect(b1(M1_MIRROR)!.bid).toBeCloseTo(1 - rec.ask, 9);
    expect(b1(M1_MIRROR)!.ask).toBeCloseTo(1 - rec.bid, 9);
    const b2 = at(t2);
    expect(b2(M2_A)).toEqual(expected(M2_A, t2));
    expect(b2(M2_B)).toEqual(expected(M2_B, t2));
    const b3 = at(t3);
    expect(b3(M3_A)).toEqual(expected(M3_A, t3));
    expect(b3(M3_B)).toEqual(expected(M3_B, t3));
    // No token of a later market has a book yet.
    expect(b1(M2_A)).toBeUndefined();
  });

  it('mirror frames are exact mirrors of the recorded book just before them', () => {
    let mirrors = 0;
    for (let i = 0; i < frames.length; i++) {
      const e = events[i]!;
      if (e.event_type !== 'book' || e.asset_id !== M1_MIRROR) continue;
      mirrors++;
      const src = events[i - 1] as BookEvent;
      expect(src.asset_id).toBe(M1_TOKEN);
      expect(frames[i]!.tsRecvMs).toBe(frames[i - 1]!.tsRecvMs);
      expect(e.timestamp).toBe(src.timestamp);
      expect(e.market).toBe(src.market);
      const flip = (l: readonly { price: string; size: string }[]) => l.map((x) => ({ price: Number((1 - Number(x.price)).toFixed(6)), size: x.size }));
      const num = (l: readonly { price: string; size: string }[]) => l.map((x) => ({ price: Number(x.price), size: x.size }));
      expect(num(e.bids)).toEqual(flip(src.asks));
      expect(num(e.asks)).toEqual(flip(src.bids));
    }
    expect(mirrors).toBe(1936);
    expect(mirrorTokenId(M1_TOKEN)).toBe(M1_MIRROR);
  });

  it('appends market_resolved frames that the protocol parses, naming the token whose last mid says it won', () => {
    const slugs = bySlug();
    const resolved = frames.map((f, i) => ({ f, e: events[i]! })).filter((x) => x.e.event_type === 'market_resolved');
    expect(resolved).toHaveLength(3);
    for (const { f, e } of resolved) {
      if (e.event_type !== 'market_resolved') throw new Error('unreachable');
      const m = src.manifest.markets.find((x) => x.conditionId === e.market)!;
      const s = slugs.get(m.slug)!;
      const mid = (bestBid(s.last.bids) + bestAsk(s.last.asks)) / 2;
      const other = m.upTokenId === s.last.assetId ? m.downTokenId : m.upTokenId;
      expect(e.winning_asset_id).toBe(mid >= 0.9 ? s.last.assetId : other);
      expect(e.winning_outcome).toBe(e.winning_asset_id === m.upTokenId ? 'Up' : 'Down');
      expect(e.assets_ids).toEqual([m.upTokenId, m.downTokenId]);
      expect(f.tsRecvMs).toBe(Math.max(m.endMs + 5_000, s.last.tsRecvMs));
      expect(Number(e.timestamp)).toBe(f.tsRecvMs);
    }
    // Market 1's recorded token ended bid-less at 0.01: its synthetic twin won.
    expect(resolved[0]!.f.raw).toContain(`"winning_asset_id":"${M1_MIRROR}"`);
  });

  it('describes the markets, provenance and assumptions in the manifest', () => {
    const m = src.manifest;
    expect(m.format).toBe('parquet');
    expect(README).toContain(m.attribution!);
    expect(m.attribution).toBe('Polymarket BTC Orderbook Dataset © 2026 by CronosVirus00, licensed under CC BY 4.0');
    expect(m.licence).toContain('CC BY 4.0');
    expect(m.capabilities).toEqual({ books: true, reference: false, spot: false, resolutions: 'inferred' });
    expect(m.sources).toEqual(['clob-market']);
    expect(m.markets.map((x) => x.slug)).toEqual(['btc-updown-5m-1776327600', 'btc-updown-5m-1776327900', 'btc-updown-5m-1776328200']);
    const slugs = bySlug();
    for (const x of m.markets) {
      expect(x.outcomeMapping).toBe('assumed');
      expect(x.kind).toBe('5m');
      expect(x.startMs).toBe(Number(x.slug.split('-').pop()) * 1000);
      expect(x.endMs).toBe(x.startMs + 300_000);
      expect(BigInt(x.upTokenId) < BigInt(x.downTokenId)).toBe(true);
      expect(x.conditionId).toBe(slugs.get(x.slug)!.last.market);
      expect(x.tickSize).toBe(0.01);
    }
    const notes = m.notes.join('\n');
    expect(notes).toMatch(/numerically smaller token id is Up/);
    expect(notes).toMatch(/mirror/);
    expect(notes).toMatch(/>= 0\.9 .* <= 0\.1/);
    expect(m.createdAtMs).toBe(Math.floor(m.endMs));
  });
});

describe('importParquetBooks bounds and helpers', () => {
  it('honours maxRows: stops early, leaves the cut market unresolved, says so; deterministic', async () => {
    const a = await importParquetBooks(DATA, { maxRows: 500 });
    const fa = await collect(a, 7);
    // 500 rows of market 1 (one token so far) + their 500 mirrors, no resolution.
    expect(fa).toHaveLength(1000);
    expect(fa.some((f) => f.raw.includes('market_resolved'))).toBe(false);
    expect(a.manifest.markets).toHaveLength(1);
    expect(a.manifest.notes.join(' ')).toMatch(/Truncated at maxRows = 500: btc-updown-5m-1776327600/);
    const b = await importParquetBooks(DATA, { maxRows: 500 });
    expect(b.manifest).toEqual(a.manifest);
    expect(await collect(b)).toEqual(fa);
  });

  it('throws naming a directory without book files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pq-empty-'));
    try {
      await expect(importParquetBooks(dir)).rejects.toThrow(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('complements prices exactly and mirrors token ids as an involution', () => {
    expect(['0.01', '0.99', '1', '0', '0.5', '0.455', '0.001'].map(complementPrice)).toEqual(['0.99', '0.01', '0', '1', '0.5', '0.545', '0.999']);
    // Remembered complements (a book's ticks repeat) stay exact on repeats and past the memo's bound (10,000):
    // 25,000 distinct five-decimal prices, twice, each against p + complement = 1 in integer units.
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i <= 25_000; i++) {
        const p = `0.${String(i * 4).padStart(5, '0')}`.replace(/\.?0+$/, '') || '0';
        const c = complementPrice(p);
        const units = (x: string) => Math.round(Number(x) * 100_000);
        expect(units(p) + units(c), `${p} -> ${c}`).toBe(100_000);
        expect(c).toMatch(/^(0|1|0\.[0-9]*[1-9])$/);
      }
    }
    expect(mirrorTokenId(mirrorTokenId(M2_A))).toBe(M2_A);
    expect(mirrorTokenId('0')).toBe(((1n << 256n) - 1n).toString());
  });

  it('infers a winner only outside (0.1, 0.9)', () => {
    expect(inferWinner('a', 0.9, 'b')).toBe('a');
    expect(inferWinner('a', 0.995, 'b')).toBe('a');
    expect(inferWinner('a', 0.1, 'b')).toBe('b');
    expect(inferWinner('a', 0.005, 'b')).toBe('b');
    expect(inferWinner('a', 0.5, 'b')).toBeUndefined();
    expect(inferWinner('a', 0.899, 'b')).toBeUndefined();
    expect(inferWinner('a', 0.101, 'b')).toBeUndefined();
  });
});

afterAll(() => {
  frames = [];
  events = [];
  rows = [];
});
