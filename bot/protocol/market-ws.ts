/**
 * CLOB market WebSocket wire schemas (reference §4.1–4.2, §9.5).
 *
 * Invariants:
 * - A server frame is a single event object OR a JSON array of events; `parseMarketFrame` handles both and the
 *   bare text `PONG`.
 * - All numbers are strings; `timestamp` is ms as a string (use epochMsFrom for the <1e12 guard).
 * - `price_change` has a current form (`price_changes[]`, may carry both tokens) and a legacy form
 *   (`asset_id` + `changes[]`); both parse and `normalizePriceChange` maps both to the current level list.
 * - `size` in a price change is the new aggregate size at that level ("0" removes it); BUY = bid, SELL = ask.
 */
import { z } from 'zod';
import { conditionId64, decimalString, parseWsFrame, probString, tokenId, uintString, wsFrameSchema, type WsFrameResult } from './common';
import { BookLevel, OrderSide } from './clob-rest';

export const MarketSubscribe = z.object({
  assets_ids: z.array(tokenId).min(1),
  type: z.enum(['market', 'Market', 'MARKET']),
  initial_dump: z.boolean().optional(),
  level: z.number().int().min(1).max(3).optional(),
  custom_feature_enabled: z.boolean().optional(),
});
export type MarketSubscribe = z.infer<typeof MarketSubscribe>;

export const MarketSubscriptionUpdate = z.object({
  operation: z.enum(['subscribe', 'unsubscribe']),
  assets_ids: z.array(tokenId),
  level: z.number().int().optional(),
  custom_feature_enabled: z.boolean().optional(),
});

export const BookEvent = z.object({
  event_type: z.literal('book'),
  asset_id: tokenId,
  market: conditionId64,
  bids: z.array(BookLevel),
  asks: z.array(BookLevel),
  timestamp: uintString,
  hash: z.string(),
  tick_size: probString.optional(),
  last_trade_price: probString.optional(),
  version: z.string().optional(),
});
export type BookEvent = z.infer<typeof BookEvent>;


export const PriceChangeLevel = z.object({
  asset_id: tokenId,
  price: probString,
  size: decimalString,
  side: OrderSide,
  hash: z.string().optional(),
  best_bid: probString.optional(),
  best_ask: probString.optional(),
});
export type PriceChangeLevel = z.infer<typeof PriceChangeLevel>;

export const PriceChangeEvent = z.object({
  event_type: z.literal('price_change'),
  market: conditionId64,
  price_changes: z.array(PriceChangeLevel),
  timestamp: uintString,
});
export type PriceChangeEvent = z.infer<typeof PriceChangeEvent>;

/** Pre-2025-09-15 shape: one asset per message, `changes[]`, no best bid/ask. */
export const LegacyPriceChangeEvent = z.object({
  event_type: z.literal('price_change'),
  asset_id: tokenId,
  market: conditionId64,
  changes: z.array(z.object({ price: probString, side: OrderSide, size: decimalString })),
  timestamp: uintString,
  hash: z.string().optional(),
});
export type LegacyPriceChangeEvent = z.infer<typeof LegacyPriceChangeEvent>;

export const LastTradePriceEvent = z.object({
  event_type: z.literal('last_trade_price'),
  asset_id: tokenId,
  market: conditionId64,
  price: probString,
  size: decimalString,
  side: OrderSide,
  fee_rate_bps: decimalString.optional(),
  timestamp: uintString,
  transaction_hash: z.string().optional(),
});

export const TickSizeChangeEvent = z.object({
  event_type: z.literal('tick_size_change'),
  asset_id: tokenId,
  market: conditionId64,
  old_tick_size: probString,
  new_tick_size: probString,
  timestamp: uintString,
});

export const BestBidAskEvent = z.object({
  event_type: z.literal('best_bid_ask'),
  asset_id: tokenId,
  market: conditionId64,
  best_bid: probString,
  best_ask: probString,
  spread: decimalString,
  timestamp: uintString,
});

export const NewMarketEvent = z.object({
  event_type: z.literal('new_market'),
  id: z.string(),
  question: z.string(),
  market: conditionId64,
  slug: z.string(),
  description: z.string().optional(),
  assets_ids: z.array(tokenId),
  outcomes: z.array(z.string()),
  timestamp: uintString,
  tags: z.array(z.unknown()).optional(),
  condition_id: conditionId64.optional(),
  active: z.boolean().optional(),
  clob_token_ids: z.array(tokenId).optional(),
  order_price_min_tick_size: decimalString.optional(),
});

export const MarketResolvedEvent = z.object({
  event_type: z.literal('market_resolved'),
  id: z.string(),
  market: conditionId64,
  assets_ids: z.array(tokenId),
  winning_asset_id: tokenId,
  winning_outcome: z.string(),
  timestamp: uintString,
  tags: z.array(z.unknown()).optional(),
});

export const MarketWsEvent = z.union([
  BookEvent,
  PriceChangeEvent,
  LegacyPriceChangeEvent,
  LastTradePriceEvent,
  TickSizeChangeEvent,
  BestBidAskEvent,
  NewMarketEvent,
  MarketResolvedEvent,
]);
export type MarketWsEvent = z.infer<typeof MarketWsEvent>;

export const MarketWsFrame = wsFrameSchema(MarketWsEvent);

export type MarketFrameResult = WsFrameResult<MarketWsEvent>;

/** Parse one text frame from the market socket (object, array, or `PONG`). Never throws. */
export function parseMarketFrame(text: string): MarketFrameResult {
  return parseWsFrame<MarketWsEvent>(text, MarketWsFrame);
}

/** Both price_change forms as a flat list of level replacements. */
export function normalizePriceChange(e: PriceChangeEvent | LegacyPriceChangeEvent): PriceChangeLevel[] {
  if ('price_changes' in e) return e.price_changes;
  return e.changes.map((c) => ({ asset_id: e.asset_id, price: c.price, size: c.size, side: c.side }));
}
