/**
 * The Book page's read model (bot/views/book-timeline.ts) on a real EventBus and SimClock: one point per token per
 * second (the last state of that second), spread and mid checked against bid/ask independently, bounded history and
 * token count, tokens of long-ended windows dropped, seeding from the bus history then live, the depth ladder and top
 * of book read from a real OrderBook through a catalog, and every output parsing with the shared schema.
 */
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { OrderBook } from '../../../bot/core/order-book';
import { BookTimeline, type BookSessionView } from '../../../bot/views/book-timeline';
import { mergeBook, nextSinceMs } from '../../../components/book/book-merge';
import { bookLimits, bookQuerySchema, bookSnapshotSchema } from '../../../lib/schemas/book';

const T0 = 1_795_242_123_456; // 06:22:03.456 UTC, inside btc-updown-5m-1795242000 (ends 06:25:00)
const SLUG_5M = 'btc-updown-5m-1795242000';
const START_5M = 1_795_242_000_000;
const END_5M = 1_795_242_300_000;

function world(opts: { stack?: BookSessionView; startMs?: number } = {}) {
  const clock = new SimClock(opts.startMs ?? T0);
  const bus = new EventBus({ clock, historySize: 50_000 });
  const session = opts.stack ? { stack: opts.stack } : undefined;
  const config = { series: [{ asset: 'btc', windowSec: 300, enabled: true }, { asset: 'btc', windowSec: 900, enabled: false }] };
  const make = () => new BookTimeline({ bus, clock, session, config, instanceId: 'book-test' });
  return { clock, bus, make };
}

function top(bus: EventBus, tokenId: string, bestBid?: number, bestAsk?: number, sizes: { bidSize?: number; askSize?: number } = {}) {
  bus.publish({ type: 'book.top', tokenId, epoch: 1, bestBid, bestAsk, ...sizes });
}

function discovered(bus: EventBus, slug: string, startMs: number, endMs: number, up: string, down: string) {
  bus.publish({ type: 'market.discovered', slug, kind: '5m', conditionId: `c-${slug}`, upTokenId: up, downTokenId: down, startMs, endMs, tickSize: 0.01, minOrderSize: 5, version: 'v2' });
}

