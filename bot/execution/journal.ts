/**
 * Execution journal: the durable record the store implements (better-sqlite3 in production).
 * Every order is written BEFORE its bytes are sent; fills are written once per (tradeId, orderId) and their
 * settlement status updated in place. Synchronous on purpose (better-sqlite3 is synchronous): a write that
 * returns has happened.
 *
 * Invariants of implementations: upsert by key; `loadOrders` returns non-terminal orders and anything
 * touched in the last `sinceMs`; MemoryJournal is bounded (oldest terminal orders / settled fills evicted).
 */
import type { OrderState } from './order-state';

export interface JournalOrder {
  clientId: string;
  clientTag: string;
  strategyId: string;
  windowSlug: string;
  tokenId: string;
  side: 'BUY' | 'SELL';
  price: number;
  /** Shares (limit orders, SELL market orders). */
  size?: number;
  /** USD (BUY market orders). */
  usd?: number;
  orderType: 'GTC' | 'GTD' | 'FOK' | 'FAK';
  postOnly: boolean;
  state: OrderState;
  /** Venue order id (EIP-712 hash), known before sending on the live venue. */
  orderId?: string;
  salt?: number;
  filledSize: number;
  createdMs: number;
  updatedMs: number;
  reason?: string;
}

import type { FillStatus } from '../core/orders';
export type { FillStatus };

export interface JournalFill {
  key: string;
  tradeId: string;
  orderId: string;
  clientId?: string;
  tokenId: string;
  windowSlug: string;
  side: 'BUY' | 'SELL';
  price: number;
  size: number;
  feeUsd: number;
  liquidity: 'taker' | 'maker';
  status: FillStatus;
  tsMs: number;
}

export interface ExecutionJournal {
  recordOrder(order: JournalOrder): void;
  recordFill(fill: JournalFill): void;
  loadOrders(): JournalOrder[];
  loadFills(): JournalFill[];
}

export class MemoryJournal implements ExecutionJournal {
  private readonly orders = new Map<string, JournalOrder>();
  private readonly fills = new Map<string, JournalFill>();
  /** Calls in order, for tests asserting "journaled before sent". */
  readonly log: string[] = [];

  constructor(private readonly maxEntries = 50_000) {}

  recordOrder(order: JournalOrder): void {
    this.orders.delete(order.clientId);
    this.orders.set(order.clientId, { ...order });
    this.log.push(`order:${order.clientId}:${order.state}`);
    if (this.log.length > this.maxEntries) this.log.splice(0, this.log.length - this.maxEntries);
    if (this.orders.size > this.maxEntries) this.evictOrders();
  }

  recordFill(fill: JournalFill): void {
    this.fills.set(fill.key, { ...fill });
    this.log.push(`fill:${fill.key}:${fill.status}`);
    if (this.fills.size > this.maxEntries) {
      const first = this.fills.keys().next().value;
      if (first !== undefined) this.fills.delete(first);
    }
  }

  loadOrders(): JournalOrder[] {
    return [...this.orders.values()].map((o) => ({ ...o }));
  }

  loadFills(): JournalFill[] {
    return [...this.fills.values()].map((f) => ({ ...f }));
  }

  private evictOrders(): void {
    for (const [k, o] of this.orders) {
      if (this.orders.size <= this.maxEntries) break;
      if (o.state === 'filled' || o.state === 'canceled' || o.state === 'rejected') this.orders.delete(k);
    }
  }
}
