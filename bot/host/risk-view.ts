/**
 * The risk engine's view of the running system, over the strategy port, the strategy positions and the ledger:
 * exposure = cost basis held + notional of working BUY orders (per window, strategy, token, in total); the realised
 * PnL of the persisted UTC risk day; window, series, arming, feed and venue block reasons (no port = not running =
 * blocked).
 *
 * Across series (all optional; absent = the rule is skipped, as in a single-series runtime): the series of a window
 * and its limit (`seriesOf`), exposure per series, signed directional USD per asset (Up minus Down, held + working
 * BUY, with a proposal added) and the correlation estimate. Given `heldPositions`, exposure per series and per asset
 * are derived here from the held positions and the port's working orders and windows; explicit deps win.
 */
import type { TrackedOrder } from '../execution';
import type { CorrelationMatrix } from '../risk/correlation';
import { directionalUsdFromLegs, type DirectionalEffect, type SignedUsdByAsset, type UpDown } from '../risk/directional-exposure';
import type { OrderProposal, RiskView } from '../risk/risk-engine';
import type { StrategyPort } from './strategy-port';

/** Notional a working BUY order can still add if it fills (USD); 0 for SELL orders. */
export function remainingBuyUsd(o: TrackedOrder): number {
  if (o.side !== 'BUY') return 0;
  if (o.usd !== undefined) return Math.max(0, o.usd - o.filledSize * o.price);
  return Math.max(0, (o.size ?? 0) - o.filledSize) * o.price;
}

/** Notional still to be bought by working BUY orders (USD): the exposure they can add if they fill. */
export function workingBuyUsd(orders: readonly TrackedOrder[], filter: (o: TrackedOrder) => boolean = () => true): number {
  let sum = 0;
  for (const o of orders) if (o.side === 'BUY' && filter(o)) sum += remainingBuyUsd(o);
  return sum;
}

/** A held (unsettled) position's cost basis, as the risk view needs it. */
export interface HeldCost {
  windowSlug: string;
  tokenId: string;
  costUsd: number;
}

/** Asset and side of a window's token, from the port's windows (undefined when the port does not know it). */
export function legOfToken(port: StrategyPort | undefined, windowSlug: string, tokenId: string): { asset: string; outcome: UpDown } | undefined {
  const rec = port?.window(windowSlug) ?? port?.windowByToken(tokenId);
  if (!rec) return undefined;
  if (tokenId === rec.upTokenId) return { asset: rec.window.asset, outcome: 'up' };
  if (tokenId === rec.downTokenId) return { asset: rec.window.asset, outcome: 'down' };
  return undefined;
}

/** Signed USD per asset over held positions and the port's working BUY orders, optionally with a new order. */
export function directionalUsdFromPort(port: StrategyPort | undefined, held: Iterable<HeldCost>, extra?: DirectionalEffect): SignedUsdByAsset {
  const legs: Array<{ windowSlug: string; tokenId: string; usd: number }> = [];
  for (const h of held) legs.push({ windowSlug: h.windowSlug, tokenId: h.tokenId, usd: h.costUsd });
  for (const o of port?.openOrders() ?? []) if (o.side === 'BUY') legs.push({ windowSlug: o.windowSlug, tokenId: o.tokenId, usd: remainingBuyUsd(o) });
  return directionalUsdFromLegs(legs, (w, t) => legOfToken(port, w, t), extra).byAsset;
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
  /** Held, unsettled positions (cost basis per window and token): lets the view derive the two exposures below. */
  heldPositions?: () => Iterable<HeldCost>;
  /** The series of a window (key like `btc-300`) and its own exposure limit. */
  seriesOf?: (windowSlug: string) => { key: string; maxExposureUsd?: number } | undefined;
  /** Exposure of one series (USD); derived from heldPositions and seriesOf when absent. */
  seriesExposureUsd?: (key: string) => number;
  /** Signed directional USD per asset, with a proposal's effect; derived from heldPositions when absent. */
  directionalUsdByAsset?: (extra?: DirectionalEffect) => SignedUsdByAsset;
  /** The correlation estimate (CorrelationEstimator.matrix). */
  correlation?: (assets: readonly string[]) => CorrelationMatrix;
}): RiskView {
  const notRunning = 'venue session not running';
  const held = deps.heldPositions;
  const seriesOf = deps.seriesOf;
  const seriesExposureUsd =
    deps.seriesExposureUsd ??
    (held && seriesOf
      ? (key: string) => {
          let sum = 0;
          for (const h of held()) if (seriesOf(h.windowSlug)?.key === key) sum += h.costUsd;
          return sum + workingBuyUsd(deps.port()?.openOrders() ?? [], (o) => seriesOf(o.windowSlug)?.key === key);
        }
      : undefined);
  const directionalUsdByAsset = deps.directionalUsdByAsset ?? (held ? (extra?: DirectionalEffect) => directionalUsdFromPort(deps.port(), held(), extra) : undefined);
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
    ...(seriesOf ? { seriesOf } : {}),
    ...(seriesExposureUsd ? { seriesExposureUsd } : {}),
    ...(directionalUsdByAsset ? { directionalUsdByAsset } : {}),
    ...(deps.correlation ? { correlation: deps.correlation } : {}),
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
