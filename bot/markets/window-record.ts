/**
 * One tradable window as the catalog knows it: identity, token pair (by market.version), trading parameters,
 * lifecycle state, price to beat and winner. Converts to the execution layer's OrderMarketInfo.
 */
import type { DirectoryMarket } from './market-directory';
import { toTickSize } from '../core/rounding';
import type { OrderMarketInfo } from '../core/orders';
import type { LifecycleState } from './lifecycle';
import type { MarketWindow } from './slug';

/** The window, its lifecycle, and the market's exchange facts (what a MarketDirectory found). */
export interface WindowRecord extends DirectoryMarket {
  window: MarketWindow;
  state: LifecycleState;
  priceToBeat?: number;
  priceToBeatSource?: 'twap' | 'live-mean' | 'gamma';
  gammaPriceToBeat?: number;
  winner?: 'up' | 'down';
  winningTokenId?: string;
}

export function orderMarketInfo(r: WindowRecord, outcome: 'up' | 'down'): OrderMarketInfo {
  return {
    windowSlug: r.window.slug,
    conditionId: r.conditionId,
    tokenId: outcome === 'up' ? r.upTokenId : r.downTokenId,
    tickSize: toTickSize(r.tickSize),
    minOrderSize: r.minOrderSize,
    negRisk: r.negRisk,
    version: r.version,
    fees: r.fees,
  };
}
