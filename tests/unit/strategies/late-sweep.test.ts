import { describe, expect, it } from 'vitest';
import { lateSweepConfigSchema, type LateSweepConfig } from '../../../bot/strategies/late-sweep/config';
import { LateSweepStrategy } from '../../../bot/strategies/late-sweep/strategy';
import { World, makeMarket, places } from './world';

function setup(cfg: Partial<LateSweepConfig> = {}) {
  const w = new World();
  const m = w.add(makeMarket());
  const s = new LateSweepStrategy(lateSweepConfigSchema.parse({ enabled: true, ...cfg }));
  return { w, m, s };
}

describe('late-sweep', () => {
  it('is off by default', () => {
    const w = new World();
    const m = w.add(makeMarket());
    const s = new LateSweepStrategy(lateSweepConfigSchema.parse({}));
    w.atSec(880);
    w.setUp(m, 0.93, 0.95);
    expect(places(w.book(s, m))).toHaveLength(0);
  });
  it('buys the side with ask ≥ 0.90 only in the last 420 s, up to the USD target', () => {
    const { w, m, s } = setup({ targetUsd: 10 });
    w.atSec(479);
    w.setUp(m, 0.93, 0.95);
    expect(places(w.book(s, m))).toHaveLength(0);
    w.atSec(481);
    const p = places(w.book(s, m))[0]!;
    expect(p).toMatchObject({ side: 'BUY', orderType: 'FOK', usd: 10, price: 0.95, tokenId: m.upTokenId });
    expect(places(w.book(s, m))).toHaveLength(0); // in flight
    w.fill(s, p, 10.52, 0.95);
    w.atSec(500);
    expect(places(w.book(s, m))).toHaveLength(0); // target reached
  });
  it('buys Down when its ask is ≥ 0.90; skips below', () => {
    const { w, m, s } = setup();
    w.atSec(600);
    w.setUp(m, 0.2, 0.22);
    expect(places(w.book(s, m))).toHaveLength(0);
    w.setUp(m, 0.05, 0.07); // Down ask 0.95
    expect(places(w.book(s, m))[0]).toMatchObject({ tokenId: m.downTokenId, price: 0.95 });
  });
  it('stops at 0.70 with an aggressive sell, then holds (no more buys)', () => {
    const { w, m, s } = setup();
    w.atSec(600);
    w.setUp(m, 0.93, 0.95);
    const p = places(w.book(s, m))[0]!;
    w.fill(s, p, 10.52, 0.95);
    w.setUp(m, 0.71, 0.73);
    expect(places(w.book(s, m))).toHaveLength(0);
    w.setUp(m, 0.7, 0.72);
    const sl = places(w.book(s, m))[0]!;
    expect(sl).toMatchObject({ side: 'SELL', orderType: 'FAK', price: 0.01, size: 10.52 });
    w.fill(s, sl, 10.52, 0.7);
    w.setUp(m, 0.95, 0.97);
    expect(places(w.book(s, m))).toHaveLength(0);
  });
});
