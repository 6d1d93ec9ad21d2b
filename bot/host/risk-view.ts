/**
 * The risk engine's view of the running system, over the strategy port, the strategy positions and the ledger:
 * exposure = cost basis held + notional of working BUY orders (per window, strategy, token, in total); the realised
 * PnL of the persisted UTC risk day; window, series, arming, feed and venue block reasons (no port = not running =
 * blocked).
 */
import type { TrackedOrder } from '../execution';
import type { OrderProposal, RiskView } from '../risk/risk-engine';
import type { StrategyPort } from './strategy-port';

/** Notional still to be bought by working BUY orders (USD): the exposure they can add if they fill. */
export function workingBuyUsd(orders: readonly TrackedOrder[], filter: (o: TrackedOrder) => boolean = () => true): number {
  let sum = 0;
  for (const o of orders) {
    if (o.side !== 'BUY' || !filter(o)) continue;
    if (o.usd !== undefined) sum += Math.max(0, o.usd - o.filledSize * o.price);
    else sum += Math.max(0, (o.size ?? 0) - o.filledSize) * o.price;
  }
  return sum;
}

export function createRiskView(deps: {
  port: () => StrategyPort | undefined;
  /** Cost basis held (all strategies, or one window / one strategy). */
  costUsd: (windowSlug?: string, strategyId?: string) => number;
  /** Cost basis held in one outcome token, all strategies (the ledger's unsettled positions). */
  tokenCostUsd: (tokenId: string) => number;
  /** Realised PnL of the current UTC day: the persisted risk day (bot/risk/risk-day.ts). */
  realizedTodayUsd: () => number;
  /** Why new exposure may not be opened in this window's series (switched off in the config). */
  seriesBlockReason?: (windowSlug: string) => string | undefined;
  /** Live arming (undefined when orders may be sent). */
  armingBlockReason?: () => string | undefined;
  /** Extra venue-side blocks (e.g. a NO-GO preflight). */
  venueBlocks?: Array<() => string | undefined>;
}): RiskView {
  const notRunning = 'venue session not running';
  return {
    windowExposureUsd: (slug) => deps.costUsd(slug) + workingBuyUsd(deps.port()?.openOrders() ?? [], (o) => o.windowSlug === slug),
    strategyExposureUsd: (id) => deps.costUsd(undefined, id) + workingBuyUsd(deps.port()?.openOrders(id) ?? [], () => true),
    totalExposureUsd: () => deps.costUsd() + workingBuyUsd(deps.port()?.openOrders() ?? [], () => true),
    tokenExposureUsd: (tokenId) => deps.tokenCostUsd(tokenId) + workingBuyUsd(deps.port()?.openOrders() ?? [], (o) => o.tokenId === tokenId),
    realizedTodayUsd: () => deps.realizedTodayUsd(),
    windowBlockReason: (slug) => {
      const port = deps.port();
      return port ? port.windowBlockReason(slug) : notRunning;
    },
    ...(deps.seriesBlockReason ? { seriesBlockReason: deps.seriesBlockReason } : {}),
    ...(deps.armingBlockReason ? { armingBlockReason: deps.armingBlockReason } : {}),
    feedBlockReason: (tokenId) => {
      const port = deps.port();
      return port ? port.feedBlockReason(tokenId) : notRunning;
    },
    venueBlockReason: (p: OrderProposal) => {
      const port = deps.port();
      if (!port) return notRunning;
      const own = port.venueBlockReason(p.orderType, p.postOnly);
      if (own) return own;
      for (const b of deps.venueBlocks ?? []) {
        const r = b();
        if (r) return r;
      }
      return undefined;
    },
  };
}
