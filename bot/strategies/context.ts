/**
 * The read-only views a strategy consumes (its whole world). The runtime (live, paper or replay) builds them
 * from normalized feed and order events and updates them BEFORE the strategy sees the event that changed them.
 *
 * What the execution layer must provide (one StrategyContext per dispatch, or one mutable object reused):
 * - nowMs: the injected clock's time (sim clock in replay), never Date.now().
 * - markets: every window of the strategy's series that is upcoming/open/closing/closed but not yet forgotten,
 *   with both books (best-first levels), tick, min size, fee schedule, lifecycle state and price to beat.
 * - reference: the Chainlink reference (PolyBolt price.crypto / legacy RTDS) as 1 s samples, oldest first,
 *   at least the last 180 s (bounded), the latest PolyBolt TWAP-60 when known, and the spot price.
 * - positions: this strategy's shares per token (provisional fills flagged) and its open orders.
 * - external: optional plug-in signal values (absent by default; strategies must cope with absence).
 *
 * Invariants: all times are epoch ms; prices and probabilities are in [0, 1]; book levels are best-first
 * (bids descending, asks ascending) and hold only positive sizes; arrays are never mutated by strategies.
 */

export type OrderSide = 'BUY' | 'SELL';
export type Outcome = 'up' | 'down';
export type WindowState = 'upcoming' | 'open' | 'closing' | 'closed' | 'resolved';

export interface PriceLevel {
  readonly price: number;
  readonly size: number;
}

export interface LastTrade {
  readonly price: number;
  readonly size: number;
  /** The taker's side. */
  readonly side: OrderSide;
  readonly tsMs: number;
}

export interface BookView {
  readonly tokenId: string;
  /** Best first (highest price first). */
  readonly bids: readonly PriceLevel[];
  /** Best first (lowest price first). */
  readonly asks: readonly PriceLevel[];
  readonly lastTrade?: LastTrade;
  /** False when the book feed is stale or resyncing: strategies must not open positions on it. */
  readonly fresh: boolean;
  readonly updatedMs: number;
}

/** Gamma `feeSchedule`: taker fee per share = rate × (p × (1 − p))^exponent (reference §6). */
import type { FeeSchedule } from '../core/fees';
export type { FeeSchedule };

export interface MarketView {
  readonly slug: string;
  readonly asset: string;
  /** Window length in seconds (300 = 5m, 900 = 15m). */
  readonly windowSec: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly upTokenId: string;
  readonly downTokenId: string;
  readonly tickSize: number;
  /** Minimum order size in shares. */
  readonly minOrderSize: number;
  readonly fee: FeeSchedule;
  readonly state: WindowState;
  readonly up: BookView;
  readonly down: BookView;
  /** TWAP-60 of the reference at the window start, once known. */
  readonly priceToBeat?: number;
  /** Winner once resolved. */
  readonly winner?: Outcome;
}

export interface PriceSample {
  readonly tsMs: number;
  readonly price: number;
}

export interface ReferenceView {
  /** Latest Chainlink reference price (settlement source family). */
  readonly latest?: PriceSample;
  /**
   * 1 s samples of the reference, oldest first, bounded (≥ 180 s kept). Used for sigma, the 60 s return
   * and the part of the end-of-window TWAP already observed. Gaps are allowed (missing seconds).
   */
  readonly history: readonly PriceSample[];
  /** Latest PolyBolt TWAP-60 value, when that feed is up. */
  readonly twap60?: PriceSample;
  /** Spot exchange price (liveness and divergence only, never settlement maths). */
  readonly spot?: PriceSample;
  /** True when the reference feed is stale. */
  readonly stale: boolean;
}

export interface PositionView {
  readonly tokenId: string;
  readonly shares: number;
  readonly avgPrice: number;
  /** True when some of these shares come from fills not yet CONFIRMED. */
  readonly provisional: boolean;
}

export interface OpenOrderView {
  readonly clientTag: string;
  readonly tokenId: string;
  readonly side: OrderSide;
  readonly price: number;
  readonly size: number;
  readonly filledSize: number;
  readonly postOnly: boolean;
}

export interface ExternalSignalValue {
  /** Score in [-1, 1]; positive favours Up. */
  readonly value: number;
  /** When it was fetched (the runtime's clock). */
  readonly tsMs: number;
  /** The source's own figure (a put/call ratio, an index 0–100), for the console. */
  readonly raw?: number;
  /** −1 | 0 | +1 (+1 favours Up); absent = sign(value). */
  readonly direction?: -1 | 0 | 1;
  /** [0, 1]; absent = |value|. */
  readonly strength?: number;
  /** [0, 1]: how far the source trusts this reading; absent = 1. */
  readonly confidence?: number;
}

export interface StrategyContext {
  /** Instance id of this strategy (prefix of every clientTag it emits). */
  readonly strategyId: string;
  readonly nowMs: number;
  readonly markets: readonly MarketView[];
  /**
   * The window of `markets` with this slug (the very same view object), without building the other windows' views:
   * what a strategy reads on a book or trade event, which changes only its own window. Optional for hand-made
   * contexts; `findMarket` falls back to searching `markets`.
   */
  market?(slug: string): MarketView | undefined;
  /**
   * The windows of `markets` whose state is `open` or `closing` (the only ones `isTradable` can accept): the very same
   * view objects, in the same order, without building the other windows' views. The catalog keeps a dozen or more
   * closed and resolved windows for settlement; a strategy looking for windows to trade on a tick or a reference update
   * reads this list instead. Optional for hand-made contexts; `marketsToEvaluate` falls back to `markets`.
   */
  readonly openMarkets?: readonly MarketView[];
  readonly reference: ReferenceView;
  /** This strategy's positions, keyed by token id (absent = flat). */
  readonly positions: ReadonlyMap<string, PositionView>;
  /** This strategy's working orders. */
  readonly openOrders: readonly OpenOrderView[];
  /** Optional plug-in signals by id (e.g. 'putCallRatio'); absent or stale means off. */
  readonly external?: ReadonlyMap<string, ExternalSignalValue>;
}
