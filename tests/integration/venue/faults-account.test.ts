/**
 * Fault battery, account faults over real sockets: B9 (`not enough balance / allowance`) and B10 (clock skew between
 * the host and the venue, and 401 on L2). What reached the venue is counted AT THE SIMULATOR through its control API
 * (L2 requests with route, POLY_TIMESTAMP and refusal reason; L1 API-key calls), so an extra refresh, retry or
 * re-derive fails a test. Every test ends with the shared invariants (two-way ledger incl. cash, no duplicate salt at
 * the venue, no secret in the captured logs or events).
 *
 * Skew: the simulator runs on its own clock `skewMs` ahead of the bot's (SkewedVenueClock, driven by the bot's
 * SimClock), so the venue is consistent with itself – `GET /time`, its windows, its GTD check and its L2 timestamp
 * window (switched on here: 30 s) – and only the host clock is off, as in production.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CancelTimer, Clock } from '../../../bot/clock';
import { SimClock } from '../../../bot/clock';
import { saltFor } from '../../../bot/execution';
import { orderMarketInfo } from '../../../bot/markets';
import { DAY0_MS, farBelowTouch, fokUp, liveStackForSuite, readyLive, restingUp, type Stack, startStack, waitFor } from './harness';
import { expectInvariants } from './invariants';

interface L2Entry {
  atMs: number;
  method: string;
  path: string;
  tsSec?: number;
  ok: boolean;
  refusal?: string;
}
interface L1Entry {
  atMs: number;
  how: 'create' | 'derive';
  ok: boolean;
}

async function venueRequests(s: Stack, sinceMs: number): Promise<{ l2: L2Entry[]; l1: L1Entry[] }> {
  const r = await fetch(`${s.sim.urls.control}/requests?since=${sinceMs}`);
  expect(r.status).toBe(200);
  return (await r.json()) as { l2: L2Entry[]; l1: L1Entry[] };
}

async function control(s: Stack, path: string, body: unknown): Promise<void> {
  const r = await fetch(`${s.sim.urls.control}${path}`, { method: 'POST', body: JSON.stringify(body) });
  expect(r.status).toBeLessThan(300);
}

const route = (l2: L2Entry[], method: string, path: string) => l2.filter((e) => e.method === method && e.path === path);
const notices = (s: Stack, source: string, severity?: string) =>
  s.events.filter((e) => e.type === 'runtime.notice' && e.source === source && (!severity || e.severity === severity));
const UNLIMITED = (2n ** 256n - 1n).toString();

/** Let fills reach CONFIRMED (or FAILED) so the ledger and cash folds compare settled facts. */
async function settleFills(s: Stack): Promise<void> {
  await s.advance(8_000, 1_000);
  await waitFor(() => s.tracker.allFills().every((f) => f.status === 'CONFIRMED' || f.status === 'FAILED'), 'fills settled');
}

