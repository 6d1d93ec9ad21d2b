import { describe, expect, it } from 'vitest';
import { twoSidedMakerConfigSchema, type TwoSidedMakerConfig } from '../../../bot/strategies/two-sided-maker/config';
import { TwoSidedMakerStrategy } from '../../../bot/strategies/two-sided-maker/strategy';
import { flowImbalance, flowState, inventorySkew, quotePrices, volScaledSpread } from '../../../bot/strategies/two-sided-maker/quoting';
import { completeSetEdge, planArbitrage } from '../../../bot/strategies/two-sided-maker/arbitrage';
import { FEE, World, levels, makeMarket, places, cancels } from './world';

function setup(cfg: Partial<TwoSidedMakerConfig> = {}) {
  const w = new World();
  const m = w.add(makeMarket());
  const s = new TwoSidedMakerStrategy(twoSidedMakerConfigSchema.parse(cfg));
  return { w, m, s };
}

describe('maker quoting maths', () => {
  it('spread scales with volatility inside [MIN_SPREAD, MAX_SPREAD]', () => {
    expect(volScaledSpread(0.04, 1e-4, 1e-4, 0.02, 0.1)).toBeCloseTo(0.04, 12);
    expect(volScaledSpread(0.04, 2e-4, 1e-4, 0.02, 0.1)).toBeCloseTo(0.08, 12);
    expect(volScaledSpread(0.04, 1e-3, 1e-4, 0.02, 0.1)).toBe(0.1);
    expect(volScaledSpread(0.04, 1e-6, 1e-4, 0.02, 0.1)).toBe(0.02);
    expect(volScaledSpread(0.04, undefined, 1e-4, 0.02, 0.1)).toBe(0.04);
  });
  it('inventory skew direction and clamp', () => {
    expect(inventorySkew(25, 50, 0.02)).toBeCloseTo(0.01, 12);
    expect(inventorySkew(500, 50, 0.02)).toBe(0.02);
    expect(inventorySkew(-500, 50, 0.02)).toBe(-0.02);
    const flat = quotePrices({ fairUp: 0.5, spread: 0.04, skew: 0, flow: 0, flowWiden: 0.02, tick: 0.01 });
    const longUp = quotePrices({ fairUp: 0.5, spread: 0.04, skew: 0.02, flow: 0, flowWiden: 0.02, tick: 0.01 });
    expect(flat).toEqual({ upBid: 0.48, downBid: 0.48 });
    expect(longUp.upBid!).toBeLessThan(flat.upBid!); // less eager to buy more Up
    expect(longUp.downBid!).toBeGreaterThan(flat.downBid!); // more eager to buy Down
  });
  it('one-sided flow widens the bid it would pick off', () => {
    const trades = [{ tsMs: 0, signed: 30, size: 30 }, { tsMs: 1000, signed: -5, size: 5 }];
    const f = flowImbalance(trades, 2000, 10);
    expect(f.f).toBeCloseTo(25 / 35, 12);
    expect(flowState(f.f, f.volume, 0.6, 20)).toBe(1);
    expect(flowState(f.f, f.volume, 0.6, 50)).toBe(0);
    const q = quotePrices({ fairUp: 0.5, spread: 0.04, skew: 0, flow: 1, flowWiden: 0.02, tick: 0.01 });
    expect(q).toEqual({ upBid: 0.48, downBid: 0.46 });
  });
  it('does not quote a side whose only post-only price would be below the lowest tick', () => {
    const q = quotePrices({ fairUp: 0.02, spread: 0.04, skew: 0, flow: 0, flowWiden: 0, tick: 0.01, upBestAsk: 0.01, downBestAsk: 0.99 });
    expect(q.upBid).toBeUndefined();
    expect(q.downBid!).toBeGreaterThanOrEqual(0.01);
    expect(q.downBid!).toBeLessThan(0.99);
    const low = quotePrices({ fairUp: 0.99, spread: 0.04, skew: 0, flow: 0, flowWiden: 0, tick: 0.001, downBestAsk: 0.001 });
    expect(low.downBid).toBeUndefined();
  });

  it('post-only: never at or through the best ask', () => {
    const q = quotePrices({ fairUp: 0.6, spread: 0.02, skew: -0.02, flow: 0, flowWiden: 0, tick: 0.01, upBestAsk: 0.6 });
    expect(q.upBid).toBe(0.59);
  });
  it('complete-set arbitrage only when the edge is positive net of fees', () => {
    // 0.48 + 0.50 = 0.98 < 1, but fees 0.01747 + 0.0175 make it 1.01497
    expect(completeSetEdge(0.48, 0.5, FEE)).toBeCloseTo(1 - 1.01497, 9);
    expect(planArbitrage(levels([[0.48, 100]]), levels([[0.5, 100]]), FEE, 0, 20, 5)).toBeUndefined();
    const plan = planArbitrage(levels([[0.45, 100]]), levels([[0.5, 8]]), FEE, 0, 20, 5)!;
    expect(plan.edge).toBeCloseTo(1 - (0.95 + 0.01733 + 0.0175), 9);
    expect(plan.sets).toBe(8);
    expect(planArbitrage(levels([[0.45, 100]]), levels([[0.5, 4]]), FEE, 0, 20, 5)).toBeUndefined(); // below min size
  });
});

