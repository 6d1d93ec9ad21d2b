/**
 * Restart recovery: on `onStart` a strategy adopts the positions the runtime reconciled for it (ctx.positions,
 * this strategy only) in windows of its series that are still tradable. The runtime's startup cleanup cancels
 * open orders before any new order, so only positions are adopted, never orders.
 * Invariant: at most one adopted order per (window, token); dust is adopted too (it stays dust).
 */
import type { MarketView, Outcome, StrategyContext } from '../context';
import { makeClientTag } from '../intents';
import { isTradable, outcomeOfToken, seriesMarkets } from './market';
import type { OwnOrders } from './own-orders';

export interface Adopted {
  readonly market: MarketView;
  readonly outcome: Outcome;
  readonly shares: number;
  readonly avgPrice: number;
}

export function adoptPositions(
  ctx: StrategyContext,
  orders: OwnOrders,
  series: { asset: string; windowSecs: readonly number[] },
): Adopted[] {
  const out: Adopted[] = [];
  for (const m of seriesMarkets(ctx, series.asset, series.windowSecs)) {
    if (!isTradable(m, ctx.nowMs)) continue;
    for (const tokenId of [m.upTokenId, m.downTokenId]) {
      const pos = ctx.positions.get(tokenId);
      const outcome = outcomeOfToken(m, tokenId);
      if (!pos || !(pos.shares > 1e-9) || !outcome) continue;
      const purpose = `adopted-${outcome}`;
      orders.adopt(makeClientTag(ctx.strategyId, m.slug, purpose, 0), m.slug, tokenId, purpose, pos.shares, pos.avgPrice, ctx.nowMs);
      out.push({ market: m, outcome, shares: pos.shares, avgPrice: pos.avgPrice });
    }
  }
  return out;
}
