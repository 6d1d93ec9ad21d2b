/**
 * Expected value of a taker buy and FOK sizing for hammer.
 *
 * EV per share of buying outcome X at ask a = P(X wins) − a − fee(a), fee(a) = rate·(a(1−a))^exponent
 * from the market fee schedule (reference §6, 5-decimal rounding). P(Up) = p_hat, P(Down) = 1 − p_hat.
 * Sizing walks the asks best-first while each level keeps EV > 0 and price ≤ maxEntryPrice; the FOK limit
 * is the worst included level and the USD amount is min(quoteUsd, maxUsd, visible depth USD), floored to cents.
 * Pure functions.
 */
import type { FeeSchedule, PriceLevel } from '../context';
import { takerFeePerShare } from '../../core/fees';

export interface SideEv {
  readonly ask: number;
  readonly fee: number;
  readonly ev: number;
}

/** `extraFee`: a flat extra cost per share (USD) on top of the venue's taker fee (seed 001's fee_bps / 10,000). */
export function evOfBuy(probWin: number, ask: number, fee: FeeSchedule, extraFee = 0): SideEv {
  const f = takerFeePerShare(ask, fee) + extraFee;
  return { ask, fee: f, ev: probWin - ask - f };
}

export interface FokSizing {
  readonly usd: number;
  readonly limitPrice: number;
  readonly depthUsd: number;
  readonly estShares: number;
}

export function sizeFok(
  asks: readonly PriceLevel[],
  probWin: number,
  fee: FeeSchedule,
  maxEntryPrice: number,
  quoteUsd: number,
  maxUsd: number,
  extraFee = 0,
): FokSizing | undefined {
  let depthUsd = 0;
  let limitPrice: number | undefined;
  for (const l of asks) {
    if (l.price > maxEntryPrice + 1e-12) break;
    if (!(evOfBuy(probWin, l.price, fee, extraFee).ev > 0)) break;
    depthUsd += l.price * l.size;
    limitPrice = l.price;
  }
  if (limitPrice === undefined) return undefined;
  const usd = Math.floor(Math.min(quoteUsd, maxUsd, depthUsd) * 100 + 1e-9) / 100;
  if (!(usd > 0)) return undefined;
  // Shares bought at best: usd / average price ≥ usd / limit; use the conservative bound.
  return { usd, limitPrice, depthUsd, estShares: usd / limitPrice };
}