describe('B9: not enough balance / allowance', () => {
  let s: Stack;
  liveStackForSuite((x) => (s = x), { sim: { initialBalanceUsd: 25 } });

  it('B9: a refusal one retry cannot fix (no pUSD approval): exactly one refresh and one retry, then new buys stop and an alert is raised', async () => {
    const { slug } = await readyLive(s);
    const since = s.clock.nowMs();
    await control(s, '/accounts/allowance', { address: s.account, assetType: 'COLLATERAL', amount: '0' });
    const refused = await fokUp(s, slug, 5);
    expect(refused.r.ok && refused.r.outcome.kind).toBe('rejected');
    expect(refused.r.ok && refused.r.outcome.kind === 'rejected' && refused.r.outcome.reason).toMatch(/not enough balance \/ allowance/);
    expect(refused.order!.state).toBe('rejected');

    const seen = await venueRequests(s, since);
    expect(route(seen.l2, 'GET', '/balance-allowance/update')).toHaveLength(1);
    expect(route(seen.l2, 'POST', '/order')).toHaveLength(2);
    // The retry was a new signed order (new salt, new venue id) for the same intent, journaled before it was sent.
    const base = saltFor(refused.order!.clientId);
    const journaled = [...s.journal.saltOf.entries()].filter(([, salt]) => salt === base || salt === base + 2);
    expect(journaled.map(([, salt]) => salt).sort()).toEqual([base, base + 2]);
    expect(journaled.find(([, salt]) => salt === base + 2)![0]).toBe(refused.order!.orderId);
    expect(s.engine.stats.balanceRetries).toBe(1);
    expect(notices(s, 'venue.balance', 'danger')).toHaveLength(1);

    // Stopped: further buys are refused locally, with the reason; nothing more reaches the venue.
    for (let i = 0; i < 5; i++) {
      const again = await fokUp(s, slug, 5);
      expect(again.r.ok).toBe(false);
      expect(!again.r.ok && again.r.reason).toMatch(/^stopped: not enough balance \/ allowance/);
      await s.advance(5_000, 1_000);
    }
    const after = await venueRequests(s, since);
    expect(route(after.l2, 'GET', '/balance-allowance/update')).toHaveLength(1);
    expect(route(after.l2, 'POST', '/order')).toHaveLength(2);
    expect(notices(s, 'venue.balance', 'danger')).toHaveLength(1);

    // The operator approves and lifts the stop: buys go through again.
    await control(s, '/accounts/allowance', { address: s.account, assetType: 'COLLATERAL', amount: UNLIMITED });
    s.engine.balance.clear();
    const { slug: now } = await readyLive(s);
    const ok = await fokUp(s, now, 5);
    expect(ok.r.ok && ok.r.outcome.kind).toBe('accepted');
    await settleFills(s);
    expectInvariants(s);
  });

  it('B9: after a matched buy, a buy above the confirmed balance gets one refresh and one retry with the confirmed size', async () => {
    const { slug } = await readyLive(s);
    const bought = await fokUp(s, slug, 10);
    expect(bought.r.ok && bought.r.outcome.kind === 'accepted' && bought.r.outcome.status).toBe('matched');
    await waitFor(() => s.tracker.allFills().some((f) => f.orderId === bought.order!.orderId), 'matched buy seen');
    const available = s.sim.model.ledger.availableMicro(s.account) / 1e6;
    const wanted = Math.ceil(available) + 5;
    await s.advance(1_000, 1_000);
    const since = s.clock.nowMs();
    const dangerBefore = notices(s, 'venue.balance', 'danger').length;

    const resized = await fokUp(s, slug, wanted);
    expect(resized.r.ok && resized.r.outcome.kind === 'accepted' && resized.r.outcome.status).toBe('matched');
    const seen = await venueRequests(s, since);
    expect(route(seen.l2, 'GET', '/balance-allowance/update')).toHaveLength(1);
    expect(route(seen.l2, 'POST', '/order')).toHaveLength(2);
    // Retried with what the confirmed balance pays for (price + taker fee), not with the size asked for.
    const usd = resized.order!.usd!;
    expect(usd).toBeLessThan(available);
    expect(usd).toBeGreaterThan(available * 0.9);
    expect(resized.order!.state).toBe('filled');
    expect(notices(s, 'venue.balance', 'danger')).toHaveLength(dangerBefore);
    await settleFills(s);
    expectInvariants(s);
  });
});

/**
 * The venue's clock for a skew test: its own SimClock `skewMs` ahead of the bot's clock, advanced by the bot's clock
 * (a pump timer on the bot's clock at each venue timer's due time), so both sides see one consistent timeline.
 */
class SkewedVenueClock implements Clock {
  readonly kind = 'sim' as const;
  private readonly inner: SimClock;
  private base: SimClock | undefined;
  private pump: CancelTimer | undefined;
  private pumpAtMs = Infinity;

  constructor(
    startMs: number,
    readonly skewMs: number,
  ) {
    this.inner = new SimClock(startMs + skewMs);
  }

