/** The makers' ladder shape (maker-ladder.ts) and the tick rule (tick-rule.ts): grids, bounds, spreads, sizes, switching. */
import { describe, expect, it } from 'vitest';
import { drawLevelMicro, drawSpreadTicks, FINE_LEVELS, ladderSide, medianShares, ownBuyMilli, touchFor } from '../../../bot/sim/maker-ladder';
import { nextTickMilli, quoteCentreMilli, TICK_DWELL_MS } from '../../../bot/sim/tick-rule';
import { Prng } from '../../../bot/util/prng';

describe('ladder prices', () => {
  it('covers every cent from the touch out to 0.01 / 0.99 on a 0.01 tick', () => {
    const bids = ladderSide('bid', 500, 10, 99);
    const asks = ladderSide('ask', 510, 10, 99);
    expect(bids[0]).toBe(500);
    expect(bids.at(-1)).toBe(10);
    expect(asks[0]).toBe(510);
    expect(asks.at(-1)).toBe(990);
    expect(bids.length + asks.length).toBe(99);
    for (const p of [...bids, ...asks]) expect(p % 10).toBe(0);
    for (let i = 1; i < bids.length; i++) expect(bids[i]).toBe(bids[i - 1]! - 10);
  });

  it('steps by 0.001 near the touch on a 0.001 tick, then continues on cents, never leaving [0.001, 0.999]', () => {
    const bids = ladderSide('bid', 975, 1, 200);
    expect(bids.slice(0, FINE_LEVELS)).toEqual([975, 974, 973, 972, 971, 970, 969, 968, 967, 966]);
    expect(bids.slice(FINE_LEVELS, FINE_LEVELS + 2)).toEqual([960, 950]);
    expect(bids.at(-1)).toBe(10);
    const asks = ladderSide('ask', 976, 1, 99);
    expect(asks).toEqual([976, 977, 978, 979, 980, 981, 982, 983, 984, 985, 990]);
    expect(ladderSide('ask', 996, 1, 99)).toEqual([996, 997, 998, 999]);
    const low = ladderSide('bid', 39, 1, 99);
    expect(low).toEqual([39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 20, 10]);
    expect(ladderSide('bid', 5, 1, 99)).toEqual([5, 4, 3, 2, 1]);
  });

  it('keeps at most maxLevels per side', () => {
    expect(ladderSide('bid', 500, 10, 5)).toEqual([500, 490, 480, 470, 460]);
    expect(ladderSide('ask', 976, 1, 3)).toEqual([976, 977, 978]);
  });

  it('puts the touch around the quoting centre with the drawn spread, inside the price range', () => {
    expect(touchFor(523, 10, 1)).toEqual({ bid0: 520, ask0: 530 });
    expect(touchFor(523, 10, 2)).toEqual({ bid0: 510, ask0: 530 });
    expect(touchFor(528, 10, 2)).toEqual({ bid0: 520, ask0: 540 });
    expect(touchFor(523, 10, 3)).toEqual({ bid0: 510, ask0: 540 });
    for (let c = 0; c <= 1000; c += 7) {
      for (const tick of [1, 10]) {
        for (let w = 1; w <= 5; w++) {
          const { bid0, ask0 } = touchFor(c, tick, w);
          expect(bid0).toBeGreaterThanOrEqual(tick);
          expect(ask0).toBeLessThanOrEqual(1000 - tick);
          expect(ask0).toBeGreaterThan(bid0);
          if (c > 2 * w * tick && c < 1000 - 2 * w * tick) {
            expect(ask0 - bid0).toBe(w * tick);
            expect(bid0).toBeLessThanOrEqual(c);
            expect(ask0).toBeGreaterThanOrEqual(c);
          }
        }
      }
    }
  });

  it('mostly quotes a one-tick spread', () => {
    const prng = new Prng('spread');
    const counts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 20_000; i++) counts[drawSpreadTicks(prng)]!++;
    expect(counts[0]).toBe(0);
    expect(counts[1]! / 20_000).toBeGreaterThan(0.75);
    expect(counts[1]! / 20_000).toBeLessThan(0.83);
    expect(counts[2]! / 20_000).toBeGreaterThan(0.1);
    expect(counts[5]).toBeGreaterThan(0);
  });
});

