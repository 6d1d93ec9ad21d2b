import { describe, expect, it } from 'vitest';
import { trendWindowConfigSchema, type TrendWindowConfig } from '../../../bot/strategies/trend-window/config';
import { TrendWindowStrategy, trendBand, trendDirection } from '../../../bot/strategies/trend-window/strategy';
import { bookImbalance, divergence, spike, tickVelocity } from '../../../bot/strategies/trend-window/signals';
import { fuseVotes, vetoes, type SignalVote } from '../../../bot/strategies/trend-window/fusion';
import { World, makeBook, makeMarket, places } from './world';

function setup(cfg: Partial<TrendWindowConfig> = {}, windowSec = 900) {
  const w = new World();
  const m = w.add(makeMarket({ windowSec }));
  const s = new TrendWindowStrategy(trendWindowConfigSchema.parse(cfg));
  return { w, m, s };
}

describe('trend-window rules', () => {
  it('thresholds are strict at the 0.40 / 0.60 edges', () => {
    expect(trendDirection(0.6, 0.6, 0.4)).toBe(0);
    expect(trendDirection(0.6 + 1e-12, 0.6, 0.4)).toBe(0); // FP noise at the edge is not 'above'
    expect(trendDirection(0.605, 0.6, 0.4)).toBe(1);
    expect(trendDirection(0.4, 0.6, 0.4)).toBe(0);
    expect(trendDirection(0.395, 0.6, 0.4)).toBe(-1);
    expect(trendDirection(0.5, 0.6, 0.4)).toBe(0);
  });
  it('band 780–840 s for 15m scales to 260–280 s for 5m', () => {
    const c = trendWindowConfigSchema.parse({});
    expect(trendBand(c, 900)).toEqual([780, 840]);
    expect(trendBand(c, 300)).toEqual([260, 280]);
  });
  it('signal processors', () => {
    const up = makeBook('u', [[0.6, 300]], [[0.62, 100]]);
    const down = makeBook('d', [[0.38, 100]], [[0.4, 300]]);
    expect(bookImbalance(up, down, 5)).toBeCloseTo(0.5, 12);
    expect(tickVelocity([{ tsMs: 0, price: 0.5 }, { tsMs: 30_000, price: 0.55 }], 30_000, 30, 0.1)).toBeCloseTo(0.5, 12);
    expect(tickVelocity([{ tsMs: 0, price: 0.5 }, { tsMs: 30_000, price: 0.9 }], 30_000, 30, 0.1)).toBe(1);
    expect(divergence(0.8, 0.6, 0.2)).toBeCloseTo(1, 12);
    expect(divergence(undefined, 0.6, 0.2)).toBeUndefined();
    const hist = [];
    for (let i = 0; i < 30; i++) hist.push({ tsMs: i * 1000, price: 100 * (1 + (i % 2 ? 1e-5 : 0)) });
    expect(spike(hist, 29_000, 10, 1e-4, 3)).toBe(0);
    hist.push({ tsMs: 30_000, price: 99.9 }); // −10 bp in 1 s: z ≈ 10
    expect(spike(hist, 30_000, 10, 1e-4, 3)).toBe(-1);
  });
  it('weighted fusion and veto', () => {
    const v = (id: string, direction: -1 | 0 | 1, weight: number, available = true): SignalVote => ({ id, direction, strength: 1, confidence: 1, weight, available });
    const f = fuseVotes([v('a', 1, 0.3), v('b', -1, 0.1), v('c', 1, 0.5, false)]);
    expect(f.fused).toBeCloseTo(0.5, 12);
    expect(f.totalWeight).toBeCloseTo(0.4, 12);
    expect(vetoes(-0.25, 1, 0.25)).toBe(true);
    expect(vetoes(-0.24, 1, 0.25)).toBe(false);
    expect(vetoes(0.3, -1, 0.25)).toBe(true);
  });
});

