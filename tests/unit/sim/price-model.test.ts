/** Price model: spot leads, the reference reports at 1 Hz lagging spot by 1 s, TWAP-60 of the reference, realistic vol. */
import { describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { Prng } from '../../../bot/util/prng';
import { DEFAULT_PRICE_OPTIONS, PriceModel } from '../../../bot/sim/price-model';

describe('price model', () => {
  it('lags, averages and moves like BTC', () => {
    const clock = new SimClock(1791241200000);
    const pm = new PriceModel(clock, new Prng('pm'), { ...DEFAULT_PRICE_OPTIONS, jumpsPerHour: 0 });
    const spot = new Map<number, number>();
    const refs: { tMs: number; value: number }[] = [];
    const twaps: number[] = [];
    pm.onSpot((p) => spot.set(p.tMs, p.value));
    pm.onReference((r, t) => {
      refs.push(r);
      twaps.push(t.value);
    });
    pm.start();
    clock.advanceBy(6 * 3600_000);
    expect(refs.length).toBe(6 * 3600);
    expect(refs.every((r) => r.tMs % 1000 === 0)).toBe(true);
    for (const r of refs.slice(2)) expect(r.value).toBe(spot.get(r.tMs - 1000));
    for (let i = 100; i < refs.length; i += 997) {
      const mean = refs.slice(i - 59, i + 1).reduce((s, r) => s + r.value, 0) / 60;
      expect(twaps[i]).toBeCloseTo(mean, 6);
    }
    const rets = refs.slice(1).map((r, i) => Math.log(r.value / refs[i]!.value));
    const sd = Math.sqrt(rets.reduce((s, x) => s + x * x, 0) / rets.length);
    const expected = 0.5 / Math.sqrt(365 * 24 * 3600);
    expect(sd / expected).toBeGreaterThan(0.8);
    expect(sd / expected).toBeLessThan(1.25);
    expect(pm.twapAtSecond(1791241200 + 6 * 3600 - 10)).toBe(twaps[6 * 3600 - 11]);
    expect(pm.twapAtSecond(1791241200 + 3600)).toBeUndefined();
  });
});
