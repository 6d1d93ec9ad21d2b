/**
 * Fault battery, order side (B5, B6 for short phases — the engine-restart scenario is in faults-venue-modes —, B8, B12, B14, B15), against the simulator's fault API over real sockets.
 * Every test checks its own expectations, then the shared battery invariants (invariants.ts): two-way ledger and
 * cash, no duplicate (per salt, per intent) or unknown order at the venue, nothing left resting, no secret in the
 * captured logs or events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderMarketInfo } from '../../../bot/markets';
import { DAY0_MS, farBelowTouch, fokUp, liveStackForSuite, readyLive, restingUp, type Stack, startStack, waitFor } from './harness';
import { expectInvariants, venueOrders } from './invariants';

describe('order faults (live venue on the simulator)', () => {
  let s: Stack;
  liveStackForSuite((x) => (s = x), { requestTimeoutMs: 1_500 });

  it('B5: 429 + Retry-After pauses new orders, cancels still go first', async () => {
    const { slug } = await readyLive(s);
    const resting = await restingUp(s, slug, 0.05);
    expect(resting.r.ok).toBe(true);
    s.sim.faults.add({ kind: 'http_status', scope: 'POST /order', status: 429, retryAfterSec: 2, count: 1 });
    const limited = await restingUp(s, slug, 0.06);
    expect(limited.r.ok && limited.r.outcome.kind).toBe('rejected');
    expect(s.limiter.pausedUntil('order')).toBeGreaterThanOrEqual(s.clock.nowMs() + 1_900);
    let placed = false;
    const pending = restingUp(s, slug, 0.07).then((x) => {
      placed = true;
      return x;
    });
    const canceled = await s.engine.cancel(resting.clientTag);
    expect(canceled).toBe(true);
    expect(placed).toBe(false);
    await s.advance(2_500, 500);
    const later = await pending;
    expect(later.r.ok && later.r.outcome.kind).toBe('accepted');
    await s.engine.cancel(later.clientTag);
    expectInvariants(s);
  });

  it('B8: HTTP 500 on submit -> unknown, resolved by query, never resent', async () => {
    const { slug } = await readyLive(s);
    const n = venueOrders(s).length;
    s.sim.faults.add({ kind: 'http_status', scope: 'POST /order', status: 500, count: 1 });
    const { r, order } = await fokUp(s, slug);
    expect(r.ok && r.outcome.kind).toBe('unknown');
    expect(order!.state).toBe('unknown');
    await s.advance(25_000, 1_000);
    await waitFor(() => order!.state === 'rejected', 'resolved as not found');
    expect(order!.reason).toMatch(/not found/);
    expect(venueOrders(s).length).toBe(n);
    expectInvariants(s);
  });

  it('B8: timeout but filled -> resolved by query to filled, exactly one order and one fill set', async () => {
    const { slug } = await readyLive(s);
    const n = venueOrders(s).length;
    s.sim.faults.add({ kind: 'late_ack', scope: 'POST /order', delayMs: 30_000, count: 1 });
    const { r, order } = await fokUp(s, slug);
    expect(r.ok && r.outcome.kind).toBe('unknown');
    await s.advance(10_000, 1_000);
    await waitFor(() => order!.state === 'filled', 'resolved as filled');
    expect(venueOrders(s).length).toBe(n + 1);
    await waitFor(() => s.tracker.allFills().filter((f) => f.orderId === order!.orderId).every((f) => f.status === 'CONFIRMED'), 'confirmed');
    const fills = s.tracker.allFills().filter((f) => f.orderId === order!.orderId);
    expect(fills.length).toBeGreaterThan(0);
    expect(new Set(fills.map((f) => f.tradeId)).size).toBe(fills.length);
    expectInvariants(s);
    await s.advance(25_000, 1_000);
  });

  it('B8: a `delayed` answer is pending, not filled; resolved by query; never resent', async () => {
    const { slug, up } = await readyLive(s);
    const n = venueOrders(s).length;
    s.sim.faults.add({ kind: 'delay_match', scope: 'POST /order', delayMs: 3_000, count: 1 });
    const rec = s.catalog.get(slug)!;
    const price = Math.min(0.99, Number((s.marketFeed.book(up)!.bestAsk()! + 0.02).toFixed(2)));
    const clientTag = `it|${slug}|delayed|1`;
    const r = await s.engine.place({ clientTag, strategyId: 'it', market: orderMarketInfo(rec, 'up'), side: 'BUY', price, size: 5, orderType: 'GTC', postOnly: false });
    const order = s.tracker.getByTag(clientTag)!;
    expect(r.ok && r.outcome.kind === 'accepted' && r.outcome.status).toBe('delayed');
    expect(order.state).toBe('submitted');
    expect(s.tracker.allFills().some((f) => f.orderId === order.orderId)).toBe(false);
    await s.advance(10_000, 1_000);
    await waitFor(() => ['filled', 'partial', 'live'].includes(order.state), 'delayed order resolved');
    expect(venueOrders(s).length).toBe(n + 1);
    if (order.state === 'live' || order.state === 'partial') await s.engine.cancel(clientTag);
    await s.advance(6_000, 1_000);
    const fills = s.tracker.allFills().filter((f) => f.orderId === order.orderId);
    expect(new Set(fills.map((f) => f.tradeId)).size).toBe(fills.length);
    expectInvariants(s);
  });

  it('B15: a trade MATCHED then FAILED is provisional, then reversed; PnL and exposure corrected', async () => {
    const { slug, up } = await readyLive(s);
    const before = s.tracker.positions.get(slug, up)?.shares ?? 0;
    s.sim.faults.add({ kind: 'fail_fill', scope: 'user', durationMs: 20_000 });
    const { r, order } = await fokUp(s, slug, 10, 0.03);
    expect(r.ok && r.outcome.kind).toBe('accepted');
    await waitFor(() => s.tracker.allFills().some((f) => f.orderId === order!.orderId), 'matched fill');
    const mid = s.tracker.positions.get(slug, up)!;
    expect(mid.provisionalShares).toBeGreaterThan(0);
    await s.advance(15_000, 1_000);
    await waitFor(() => s.tracker.allFills().filter((f) => f.orderId === order!.orderId).every((f) => f.status === 'FAILED'), 'failed');
    const after = s.tracker.positions.get(slug, up)!;
    expect(after.shares).toBeCloseTo(before, 6);
    expect(s.events.some((e) => e.type === 'order.fill_voided')).toBe(true);
    expectInvariants(s);
  });

  it('B12: heartbeat failures deny new orders (cancels allowed); venue cancels resting orders; recovers on a fresh ack', async () => {
    const { slug } = await readyLive(s);
    const far = farBelowTouch(s, slug); // must keep resting until the venue cancels it, whatever the price path
    const rest = await restingUp(s, slug, far);
    expect(rest.r.ok).toBe(true);
    s.sim.faults.add({ kind: 'http_status', scope: 'POST /v1/heartbeats', status: 500, durationMs: 25_000 });
    await s.advance(6_000, 1_000);
    expect(s.heartbeat!.ok).toBe(false);
    const denied = await restingUp(s, slug, far);
    expect(denied.r.ok).toBe(false);
    expect(!denied.r.ok && denied.r.reason).toMatch(/heartbeat/);
    await s.advance(12_000, 1_000);
    await waitFor(() => rest.order!.state === 'canceled', 'venue cancelled the resting order');
    await s.advance(15_000, 1_000);
    await waitFor(() => s.heartbeat!.ok, 'heartbeat acknowledged again');
    const again = await restingUp(s, slug, 0.05);
    expect(again.r.ok && again.r.outcome.kind).toBe('accepted');
    await s.engine.cancel(again.clientTag);
    expectInvariants(s);
  });
  it('B6 (a short 425, then an unannounced post-only phase): the first refused order teaches the bot each phase, later takers are refused locally, post-only makers go, resumes by itself', async () => {
    const { slug } = await readyLive(s);
    s.sim.faults.add({ kind: 'http_status', scope: 'POST /order', status: 425, retryAfterSec: 3, count: 1 });
    const first = await fokUp(s, slug);
    expect(first.r.ok && first.r.outcome.kind).toBe('rejected');
    expect(s.status.current()).toBe('restarting');
    const taker = await fokUp(s, slug);
    expect(!taker.r.ok && taker.r.reason).toMatch(/restarting/);
    await s.advance(4_000, 1_000);
    s.sim.faults.add({ kind: 'post_only', scope: 'clob', durationMs: 10_000 });
    const maker = await restingUp(s, slug, 0.05);
    expect(maker.r.ok && maker.r.outcome.kind).toBe('accepted');
    const notPostOnly = await restingUp(s, slug, 0.04).then(() => fokUp(s, slug));
    expect(notPostOnly.r.ok && notPostOnly.r.outcome.kind).toBe('rejected');
    expect(s.status.current()).toBe('post_only');
    const denied = await fokUp(s, slug);
    expect(!denied.r.ok && denied.r.reason).toMatch(/post-only/);
    await s.advance(125_000, 5_000);
    expect(s.status.current()).toBe('normal');
    await s.engine.cancelAllOpen();
    expectInvariants(s);
  });
});

describe('B14: rollover with the next market listed late', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack({ mode: 'live', kinds: ['5m'], startMs: DAY0_MS + 240_000, sim: { listLeadMs: 0 } });
    await s.start();
  });
  afterAll(async () => s?.stop());

  it('retries the lookup, refuses orders into a closed window, trades the new one once its book is fresh', async () => {
    const { slug } = await readyLive(s);
    const next = `btc-updown-5m-${(DAY0_MS + 300_000) / 1000}`;
    await s.advance(5_000, 1_000);
    expect(s.catalog.get(next)).toBeUndefined();
    expect(s.events.some((e) => e.type === 'market.lookup_failed' && e.slug === next)).toBe(true);
    await s.advance(DAY0_MS + 301_000 - s.clock.nowMs(), 1_000);
    expect(s.catalog.tradableReason(slug)).toMatch(/closed|ended/);
    const old = await restingUp(s, slug, 0.05);
    expect(old.r.ok).toBe(false);
    await s.advance(6_000, 1_000);
    await waitFor(() => s.catalog.get(next)?.state === 'open', 'next window discovered and open');
    const ready = await readyLive(s);
    expect(ready.slug).toBe(next);
    const fresh = await restingUp(s, next, 0.05);
    expect(fresh.r.ok && fresh.r.outcome.kind).toBe('accepted');
    await s.engine.cancel(fresh.clientTag);
    expectInvariants(s);
  });
});
