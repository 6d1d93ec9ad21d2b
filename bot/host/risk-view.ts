/**
 * The risk engine's view of the running system, over the trading port and the strategy positions:
 * exposure = cost basis held + notional of working BUY orders; realised PnL since the UTC day began;
 * window, feed and venue block reasons straight from the port (no port = not running = blocked).
 */
import type { Clock } from '../clock';
import type { TrackedOrder } from '../execution';
import type { OrderProposal, RiskView } from '../risk/risk-engine';
import type { StrategyPort } from './strategy-port';

const DAY_MS = 86_400_000;

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
  clock: Clock;
  port: () => StrategyPort | undefined;
  /** Cost basis held (all strategies, or one window / one strategy). */
  costUsd: (windowSlug?: string, strategyId?: string) => number;
  /** Total realised PnL of the ledger (all windows, since the process restored its journal). */
  realizedTotalUsd: () => number;
}): RiskView {
  let day = -1;
  let dayBaseline = 0;
  const notRunning = 'venue session not running';
  return {
    windowExposureUsd: (slug) => deps.costUsd(slug) + workingBuyUsd(deps.port()?.openOrders() ?? [], (o) => o.windowSlug === slug),
    strategyExposureUsd: (id) => deps.costUsd(undefined, id) + workingBuyUsd(deps.port()?.openOrders(id) ?? [], () => true),
    totalExposureUsd: () => deps.costUsd() + workingBuyUsd(deps.port()?.openOrders() ?? [], () => true),
    realizedTodayUsd: () => {
      const today = Math.floor(deps.clock.nowMs() / DAY_MS);
      const total = deps.realizedTotalUsd();
      if (today !== day) {
        day = today;
        dayBaseline = total;
      }
      return total - dayBaseline;
    },
    windowBlockReason: (slug) => {
      const port = deps.port();
      return port ? port.windowBlockReason(slug) : notRunning;
    },
    feedBlockReason: (tokenId) => {
      const port = deps.port();
      return port ? port.feedBlockReason(tokenId) : notRunning;
    },
    venueBlockReason: (p: OrderProposal) => {
      const port = deps.port();
      return port ? port.venueBlockReason(p.orderType, p.postOnly) : notRunning;
    },
  };
}
