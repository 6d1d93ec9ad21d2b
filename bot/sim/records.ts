/**
 * User order and trade records kept by the simulated CLOB, with bounded stores and the venue's REST / WS renderings.
 *
 * Invariants:
 * - A store keeps at most `max` records; when full, the oldest finished record is dropped first (live orders stay).
 * - Renderings follow reference §2.5 / §4.3 in the simulator's dialect (dialect.ts): strings for sizes and
 *   prices; tidy: REST trade status prefixed TRADE_STATUS_*, WS bare; real: both spellings on both surfaces,
 *   maker `fee_rate_bps` "", `created_at` a number or a digit string.
 */
import { type BookOrder, type Outcome, type OrderSide } from './book';
import { absentDecimal, createdAtValue, type Dialect, tradeStatusText } from './dialect';
import type { SimMarket } from './market';
import { px, sz } from './market-frames';

export type UserOrderStatus = 'LIVE' | 'MATCHED' | 'CANCELED' | 'CANCELED_MARKET_RESOLVED' | 'INVALID';
export type OrderTypeName = 'GTC' | 'GTD' | 'FOK' | 'FAK';
export type TradeStatus = 'MATCHED' | 'MINED' | 'CONFIRMED' | 'RETRYING' | 'FAILED';

export const ZERO_OWNER = '00000000-0000-0000-0000-000000000000';

export interface UserOrder {
  id: string;
  owner: string;
  makerAddress: string;
  market: SimMarket;
  tokenId: string;
  outcome: Outcome;
  side: OrderSide;
  ownPriceMilli: number;
  originalMicro: number;
  matchedMicro: number;
  status: UserOrderStatus;
  orderType: OrderTypeName;
  expiration: string;
  createdAtSec: number;
  associateTrades: string[];
  /** The signed order's salt as submitted (user orders): lets a test count orders per salt at the venue. */
  salt?: string;
  resting?: BookOrder;
  cancelExpiry?: () => void;
}

export interface MakerFill {
  orderId: string;
  owner: string;
  makerAddress: string;
  outcome: Outcome;
  side: OrderSide;
  ownPriceMilli: number;
  micro: number;
}

export interface TradeRecord {
  id: string;
  takerOrderId: string;
  takerOwner: string;
  takerAddress: string;
  market: SimMarket;
  outcome: Outcome;
  side: OrderSide;
  sizeMicro: number;
  priceMilli: number;
  feeMicro: number;
  status: TradeStatus;
  matchTimeMs: number;
  lastUpdateMs: number;
  txHash: string;
  makers: MakerFill[];
  /** Undo the ledger effects (used when the trade FAILS). */
  reverse: () => void;
}

export class BoundedStore<T extends { id: string }> {
  private readonly items = new Map<string, T>();
  constructor(
    private readonly max: number,
    private readonly finished: (t: T) => boolean,
  ) {}
  get(id: string): T | undefined {
    return this.items.get(id);
  }
  has(id: string): boolean {
    return this.items.has(id);
  }
  put(t: T): void {
    this.items.set(t.id, t);
    if (this.items.size <= this.max) return;
    for (const [k, v] of this.items) {
      if (this.finished(v)) {
        this.items.delete(k);
        return;
      }
    }
  }
  /** True when the store is at capacity and nothing in it can be evicted. */
  full(): boolean {
    if (this.items.size < this.max) return false;
    for (const v of this.items.values()) if (this.finished(v)) return false;
    return true;
  }
  values(): IterableIterator<T> {
    return this.items.values();
  }
  get size(): number {
    return this.items.size;
  }
}

export function renderOpenOrder(o: UserOrder, d: Dialect) {
  return {
    id: o.id,
    status: o.status,
    owner: o.owner,
    maker_address: o.makerAddress,
    market: o.market.conditionId,
    asset_id: o.tokenId,
    side: o.side,
    original_size: sz(o.originalMicro),
    size_matched: sz(o.matchedMicro),
    price: px(o.ownPriceMilli),
    associate_trades: [...o.associateTrades],
    outcome: o.outcome,
    created_at: createdAtValue(d, o.id, o.createdAtSec),
    expiration: o.expiration,
    order_type: o.orderType,
  };
}

