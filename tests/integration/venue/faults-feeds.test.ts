/**
 * Fault battery, feed side (B1–B4), against the simulator's fault API over real sockets:
 * every test ends with the shared battery invariants (invariants.ts): two-way ledger and cash, no duplicate or
 * unknown order at the venue, nothing resting, no secret in the captured logs or events.
 */
import { describe, expect, it } from 'vitest';
import { fokUp, liveStackForSuite, readyLive, restingUp, sameBook, type Stack, waitFor } from './harness';
import { expectInvariants } from './invariants';

describe('feed faults (live venue on the simulator)', () => {
  let s: Stack;
  liveStackForSuite((x) => (s = x));

  it('B1: market socket drop -> backoff reconnect, resubscribe, no entries until a fresh snapshot', async () => {
    const { slug, up } = await readyLive(s);
    const before = s.marketFeed.conn.health.reconnects;
    const epoch = s.marketFeed.book(up)!.epoch;
    s.sim.faults.add({ kind: 'drop', scope: 'market', durationMs: 3_000 });
    await waitFor(() => s.marketFeed.conn.connectionState !== 'open', 'market socket down');
    const denied = await restingUp(s, slug);
    expect(denied.r.ok).toBe(false);
    expect(!denied.r.ok && denied.r.reason).toMatch(/stale|fresh/);
    await s.advance(10_000, 1_000);
    await waitFor(() => s.marketFeed.isFresh(up), 'fresh book after reconnect');
    expect(s.marketFeed.conn.health.reconnects).toBeGreaterThan(before);
    expect(s.marketFeed.book(up)!.epoch).toBeGreaterThan(epoch);
    await waitFor(() => sameBook(s, slug, 'Up') && sameBook(s, slug, 'Down'), 'books equal the simulator');
    expectInvariants(s);
  });

  it('B1: user socket drop -> a fill during the gap appears exactly once (REST catch-up)', async () => {
    const { slug } = await readyLive(s);
    s.sim.faults.add({ kind: 'drop', scope: 'user', durationMs: 4_000 });
    await waitFor(() => s.userFeed!.conn.connectionState !== 'open', 'user socket down');
    const { r, order } = await fokUp(s, slug);
    expect(r.ok && r.outcome.kind).toBe('accepted');
    await s.advance(12_000, 1_000);
    await waitFor(() => s.userFeed!.conn.connectionState === 'open' && s.engine.ready, 'user socket back');
    await waitFor(() => s.tracker.allFills().some((f) => f.orderId === order!.orderId && f.status === 'CONFIRMED'), 'fill caught up');
    const fills = s.tracker.allFills().filter((f) => f.orderId === order!.orderId);
    expect(new Set(fills.map((f) => f.tradeId)).size).toBe(fills.length);
    expect(s.userFeed!.catchUps).toBeGreaterThanOrEqual(2);
    expectInvariants(s);
  });

  it('B2: silent stall of the market socket trips the watchdog, blocks entries, resumes after a fresh snapshot', async () => {
    const { slug, up } = await readyLive(s);
    s.sim.faults.add({ kind: 'stall', scope: 'market', durationMs: 9_000 });
    let staleAt: number | undefined;
    const t0 = s.clock.nowMs();
    for (let i = 0; i < 8 && staleAt === undefined; i++) {
      await s.advance(1_000, 1_000);
      if (s.gate.isStale('clob-market')) staleAt = s.clock.nowMs();
    }
    expect(staleAt).toBeDefined();
    expect(staleAt! - t0).toBeLessThanOrEqual(7_000);
    expect(s.events.some((e) => e.type === 'feed.stale' && e.feed === 'clob-market')).toBe(true);
    const denied = await restingUp(s, slug);
    expect(denied.r.ok).toBe(false);
    await s.advance(15_000, 1_000);
    await waitFor(() => s.marketFeed.isFresh(up) && !s.gate.blockReason(up), 'resumed');
    const ok = await restingUp(s, slug);
    expect(ok.r.ok).toBe(true);
    await s.engine.cancel(ok.clientTag);
    expectInvariants(s);
  });

  it('quiet market: minutes of nothing but PONG on the market socket are not a stall (REST confirms the book), entries stay allowed', async () => {
    const { slug, up } = await readyLive(s);
    const reconnects = s.marketFeed.conn.health.reconnects;
    const stale = s.events.filter((e) => e.type === 'feed.stale' && e.feed === 'clob-market').length;
    s.sim.faults.add({ kind: 'quiet', scope: 'market', durationMs: 180_000 });
    await s.advance(2_000, 1_000);
    const framesBefore = s.marketFeed.conn.health.messages;
    await s.advance(150_000, 1_000);
    // Nothing but keep-alives arrived, yet the feed is fresh and the book tradable.
    expect(s.marketFeed.conn.health.messages).toBe(framesBefore);
    expect(s.marketFeed.conn.health.quiet).toBe(true);
    expect(s.marketFeed.conn.health.quietChecks).toBeGreaterThan(10);
    expect(s.marketFeed.conn.health.reconnects).toBe(reconnects);
    expect(s.events.filter((e) => e.type === 'feed.stale' && e.feed === 'clob-market').length).toBe(stale);
    expect(s.marketFeed.isFresh(up)).toBe(true);
    expect(s.gate.blockReason(up)).toBeUndefined();
    expect(sameBook(s, slug, 'Up')).toBe(true);
    await s.advance(40_000, 1_000);
    await waitFor(() => s.marketFeed.conn.health.messages > framesBefore && !s.marketFeed.conn.health.quiet, 'data flows again');
    expectInvariants(s);
  });

  it('B2: reference stall with spot alive -> degraded mode blocks new orders unless allowed', async () => {
    const { slug, up } = await readyLive(s);
    s.sim.faults.add({ kind: 'stall', scope: 'polybolt', durationMs: 12_000 });
    await s.advance(8_000, 1_000);
    expect(s.gate.isDegraded()).toBe(true);
    expect(s.events.some((e) => e.type === 'feed.degraded' && e.degraded && !e.ordersAllowed)).toBe(true);
    expect(s.gate.blockReason(up)).toMatch(/degraded/);
    expect((await restingUp(s, slug)).r.ok).toBe(false);
    s.gate.setAllowDegraded(true);
    expect(s.gate.blockReason(up)).toBeUndefined();
    s.gate.setAllowDegraded(false);
    await s.advance(15_000, 1_000);
    await waitFor(() => !s.gate.isDegraded(), 'reference recovered');
    expectInvariants(s);
  });

  it('B3: duplicate and out-of-order frames never double-count a fill; books resync to the simulator', async () => {
    const { slug } = await readyLive(s);
    s.sim.faults.add({ kind: 'duplicate', scope: 'user', durationMs: 15_000 });
    s.sim.faults.add({ kind: 'duplicate', scope: 'market', durationMs: 15_000 });
    s.sim.faults.add({ kind: 'out_of_order', scope: 'market', durationMs: 15_000 });
    const { r, order } = await fokUp(s, slug);
    expect(r.ok).toBe(true);
    await s.advance(16_000, 1_000);
    await waitFor(() => s.tracker.allFills().some((f) => f.orderId === order!.orderId && f.status === 'CONFIRMED'), 'confirmed');
    expect(s.tracker.stats.duplicateFills).toBeGreaterThan(0);
    expectInvariants(s);
    await s.advance(5_000, 1_000);
    await waitFor(() => sameBook(s, slug, 'Up') && sameBook(s, slug, 'Down'), 'books equal the simulator after faults');
  });

  it('B4: malformed frames are counted and dropped; the connection and the books survive', async () => {
    const { slug } = await readyLive(s);
    const bad = s.marketFeed.conn.health.badFrames;
    s.sim.faults.add({ kind: 'malformed', scope: 'market', durationMs: 5_000 });
    s.sim.faults.add({ kind: 'malformed', scope: 'user', durationMs: 5_000 });
    s.sim.faults.add({ kind: 'malformed', scope: 'polybolt', durationMs: 5_000 });
    await s.advance(6_000, 1_000);
    expect(s.marketFeed.conn.health.badFrames).toBeGreaterThan(bad);
    expect(s.events.some((e) => e.type === 'feed.bad_frame')).toBe(true);
    await s.advance(4_000, 1_000);
    await waitFor(() => sameBook(s, slug, 'Up') && sameBook(s, slug, 'Down'), 'books equal the simulator');
    expectInvariants(s);
  });
});
