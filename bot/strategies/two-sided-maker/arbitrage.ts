/**
 * Complete-set arbitrage (SPEC §3.3): buying one Up and one Down share costs askUp + askDown plus both taker
 * fees and pays exactly 1 at resolution. Trade only when the edge net of fees is positive:
 * edge = 1 − (askUp + askDown + fee(askUp) + fee(askDown)) > minEdge. Sized to the smaller top-of-book size,
 * capped by maxSets and rounded down to 2 decimals; skipped below the market minimum. Pure.
 */
import type { FeeSchedule, PriceLevel } from '../context';
import { takerFeePerShare } from '../../core/fees';

export function completeSetEdge(askUp: number, askDown: number, fee: FeeSchedule): number {
  return 1 - (askUp + askDown + takerFeePerShare(askUp, fee) + takerFeePerShare(askDown, fee));
}

export interface ArbPlan {
  readonly sets: number;
  readonly askUp: number;
  readonly askDown: number;
  readonly edge: number;
}

export function planArbitrage(
  upAsks: readonly PriceLevel[],
  downAsks: readonly PriceLevel[],
  fee: FeeSchedule,
  minEdge: number,
  maxSets: number,
  minOrderSize: number,
): ArbPlan | undefined {
  const u = upAsks[0];
  const d = downAsks[0];
  if (!u || !d) return undefined;
  const edge = completeSetEdge(u.price, d.price, fee);
  if (!(edge > minEdge)) return undefined;
  const sets = Math.floor(Math.min(u.size, d.size, maxSets) * 100) / 100;
  if (sets < minOrderSize) return undefined;
  return { sets, askUp: u.price, askDown: d.price, edge };
}
