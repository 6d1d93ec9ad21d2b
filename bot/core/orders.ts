/**
 * Venue-neutral execution types: what a strategy's place intent becomes, what venues report back.
 * Both the live venue (user WS + REST) and the paper venue speak these, so one tracker serves both.
 */
import type { FeeSchedule } from './fees';
import type { TickSize } from './rounding';

export type Side = 'BUY' | 'SELL';
/** Settlement status of a fill: provisional until CONFIRMED, reversed on FAILED. */
export type FillStatus = 'MATCHED' | 'MINED' | 'CONFIRMED' | 'RETRYING' | 'FAILED';
export type OrderType = 'GTC' | 'GTD' | 'FOK' | 'FAK';

/** Market facts needed to build an order without a network call (cached from the catalog). */
export interface OrderMarketInfo {
  windowSlug: string;
  conditionId: string;
  tokenId: string;
  tickSize: TickSize;
  minOrderSize: number;
  negRisk: boolean;
  /** 'v1' markets sign against the CLOB V2 exchange (domain "2"), 'v2' against ExchangeV3 (domain "3"). */
  version: 'v1' | 'v2';
  fees: FeeSchedule;
}

export interface PlaceRequest {
  clientTag: string;
  strategyId: string;
  market: OrderMarketInfo;
  side: Side;
  /** Limit price (worst acceptable for FOK/FAK). */
  price: number;
  /** Shares (limit orders and SELL market orders). */
  size?: number;
  /** USD to spend (BUY FOK/FAK). */
  usd?: number;
  orderType: OrderType;
  postOnly: boolean;
  /** GTD: expiry (epoch ms). The live venue adds the venue's 60 s security threshold. */
  expiresMs?: number;
}

export type PlaceOutcome =
  | { kind: 'accepted'; orderId: string; status: 'live' | 'matched' | 'delayed' | 'unmatched'; tradeIds: string[] }
  | { kind: 'rejected'; orderId?: string; reason: string; retryAfterMs?: number }
  /** Sent but the outcome is not known (timeout, 5xx, connection reset): resolve by querying `orderId`. */
  | { kind: 'unknown'; orderId: string; reason: string };

export interface CancelOutcome {
  canceled: string[];
  notCanceled: Record<string, string>;
}

/** An order as the venue reports it (REST /data/orders, user WS `order`, paper venue). */
export interface VenueOrder {
  orderId: string;
  tokenId: string;
  conditionId: string;
  side: Side;
  price: number;
  originalSize: number;
  sizeMatched: number;
  /** UNKNOWN: the venue sent a status we do not know (kept in `statusRaw`, counted); only sizes are trusted. */
  status: 'LIVE' | 'MATCHED' | 'CANCELED' | 'DELAYED' | 'UNMATCHED' | 'INVALID' | 'CANCELED_MARKET_RESOLVED' | 'UNKNOWN';
  statusRaw?: string;
  tsMs: number;
}

/** One of OUR fills (taker or maker side) as reported by the venue. */
export interface VenueFill {
  tradeId: string;
  orderId: string;
  tokenId: string;
  conditionId: string;
  side: Side;
  price: number;
  size: number;
  liquidity: 'taker' | 'maker';
  status: FillStatus;
  /** Fee when the venue states it; otherwise the tracker computes it from the schedule. */
  feeUsd?: number;
  tsMs: number;
}

export interface VenueListener {
  onOrder(o: VenueOrder): void;
  onFill(f: VenueFill): void;
}
