/**
 * The pre-trade balance rule (`insufficient_balance`): a BUY is refused when its cost — notional (price × size, or the
 * USD amount of a market BUY) plus the taker fee unless it is post-only — plus the notional our working BUYs can still
 * spend exceeds the collateral balance (bot/risk/balance-source.ts). SELLs (and cancels, which never reach the risk
 * engine) always pass. An unknown balance (live, never read) refuses every BUY; paper always knows its balance.
 *
 * Invariants: pure; equality passes (cost + working == balance is affordable, one cent over is not — compared with a
 * 1e-9 tolerance); the fee is the venue's formula (bot/core/fees.ts) with the market's schedule, or the default crypto
 * schedule when the market is unknown (never a cheaper guess); the reason names both figures.
 */
import { DEFAULT_CRYPTO_FEES, takerFeeUsd, type FeeSchedule } from '../core/fees';
import type { CollateralSnapshot } from './balance-source';

export interface BalanceCheckOrder {
  side: 'BUY' | 'SELL';
  price: number;
  size?: number;
  usd?: number;
  postOnly: boolean;
}

/** Cost of a BUY in pUSD: notional plus the taker fee when it may take. */
export function buyCostUsd(p: BalanceCheckOrder, fees: FeeSchedule | undefined): number {
  const shares = p.usd !== undefined ? p.usd / p.price : (p.size ?? 0);
  const notional = p.usd ?? shares * p.price;
  return notional + (p.postOnly ? 0 : takerFeeUsd(fees ?? DEFAULT_CRYPTO_FEES, shares, p.price));
}

/** Why this order may not be sent for lack of balance (undefined: it may). */
export function insufficientBalanceReason(p: BalanceCheckOrder, balance: CollateralSnapshot, fees: FeeSchedule | undefined): string | undefined {
  if (p.side !== 'BUY') return undefined;
  const cost = buyCostUsd(p, fees);
  if (balance.balanceUsd === undefined) {
    const why = balance.error ? ` (${balance.error.slice(0, 120)})` : '';
    return `collateral balance unknown: not read from the venue yet${why}; BUY of ${cost.toFixed(2)} USD refused`;
  }
  const need = cost + balance.workingBuyUsd;
  if (need <= balance.balanceUsd + 1e-9) return undefined;
  const what = balance.source === 'paper' ? 'paper cash' : 'venue balance';
  return `BUY cost ${cost.toFixed(2)} USD${p.postOnly ? '' : ' (taker fee included)'} + working BUYs ${balance.workingBuyUsd.toFixed(2)} USD = ${need.toFixed(2)} USD > ${what} ${balance.balanceUsd.toFixed(2)} USD`;
}
