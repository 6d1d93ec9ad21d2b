/**
 * A simulator started in the middle of a window settles it against a real TWAP at its start: the price model
 * walks a synthetic past (warmupSec) instead of holding the start price flat before "now".
 */
import { describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { startSim } from '../../../bot/sim';
import { DEFAULT_PRICE_OPTIONS } from '../../../bot/sim/price-model';

const DAY0_MS = 1791158400_000;

describe('simulator warm-up', () => {
  it('windows already open at start have a price to beat from the synthetic past, consistent with the TWAP record', async () => {
    const startMs = DAY0_MS + 3 * 900_000 + 700_000; // 700 s into a 15m window, 100 s into a 5m window
    const clock = new SimClock(startMs);
    const sim = await startSim({ clock, seed: 'warmup', noServers: true });
    clock.advanceBy(2_000);
    const running = sim.model.activeMarkets().filter((m) => m.startMs < startMs && m.endMs > startMs);
    expect(running.map((m) => m.endMs - m.startMs).sort()).toEqual([300_000, 900_000]);
    for (const m of running) {
      expect(m.priceToBeat, m.slug).toBeDefined();
      expect(m.priceToBeat).toBe(sim.model.prices.twapAtSecond(m.startMs / 1000));
      expect(m.priceToBeat).not.toBe(DEFAULT_PRICE_OPTIONS.startPrice);
    }
    // The two running windows started at different instants of a moving price: different strikes.
    expect(running[0]!.priceToBeat).not.toBe(running[1]!.priceToBeat);
    await sim.close();
  });

  it('is deterministic per seed', async () => {
    const make = async () => {
      const clock = new SimClock(DAY0_MS + 123_000);
      const sim = await startSim({ clock, seed: 'warmup-det', noServers: true });
      const v = sim.model.prices.twapAtSecond(DAY0_MS / 1000);
      await sim.close();
      return v;
    };
    expect(await make()).toBe(await make());
  });
});
