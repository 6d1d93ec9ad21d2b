/**
 * Synthetic sessions (bot/replay/synth.ts): 25 simulated minutes from the simulator, written as a recording and read
 * back with openRecording. Checks: frames in receive-time order inside the session range; every raw frame parses
 * with the bot's own protocol parsers (market socket, PolyBolt, spot); the manifest lists every 5m and 15m window of
 * the range with its Gamma facts; every window that ended has one market_resolved whose winner follows the TWAP rule
 * computed here from the recorded PolyBolt TWAP frames (final >= price to beat => Up); the 'external' frames decode
 * as recorded readings; no padded duplicates (spot trade ids and PolyBolt seqs step by one; spot frames = duration /
 * step); the rate options raise the volume; the same seed gives byte-identical frames whatever the segment size.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRecordedReading } from '../../../bot/feeds/external';
import { parseMarketFrame, PolyboltServerFrame, SpotTrade, type MarketWsEvent } from '../../../bot/protocol';
import { openRecording } from '../../../bot/replay/recording-reader';
import type { RecordedFrame, SessionManifest } from '../../../bot/replay/session';
import { generateSynthetic, SYNTH_DEFAULT_START_MS, type SynthProgress } from '../../../bot/replay/synth';

const MINUTES = 25;
const SEED = 'synth-test';
const RESOLUTION_TAIL_MS = 11_000; // the simulator's resolution delay (10 s) + 1 s
let tmp: string;
let manifest: SessionManifest;
let frames: RecordedFrame[];
let invalid: number;
const progress: SynthProgress[] = [];

async function readAll(dir: string): Promise<{ manifest: SessionManifest; frames: RecordedFrame[]; invalid: number }> {
  const src = await openRecording(dir);
  const out: RecordedFrame[] = [];
  for await (const chunk of src.frames({ chunkSize: 5000 })) out.push(...chunk);
  return { manifest: src.manifest, frames: out, invalid: src.invalid.count };
}

function frameHash(list: readonly RecordedFrame[]): string {
  const h = createHash('sha256');
  for (const f of list) h.update(f.source).update('\t').update(String(f.tsRecvMs)).update('\t').update(f.raw).update('\n');
  return h.digest('hex');
}

const marketEvents = (f: RecordedFrame): MarketWsEvent[] => {
  const r = parseMarketFrame(f.raw);
  return r.kind === 'events' ? r.events : [];
};

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'synth-test-'));
  // An unaligned start is rounded up to the next 15-minute boundary.
  await generateSynthetic({ hours: MINUTES / 60, seed: SEED, startMs: SYNTH_DEFAULT_START_MS - 100_000, dir: join(tmp, 'a'), progressEveryMs: 300_000, onProgress: (p) => progress.push(p) });
  ({ manifest, frames, invalid } = await readAll(join(tmp, 'a')));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('generateSynthetic', () => {
  const startMs = SYNTH_DEFAULT_START_MS;
  const rangeEndMs = startMs + MINUTES * 60_000;

  it('writes a closed synthetic session that round-trips through openRecording', () => {
    expect(invalid).toBe(0);
    expect(manifest.format).toBe('synthetic');
    expect(manifest.open).toBe(false);
    expect(manifest.frames).toBe(frames.length);
    expect(manifest.sources).toEqual(['clob-market', 'polybolt', 'spot', 'external']);
    expect(manifest.capabilities).toEqual({ books: true, reference: true, spot: true, resolutions: 'recorded' });
    expect(manifest.notes.join('\n')).toContain(`seed "${SEED}"`);
    expect(manifest.startMs).toBe(startMs);
    expect(manifest.endMs).toBe(rangeEndMs + RESOLUTION_TAIL_MS);
    expect(progress.at(-1)).toMatchObject({ simMs: rangeEndMs + RESOLUTION_TAIL_MS, frames: frames.length });
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.simMs).toBeGreaterThan(progress[i - 1]!.simMs);
  });

  it('frames are in receive-time order inside the session range', () => {
    for (let i = 1; i < frames.length; i++) expect(frames[i]!.tsRecvMs).toBeGreaterThanOrEqual(frames[i - 1]!.tsRecvMs);
    expect(frames[0]!.tsRecvMs).toBe(startMs);
    expect(frames.at(-1)!.tsRecvMs).toBeLessThanOrEqual(rangeEndMs + RESOLUTION_TAIL_MS);
  });

  it("every raw frame parses with the bot's protocol parsers", () => {
    const kinds = new Map<string, number>();
    for (const f of frames) {
      if (f.source === 'clob-market') {
        const r = parseMarketFrame(f.raw);
        expect(r.kind, f.raw.slice(0, 200)).toBe('events');
        if (r.kind !== 'events') continue;
        expect(r.dropped).toEqual([]);
        expect(r.unknownTypes).toEqual([]);
        for (const e of r.events) kinds.set(e.event_type, (kinds.get(e.event_type) ?? 0) + 1);
      } else if (f.source === 'polybolt') {
        expect(PolyboltServerFrame.safeParse(JSON.parse(f.raw)).success, f.raw.slice(0, 200)).toBe(true);
      } else if (f.source === 'external') {
        expect(decodeRecordedReading(f.raw, f.tsRecvMs), f.raw).toMatchObject({ v: 1, tsMs: f.tsRecvMs });
      } else {
        expect(f.source).toBe('spot');
        expect(SpotTrade.safeParse(JSON.parse(f.raw)).success, f.raw).toBe(true);
      }
    }
    for (const k of ['book', 'price_change', 'best_bid_ask', 'last_trade_price', 'new_market', 'market_resolved']) expect(kinds.get(k) ?? 0, k).toBeGreaterThan(0);
  });

  it('starts with the initial dump of the current and next windows of both series', () => {
    const first = frames.find((f) => f.source === 'clob-market')!;
    expect(first.raw.startsWith('[')).toBe(true);
    const books = marketEvents(first);
    const want = manifest.markets.filter((m) => m.startMs <= startMs + (m.kind === '5m' ? 300_000 : 900_000)).flatMap((m) => [m.upTokenId, m.downTokenId]);
    expect(want).toHaveLength(8);
    expect(books.map((e) => (e.event_type === 'book' ? e.asset_id : e.event_type)).sort()).toEqual([...want].sort());
  });

  it('lists every 5m and 15m window of the range (plus the next ones) with their Gamma facts', () => {
    for (const [kind, durMs] of [['5m', 300_000], ['15m', 900_000]] as const) {
      const starts = manifest.markets.filter((m) => m.kind === kind).map((m) => m.startMs);
      const expected: number[] = [];
      for (let s = startMs; s <= rangeEndMs + durMs; s += durMs) expected.push(s);
      expect(starts, kind).toEqual(expected);
    }
    const tokens = new Set<string>();
    for (const m of manifest.markets) {
      expect(m.slug).toBe(`btc-updown-${m.kind}-${m.startMs / 1000}`);
      expect(m.endMs - m.startMs).toBe(m.kind === '5m' ? 300_000 : 900_000);
      expect(m.conditionId).toMatch(/^0x[0-9a-f]{64}$/);
      expect(m).toMatchObject({ tickSize: 0.01, minOrderSize: 5, negRisk: false, version: 'v1', fees: { rate: 0.07, exponent: 1, takerOnly: true }, outcomeMapping: 'venue' });
      expect(m.eventId).not.toBe('');
      tokens.add(m.upTokenId).add(m.downTokenId);
      // Windows that opened inside the range carry Gamma's price to beat; those that never opened do not.
      expect(m.priceToBeat !== undefined, m.slug).toBe(m.startMs <= rangeEndMs);
    }
    expect(tokens.size).toBe(2 * manifest.markets.length);
  });

  it('resolves every window that ended, with the winner the TWAP rule gives from the recorded TWAP frames', () => {
    const twapAt = new Map<number, number>();
    for (const f of frames) {
      if (f.source !== 'polybolt' || !f.raw.includes('price.crypto.twap')) continue;
      const r = PolyboltServerFrame.parse(JSON.parse(f.raw));
      if (!('payload' in r) || r.payload === null) continue;
      const points = 'data' in r.payload ? r.payload.data : [r.payload];
      for (const p of points) twapAt.set(p.timestamp, Number(p.full_accuracy_value ?? p.value));
    }
    const resolved = new Map<string, { winner: string; outcome: string; atMs: number; n: number }>();
    const lastFrameMs = new Map<string, number>();
    for (const f of frames) {
      if (f.source !== 'clob-market') continue;
      for (const e of marketEvents(f)) {
        if ('market' in e && typeof e.market === 'string') lastFrameMs.set(e.market, f.tsRecvMs);
        if (e.event_type !== 'market_resolved') continue;
        const prev = resolved.get(e.market);
        resolved.set(e.market, { winner: e.winning_asset_id ?? '', outcome: e.winning_outcome ?? '', atMs: f.tsRecvMs, n: (prev?.n ?? 0) + 1 });
      }
    }
    const ended = manifest.markets.filter((m) => m.endMs <= rangeEndMs);
    expect(ended.map((m) => m.kind).sort()).toEqual(['15m', '5m', '5m', '5m', '5m', '5m']);
    const outcomes = new Set<string>();
    for (const m of ended) {
      const r = resolved.get(m.conditionId);
      expect(r, m.slug).toBeDefined();
      expect(r!.n).toBe(1);
      const start = twapAt.get(m.startMs);
      const final = twapAt.get(m.endMs);
      expect(start, `twap at ${m.slug} start`).toBeDefined();
      expect(final, `twap at ${m.slug} end`).toBeDefined();
      expect(m.priceToBeat).toBe(start);
      const up = final! >= start!;
      expect(r!.outcome, m.slug).toBe(up ? 'Up' : 'Down');
      expect(r!.winner).toBe(up ? m.upTokenId : m.downTokenId);
      expect(r!.atMs).toBe(m.endMs + 10_000);
      // Unsubscribed after its resolution: nothing more about this market.
      expect(lastFrameMs.get(m.conditionId)).toBe(r!.atMs);
      outcomes.add(r!.outcome);
    }
    for (const m of manifest.markets.filter((x) => x.endMs > rangeEndMs)) expect(resolved.has(m.conditionId), m.slug).toBe(false);
    expect(outcomes.size).toBeGreaterThan(0);
  });

  it('holds no padded duplicates: spot trade ids and PolyBolt seqs step by one, one spot trade per 250 ms step', () => {
    const spot = frames.filter((f) => f.source === 'spot').map((f) => JSON.parse(f.raw) as { t: number; T: number });
    expect(spot).toHaveLength((manifest.endMs - startMs) / 250);
    for (let i = 1; i < spot.length; i++) {
      expect(spot[i]!.t).toBe(spot[i - 1]!.t + 1);
      expect(spot[i]!.T).toBe(spot[i - 1]!.T + 250);
    }
    const seqs = new Map<string, number[]>();
    for (const f of frames.filter((x) => x.source === 'polybolt' && x.raw.startsWith('{"v":1'))) {
      const d = JSON.parse(f.raw) as { channel: string; seq: number };
      seqs.set(d.channel, [...(seqs.get(d.channel) ?? []), d.seq]);
    }
    expect([...seqs.keys()].sort()).toEqual(['price.crypto', 'price.crypto.twap']);
    for (const list of seqs.values()) {
      expect(list).toHaveLength(1 + (manifest.endMs - startMs) / 1000); // the snapshot, then one report a second
      list.forEach((s, i) => expect(s).toBe(i + 1));
    }
  });

  it('is deterministic: the same seed gives byte-identical frames, whatever the segment size', async () => {
    const dir = join(tmp, 'b');
    const m2 = await generateSynthetic({ hours: MINUTES / 60, seed: SEED, startMs, dir, rotateBytes: 512 * 1024 });
    expect(m2.segments.length).toBeGreaterThan(manifest.segments.length);
    const again = await readAll(dir);
    expect(again.frames.length).toBe(frames.length);
    expect(frameHash(again.frames)).toBe(frameHash(frames));
    expect(again.manifest.markets).toEqual(manifest.markets);
  });

  it('raises the volume through the simulator tick rates, and refuses bad options or an existing session', async () => {
    const dir = join(tmp, 'c');
    const m = await generateSynthetic({ hours: 5 / 60, seed: SEED, startMs, dir, spotTicksPerSec: 50, referenceTicksPerSec: 2 });
    const read = await readAll(dir);
    const seconds = (m.endMs - startMs) / 1000;
    expect(read.frames.filter((f) => f.source === 'spot')).toHaveLength(seconds * 50);
    expect(read.frames.filter((f) => f.source === 'polybolt' && f.raw.startsWith('{"v":1,"channel":"price.crypto",') && !f.raw.includes('"snapshot"'))).toHaveLength(seconds * 2);
    await expect(generateSynthetic({ hours: 0.1, seed: SEED, dir })).rejects.toThrow(/already holds a session/);
    await expect(generateSynthetic({ hours: 0.1, seed: SEED, dir: join(tmp, 'd'), referenceTicksPerSec: 20 })).rejects.toThrow(RangeError);
    await expect(generateSynthetic({ hours: 0.1, seed: SEED, dir: join(tmp, 'd'), spotTicksPerSec: 3 })).rejects.toThrow(RangeError);
    await expect(generateSynthetic({ hours: 0, seed: SEED, dir: join(tmp, 'd') })).rejects.toThrow(RangeError);
  });
});