export function renderOrderEvent(o: UserOrder, type: 'PLACEMENT' | 'UPDATE' | 'CANCELLATION', nowMs: number) {
  const status = type === 'PLACEMENT' ? 'LIVE' : type === 'UPDATE' ? 'MATCHED' : 'CANCELED';
  return {
    event_type: 'order',
    id: o.id,
    owner: o.owner,
    market: o.market.conditionId,
    asset_id: o.tokenId,
    side: o.side,
    original_size: sz(o.originalMicro),
    size_matched: sz(o.matchedMicro),
    price: px(o.ownPriceMilli),
    associate_trades: type === 'PLACEMENT' ? null : [...o.associateTrades],
    outcome: o.outcome,
    type,
    created_at: String(o.createdAtSec),
    expiration: o.expiration,
    order_type: o.orderType,
    status,
    maker_address: o.makerAddress,
    timestamp: String(nowMs),
  };
}

function makerOrders(t: TradeRecord, d: Dialect) {
  return t.makers.map((m) => ({
    order_id: m.orderId,
    owner: m.owner,
    maker_address: m.makerAddress,
    matched_amount: sz(m.micro),
    price: px(m.ownPriceMilli),
    // The venue serializes a maker's missing fee rate as "" (ts-sdk bindings; reference §9.9).
    fee_rate_bps: absentDecimal(d) ?? '0',
    asset_id: t.market.tokenFor(m.outcome),
    outcome: m.outcome,
    side: m.side,
  }));
}

/** Which role the API key plays in the trade. */
export function roleOf(t: TradeRecord, apiKey: string): 'TAKER' | 'MAKER' | undefined {
  if (t.takerOwner === apiKey) return 'TAKER';
  return t.makers.some((m) => m.owner === apiKey) ? 'MAKER' : undefined;
}

export function renderRestTrade(t: TradeRecord, apiKey: string, d: Dialect) {
  return {
    id: t.id,
    taker_order_id: t.takerOrderId,
    market: t.market.conditionId,
    asset_id: t.market.tokenFor(t.outcome),
    side: t.side,
    size: sz(t.sizeMicro),
    price: px(t.priceMilli),
    fee_rate_bps: '0',
    status: tradeStatusText(d, t.id, t.status, 'rest'),
    match_time: String(Math.floor(t.matchTimeMs / 1000)),
    last_update: String(Math.floor(t.lastUpdateMs / 1000)),
    outcome: t.outcome,
    bucket_index: 0,
    owner: t.takerOwner,
    maker_address: t.takerAddress,
    maker_orders: makerOrders(t, d),
    transaction_hash: t.status === 'MATCHED' ? '' : t.txHash,
    trader_side: roleOf(t, apiKey) ?? 'TAKER',
  };
}

export function renderTradeEvent(t: TradeRecord, apiKey: string, nowMs: number, d: Dialect) {
  return {
    event_type: 'trade',
    type: 'TRADE',
    id: t.id,
    taker_order_id: t.takerOrderId,
    market: t.market.conditionId,
    asset_id: t.market.tokenFor(t.outcome),
    side: t.side,
    size: sz(t.sizeMicro),
    price: px(t.priceMilli),
    fee_rate_bps: '0',
    status: tradeStatusText(d, t.id, t.status, 'ws'),
    matchtime: String(Math.floor(t.matchTimeMs / 1000)),
    last_update: String(Math.floor(t.lastUpdateMs / 1000)),
    outcome: t.outcome,
    owner: t.takerOwner,
    trade_owner: apiKey,
    maker_address: t.takerAddress,
    transaction_hash: t.status === 'MATCHED' ? '' : t.txHash,
    bucket_index: 0,
    maker_orders: makerOrders(t, d),
    trader_side: roleOf(t, apiKey) ?? 'TAKER',
    timestamp: String(nowMs),
  };
}