describe('BookTimeline', () => {
  it('keeps at most one point per second, holding the last state of that second', () => {
    const { clock, bus, make } = world();
    const tl = make();
    discovered(bus, SLUG_5M, START_5M, END_5M, 'UP', 'DOWN');
    top(bus, 'UP', 0.4, 0.45);
    clock.advanceBy(200);
    top(bus, 'UP', 0.41, 0.44);
    clock.advanceBy(300); // 06:22:03.956, still the same second
    top(bus, 'UP', 0.42, 0.47);
    clock.advanceBy(100); // 06:22:04.056, next second
    top(bus, 'UP', 0.5, 0.52);
    clock.advanceBy(2_500); // 06:22:06.556: one second (05) had no event
    top(bus, 'UP', 0.3, 0.31);
    const s = bookSnapshotSchema.parse(tl.snapshot({ series: '5m' }));
    const up = s.sides[0]!;
    expect(up.outcome).toBe('up');
    expect(up.tokenId).toBe('UP');
    const sec = (ms: number) => Math.floor(ms / 1000) * 1000;
    expect(up.points.map((p) => [p.tMs, p.bestBid, p.bestAsk])).toEqual([
      [sec(T0), 0.42, 0.47],
      [sec(T0) + 1000, 0.5, 0.52],
      [sec(T0) + 3000, 0.3, 0.31],
    ]);
    const ts = up.points.map((p) => p.tMs);
    for (let i = 1; i < ts.length; i++) expect(ts[i]! - ts[i - 1]!).toBeGreaterThanOrEqual(bookLimits.sampleMs);
  });

  it('computes spread and mid from bid and ask, null when the book is one-sided', () => {
    const { bus, clock, make } = world();
    const tl = make();
    discovered(bus, SLUG_5M, START_5M, END_5M, 'UP', 'DOWN');
    const quotes: Array<[number | undefined, number | undefined]> = [[0.37, 0.41], [0.123, 0.129], [0.55, undefined], [undefined, 0.02], [0.01, 0.99]];
    for (const [b, a] of quotes) {
      top(bus, 'DOWN', b, a);
      clock.advanceBy(1_000);
    }
    const pts = bookSnapshotSchema.parse(tl.snapshot()).sides[1]!.points;
    expect(pts).toHaveLength(quotes.length);
    quotes.forEach(([b, a], i) => {
      const p = pts[i]!;
      if (b === undefined || a === undefined) {
        expect(p.spread).toBeNull();
        expect(p.mid).toBeNull();
      } else {
        expect(p.spread).toBeCloseTo(a - b, 9);
        expect(p.mid).toBeCloseTo((a + b) / 2, 9);
      }
    });
  });

  it('bounds each token to the last 30 minutes / maxPointsPerToken and the number of tokens', () => {
    const { bus, clock, make } = world();
    const tl = make();
    const steps = 2 * (bookLimits.historyMs / 1000) + 100; // ~one hour at 2 events per second
    for (let i = 0; i < steps; i++) {
      top(bus, 'LONG', 0.4, 0.5);
      clock.advanceBy(500);
    }
    const pts = tl.history('LONG');
    expect(pts.length).toBeLessThanOrEqual(bookLimits.maxPointsPerToken);
    expect(pts.length).toBeGreaterThan(bookLimits.maxPointsPerToken - 5);
    expect(pts[pts.length - 1]!.tMs - pts[0]!.tMs).toBeLessThanOrEqual(bookLimits.historyMs);

    for (let i = 0; i < bookLimits.maxTokens + 10; i++) {
      clock.advanceBy(10);
      top(bus, `T${i}`, 0.2, 0.3);
    }
    const tracked = tl.trackedTokens();
    expect(tracked.length).toBeLessThanOrEqual(bookLimits.maxTokens);
    expect(tracked).toContain(`T${bookLimits.maxTokens + 9}`); // the newest stays
    expect(tracked).not.toContain('LONG'); // the least recently updated went first
  });

  it('drops the tokens of a window that ended more than historyMs ago', () => {
    const { bus, clock, make } = world();
    const tl = make();
    discovered(bus, 'btc-updown-5m-1795241700', START_5M - 300_000, START_5M, 'OLD-UP', 'OLD-DOWN');
    discovered(bus, SLUG_5M, START_5M, END_5M, 'UP', 'DOWN');
    top(bus, 'OLD-UP', 0.9, 0.95);
    top(bus, 'UP', 0.5, 0.52);
    expect(tl.trackedTokens().sort()).toEqual(['OLD-UP', 'UP']);
    clock.advanceTo(START_5M + bookLimits.historyMs + 1_000); // the old window ended >30 min ago, the current one not
    top(bus, 'UP', 0.5, 0.52);
    tl.snapshot();
    expect(tl.trackedTokens()).toEqual(['UP']);
  });

  it('seeds from the bus history and then follows live events without duplicates', () => {
    const { bus, clock, make } = world();
    discovered(bus, SLUG_5M, START_5M, END_5M, 'UP', 'DOWN');
    top(bus, 'UP', 0.3, 0.34, { bidSize: 10, askSize: 20 });
    clock.advanceBy(1_000);
    top(bus, 'DOWN', 0.66, 0.7);
    clock.advanceBy(1_000);
    const tl = make();
    let s = bookSnapshotSchema.parse(tl.snapshot());
    expect(s.sides.map((x) => x.tokenId)).toEqual(['UP', 'DOWN']); // mapping from the discovered event (no session)
    expect(s.sides[0]!.points).toHaveLength(1);
    expect(s.sides[1]!.points).toHaveLength(1);
    expect(s.sides[0]!.top).toMatchObject({ bestBid: 0.3, bestAsk: 0.34, bidSize: 10, askSize: 20, source: 'event' });
    expect(s.tradingUp).toBe(false);
    expect(s.sides[0]!.ready).toBe(false);
    top(bus, 'UP', 0.31, 0.35);
    s = bookSnapshotSchema.parse(tl.snapshot());
    expect(s.sides[0]!.points.map((p) => p.bestBid)).toEqual([0.3, 0.31]);
    expect(s.seq).toBe(bus.stats.lastSeq);
    const before = s.sides[0]!.points[1]!.tMs;
    expect(s.sides[0]!.points.filter((p) => p.tMs >= before)).toEqual(bookSnapshotSchema.parse(tl.snapshot({ sinceMs: before })).sides[0]!.points);
    expect(tl.snapshot({ sinceMs: before }).sides[1]!.points).toEqual([]);

    tl.dispose();
    top(bus, 'UP', 0.2, 0.25);
    clock.advanceBy(1_000);
    top(bus, 'UP', 0.2, 0.25);
    expect(tl.snapshot().sides[0]!.points).toHaveLength(2);
  });

  it('reads the top of book and a bounded depth ladder with cumulative size from the live books', () => {
    const up = new OrderBook('UP');
    const down = new OrderBook('DOWN');
    const bids = Array.from({ length: 20 }, (_, i) => ({ price: Number((0.5 - i * 0.01).toFixed(2)), size: 10 + i }));
    const asks = Array.from({ length: 20 }, (_, i) => ({ price: Number((0.52 + i * 0.01).toFixed(2)), size: 5 * (i + 1) }));
    up.applySnapshot([...bids].reverse(), asks, T0); // any order: the ladder is best-first from the book
    const stack: BookSessionView = {
      marketFeed: { book: (t) => (t === 'UP' ? up : t === 'DOWN' ? down : undefined) },
      catalog: { get: (slug) => (slug === SLUG_5M ? { upTokenId: 'UP', downTokenId: 'DOWN', tickSize: 0.01, state: 'open' } : undefined) },
    };
    const { make } = world({ stack });
    const s = bookSnapshotSchema.parse(make().snapshot({ series: '5m' }));
    expect(s.window).toMatchObject({ slug: SLUG_5M, startMs: START_5M, endMs: END_5M, state: 'open', tickSize: 0.01 });
    expect(s.tradingUp).toBe(true);
    const u = s.sides[0]!;
    expect(u.ready).toBe(true);
    expect(u.top).toMatchObject({ bestBid: 0.5, bestAsk: 0.52, bidSize: 10, askSize: 5, source: 'book' });
    expect(u.top!.spread).toBeCloseTo(0.02, 9);
    expect(u.top!.mid).toBeCloseTo(0.51, 9);
    expect(u.bids).toHaveLength(bookLimits.ladderDepth);
    expect(u.bidLevels).toBe(20);
    expect(u.asks.map((l) => l.price)).toEqual(asks.slice(0, bookLimits.ladderDepth).map((l) => l.price));
    let cum = 0;
    let usd = 0;
    u.bids.forEach((l, i) => {
      expect(l.price).toBeCloseTo(bids[i]!.price, 9);
      cum += bids[i]!.size;
      usd += bids[i]!.size * bids[i]!.price;
      expect(l.cumSize).toBeCloseTo(cum, 6);
      expect(l.cumUsd).toBeCloseTo(usd, 6);
    });
    // Down's book exists but has had no snapshot: not ready, no ladder.
    expect(s.sides[1]).toMatchObject({ outcome: 'down', tokenId: 'DOWN', ready: false, bids: [], asks: [], top: null });
    expect(s.seriesOptions).toEqual([
      { key: 'btc-300', asset: 'btc', kind: '5m', windowSec: 300, enabled: true },
      { key: 'btc-900', asset: 'btc', kind: '15m', windowSec: 900, enabled: false },
    ]);
    expect([s.series, s.asset]).toEqual(['btc-300', 'btc']);
  });

  it('starts the history of the window with the book as it stood at the window start', () => {
    // The window is listed ahead of time and its book quoted before it starts.
    const { bus, clock, make } = world({ startMs: START_5M - 20_000 });
    const tl = make();
    discovered(bus, SLUG_5M, START_5M, END_5M, 'UP', 'DOWN');
    top(bus, 'UP', 0.3, 0.32);
    clock.advanceBy(5_000);
    top(bus, 'UP', 0.35, 0.37); // the state at the start (15 s before it)
    clock.advanceTo(START_5M + 4_200);
    top(bus, 'UP', 0.4, 0.43);
    const pts = bookSnapshotSchema.parse(tl.snapshot()).sides[0]!.points;
    expect(pts.map((p) => [p.tMs, p.bestBid, p.bestAsk])).toEqual([
      [START_5M, 0.35, 0.37],
      [START_5M + 4_000, 0.4, 0.43],
    ]);
    // An incremental read from inside the window gets only the new points.
    expect(tl.snapshot({ sinceMs: START_5M + 1_000 }).sides[0]!.points.map((p) => p.tMs)).toEqual([START_5M + 4_000]);
  });

  it('marks a book invalidation as a gap and forgets the stale top', () => {
    const { bus, clock, make } = world();
    const tl = make();
    discovered(bus, SLUG_5M, START_5M, END_5M, 'UP', 'DOWN');
    top(bus, 'UP', 0.4, 0.42);
    clock.advanceBy(1_000);
    bus.publish({ type: 'book.invalidated', tokenId: 'UP', epoch: 2, reason: 'tick size -> 0.001' });
    const s = bookSnapshotSchema.parse(tl.snapshot());
    expect(s.sides[0]!.points.map((p) => p.mid)).toEqual([0.41, null]);
    expect(s.sides[0]!.top).toBeNull();
  });

  it('names the current window of the 15m series from the clock, and validates the query', () => {
    const { make } = world();
    const s = bookSnapshotSchema.parse(make().snapshot({ series: '15m' }));
    expect(s.window).toMatchObject({ slug: 'btc-updown-15m-1795241700', startMs: 1_795_241_700_000, endMs: 1_795_242_600_000, state: null });
    expect(s.sides.map((x) => x.tokenId)).toEqual([null, null]);
    expect(s.series).toBe('btc-900');
    expect(bookQuerySchema.parse({})).toEqual({});
    expect(bookQuerySchema.parse({ series: '15m', sinceMs: '1795242000000' })).toEqual({ series: '15m', sinceMs: 1_795_242_000_000 });
    expect(bookQuerySchema.parse({ series: 'eth-3600', asset: 'eth', kind: '1h' })).toEqual({ series: 'eth-3600', asset: 'eth', kind: '1h' });
    for (const bad of [{ series: 'btc' }, { series: 'btc-7' }, { series: 'btc-90' }, { series: 'btc-172800' }, { kind: '5x' }, { asset: 'BTC' }]) expect(bookQuerySchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    expect(bookQuerySchema.safeParse({ sinceMs: '-5' }).success).toBe(false);
    expect(bookQuerySchema.safeParse({ sinceMs: 'abc' }).success).toBe(false);
  });

  it('shows any series: by key (configured or not), by asset and length, an hourly one by its own slug scheme', () => {
    const clock = new SimClock(T0);
    const bus = new EventBus({ clock, historySize: 1_000 });
    const config = {
      series: [
        { asset: 'btc', windowSec: 300, enabled: false },
        { asset: 'eth', windowSec: 900, enabled: true },
        { asset: 'btc', windowSec: 3_600, enabled: true },
        { asset: 'eth', windowSec: 300, enabled: true },
      ],
    };
    const tl = new BookTimeline({ bus, clock, config, instanceId: 'book-multi' });
    const shown = (q: Parameters<BookTimeline['snapshot']>[0]) => {
      const s = bookSnapshotSchema.parse(tl.snapshot(q));
      return [s.series, s.asset, s.window.kind, s.window.slug];
    };
    // No query: the first switched-on series (BTC 5m is off).
    expect(shown({})).toEqual(['eth-900', 'eth', '15m', 'eth-updown-15m-1795241700']);
    expect(shown({ series: 'btc-3600' })).toEqual(['btc-3600', 'btc', '1h', 'bitcoin-up-or-down-november-21-1am-et']);
    expect(shown({ asset: 'btc' })).toEqual(['btc-3600', 'btc', '1h', 'bitcoin-up-or-down-november-21-1am-et']); // the switched-on BTC series first
    expect(shown({ kind: '5m' })).toEqual(['eth-300', 'eth', '5m', 'eth-updown-5m-1795242000']);
    expect(shown({ series: '5m', asset: 'btc' })).toEqual(['btc-300', 'btc', '5m', 'btc-updown-5m-1795242000']); // off, but the only match
    expect(shown({ series: 'sol-900' })).toEqual(['sol-900', 'sol', '15m', 'sol-updown-15m-1795241700']); // not configured: from the clock
    expect(shown({ asset: 'xrp', kind: '1h' })).toEqual(['xrp-3600', 'xrp', '1h', 'xrp-up-or-down-november-21-1am-et']);
    expect(tl.snapshot({}).seriesOptions.map((o) => [o.key, o.enabled])).toEqual([['btc-300', false], ['eth-900', true], ['btc-3600', true], ['eth-300', true]]);
    tl.dispose();
  });

  it('incremental reads merged by the page (components/book/book-merge.ts) equal a full read', () => {
    const { bus, clock, make } = world();
    const tl = make();
    discovered(bus, SLUG_5M, START_5M, END_5M, 'UP', 'DOWN');
    let page = tl.snapshot();
    for (let i = 0; i < 40; i++) {
      top(bus, i % 3 === 0 ? 'DOWN' : 'UP', 0.3 + (i % 7) / 100, 0.4 + (i % 5) / 100);
      clock.advanceBy(330); // several events per second: the open second's point changes between reads
      if (i % 4 === 0) page = mergeBook(page, tl.snapshot({ sinceMs: nextSinceMs(page) }))!;
    }
    page = mergeBook(page, tl.snapshot({ sinceMs: nextSinceMs(page) }))!;
    const full = tl.snapshot();
    expect(page.sides.map((x) => x.points)).toEqual(full.sides.map((x) => x.points));
    expect(page.sides[0]!.points.length).toBeGreaterThan(5);
    // Another window (or instance) cannot be merged: the page reads it whole.
    expect(mergeBook({ ...page, window: { ...page.window, slug: 'other' } }, tl.snapshot({ sinceMs: nextSinceMs(page) }))).toBeNull();
  });
});