describe('trend-window strategy', () => {
  it('buys Up above 0.60, Down below 0.40, skips at the edges, only inside the band', () => {
    const cases: [number, number, string | undefined][] = [
      [0.59, 0.61, undefined], // mid 0.60 → skip
      [0.6, 0.62, 'up'], // mid 0.61
      [0.39, 0.41, undefined], // mid 0.40 → skip
      [0.38, 0.4, 'down'], // mid 0.39
    ];
    for (const [bid, ask, expected] of cases) {
      const { w, m, s } = setup({ enableVeto: false });
      w.atSec(779);
      w.setUp(m, bid, ask);
      expect(places(w.book(s, m))).toHaveLength(0);
      w.atSec(800);
      const p = places(w.book(s, m))[0];
      if (!expected) expect(p).toBeUndefined();
      else expect(p).toMatchObject({ side: 'BUY', orderType: 'FOK', tokenId: expected === 'up' ? m.upTokenId : m.downTokenId });
    }
    const late = setup({ enableVeto: false });
    late.w.atSec(840);
    late.w.setUp(late.m, 0.7, 0.72);
    expect(places(late.w.book(late.s, late.m))).toHaveLength(0);
  });

  it('fixed TREND_USD; bumped to the market minimum by default, or skipped', () => {
    const a = setup({ enableVeto: false, usdPerTrade: 5 });
    a.w.atSec(800);
    a.w.setUp(a.m, 0.7, 0.72);
    expect(places(a.w.book(a.s, a.m))[0]!.usd).toBe(5);
    const b = setup({ enableVeto: false });
    b.w.atSec(800);
    b.w.setUp(b.m, 0.7, 0.72);
    expect(places(b.w.book(b.s, b.m))[0]!.usd).toBe(3.6); // 5 shares × 0.72
    const c = setup({ enableVeto: false, belowMinSize: 'skip' });
    c.w.atSec(800);
    c.w.setUp(c.m, 0.7, 0.72);
    expect(places(c.w.book(c.s, c.m))).toHaveLength(0);
  });

  it('uses the 5m band on a 5m window', () => {
    const { w, m, s } = setup({ enableVeto: false }, 300);
    w.atSec(255);
    w.setUp(m, 0.7, 0.72);
    expect(places(w.book(s, m))).toHaveLength(0);
    w.atSec(265);
    expect(places(w.book(s, m))).toHaveLength(1);
  });

  it('the vote vetoes a trade against strong opposing book imbalance; external signals count when present and fresh', () => {
    const { w, m, s } = setup({ enableVeto: true, vetoThreshold: 0.2 });
    w.atSec(800);
    w.setBook(m, 'up', [[0.7, 10]], [[0.72, 1000]]);
    w.setBook(m, 'down', [[0.28, 1000]], [[0.3, 10]]);
    expect(places(w.book(s, m))).toHaveLength(0);
    const fin = w.send(s, { kind: 'window.closed', slug: m.slug });
    expect(fin.find((i) => i.kind === 'decision')).toMatchObject({ record: { action: 'skipped', reason: expect.stringContaining('veto') } });

    const e = setup({ enableVeto: true, weights: { bookImbalance: 0.1, tickVelocity: 0, divergence: 0, spike: 0, putCallRatio: 0, fearGreed: 0.9 } });
    e.w.atSec(800);
    e.w.setUp(e.m, 0.7, 0.72);
    e.w.external.set('fearGreed', { value: -1, tsMs: e.w.nowMs });
    expect(places(e.w.book(e.s, e.m))).toHaveLength(0); // vetoed by the external signal: fused = 0.9 × −1 / 1.0
    e.w.external.set('fearGreed', { value: -1, tsMs: e.w.nowMs - 10 * 60_000 }); // stale (> externalMaxAgeSec) → off
    expect(places(e.w.book(e.s, e.m))).toHaveLength(1);
  });

  it('one trade per window', () => {
    const { w, m, s } = setup({ enableVeto: false });
    w.atSec(800);
    w.setUp(m, 0.7, 0.72);
    const p = places(w.book(s, m))[0]!;
    w.fill(s, p, 5, 0.72);
    w.atSec(810);
    expect(places(w.book(s, m))).toHaveLength(0);
  });
});
