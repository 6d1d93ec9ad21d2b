/**
 * One tradable window as the catalog knows it: identity, token pair (by market.version), trading parameters,
 * lifecycle state, price to beat and winner. Converts to the execution layer's OrderMarketInfo.
 */
import type { FeeSchedule } from '../core/fees';
import { toTickSize } from '../core/rounding';
import type { OrderMarketInfo } from '../core/orders';
import type { LifecycleState } from './lifecycle';
import type { MarketWindow } from './slug';

export interface WindowRecord {
  window: MarketWindow;
  state: LifecycleState;
  eventId: string;
  conditionId: string;
  upTokenId: string;
  downTokenId: string;
  tickSize: number;
  minOrderSize: number;
  negRisk: boolean;
  version: 'v1' | 'v2';
  fees: FeeSchedule;
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
