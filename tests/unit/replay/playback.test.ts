/**
 * ReplayPlayback (bot/replay/playback.ts) and its timeline (playback-timeline.ts) on a small in-memory session:
 * one BTC 5m market whose two books change every 700 ms (prices from a fixed formula), a PolyBolt live price every
 * 1.3 s and the market's resolution. The expected figures are computed here from the frames themselves, never
 * copied from the output:
 * - a keyframe per simulated second; `at(t)` gives each token's top of book (best bid = highest bid, best ask =
 *   lowest ask of the last book frame of that token at or before the whole second at or before t) and the latest
 *   reference price, found by a binary search whatever t is;
 * - seeking is instant and clamps to what is computed (and says so); the cursor moves on the injected SimClock by
 *   speed × elapsed (speed 10: 1 s of clock = 10 s of session), holds while paused, stops at the end;
 * - memory is bounded: a keyframe cap halves the keyframes and doubles their spacing (values still exact at each
 *   keyframe's time), the decision and ledger rings keep the newest entries.
 */
import { describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { ReplayPlayback, type PlaybackSnapshot } from '../../../bot/replay-playback';
import { TimedRing } from '../../../bot/replay/playback-timeline';
import { manifestSchema, memorySource, type RecordedFrame, type SessionSource } from '../../../bot/replay/session';
import { defaultRuntimeConfig } from '../../../lib/schemas/config';

const START_SEC = 1776327600;
const W0 = START_SEC * 1000;
const W1 = W0 + 300_000;
const UP = '1001';
const DOWN = '1002';
const COND = `0x${'ab'.repeat(32)}`;
const FIRST_MS = W0 + 1_250;
const LAST_BOOK_MS = W1 - 2_000;
const RESOLVE_MS = W1 + 5_000;

interface BookFrame {
  tsMs: number;
  token: string;
  bids: { price: number; size: number }[];
  asks: { price: number; size: number }[];
}

/** Up's mid drifts with i; Down mirrors it; two levels a side, listed best last for bids (as the venue does). */
function books(): BookFrame[] {
  const out: BookFrame[] = [];
  for (let i = 0, t = FIRST_MS; t <= LAST_BOOK_MS; i++, t += 700) {
    const upMid = Math.round((50 + 30 * Math.sin(i / 40)) * 1) / 100; // 0.20 .. 0.80, whole cents
    for (const [token, mid] of [[UP, upMid], [DOWN, Math.round((1 - upMid) * 100) / 100]] as const) {
      const bid = Math.round((mid - 0.01) * 100) / 100;
      const ask = Math.round((mid + 0.01) * 100) / 100;
      out.push({
        tsMs: token === UP ? t : t + 3,
        token,
        bids: [{ price: Math.round((bid - 0.01) * 100) / 100, size: 200 + i }, { price: bid, size: 100 + (i % 17) }],
        asks: [{ price: Math.round((ask + 0.01) * 100) / 100, size: 250 + i }, { price: ask, size: 120 + (i % 13) }],
      });
    }
  }
  return out;
}

function refPrices(): { tsMs: number; usd: number }[] {
  const out: { tsMs: number; usd: number }[] = [];
  for (let i = 0, t = W0 + 400; t <= W1; i++, t += 1_300) out.push({ tsMs: t, usd: 84_000 + ((i * 37) % 101) });
  return out;
}

function session(): SessionSource {
  const frames: RecordedFrame[] = [];
  for (const b of books()) {
    const lv = (l: { price: number; size: number }[]) => l.map((x) => ({ price: String(x.price), size: String(x.size) }));
    frames.push({ source: 'clob-market', tsRecvMs: b.tsMs, raw: JSON.stringify({ event_type: 'book', asset_id: b.token, market: COND, bids: lv(b.bids), asks: lv(b.asks), timestamp: String(b.tsMs), hash: `h${b.tsMs}` }) });
  }
  refPrices().forEach((p, i) => {
    frames.push({ source: 'polybolt', tsRecvMs: p.tsMs, raw: JSON.stringify({ v: 1, channel: 'price.crypto', seq: i, ts: p.tsMs, payload: { symbol: 'btcusd', value: p.usd, timestamp: p.tsMs } }) });
  });
  frames.push({
    source: 'clob-market', tsRecvMs: RESOLVE_MS,
    raw: JSON.stringify({ event_type: 'market_resolved', id: 'm1', market: COND, assets_ids: [UP, DOWN], winning_asset_id: UP, winning_outcome: 'Up', timestamp: String(RESOLVE_MS) }),
  });
  const manifest = manifestSchema.parse({
    version: 1, id: 'playback-test', format: 'synthetic', createdAtMs: RESOLVE_MS, startMs: W0 + 400, endMs: RESOLVE_MS, frames: frames.length, bytes: 0,
    sources: ['clob-market', 'polybolt'], segments: [],
    markets: [{ slug: `btc-updown-5m-${START_SEC}`, kind: '5m', startMs: W0, endMs: W1, conditionId: COND, upTokenId: UP, downTokenId: DOWN }],
    capabilities: { books: true, reference: true, spot: false, resolutions: 'recorded' },
  });
  return memorySource(manifest, frames);
}

/** The top of book of `token` as of time `asOfMs`, from the frames (null side = no book yet). */
function expectedTop(token: string, asOfMs: number) {
  const last = books().filter((b) => b.token === token && b.tsMs <= asOfMs).at(-1);
  if (!last) return undefined;
  const bid = last.bids.reduce((a, b) => (b.price > a.price ? b : a));
  const ask = last.asks.reduce((a, b) => (b.price < a.price ? b : a));
  return { bestBid: bid.price, bidSize: bid.size, bestAsk: ask.price, askSize: ask.size };
}

const expectedRef = (asOfMs: number) => refPrices().filter((p) => p.tsMs <= asOfMs).at(-1)?.usd;

function topOf(s: PlaybackSnapshot, token: string) {
  const b = s.books.find((x) => x.tokenId === token);
  return b && { bestBid: b.bestBid, bidSize: b.bidSize, bestAsk: b.bestAsk, askSize: b.askSize };
}

async function computed(opts: Partial<ConstructorParameters<typeof ReplayPlayback>[0]> = {}): Promise<{ p: ReplayPlayback; clock: SimClock }> {
  const clock = new SimClock(1_000_000);
  const p = new ReplayPlayback({ source: session(), config: defaultRuntimeConfig(), clock, ...opts }).start();
  await p.done;
  expect(p.state().status).toBe('ready');
  return { p, clock };
}

describe('ReplayPlayback timeline', () => {
  it('takes a keyframe per simulated second and answers at(t) with the books and reference of that second', async () => {
    const { p } = await computed();
    const st = p.state();
    expect(st.keyframeEveryMs).toBe(1_000);
    // Events arrive at least every 700 ms from the first frame to the last book, so every whole second in between
    // has its own keyframe (plus the few of the tail and the final one).
    const seconds = Math.floor(LAST_BOOK_MS / 1000) - Math.ceil((W0 + 400) / 1000) + 1;
    expect(st.keyframes).toBeGreaterThanOrEqual(seconds);
    expect(st.keyframes).toBeLessThan(seconds + 200);
    // Every whole second of the session, and the last ms of each: the state as of that second.
    const times: number[] = [];
    for (let sec = Math.ceil(FIRST_MS / 1000) * 1000; sec <= LAST_BOOK_MS; sec += 1000) times.push(sec, sec + 999);
    for (const t of times) {
      const s = p.at(t);
      const sec = Math.floor(t / 1000) * 1000;
      expect(s.keyframeMs).toBe(sec);
      expect(s.final).toBe(true);
      expect(topOf(s, UP)).toEqual(expectedTop(UP, sec));
      expect(topOf(s, DOWN)).toEqual(expectedTop(DOWN, sec));
      expect(s.books.find((b) => b.tokenId === UP)).toMatchObject({ slug: `btc-updown-5m-${START_SEC}`, outcome: 'up' });
      expect(s.reference.btcusd?.live).toBe(expectedRef(sec));
    }
    // A frame inside the second after t is not in at(t): the answer is the state as of the whole second.
    const between = books().find((b) => b.tsMs % 1000 > 500 && b.tsMs > W0 + 100_000)!;
    const s = p.at(between.tsMs);
    expect(topOf(s, between.token)).toEqual(expectedTop(between.token, Math.floor(between.tsMs / 1000) * 1000));
    expect(topOf(s, between.token)).not.toEqual(expectedTop(between.token, between.tsMs));
  });

  it('drops the books of a resolved market, and before the first event there is nothing', async () => {
    const { p } = await computed();
    expect(p.at(RESOLVE_MS - 1_000).books.map((b) => b.tokenId).sort()).toEqual([UP, DOWN]);
    expect(p.at(RESOLVE_MS + 1_000).books).toEqual([]);
    expect(p.at(W0 - 60_000)).toMatchObject({ keyframeMs: null, books: [], pnlUsd: 0, ledger: [], decisions: [] });
  });

  it('the ledger and decisions up to t are the ones seen by then, and the end matches the replay result', async () => {
    const { p } = await computed();
    const st = p.state();
    const end = p.at(st.endMs, 1_000_000);
    expect(end.ledgerUpTo).toBe(st.result?.ledgerEntries);
    expect(end.pnlUsd).toBeCloseTo(Number(st.result?.pnlUsd), 6);
    expect(end.decisionsUpTo).toBeGreaterThan(0);
    const mid = p.at(W0 + 150_000, 1_000_000);
    expect(mid.decisions.every((d) => d.tsMs <= W0 + 150_000)).toBe(true);
    expect(mid.decisionsUpTo).toBeLessThan(end.decisionsUpTo);
    expect(p.at(W0 + 150_000, 3).decisions).toEqual(mid.decisions.slice(-3));
    // Realised PnL steps at the settlement (the resolution frame), and positions are open until then.
    const kinds = end.ledger.map((e) => e.kind);
    expect(kinds).toContain('fill');
    expect(kinds).toContain('settle');
    const settleMs = end.ledger.find((e) => e.kind === 'settle')!.tsMs;
    expect(p.at(settleMs - 1_000)).toMatchObject({ pnlUsd: 0 });
    expect(p.at(settleMs - 1_000).openPositions).toBeGreaterThan(0);
    expect(p.at(settleMs + 1_000).pnlUsd).toBeCloseTo(Number(st.result?.pnlUsd), 6);
    expect(p.at(settleMs + 1_000).openPositions).toBe(0);
    const firstFill = end.ledger.find((e) => e.kind === 'fill')!;
    expect(p.at(firstFill.tsMs - 1, 1_000_000).ledger.every((e) => e.tsMs < firstFill.tsMs)).toBe(true);
  });
});

describe('ReplayPlayback cursor', () => {
  it('seeks instantly, clamps beyond what is computed and says so', async () => {
    const clock = new SimClock(1_000_000);
    const p = new ReplayPlayback({ source: session(), config: defaultRuntimeConfig(), clock }).start();
    // Nothing is computed yet (the replay runs in the background): the cursor cannot go anywhere.
    const early = p.seek(W0 + 60_000);
    expect(early.clamped).toBe(true);
    expect(early.cursorMs).toBeLessThanOrEqual(Math.max(p.state().startMs, p.state().computedToMs));
    await p.done;
    const r = p.seek(W0 + 123_456);
    expect(r).toEqual({ requestedMs: W0 + 123_456, cursorMs: W0 + 123_456, clamped: false });
    expect(p.state().cursorMs).toBe(W0 + 123_456);
    expect(p.seek(p.state().endMs + 10_000)).toMatchObject({ cursorMs: p.state().endMs, clamped: true });
    expect(p.seek(0)).toMatchObject({ cursorMs: p.state().startMs, clamped: true });
    expect(() => p.seek(Number.NaN)).toThrow(/finite/);
  });

  it('moves by speed x elapsed on the clock, holds while paused, stops at the end', async () => {
    const changes: string[] = [];
    const { p, clock } = await computed({ onChange: (s) => changes.push(`${s.playing ? 'play' : 'pause'}@${s.speed}`) });
    p.seek(W0 + 10_000);
    p.setSpeed(10);
    p.play();
    clock.advanceBy(1_000);
    expect(p.state().cursorMs).toBe(W0 + 20_000);
    p.pause();
    clock.advanceBy(5_000);
    expect(p.state()).toMatchObject({ cursorMs: W0 + 20_000, playing: false });
    p.play();
    clock.advanceBy(250);
    p.setSpeed(1); // the 50 ms since the last tick still count at speed 10
    expect(p.state().cursorMs).toBe(W0 + 22_500);
    clock.advanceBy(2_000);
    expect(p.state().cursorMs).toBe(W0 + 24_500);
    p.setSpeed(1_000);
    clock.advanceBy(600_000);
    expect(p.state()).toMatchObject({ cursorMs: p.state().endMs, playing: false });
    expect(changes).toContain('play@10');
    expect(changes.at(-1)).toBe('pause@1000');
    expect(() => p.setSpeed(0)).toThrow(/speed/);
  });

  it('while computing, playing never moves the cursor past what is computed', async () => {
    const clock = new SimClock(1_000_000);
    const p = new ReplayPlayback({ source: session(), config: defaultRuntimeConfig(), clock, speed: 1_000 }).start();
    p.play();
    clock.advanceBy(10_000); // 10,000 s of session at speed 1,000, far beyond anything computed yet
    const s = p.state();
    expect(s.status).toBe('computing');
    expect(s.cursorMs).toBeLessThanOrEqual(Math.max(s.startMs, s.computedToMs));
    p.stop();
    await p.done;
    expect(p.state().status).toBe('stopped');
  });
});

describe('bounded memory', () => {
  it('a keyframe cap halves the keyframes and doubles their spacing; values stay exact at each keyframe', async () => {
    const { p } = await computed({ maxKeyframes: 40 });
    const st = p.state();
    expect(st.keyframes).toBeLessThanOrEqual(40);
    expect(st.keyframeEveryMs).toBeGreaterThanOrEqual(8_000); // 300+ s of session in at most 40 keyframes
    for (const t of [W0 + 45_000, W0 + 170_000, W0 + 280_000]) {
      const s = p.at(t);
      expect(s.keyframeMs).not.toBeNull();
      expect(t - s.keyframeMs!).toBeLessThan(2 * st.keyframeEveryMs);
      expect(topOf(s, UP)).toEqual(expectedTop(UP, s.keyframeMs!));
    }
  });

  it('the decision ring keeps the newest entries and counts the dropped ones', async () => {
    const { p } = await computed({ maxDecisions: 5 });
    const end = p.at(p.state().endMs, 100);
    expect(end.decisions.length).toBe(5);
    expect(end.dropped.decisions).toBeGreaterThan(0);
    const all = await computed();
    expect(end.decisions).toEqual(all.p.at(all.p.state().endMs, 5).decisions);
  });

  it('TimedRing: newest kept, binary search by time', () => {
    const r = new TimedRing<number>(4);
    for (let i = 0; i < 10; i++) r.push(i * 10, i);
    expect(r.size).toBe(4);
    expect(r.dropped).toBe(6);
    expect(r.upTo(1_000, 10)).toEqual([6, 7, 8, 9]);
    expect(r.upTo(75, 10)).toEqual([6, 7]);
    expect(r.upTo(75, 1)).toEqual([7]);
    expect(r.countUpTo(59)).toBe(0);
  });
});