  /** From now on the venue time is the bot's clock plus the skew. */
  follow(base: SimClock): void {
    this.base = base;
    this.arm();
  }
  nowMs(): number {
    if (this.base) this.inner.advanceTo(this.base.nowMs() + this.skewMs);
    return this.inner.nowMs();
  }
  at(dueMs: number, name: string, fn: () => void): CancelTimer {
    const c = this.inner.at(dueMs, name, fn);
    this.arm();
    return c;
  }
  after(delayMs: number, name: string, fn: () => void): CancelTimer {
    return this.at(this.nowMs() + Math.max(0, delayMs), name, fn);
  }
  every(periodMs: number, name: string, fn: () => void): CancelTimer {
    const c = this.inner.every(periodMs, name, fn);
    this.arm();
    return c;
  }
  private arm(): void {
    const due = this.inner.nextDueMs();
    if (!this.base || due === undefined || (this.pump && due >= this.pumpAtMs)) return;
    this.pump?.();
    this.pumpAtMs = due;
    this.pump = this.base.at(due - this.skewMs, 'skewed-venue-clock', () => {
      this.pump = undefined;
      this.pumpAtMs = Infinity;
      this.nowMs();
      this.arm();
    });
  }
}

for (const skewMs of [5_000, -5_000, 90_000, -90_000]) {
  const label = `${skewMs > 0 ? '+' : '-'}${Math.abs(skewMs) / 1000} s`;
  describe(`B10: host clock ${skewMs > 0 ? 'behind' : 'ahead of'} the venue by ${Math.abs(skewMs) / 1000} s`, () => {
    let s: Stack;
    let venue: SkewedVenueClock;
    beforeAll(async () => {
      const startMs = DAY0_MS + 100_000;
      venue = new SkewedVenueClock(startMs, skewMs);
      s = await startStack({ mode: 'live', kinds: ['5m'], startMs, sim: { clock: venue } });
      venue.follow(s.clock);
      await control(s, '/auth/l2-window', { maxSkewSec: 30 });
      await s.start();
      await readyLive(s);
    });
    afterAll(async () => s?.stop());

    it(`B10: skew ${label}: L2 timestamps and GTD expiries (+60 s) on the measured venue clock, windows timed by it, no order on a skewed "seconds left"`, async () => {
      const { slug } = await readyLive(s);
      // The window the bot trades is the venue's current one.
      const cur = s.catalog.current('5m')!;
      expect(cur.window.slug).toBe(`btc-updown-5m-${Math.floor(venue.nowMs() / 300_000) * 300}`);
      expect(cur.window.slug).toBe(slug);

      // GTD: the venue's expiration is the wanted expiry on the venue clock plus the 60 s security threshold.
      const rec = s.catalog.get(slug)!;
      const expiresMs = s.clock.nowMs() + 150_000;
      const tag = `it|${slug}|gtd|skew`;
      const gtd = await s.engine.place({ clientTag: tag, strategyId: 'it', market: orderMarketInfo(rec, 'up'), side: 'BUY', price: farBelowTouch(s, slug), size: 10, orderType: 'GTD', postOnly: true, expiresMs });
      expect(gtd.ok && gtd.outcome.kind).toBe('accepted');
      const atVenue = s.sim.model.exchange.orders.get(gtd.ok ? gtd.order.orderId! : '')!;
      expect(Math.abs(Number(atVenue.expiration) - (Math.floor((expiresMs + skewMs) / 1000) + 60))).toBeLessThanOrEqual(1);
      expect(await s.engine.cancel(tag)).toBe(true);

      // Seconds left at the window's end: at the venue instant `skew/2` after (host behind) or before (host ahead)
      // the end, our clock says the opposite. Host behind: the venue's window is over while our clock still says
      // "seconds left" -> refused locally, nothing sent. Host ahead: our clock says it ended, the venue's is still
      // open -> sent and accepted.
      const venueAtMs = cur.window.endMs + skewMs / 2;
      const localTarget = venueAtMs - skewMs;
      await s.advance(localTarget - s.clock.nowMs(), 1_000);
      expect(s.clock.nowMs()).toBe(localTarget);
      expect(venue.nowMs()).toBe(venueAtMs);
      const postsBefore = route((await venueRequests(s, 0)).l2, 'POST', '/order').length;
      const late = await restingUp(s, slug, farBelowTouch(s, slug), 10);
      const postsAfter = route((await venueRequests(s, 0)).l2, 'POST', '/order').length;
      if (skewMs > 0) {
        expect(late.r.ok).toBe(false);
        expect(!late.r.ok && late.r.reason).toMatch(/has ended|is closed|is resolv/);
        expect(postsAfter).toBe(postsBefore);
      } else {
        expect(late.r.ok && late.r.outcome.kind).toBe('accepted');
        expect(postsAfter).toBe(postsBefore + 1);
        expect(await s.engine.cancel(late.clientTag)).toBe(true);
      }

      // Every L2 request carried the venue's time (within the measurement's resolution) and none was refused.
      const { l2 } = await venueRequests(s, 0);
      expect(l2.length).toBeGreaterThan(20);
      expect(l2.filter((e) => !e.ok)).toEqual([]);
      const worst = Math.max(...l2.map((e) => Math.abs(e.tsSec! * 1000 - e.atMs)));
      expect(worst).toBeLessThanOrEqual(1_500);
      expectInvariants(s);
    });
  });
}