describe('level sizes', () => {
  it('grow away from the touch and pile up on 1-cent bids far from it', () => {
    expect(medianShares(200, 0, 500)).toBe(200);
    expect(medianShares(200, 5, 450)).toBeGreaterThan(medianShares(200, 1, 490));
    expect(medianShares(200, 40, 100)).toBe(medianShares(200, 5, 450));
    expect(medianShares(200, 40, 10)).toBeGreaterThan(20 * medianShares(200, 40, 100));
    // Near the touch an extreme price gets no pile-up.
    expect(medianShares(200, 0, 10)).toBe(200);
    expect(ownBuyMilli('bid', 300)).toBe(300);
    expect(ownBuyMilli('ask', 300)).toBe(700);
  });

  it('are whole 0.01-share lots, at least the minimum, log-normally spread around the median', () => {
    const prng = new Prng('sizes');
    const shares: number[] = [];
    for (let i = 0; i < 5_000; i++) {
      const micro = drawLevelMicro(prng, 200, 0, 500, 5);
      expect(micro % 10_000).toBe(0);
      expect(micro).toBeGreaterThanOrEqual(5_000_000);
      shares.push(micro / 1e6);
    }
    shares.sort((a, b) => a - b);
    expect(shares[2_500]!).toBeGreaterThan(180);
    expect(shares[2_500]!).toBeLessThan(220);
    expect(shares[4_500]! / shares[500]!).toBeGreaterThan(5);
  });
});

describe('tick rule', () => {
  const at = (tickMilli: number, tickChangedMs: number) => ({ tickMilli, tickChangedMs });

  it('switches to 0.001 only beyond 0.97 / 0.03 and after the dwell', () => {
    expect(nextTickMilli(at(10, -Infinity), 0.965, 0)).toBe(10);
    expect(nextTickMilli(at(10, -Infinity), 0.975, 0)).toBe(1);
    expect(nextTickMilli(at(10, -Infinity), 0.025, 0)).toBe(1);
    expect(nextTickMilli(at(10, 0), 0.99, TICK_DWELL_MS - 1)).toBe(10);
    expect(nextTickMilli(at(10, 0), 0.99, TICK_DWELL_MS)).toBe(1);
  });

  it('goes back to 0.01 as soon as the price is inside [0.04, 0.96], dwell or not', () => {
    expect(nextTickMilli(at(1, 0), 0.961, 1)).toBe(1);
    expect(nextTickMilli(at(1, 0), 0.96, 1)).toBe(10);
    expect(nextTickMilli(at(1, 0), 0.5, 1)).toBe(10);
    expect(nextTickMilli(at(1, 0), 0.039, 1)).toBe(1);
    expect(nextTickMilli(at(1, 0), 0.04, 1)).toBe(10);
  });

  it('keeps the quoting centre beyond the band while the tick is 0.001, and leaves it alone otherwise', () => {
    expect(quoteCentreMilli(0.955, 0.962, 1)).toBe(962);
    expect(quoteCentreMilli(0.99, 0.98, 1)).toBe(990);
    expect(quoteCentreMilli(0.045, 0.035, 1)).toBe(38);
    expect(quoteCentreMilli(0.955, 0.962, 10)).toBeCloseTo(955, 9);
    for (let w = 1; w <= 5; w++) {
      const hi = touchFor(962, 1, w);
      expect((hi.bid0 + hi.ask0) / 2).toBeGreaterThan(960.5);
      const lo = touchFor(38, 1, w);
      expect((lo.bid0 + lo.ask0) / 2).toBeLessThan(39.5);
    }
  });
});
