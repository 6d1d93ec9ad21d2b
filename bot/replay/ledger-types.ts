/**
 * The replay ledger: the ordered facts a replay produced (orders, fills, settlements, decisions). It is what the
 * ledger hash covers and what the backtest report reads. Built from bus events by `ledger.ts`.
 *
 * Invariants: entries are in bus (publish) order; times are the simulated clock's epoch ms; money in USD (pUSD),
 * sizes in shares, prices and probabilities in [0, 1]. Nothing wall-clock or process-specific is in an entry, so the
 * same session replayed twice gives byte-identical entries.
 */
export type LedgerEntry = LedgerOrder | LedgerFill | LedgerSettlement | LedgerDecision;

/** An order's final state (one entry when it reaches a terminal state, or at the end of the replay). */
export interface LedgerOrder {
  kind: 'order';
  tsMs: number;
  strategyId: string;
  clientTag: string;
  windowSlug: string;
  tokenId: string;
  outcome: 'up' | 'down' | undefined;
  side: 'BUY' | 'SELL';
  orderType: 'GTC' | 'GTD' | 'FOK' | 'FAK';
  postOnly: boolean;
  price: number;
  /** Shares asked for (limit) or undefined for a USD-sized market buy. */
  size: number | undefined;
  usd: number | undefined;
  filledSize: number;
  state: 'filled' | 'partial' | 'canceled' | 'rejected' | 'live' | 'unknown' | 'created' | 'submitted';
  reason: string | undefined;
}

export interface LedgerFill {
  kind: 'fill';
  tsMs: number;
  strategyId: string;
  clientTag: string;
  tradeId: string;
  windowSlug: string;
  tokenId: string;
  outcome: 'up' | 'down' | undefined;
  side: 'BUY' | 'SELL';
  price: number;
  size: number;
  feeUsd: number;
  liquidity: 'taker' | 'maker';
}

/** A position (one strategy, one token) settled at resolution. */
export interface LedgerSettlement {
  kind: 'settle';
  tsMs: number;
  strategyId: string;
  windowSlug: string;
  tokenId: string;
  outcome: 'up' | 'down' | undefined;
  /** Did this token win? */
  won: boolean;
  shares: number;
  payoutUsd: number;
  /** Realised PnL of this position over its life, fees included. */
  realizedUsd: number;
}

/** A strategy's final per-window decision ('traded' / 'skipped'); evaluations are not in the ledger. */
export interface LedgerDecision {
  kind: 'decision';
  tsMs: number;
  strategyId: string;
  strategyType: string;
  windowSlug: string;
  action: 'traded' | 'skipped';
  reason: string;
  outcome: 'up' | 'down' | undefined;
  /** Model probability of the traded outcome and its EV per share at the decision, when the strategy has a model. */
  pHat: number | undefined;
  ev: number | undefined;
  ask: number | undefined;
}
