/**
 * User-channel and REST ledger normalisers: wire orders/trades -> VenueOrder / VenueFill (ours only).
 *
 * Invariants:
 * - A trade yields our taker fill when its taker order is ours (or trader_side TAKER with our owner), and one
 *   maker fill per `maker_orders` entry that is ours (by owner api key or known order id).
 * - REST statuses `TRADE_STATUS_X` and WS statuses `X` map to the same FillStatus; MATCHED_NOT_BROADCASTED is MATCHED.
 * - Timestamps go through epochMsFrom (seconds or ms).
 * - Order status is an open string on the wire: known values map to VenueOrder statuses; anything else becomes
 *   `UNKNOWN` with the raw value kept in `statusRaw` (the tracker then only trusts `size_matched`).
 */
import type { OpenOrder, RestTrade, UserOrderEvent, UserTradeEvent } from '../protocol';
import { epochMsFrom, ORDER_STATUS } from '../protocol';
import type { FillStatus } from './journal';
import type { VenueFill, VenueOrder } from '../core/orders';

export interface Ownership {
  apiKey: string;
  isOurOrder(orderId: string): boolean;
}

/** Map a wire order status; unknown values come back as UNKNOWN (raw kept by the caller). */
export function venueOrderStatus(raw: string): VenueOrder['status'] {
  return ORDER_STATUS.known(raw) ?? 'UNKNOWN';
}

export function wsOrderToVenue(e: UserOrderEvent): VenueOrder {
  const inferred = Number(e.size_matched) >= Number(e.original_size) ? 'MATCHED' : 'LIVE';
  const status: VenueOrder['status'] = e.type === 'CANCELLATION' ? 'CANCELED' : e.status ? venueOrderStatus(e.status) : inferred;
  return {
    ...(status === 'UNKNOWN' ? { statusRaw: e.status! } : {}),
    orderId: e.id,
    tokenId: e.asset_id,
    conditionId: e.market,
    side: e.side,
    price: Number(e.price),
    originalSize: Number(e.original_size),
    sizeMatched: Number(e.size_matched),
    status,
    tsMs: epochMsFrom(e.timestamp),
  };
}

export function restOrderToVenue(o: OpenOrder): VenueOrder {
  const status = venueOrderStatus(o.status);
  return {
    ...(status === 'UNKNOWN' ? { statusRaw: o.status } : {}),
    orderId: o.id,
    tokenId: o.asset_id,
    conditionId: o.market,
    side: o.side,
    price: Number(o.price),
    originalSize: Number(o.original_size),
    sizeMatched: Number(o.size_matched),
    status,
    tsMs: epochMsFrom(o.created_at),
  };
}

export function fillStatus(s: string): FillStatus {
  const bare = s.toUpperCase().replace(/^TRADE_STATUS_/, '');
  if (bare === 'MATCHED_NOT_BROADCASTED') return 'MATCHED';
  if (bare === 'MATCHED' || bare === 'MINED' || bare === 'CONFIRMED' || bare === 'RETRYING' || bare === 'FAILED') return bare;
  return 'MATCHED';
}

type AnyTrade = (UserTradeEvent | RestTrade) & { timestamp?: string | number; matchtime?: string | number };

/** Our fills in one trade. `fallbackMs` dates a trade that carries no timestamp at all (receive time). */
export function tradeToFills(t: AnyTrade, own: Ownership, fallbackMs = 0): VenueFill[] {
  const out: VenueFill[] = [];
  const status = fillStatus(t.status);
  const stamp = t.timestamp ?? t.match_time ?? t.matchtime ?? t.last_update;
  const ts = stamp === undefined ? fallbackMs : epochMsFrom(stamp);
  const takerOurs = own.isOurOrder(t.taker_order_id) || (t.trader_side === 'TAKER' && t.owner === own.apiKey);
  if (takerOurs) {
    out.push({
      tradeId: t.id, orderId: t.taker_order_id, tokenId: t.asset_id, conditionId: t.market, side: t.side,
      price: Number(t.price), size: Number(t.size), liquidity: 'taker', status, tsMs: ts,
    });
  }
  for (const m of t.maker_orders ?? []) {
    if (!(m.owner === own.apiKey || own.isOurOrder(m.order_id))) continue;
    out.push({
      tradeId: t.id, orderId: m.order_id, tokenId: m.asset_id, conditionId: t.market,
      // Same token: the maker is on the other side of the taker. Opposite token (complementary match, B16): both
      // sides buy (mint) or both sell (merge), so the maker's side equals the taker's.
      side: m.side ?? (m.asset_id === t.asset_id ? (t.side === 'BUY' ? 'SELL' : 'BUY') : t.side), price: Number(m.price), size: Number(m.matched_amount),
      liquidity: 'maker', status, feeUsd: 0, tsMs: ts,
    });
  }
  return out;
}
