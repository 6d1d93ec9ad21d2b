/**
 * Execution engine: intent -> checks -> journal -> prepare (venue id known) -> journal submitted -> rate limit
 * -> send -> outcome. One path for live and paper.
 *
 * Invariants:
 * - Nothing is sent before reconciliation completed (`ready`), while a gate (feeds, heartbeat, venue status)
 *   denies it, or for a reused clientTag (no duplicate orders).
 * - Every order is journaled as `submitted` with its venue id before the bytes leave.
 * - An `unknown` outcome is resolved by querying the venue by id until `resolveDeadlineMs`; it is never resent.
 *   Not found at the deadline => rejected ('not found at venue').
 * - Cancels are never gated (except by the cancel rate bucket, which drains first).
 * - `order_version_mismatch` (the order was signed for the wrong exchange version): the market's version is
 *   refreshed from the venue and, when it changed, the order is rebuilt and sent ONCE more (same client id, new
 *   venue id journaled first); a second refusal stands.
 * - A GTD whose wanted life is shorter than the venue's minimum (expiration >= now + 180 s, dropped 60 s before
 *   it) is signed with the minimum and cancelled by us when the wanted expiry comes.
 * - "not enough balance / allowance" (B9, balance-guard.ts): the venue's view is refreshed ONCE and the order sent
 *   ONCE more with the confirmed size (same client id, new salt and venue id journaled first); a second refusal, or
 *   nothing worth retrying, stops new orders on that asset and alerts.
 */
import type { EventBus } from '../bus';
import type { Clock } from '../clock';
import { crashPoint } from '../util/crash-points';
import { BalanceGuard, isBalanceRefusal, resizeToConfirmed } from './balance-guard';
import { saltFor } from './order-state';
import type { OrderTracker, TrackedOrder } from './order-tracker';
import type { RateLimiter } from './rate-limiter';
import type { PlaceOutcome, PlaceRequest } from '../core/orders';
import type { PreparedOrder, Venue } from './venue';
import type { VenueStatus } from './venue-status';

export interface ExecutionEngineOptions {
  clock: Clock;
  bus: EventBus;
  tracker: OrderTracker;
  venue: Venue;
  limiter?: RateLimiter;
  status?: VenueStatus;
  /** Extra gates (feed gate, heartbeat, kill switch...): return a reason to deny new orders. */
  gates?: Array<(req: PlaceRequest) => string | undefined>;
  resolveDeadlineMs?: number;
  resolveEveryMs?: number;
  /** Re-read a market's facts from the venue (version, tick); undefined when it cannot be refreshed. */
  refreshMarket?: (req: PlaceRequest) => Promise<PlaceRequest['market'] | undefined>;
  /** How long new orders on an asset stay stopped after a balance refusal the retry did not fix (default 10 min). */
  balanceBlockMs?: number;
}

/** The venue's shortest GTD life we can ask for: expiration >= now + 180 s, dropped 60 s before it. */
export const GTD_MIN_LIFE_MS = 120_000;

export type SubmitResult = { ok: true; order: TrackedOrder; outcome: PlaceOutcome } | { ok: false; reason: string; order?: TrackedOrder };

export class ExecutionEngine {
  ready = false;
  notReadyReason = 'reconciliation not run';
  readonly stats = { submitted: 0, denied: 0, unknown: 0, resolved: 0, versionRebuilds: 0, gtdCancels: 0, balanceRetries: 0 };
  /** Stops new orders on an asset after a balance refusal one refresh and one retry did not fix. */
  readonly balance: BalanceGuard;

  constructor(private readonly o: ExecutionEngineOptions) {
    this.balance = new BalanceGuard(o.clock, o.bus, o.balanceBlockMs);
    o.venue.setListener({ onOrder: (v) => o.tracker.onVenueOrder(v), onFill: (f) => o.tracker.onFill(f) });
  }

  setReady(ready: boolean, reason = ''): void {
    this.ready = ready;
    this.notReadyReason = reason;
  }

  denyReason(req: PlaceRequest): string | undefined {
    if (!this.ready) return `not ready: ${this.notReadyReason}`;
    if (this.o.tracker.has(req.clientTag)) return `duplicate clientTag ${req.clientTag}`;
    const s = this.o.status?.denyReason(req.orderType, req.postOnly) ?? this.balance.denyReason(req);
    if (s) return s;
    for (const g of this.o.gates ?? []) {
      const r = g(req);
      if (r) return r;
    }
    return undefined;
  }