describe('two-sided maker strategy', () => {
  it('quotes post-only bids on both tokens around the mid and requotes only on a REQUOTE_THRESHOLD move', () => {
    const { w, m, s } = setup({ enableArbitrage: false });
    w.atSec(10);
    w.setUp(m, 0.49, 0.51);
    const q = places(w.book(s, m));
    expect(q).toHaveLength(2);
    for (const p of q) expect(p).toMatchObject({ side: 'BUY', postOnly: true, orderType: 'GTC', price: 0.48, size: 10 });
    w.setUp(m, 0.5, 0.52);
    expect(w.book(s, m)).toHaveLength(0); // mid moved 0.01
    w.setUp(m, 0.52, 0.54);
    const rq = w.book(s, m); // mid moved 0.03
    expect(cancels(rq)).toHaveLength(2);
    expect(places(rq).map((p) => p.price).sort()).toEqual([0.45, 0.51]);
  });

  it('skips a side at the position limit and skews after fills', () => {
    const { w, m, s } = setup({ enableArbitrage: false, positionLimit: 20 });
    w.atSec(10);
    w.setUp(m, 0.49, 0.51);
    const [up] = places(w.book(s, m)).filter((p) => p.tokenId === m.upTokenId);
    w.fill(s, up!, 10, 0.48);
    const after = places(w.tick(s));
    const upQ = after.find((p) => p.tokenId === m.upTokenId)!;
    const downQ = after.find((p) => p.tokenId === m.downTokenId)!;
    expect(upQ.price).toBeLessThan(0.48);
    expect(downQ.price).toBeGreaterThanOrEqual(0.48);
    w.fill(s, upQ, 10, upQ.price);
    const capped = w.tick(s);
    expect(places(capped).find((p) => p.tokenId === m.upTokenId)).toBeUndefined();
  });

  it('pulls every quote PULL_BEFORE_END_SEC before the end and stays out', () => {
    const { w, m, s } = setup({ enableArbitrage: false });
    w.atSec(10);
    w.setUp(m, 0.49, 0.51);
    const q = places(w.book(s, m));
    w.atSec(870);
    const out = w.book(s, m);
    expect(cancels(out).map((c) => (c as { clientTag: string }).clientTag).sort()).toEqual(q.map((p) => p.clientTag).sort());
    expect(places(out)).toHaveLength(0);
    w.atSec(880);
    w.setUp(m, 0.7, 0.72);
    expect(places(w.book(s, m))).toHaveLength(0);
  });

  it('does not quote when parity fails; arbitrages a complete set net of fees with two FOKs', () => {
    const { w, m, s } = setup({ arbMinEdge: 0 });
    w.atSec(10);
    w.setBook(m, 'up', [[0.43, 50]], [[0.45, 50]]);
    w.setBook(m, 'down', [[0.48, 50]], [[0.5, 50]]);
    const out = w.book(s, m);
    const p = places(out);
    expect(p).toHaveLength(2);
    for (const x of p) expect(x).toMatchObject({ orderType: 'FOK', side: 'BUY', postOnly: false });
    expect(p.map((x) => x.usd)).toEqual([9, 10]);
    // Parity 0.44 + 0.49 = 0.93 is off by more than 0.05: no quotes
    expect(p.every((x) => x.clientTag.includes('|arb|'))).toBe(true);
  });
});
