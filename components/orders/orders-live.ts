/**
 * Live overlay of the Orders & PnL read model: the order and fill events that arrive between two GET /api/orders
 * refetches are laid over the last answer (an order's new state, a new fill at the top), so the tables move at once
 * and the refetch that follows brings the positions, PnL and curve. Pure functions (unit-tested), no React.
 *
 * Invariants: an overlay value counts only when its seq is newer than the answer's `seq` (an older one is already in
 * the answer); bounded (MAX_STATES order states, MAX_FILLS fills, oldest dropped); a new runtime instance starts a new
 * overlay (seqs restart).
 */
import type { BotEvent } from '../../lib/schemas/events';
import type { OrdersResponse } from '../../lib/schemas/orders';
import type { FillRow } from '../../lib/schemas/trading';

const MAX_STATES = 500;
const MAX_FILLS = 200;

export interface OrdersOverlay {
  instanceId: string | null;
  states: Map<string, { state: OrdersResponse['orders'][number]['state']; reason: string | null; updatedMs: number; seq: number }>;
  fills: (FillRow & { seq: number; tokenId: string })[];
}

export function createOrdersOverlay(instanceId: string | null = null): OrdersOverlay {
  return { instanceId, states: new Map(), fills: [] };
}

/** Events after which the whole model is refetched (positions, PnL and the curve come from the server). */
export const ORDERS_REFETCH_ON: ReadonlySet<BotEvent['type']> = new Set<BotEvent['type']>([
  'order.state', 'order.filled', 'order.fill_confirmed', 'order.fill_voided', 'position.changed', 'position.settled', 'runtime.state',
]);

/** Fold one event in (mutates the overlay); true when it is an order or position event (the view may change). */
export function applyOrdersEvent(ov: OrdersOverlay, e: BotEvent): boolean {
  switch (e.type) {
    case 'order.state':
      ov.states.delete(e.clientTag);
      ov.states.set(e.clientTag, { state: e.state, reason: e.reason ?? null, updatedMs: e.tsEventMs, seq: e.seq });
      if (ov.states.size > MAX_STATES) ov.states.delete(ov.states.keys().next().value!);
      return true;
    case 'order.filled': {
      const strategyId = e.clientTag.split('|').length === 4 ? e.clientTag.split('|')[0]! : null;
      ov.fills.push({
        seq: e.seq, tokenId: e.tokenId, tradeId: e.tradeId, clientTag: e.clientTag || null, strategyId, windowSlug: e.windowSlug, outcome: null, side: e.side,
        price: e.price, size: e.size, feeUsd: e.feeUsd, liquidity: e.liquidity, status: e.provisional ? 'MATCHED' : 'CONFIRMED', provisional: e.provisional, tsMs: e.tsEventMs,
      });
      if (ov.fills.length > MAX_FILLS) ov.fills.splice(0, ov.fills.length - MAX_FILLS);
      return true;
    }
    case 'order.fill_confirmed':
    case 'order.fill_voided':
    case 'position.changed':
    case 'position.settled':
      return true;
    default:
      return false;
  }
}

/** The answer with the newer overlay values laid over it (the answer itself is not changed). */
export function mergeOrders(m: OrdersResponse, ov: OrdersOverlay): OrdersResponse {
  const states = [...ov.states].filter(([, s]) => s.seq > m.seq);
  const newFills = ov.fills.filter((f) => f.seq > m.seq && !m.fills.some((x) => x.tradeId === f.tradeId && x.clientTag === f.clientTag));
  if (states.length === 0 && newFills.length === 0) return m;
  const byTag = new Map(states);
  const orders = m.orders.map((o) => {
    const s = byTag.get(o.clientTag);
    return s ? { ...o, state: s.state, reason: s.reason ?? o.reason, updatedMs: s.updatedMs } : o;
  });
  const outcomeOf = new Map(m.positions.map((p) => [p.tokenId, p.outcome]));
  const added: FillRow[] = newFills
    .map((f) => {
      const { seq, tokenId, ...row } = f;
      void seq;
      return { ...row, outcome: outcomeOf.get(tokenId) ?? null };
    })
    .sort((a, b) => b.tsMs - a.tsMs);
  const fills = [...added, ...m.fills].slice(0, Math.max(m.limit, m.fills.length));
  return { ...m, orders, fills, fillsTotal: m.fillsTotal + added.length };
}