  async place(req: PlaceRequest, onSent?: () => void): Promise<SubmitResult> {
    const deny = this.denyReason(req);
    if (deny) {
      this.stats.denied++;
      return { ok: false, reason: deny };
    }
    const t = this.o.tracker;
    const order = t.create(req);
    let prepared: PreparedOrder;
    try {
      prepared = await this.o.venue.prepare(req, order.clientId, saltFor(order.clientId));
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      t.setState(order, 'rejected', reason);
      return { ok: false, reason, order };
    }
    t.markSubmitted(order.clientId, prepared.orderId, prepared.salt);
    if (this.o.limiter) await this.o.limiter.acquire('order');
    // Re-check the venue status after a possible wait (a 425 may have arrived meanwhile).
    const late = this.o.status?.denyReason(req.orderType, req.postOnly);
    if (late) {
      t.setState(order, 'rejected', late);
      return { ok: false, reason: late, order };
    }
    this.stats.submitted++;
    const venue = this.o.venue;
    crashPoint('after-journal-write');
    const sent = () => {
      this.o.bus.publish({ type: 'order.sent', clientId: order.clientId, clientTag: order.clientTag, orderId: prepared.orderId });
      onSent?.();
    };
    let outcome: PlaceOutcome;
    if (venue.reportsSent) outcome = await venue.send(prepared, sent);
    else {
      sent();
      outcome = await venue.send(prepared);
    }
    crashPoint('after-send');
    if (outcome.kind === 'rejected' && /order_version_mismatch/i.test(outcome.reason)) outcome = await this.rebuildOnce(req, order, venue, outcome);
    if (outcome.kind === 'rejected' && isBalanceRefusal(outcome.reason)) outcome = await this.balanceRetryOnce(req, order, venue, outcome);
    this.apply(order, outcome);
    if (outcome.kind !== 'rejected') this.watchShortGtd(req, order);
    return { ok: true, order, outcome };
  }