describe('B10: 401 on L2, key expired at the venue', () => {
  let s: Stack;
  liveStackForSuite((x) => (s = x));

  it('B10: exactly one credential re-derive after the 401, announced; the key works again and trading continues', async () => {
    await readyLive(s);
    const since = s.clock.nowMs();
    await control(s, '/auth/key-state', { address: s.address, state: 'expired' });
    await s.advance(6_000, 1_000);
    await waitFor(() => notices(s, 'venue.credentials', 'warn').length === 1, 're-derive announced');
    await s.advance(60_000, 1_000);
    const seen = await venueRequests(s, since);
    expect(seen.l1.filter((e) => e.how === 'derive')).toHaveLength(1);
    expect(seen.l1.filter((e) => e.how === 'create')).toHaveLength(0);
    expect(seen.l1[0]!.ok).toBe(true);
    const refused = seen.l2.filter((e) => !e.ok);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused.every((e) => e.refusal === 'key expired' && e.atMs <= seen.l1[0]!.atMs)).toBe(true);
    expect(seen.l2.filter((e) => e.ok && e.atMs > seen.l1[0]!.atMs).length).toBeGreaterThan(5);
    expect(notices(s, 'venue.credentials', 'danger')).toHaveLength(0);
    const { slug } = await readyLive(s);
    const buy = await fokUp(s, slug, 5);
    expect(buy.r.ok && buy.r.outcome.kind).toBe('accepted');
    await settleFills(s);
    expectInvariants(s);
  });
});

describe('B10: 401 on L2, key revoked at the venue', () => {
  let s: Stack;
  liveStackForSuite((x) => (s = x));

  it('B10: one re-derive, still 401 -> alert and new orders refused locally, never a second re-derive; resumes once the venue accepts the key', async () => {
    const { slug } = await readyLive(s);
    const since = s.clock.nowMs();
    await control(s, '/auth/key-state', { address: s.address, state: 'revoked' });
    await s.advance(12_000, 1_000);
    await waitFor(() => notices(s, 'venue.credentials', 'danger').length === 1, 'alert raised');
    const denied = await fokUp(s, slug, 5);
    expect(denied.r.ok).toBe(false);
    expect(!denied.r.ok && denied.r.reason).toMatch(/credentials refused \(401\)/);
    await s.advance(120_000, 1_000);
    const seen = await venueRequests(s, since);
    expect(seen.l1).toHaveLength(1);
    expect(seen.l1[0]!.how).toBe('derive');
    expect(route(seen.l2, 'POST', '/order')).toHaveLength(0);
    // Only the heartbeat keeps asking (every 5 s): no hammering.
    expect(seen.l2.filter((e) => !e.ok).length).toBeLessThanOrEqual(Math.ceil(132_000 / 5_000) + 3);
    expect(notices(s, 'venue.credentials', 'danger')).toHaveLength(1);

    await control(s, '/auth/key-state', { address: s.address, state: 'active' });
    await s.advance(6_000, 1_000);
    await waitFor(() => notices(s, 'venue.credentials', 'info').length === 1, 'accepted again');
    await waitFor(() => s.heartbeat!.ok, 'heartbeat acknowledged');
    const { slug: now } = await readyLive(s);
    const buy = await fokUp(s, now, 5);
    expect(buy.r.ok && buy.r.outcome.kind).toBe('accepted');
    expect((await venueRequests(s, since)).l1).toHaveLength(1);
    await settleFills(s);
    expectInvariants(s);
  });
});
