/**
 * Startup (and post-reconnect) reconciliation of the local journal with the venue: open orders, orders whose
 * outcome is unknown, and our trades. The engine stays not-ready unless every step succeeded.
 *
 * Steps: restore the tracker from the journal (startup only) -> fetch open orders (orphans are cancelled or
 * adopted per config) -> query every locally-open order the venue did not list -> replay our trades through the
 * tracker (de-duplicated by (tradeId, orderId)) -> ready. Orders journaled `created` but never sent are rejected.
 *
 * Invariants: incomplete venue snapshot => `ok:false` and trading stays refused; no order is (re)sent here.
 */
import type { EventBus } from '../bus';
import type { ExecutionEngine } from './execution-engine';
import type { OrderTracker } from './order-tracker';
import type { Venue } from './venue';

export interface ReconcileOptions {
  bus: EventBus;
  tracker: OrderTracker;
  venue: Venue;
  engine?: ExecutionEngine;
  /** Cancel venue orders the journal does not know (default true); otherwise adopt them. */
  cancelOrphans?: boolean;
  /** Restore the tracker from the journal first (process start). */
  restore?: boolean;
  tradesAfterMs?: number;
}

export interface ReconcileResult {
  ok: boolean;
  openOrders: number;
  adopted: number;
  canceledOrphans: number;
  trades: number;
  reason?: string;
}

export async function reconcile(o: ReconcileOptions): Promise<ReconcileResult> {
  const res: ReconcileResult = { ok: false, openOrders: 0, adopted: 0, canceledOrphans: 0, trades: 0 };
  o.engine?.setReady(false, 'reconciling');
  try {
    if (o.restore) o.tracker.restore();
    for (const ord of o.tracker.all()) if (ord.state === 'created') o.tracker.tryState(ord, 'rejected', 'never sent (restart)');
    const open = await o.venue.openOrders();
    res.openOrders = open.length;
    const orphans: string[] = [];
    for (const v of open) {
      if (o.tracker.getByOrderId(v.orderId)) o.tracker.onVenueOrder(v);
      else if (o.cancelOrphans ?? true) orphans.push(v.orderId);
      else {
        adopt(o.tracker, v);
        res.adopted++;
      }
    }
    if (orphans.length) {
      const c = await o.venue.cancel(orphans);
      res.canceledOrphans = c.canceled.length;
      const stuck = orphans.filter((id) => !c.canceled.includes(id) && !/matched|not found|already/i.test(c.notCanceled[id] ?? ''));
      if (stuck.length) throw new Error(`could not cancel ${stuck.length} orphan order(s)`);
    }
    const listed = new Set(open.map((v) => v.orderId));
    for (const ord of o.tracker.open()) {
      if (!ord.orderId || listed.has(ord.orderId)) continue;
      const v = await o.venue.getOrder(ord.orderId);
      if (v) o.tracker.onVenueOrder(v);
      else if (ord.state === 'submitted' || ord.state === 'unknown') o.tracker.tryState(ord, 'rejected', 'not found at venue');
      else o.tracker.tryState(ord, 'canceled', 'not found at venue');
    }
    const fills = await o.venue.fills(o.tradesAfterMs);
    for (const f of fills) if (o.tracker.onFill(f)) res.trades++;
    res.ok = true;
  } catch (err) {
    res.reason = err instanceof Error ? err.message : String(err);
  }
  o.engine?.setReady(res.ok, res.ok ? '' : `reconciliation incomplete: ${res.reason}`);
  o.bus.publish({ type: 'reconcile.completed', ...res });
  return res;
}

function adopt(tracker: OrderTracker, v: { orderId: string; tokenId: string; conditionId: string; side: 'BUY' | 'SELL'; price: number; originalSize: number }): void {
  const info = tracker.tokenInfoOf(v.tokenId) ?? { windowSlug: 'adopted', fees: { rate: 0, exponent: 1, takerOnly: true } };
  const o = tracker.create({
    clientTag: `adopted|${v.orderId}`,
    strategyId: 'adopted',
    market: { windowSlug: info.windowSlug, conditionId: v.conditionId, tokenId: v.tokenId, tickSize: '0.01', minOrderSize: 0, negRisk: false, version: 'v1', fees: info.fees },
    side: v.side,
    price: v.price,
    size: v.originalSize,
    orderType: 'GTC',
    postOnly: false,
  });
  tracker.markSubmitted(o.clientId, v.orderId);
  tracker.tryState(o, 'live', 'adopted at startup');
}
