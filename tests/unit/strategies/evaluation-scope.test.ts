/**
 * Which windows a strategy evaluates on an event: a book or trade event changes only its own window, so only that
 * window is evaluated; a tick or a reference update evaluates every tradable window of the series (the context's open
 * windows where it lists them). Also the series filter: no copy when every window is of the series.
 */
import { describe, expect, it } from 'vitest';
import { marketsToEvaluate, seriesMarkets } from '../../../bot/strategies/common/market';
import { hammerConfigSchema } from '../../../bot/strategies/hammer/config';
import { HammerStrategy } from '../../../bot/strategies/hammer/strategy';
import type { DecisionIntent } from '../../../bot/strategies/intents';
import { T0, World, makeMarket } from './world';

const slugsOf = (out: readonly unknown[]) =>
  out.filter((i): i is DecisionIntent => (i as DecisionIntent).kind === 'decision').map((d) => d.record.windowSlug).sort();

describe('evaluation scope', () => {
  it('a book or trade event selects only its own window; tick and reference select the whole series', () => {
    const w = new World();
    const a = w.add(makeMarket({ windowSec: 900, startMs: T0 }));
    const b = w.add(makeMarket({ windowSec: 300, startMs: T0 + 600_000 }));
    w.add(makeMarket({ windowSec: 900, startMs: T0, asset: 'eth' }));
    const ctx = w.ctx();
    const secs = [300, 900];
    expect(marketsToEvaluate({ kind: 'book', slug: b.slug, tokenId: b.upTokenId }, ctx, 'btc', secs).map((m) => m.slug)).toEqual([b.slug]);
    expect(marketsToEvaluate({ kind: 'trade', slug: a.slug, tokenId: a.upTokenId, price: 0.5, size: 1, side: 'BUY' }, ctx, 'btc', secs).map((m) => m.slug)).toEqual([a.slug]);
    expect(marketsToEvaluate({ kind: 'book', slug: 'eth-updown-15m-1', tokenId: 'x' }, ctx, 'btc', secs)).toEqual([]);
    expect(marketsToEvaluate({ kind: 'tick' }, ctx, 'btc', secs).map((m) => m.slug)).toEqual([a.slug, b.slug]);
    expect(marketsToEvaluate({ kind: 'reference', price: 1, tsMs: T0 }, ctx, 'btc', [900]).map((m) => m.slug)).toEqual([a.slug]);
  });

  it('a tick or a reference update takes the context\'s open windows where it has them, a book event its own window', () => {
    const w = new World();
    const a = w.add(makeMarket({ windowSec: 900, startMs: T0 }));
    const b = w.add(makeMarket({ windowSec: 300, startMs: T0 + 600_000 }));
    const c = w.add(makeMarket({ windowSec: 900, startMs: T0 + 900_000 }));
    const eth = w.add(makeMarket({ windowSec: 900, startMs: T0, asset: 'eth' }));
    const ctx = { ...w.ctx(), openMarkets: [a, c, eth] };
    const secs = [300, 900];
    expect(marketsToEvaluate({ kind: 'tick' }, ctx, 'btc', secs).map((m) => m.slug)).toEqual([a.slug, c.slug]);
    expect(marketsToEvaluate({ kind: 'reference', price: 1, tsMs: T0 }, ctx, 'btc', [300])).toEqual([]);
    expect(marketsToEvaluate({ kind: 'book', slug: b.slug, tokenId: b.upTokenId }, ctx, 'btc', secs).map((m) => m.slug)).toEqual([b.slug]);
  });

  it('the series list is the context\'s own list when every window is of the series, a filtered copy otherwise, and follows changes made in place', () => {
    const w = new World();
    w.add(makeMarket({ windowSec: 900, startMs: T0 }));
    const secs = [900];
    const ctx = w.ctx();
    const first = seriesMarkets(ctx, 'btc', secs);
    expect(first).toBe(w.markets);
    expect(seriesMarkets(ctx, 'eth', secs)).toEqual([]);
    const added = w.add(makeMarket({ windowSec: 900, startMs: T0 + 900_000 }));
    const eth = w.add(makeMarket({ windowSec: 900, startMs: T0, asset: 'eth' }));
    const mixed = seriesMarkets(w.ctx(), 'btc', secs);
    expect(mixed).not.toBe(w.markets);
    expect(mixed.map((m) => m.slug)).toEqual([first[0]!.slug, added.slug]);
    expect(seriesMarkets(w.ctx(), 'eth', secs).map((m) => m.slug)).toEqual([eth.slug]);
    w.markets.splice(0, 1);
    expect(seriesMarkets(w.ctx(), 'btc', secs).map((m) => m.slug)).toEqual([added.slug]);
  });

  it('the hammer evaluates only the booked window on a book event and both windows on a tick', () => {
    const w = new World();
    const a = w.add(makeMarket({ windowSec: 900, startMs: T0 }));
    const b = w.add(makeMarket({ windowSec: 300, startMs: T0 + 600_000 }));
    expect(a.endMs).toBe(b.endMs);
    const s = new HammerStrategy(hammerConfigSchema.parse({ windowSecs: [300, 900], minEvalIntervalMs: 0 }));
    for (let t = a.endMs - 200_000; t <= a.endMs; t += 1000) w.history.push({ tsMs: t, price: 100_000 + (t % 3000 === 0 ? 20 : -20) });
    w.at(a.endMs - 10_000);
    w.setUp(a, 0.6, 0.62);
    w.setUp(b, 0.6, 0.62);
    expect(slugsOf(w.book(s, b))).toEqual([b.slug]);
    w.at(a.endMs - 9_000);
    expect(slugsOf(w.book(s, a))).toEqual([a.slug]);
    w.at(a.endMs - 8_000);
    expect(slugsOf(w.tick(s))).toEqual([a.slug, b.slug].sort());
  });
});
