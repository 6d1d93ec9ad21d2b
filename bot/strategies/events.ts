/**
 * Normalized facts delivered to strategies (`Strategy.onEvent`). The runtime maps bus events onto these;
 * order events only concern orders this strategy emitted (matched by clientTag).
 *
 * Invariants: views in the StrategyContext already reflect the event; fills are de-duplicated by tradeId
 * upstream but strategies still ignore repeats; `remaining` is the order's unfilled size after the fill
 * (0 = done); every order ends in exactly one terminal event (filled with remaining 0, cancelled, rejected).
 */
import type { OrderSide, Outcome } from './context';

export type StrategyEvent =
  | { readonly kind: 'window.opened'; readonly slug: string }
  | { readonly kind: 'window.closing'; readonly slug: string }
  | { readonly kind: 'window.closed'; readonly slug: string }
  | { readonly kind: 'window.resolved'; readonly slug: string; readonly winner: Outcome }
  | { readonly kind: 'book'; readonly slug: string; readonly tokenId: string }
  | {
      readonly kind: 'trade';
      readonly slug: string;
      readonly tokenId: string;
      readonly price: number;
      readonly size: number;
      /** The taker's side. */
      readonly side: OrderSide;
    }
  | { readonly kind: 'reference'; readonly price: number; readonly tsMs: number }
  /** Periodic heartbeat (≈1 s) so time-based rules fire in quiet markets. */
  | { readonly kind: 'tick' }
  | { readonly kind: 'order.accepted'; readonly clientTag: string }
  | {
      readonly kind: 'order.filled';
      readonly clientTag: string;
      readonly tradeId: string;
      readonly tokenId: string;
      readonly side: OrderSide;
      readonly price: number;
      readonly size: number;
      readonly remaining: number;
      readonly fee: number;
      readonly provisional: boolean;
    }
  /** A fill reported MATCHED that later FAILED: undo it. */
  | { readonly kind: 'fill.voided'; readonly clientTag: string; readonly tradeId: string }
  | { readonly kind: 'order.cancelled'; readonly clientTag: string; readonly reason?: string }
  | { readonly kind: 'order.rejected'; readonly clientTag: string; readonly reason: string };

export type StrategyEventKind = StrategyEvent['kind'];
