/**
 * A full simulated day of BTC 5m and 15m windows over real sockets (SimClock, accelerated): discovery and
 * prefetch, rollover at the boundary, lifecycle, books equal to the simulator's, price to beat equal to the
 * simulator's TWAP at the window start, resolution.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY0_MS, sameBook, startStack, waitFor, type Stack } from './harness';

describe('a simulated day against the simulator (paper mode)', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack({
      mode: 'paper',
      startMs: DAY0_MS + 1_000,
      marketStaleMs: 120_000,
      sim: { crowd: { makerRequoteMs: 20_000, makerLagMs: 1_000, takerMeanIntervalMs: 60_000 }, resolutionDelayMs: 10_000 },
    });
    await s.start();
    await waitFor(() => s.catalog.all().length >= 4, 'first windows discovered');
  });
  afterAll(async () => s?.stop());

  it('discovers, rolls over, mirrors books, captures the price to beat and resolves for 24 h', async () => {
    const checked = { windows: 0, books: 0, ptb: 0, resolved: 0 };
    const seen = new Set<string>();
    for (let k = 0; k < 288; k++) {
      const boundary = DAY0_MS + k * 300_000;
      await s.advance(boundary + 20_000 - s.clock.nowMs(), 5_000);
      for (const kind of ['5m', '15m'] as const) {
        const cur = s.catalog.current(kind);
        expect(cur, `${kind} window at ${boundary}`).toBeDefined();
        if (!cur || seen.has(cur.window.slug)) continue;
        seen.add(cur.window.slug);
        checked.windows++;
        const m = s.sim.model.registry.slug(cur.window.slug)!;
        expect(cur.upTokenId).toBe(m.upTokenId);
        expect(cur.conditionId).toBe(m.conditionId);
        expect(cur.state).toBe('open');
        // The next window is already known (prefetch).
        expect(s.catalog.all().some((r) => r.window.startMs === cur.window.endMs)).toBe(true);
        await waitFor(() => cur.priceToBeat !== undefined, `price to beat ${cur.window.slug}`);
        expect(cur.priceToBeat).toBe(m.priceToBeat);
        checked.ptb++;
        await waitFor(() => sameBook(s, cur.window.slug, 'Up') && sameBook(s, cur.window.slug, 'Down'), `book ${cur.window.slug}`);
        checked.books++;
      }
    }
    await s.advance(60_000, 5_000);
    // Every window the simulator resolved was resolved here too, with the same winner.
    const resolvedHere = new Map<string, string>();
    let viaSocket = 0;
    for (const e of s.events) {
      if (e.type !== 'market.resolved') continue;
      resolvedHere.set(e.slug, e.winner);
      const endMs = Number(e.slug.split('-').pop()) * 1000 + (e.slug.includes('-15m-') ? 900_000 : 300_000);
      // The simulator resolves 10 s after the end; the socket's market_resolved beats the 15 s Gamma poll.
      if (e.tsEventMs - endMs < 15_000) viaSocket++;
    }
    expect(viaSocket).toBeGreaterThan(0.9 * resolvedHere.size);
    for (const st of s.sim.model.settlements.toArray()) {
      if (!seen.has(st.slug)) continue;
      expect(resolvedHere.get(st.slug), st.slug).toBe(st.winner === 'Up' ? 'up' : 'down');
      checked.resolved++;
    }
    // The captured price to beat agreed with Gamma's eventMetadata.priceToBeat wherever it was cross-checked.
    const ptb = s.events.filter((e) => e.type === 'market.price_to_beat');
    expect(ptb.length).toBeGreaterThan(300);
    for (const e of ptb) if (e.type === 'market.price_to_beat' && e.diffUsd !== undefined) expect(e.diffUsd).toBe(0);
    expect(ptb.filter((e) => e.type === 'market.price_to_beat' && e.gammaPriceUsd !== undefined).length).toBeGreaterThan(300);
    expect(checked.windows).toBe(288 + 96);
    expect(checked.books).toBe(288 + 96);
    expect(checked.ptb).toBe(288 + 96);
    expect(checked.resolved).toBeGreaterThan(370);
    const states = s.events.filter((e) => e.type === 'market.state');
    expect(states.length).toBeGreaterThan(3 * 384);
  }, 170_000);
});
