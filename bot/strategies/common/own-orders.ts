/**
 * OwnOrders: a strategy-local book-keeping of the orders it emitted and the fills they received, so that
 * decisions are driven by its own events (deterministic in replay) rather than by shared state.
 *
 * Invariants: fills are de-duplicated by tradeId; a voided fill is removed; an order is `done` after a fill
 * with remaining 0, a cancel or a reject; bounded by `maxOrders` (oldest done orders evicted first).
 */
import type { OrderSide } from '../context';
import type { StrategyEvent } from '../events';
import type { PlaceIntent } from '../intents';

export interface OwnFill {
  readonly tradeId: string;
  readonly price: number;
  readonly size: number;
}

export interface OwnOrder {
  readonly clientTag: string;
  readonly windowSlug: string;
  readonly tokenId: string;
  readonly side: OrderSide;
  readonly price: number;
  /** Ordered shares (0 for USD-sized FOK/FAK buys). */
  readonly size: number;
  readonly purpose: string;
  readonly placedMs: number;
  readonly fills: OwnFill[];
  status: 'pending' | 'working' | 'done';
  cancelRequested: boolean;
  endReason?: 'filled' | 'cancelled' | 'rejected';
}

export class OwnOrders {
  private readonly orders = new Map<string, OwnOrder>();

  constructor(private readonly maxOrders = 2_000) {}

  track(intent: PlaceIntent, purpose: string, nowMs: number): OwnOrder {
    const o: OwnOrder = {
      clientTag: intent.clientTag,
      windowSlug: intent.windowSlug,
      tokenId: intent.tokenId,
      side: intent.side,
      price: intent.price,
      size: intent.size ?? 0,
      purpose,
      placedMs: nowMs,
      fills: [],
      status: 'pending',
      cancelRequested: false,
    };
    this.orders.set(o.clientTag, o);
    this.evict();
    return o;
  }

  /**
   * Adopt a position found at start (restart mid-window) as one synthetic, fully filled order so that the
   * strategy manages it like its own fills. The tag never reaches the venue.
   */
  adopt(tag: string, windowSlug: string, tokenId: string, purpose: string, shares: number, avgPrice: number, nowMs: number): OwnOrder {
    const o: OwnOrder = {
      clientTag: tag, windowSlug, tokenId, side: 'BUY', price: avgPrice, size: shares, purpose, placedMs: nowMs,
      fills: [{ tradeId: `${tag}#adopted`, price: avgPrice, size: shares }], status: 'done', cancelRequested: false, endReason: 'filled',
    };
    this.orders.set(tag, o);
    return o;
  }

  get(tag: string): OwnOrder | undefined {
    return this.orders.get(tag);
  }

  /** Apply an order event; returns the order it concerned (undefined for foreign tags or repeats). */
  apply(ev: StrategyEvent): OwnOrder | undefined {
    if (!('clientTag' in ev)) return undefined;
    const o = this.orders.get(ev.clientTag);
    if (!o) return undefined;
    switch (ev.kind) {
      case 'order.accepted':
        if (o.status === 'pending') o.status = 'working';
        return o;
      case 'order.filled':
        if (o.fills.some((f) => f.tradeId === ev.tradeId)) return undefined;
        o.fills.push({ tradeId: ev.tradeId, price: ev.price, size: ev.size });
        if (ev.remaining <= 1e-9) {
          o.status = 'done';
          o.endReason = 'filled';
        } else if (o.status === 'pending') o.status = 'working';
        return o;
      case 'fill.voided': {
        const i = o.fills.findIndex((f) => f.tradeId === ev.tradeId);
        if (i < 0) return undefined;
        o.fills.splice(i, 1);
        return o;
      }
      case 'order.cancelled':
      case 'order.rejected':
        if (o.status === 'done') return undefined;
        o.status = 'done';
        o.endReason = ev.kind === 'order.cancelled' ? 'cancelled' : 'rejected';
        return o;
      default:
        return undefined;
    }
  }

  forWindow(slug: string): OwnOrder[] {
    return [...this.orders.values()].filter((o) => o.windowSlug === slug);
  }

  live(slug: string, purpose?: string): OwnOrder[] {
    return this.forWindow(slug).filter((o) => o.status !== 'done' && (purpose === undefined || o.purpose === purpose));
  }

  /** Net shares of a token bought minus sold by this strategy's orders of the window (voided fills excluded). */
  netShares(slug: string, tokenId: string): number {
    let n = 0;
    for (const o of this.forWindow(slug)) if (o.tokenId === tokenId) n += (o.side === 'BUY' ? 1 : -1) * filledSize(o);
    return Math.max(0, n);
  }

  /** USD spent on buys in the window (price × size of the fills). */
  boughtUsd(slug: string): number {
    let usd = 0;
    for (const o of this.forWindow(slug)) if (o.side === 'BUY') usd += filledCost(o);
    return usd;
  }

  forget(slug: string): void {
    for (const [k, o] of this.orders) if (o.windowSlug === slug) this.orders.delete(k);
  }

  private evict(): void {
    if (this.orders.size <= this.maxOrders) return;
    for (const [k, o] of this.orders) {
      if (this.orders.size <= this.maxOrders) break;
      if (o.status === 'done') this.orders.delete(k);
    }
  }
}

export function filledSize(o: OwnOrder): number {
  return o.fills.reduce((s, f) => s + f.size, 0);
}

export function filledCost(o: OwnOrder): number {
  return o.fills.reduce((s, f) => s + f.size * f.price, 0);
}
