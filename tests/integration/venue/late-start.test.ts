/**
 * A bot started in the middle of a window has no reference sample from the window start: the price to beat then
 * comes from Gamma's eventMetadata.priceToBeat (protocol reference §7.2), not "never" (a regression: strategies
 * that need it, like the hammer, could not trade the first window after a restart).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY0_MS, startStack, waitFor, type Stack } from './harness';
import { expectInvariants } from './invariants';

describe('price to beat when the bot starts mid-window', () => {
  let s: Stack;
  beforeAll(async () => {
    // 500 s into a 15m window and 200 s into a 5m one: both starts are older than the 2-minute PolyBolt snapshot.
    s = await startStack({ mode: 'paper', startMs: DAY0_MS + 3 * 900_000 + 500_000 });
    await s.start();
    await waitFor(() => s.catalog.current('5m') !== undefined && s.catalog.current('15m') !== undefined, 'current windows discovered');
  });
  afterAll(async () => s?.stop());

  it('takes Gamma priceToBeat for the windows already running, and equals the simulator value', async () => {
    for (const kind of ['5m', '15m'] as const) {
      const cur = s.catalog.current(kind)!;
      // The start-of-window capture waits (bounded) for a reference sample, then falls back to Gamma.
      for (let i = 0; i < 30 && cur.priceToBeat === undefined; i++) await s.advance(1_000, 1_000);
      expect(cur.priceToBeat, `${kind} price to beat`).toBeDefined();
      expect(cur.priceToBeatSource).toBe('gamma');
      expect(cur.priceToBeat).toBe(s.sim.model.registry.slug(cur.window.slug)!.priceToBeat);
    }
    const published = s.events.filter((e) => e.type === 'market.price_to_beat' && e.source === 'gamma');
    expect(published.length).toBeGreaterThanOrEqual(2);
    expectInvariants(s);
  });

  it('still captures the next window from the reference at its start', async () => {
    const cur = s.catalog.current('5m')!;
    await s.advance(cur.window.endMs - s.clock.nowMs() + 5_000, 1_000);
    const next = s.catalog.current('5m')!;
    expect(next.window.startMs).toBe(cur.window.endMs);
    await waitFor(() => next.priceToBeat !== undefined, 'next price to beat');
    expect(next.priceToBeatSource).toBe('twap');
    expect(next.priceToBeat).toBe(s.sim.model.registry.slug(next.window.slug)!.priceToBeat);
    expectInvariants(s);
  });
});