  /** The order was signed for another exchange version: refresh the market and, if it changed, sign and send once more. */
  private async rebuildOnce(req: PlaceRequest, order: TrackedOrder, venue: { send(p: PreparedOrder): Promise<PlaceOutcome> }, first: PlaceOutcome): Promise<PlaceOutcome> {
    const market = await this.o.refreshMarket?.(req).catch(() => undefined);
    if (!market || market.version === req.market.version) return first;
    this.stats.versionRebuilds++;
    const again = { ...req, market };
    let prepared: PreparedOrder;
    try {
      prepared = await this.o.venue.prepare(again, order.clientId, saltFor(order.clientId) + 1);
    } catch (err) {
      return { kind: 'rejected', orderId: order.orderId ?? '', reason: `rebuild after order_version_mismatch failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    this.o.tracker.rebuilt(order, prepared.orderId, prepared.salt);
    if (this.o.limiter) await this.o.limiter.acquire('order');
    return venue.send(prepared);
  }

  /**
   * Balance refusal: refresh the venue's view once, resize to the confirmed balance and send once more; a second
   * refusal (or nothing worth sending) blocks the asset and alerts. The tracked order keeps its client id.
   */
  private async balanceRetryOnce(req: PlaceRequest, order: TrackedOrder, venue: { send(p: PreparedOrder): Promise<PlaceOutcome> }, first: Extract<PlaceOutcome, { kind: 'rejected' }>): Promise<PlaceOutcome> {
    const guard = this.balance;
    guard.setChecking(req, true);
    let confirmed: number | undefined;
    try {
      guard.stats.refreshes++;
      confirmed = await this.o.venue.refreshBalance?.(req).catch(() => undefined);
    } finally {
      guard.setChecking(req, false);
    }
    const unit = req.side === 'BUY' ? 'pUSD' : 'shares';
    const resized = confirmed !== undefined ? resizeToConfirmed(req, confirmed) : undefined;
    if (!resized) {
      const why = `${first.reason} (confirmed balance ${confirmed === undefined ? 'unknown' : `${confirmed.toFixed(2)} ${unit}`}: not retried)`;
      guard.block(req, why);
      return { ...first, reason: why };
    }
    let prepared: PreparedOrder;
    try {
      prepared = await this.o.venue.prepare(resized, order.clientId, saltFor(order.clientId) + 2);
    } catch (err) {
      guard.block(req, first.reason);
      return { ...first, reason: `${first.reason} (retry not built: ${err instanceof Error ? err.message : String(err)})` };
    }
    if (resized.size !== undefined) order.size = resized.size;
    if (resized.usd !== undefined) order.usd = resized.usd;
    this.o.tracker.rebuilt(order, prepared.orderId, prepared.salt);
    if (this.o.limiter) await this.o.limiter.acquire('order');
    const late = this.o.status?.denyReason(req.orderType, req.postOnly);
    if (late) return { ...first, reason: `${first.reason}; retry not sent: ${late}` };
    this.stats.balanceRetries++;
    guard.stats.retries++;
    const again = await venue.send(prepared);
    if (again.kind === 'rejected' && isBalanceRefusal(again.reason)) guard.block(req, `${again.reason} (after one refresh and one retry with ${(resized.size ?? resized.usd ?? 0).toFixed(2)} ${resized.size !== undefined ? 'shares' : 'pUSD'})`);
    return again;
  }

  /** A GTD asked to live less than the venue allows is cancelled by us at its wanted expiry. */
  private watchShortGtd(req: PlaceRequest, order: TrackedOrder): void {
    if (req.orderType !== 'GTD' || req.expiresMs === undefined) return;
    if (req.expiresMs - this.o.clock.nowMs() >= GTD_MIN_LIFE_MS) return;
    this.o.clock.at(req.expiresMs, `gtd-expiry:${order.clientId}`, () => {
      if (!order.orderId || !this.o.tracker.open().includes(order)) return;
      this.stats.gtdCancels++;
      void this.cancelOrders([order]).catch(() => undefined);
    });
  }

  private apply(order: TrackedOrder, out: PlaceOutcome): void {
    const t = this.o.tracker;
    if (out.kind === 'rejected') {
      t.tryState(order, 'rejected', out.reason);
      return;
    }
    if (out.kind === 'unknown') {
      this.stats.unknown++;
      t.tryState(order, 'unknown', out.reason);
      this.scheduleResolve(order, this.o.clock.nowMs() + (this.o.resolveDeadlineMs ?? 30_000));
      return;
    }
    if (out.orderId !== order.orderId) t.bindOrderId(order, out.orderId);
    const market = order.orderType === 'FOK' || order.orderType === 'FAK';
    if (out.status === 'live') t.tryState(order, order.filledSize > 0 ? 'partial' : 'live');
    else if (out.status === 'matched') t.tryState(order, market || order.filledSize >= (order.size ?? 0) - 1e-9 ? 'filled' : 'partial');
    else if (out.status === 'unmatched') t.tryState(order, 'canceled', 'unmatched');
    else {
      // delayed: held by the taker delay – pending, resolve by query.
      this.scheduleResolve(order, this.o.clock.nowMs() + (this.o.resolveDeadlineMs ?? 30_000));
    }
  }

  /** Query the venue for an order whose outcome we do not know, until it is known or the deadline passes. */
  private scheduleResolve(order: TrackedOrder, deadlineMs: number): void {
    this.o.clock.after(this.o.resolveEveryMs ?? 500, `resolve:${order.clientId}`, () => void this.resolveOnce(order, deadlineMs));
  }

  async resolveOnce(order: TrackedOrder, deadlineMs: number): Promise<void> {
    if (!order.orderId || (order.state !== 'unknown' && order.state !== 'submitted')) return;
    try {
      const v = await this.o.venue.getOrder(order.orderId);
      if (v) {
        this.stats.resolved++;
        this.o.tracker.onVenueOrder(v);
        if (order.state === 'unknown' || order.state === 'submitted') this.o.tracker.tryState(order, v.sizeMatched > 0 ? 'partial' : 'live');
        return;
      }
    } catch {
      /* transport error: try again until the deadline */
    }
    if (this.o.clock.nowMs() >= deadlineMs) {
      this.stats.resolved++;
      this.o.tracker.tryState(order, 'rejected', 'not found at venue');
      return;
    }
    this.scheduleResolve(order, deadlineMs);
  }

  async cancel(clientTag: string): Promise<boolean> {
    const o = this.o.tracker.getByTag(clientTag);
    if (!o?.orderId) return false;
    return (await this.cancelOrders([o]))[0] ?? false;
  }

  async cancelWindow(windowSlug: string): Promise<number> {
    const list = this.o.tracker.open().filter((o) => o.windowSlug === windowSlug && o.orderId);
    return (await this.cancelOrders(list)).filter(Boolean).length;
  }

  async cancelAllOpen(): Promise<number> {
    return (await this.cancelOrders(this.o.tracker.open().filter((o) => o.orderId))).filter(Boolean).length;
  }

  private async cancelOrders(list: TrackedOrder[]): Promise<boolean[]> {
    if (list.length === 0) return [];
    const res = await this.o.venue.cancel(list.map((o) => o.orderId!));
    return list.map((o) => {
      if (res.canceled.includes(o.orderId!)) {
        this.o.tracker.tryState(o, 'canceled', 'canceled by request');
        return true;
      }
      return false;
    });
  }
}
