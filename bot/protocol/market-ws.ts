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
 * - Real-venue dialect (§9.9, and the official ts-sdk bindings): optional decimals may be "" or null (absent),
 *   `side` may be lower-case, hashes and timestamps may be missing; `market` is any 0x hex id. A missing
 *   `timestamp` parses as undefined and the feed uses its receive time.
 */
import { z } from 'zod';
import { decimalString, hexString, looseSide, optDecimal, optProb, optString, optTimestamp, parseWsFrame, probString, tokenId, type WsFrameResult } from './common';
import { BookLevel } from './clob-rest';
import { fastBook, fastPriceChange } from './market-fast';

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
  /** Ask for `book` snapshots of the added assets (the venue does not document a default for dynamic subscribes). */
  initial_dump: z.boolean().optional(),
});

/** Condition id as the sockets send it: 0x hex (64 for V1/V2 CLOB ids; kept loose). */
const marketId = hexString;
const wsTimestamp = optTimestamp;

export const BookEvent = z.object({
  event_type: z.literal('book'),
  asset_id: tokenId,
  market: marketId,
  bids: z.array(BookLevel),
  asks: z.array(BookLevel),
  timestamp: wsTimestamp,
  hash: optString,
  tick_size: optProb,
  min_order_size: optDecimal,
  neg_risk: z.boolean().nullish(),
  last_trade_price: optProb,
  version: optString,
});
export type BookEvent = z.infer<typeof BookEvent>;

export const PriceChangeLevel = z.object({
  asset_id: tokenId,
  price: probString,
  size: decimalString,
  side: looseSide,
  hash: optString,
  best_bid: optProb,
  best_ask: optProb,
});
export type PriceChangeLevel = z.infer<typeof PriceChangeLevel>;

export const PriceChangeEvent = z.object({
  event_type: z.literal('price_change'),
  market: marketId,
  price_changes: z.array(PriceChangeLevel),
  timestamp: wsTimestamp,
});
export type PriceChangeEvent = z.infer<typeof PriceChangeEvent>;

/** Pre-2025-09-15 shape: one asset per message, `changes[]`, no best bid/ask. */
export const LegacyPriceChangeEvent = z.object({
  event_type: z.literal('price_change'),
  asset_id: tokenId,
  market: marketId,
  changes: z.array(z.object({ price: probString, side: looseSide, size: decimalString })),
  timestamp: wsTimestamp,
  hash: optString,
});
export type LegacyPriceChangeEvent = z.infer<typeof LegacyPriceChangeEvent>;

export const LastTradePriceEvent = z.object({
  event_type: z.literal('last_trade_price'),
  asset_id: tokenId,
  market: marketId,
  price: probString,
  size: optDecimal,
  side: looseSide,
  fee_rate_bps: optDecimal,
  timestamp: wsTimestamp,
  transaction_hash: optString,
});

export const TickSizeChangeEvent = z.object({
  event_type: z.literal('tick_size_change'),
  asset_id: tokenId,
  market: marketId,
  old_tick_size: optProb,
  new_tick_size: probString,
  timestamp: wsTimestamp,
});

export const BestBidAskEvent = z.object({
  event_type: z.literal('best_bid_ask'),
  asset_id: tokenId,
  market: marketId,
  best_bid: optProb,
  best_ask: optProb,
  spread: optDecimal,
  timestamp: wsTimestamp,
});

export const NewMarketEvent = z.object({
  event_type: z.literal('new_market'),
  id: z.union([z.string(), z.number().transform(String)]),
  question: z.string().nullish(),
  market: marketId,
  slug: z.string().nullish(),
  description: z.string().nullish(),
  assets_ids: z.array(tokenId).nullish(),
  outcomes: z.array(z.string()).nullish(),
  timestamp: wsTimestamp,
  tags: z.array(z.unknown()).nullish(),
  condition_id: hexString.nullish(),
  active: z.boolean().nullish(),
  clob_token_ids: z.array(tokenId).nullish(),
  order_price_min_tick_size: optDecimal,
});

export const MarketResolvedEvent = z.object({
  event_type: z.literal('market_resolved'),
  id: z.union([z.string(), z.number().transform(String)]),
  market: marketId,
  assets_ids: z.array(tokenId).nullish(),
  winning_asset_id: z.preprocess((v) => (v === '' || v === null ? undefined : v), tokenId.optional()),
  winning_outcome: z.string().nullish(),
  timestamp: wsTimestamp,
  tags: z.array(z.unknown()).nullish(),
});

export type MarketWsEvent =
  | BookEvent
  | PriceChangeEvent
  | LegacyPriceChangeEvent
  | z.infer<typeof LastTradePriceEvent>
  | z.infer<typeof TickSizeChangeEvent>
  | z.infer<typeof BestBidAskEvent>
  | z.infer<typeof NewMarketEvent>
  | z.infer<typeof MarketResolvedEvent>;

/** Either price_change form: the current one when `price_changes` is present, else the legacy one. */
const AnyPriceChange = z.union([PriceChangeEvent, LegacyPriceChangeEvent]);

/** Event schemas by `event_type` (any other type is unknown: ignored and counted). */
export const MARKET_EVENT_SCHEMAS: ReadonlyMap<string, z.ZodType<MarketWsEvent>> = new Map<string, z.ZodType<MarketWsEvent>>([
  ['book', BookEvent],
  ['price_change', AnyPriceChange],
  ['last_trade_price', LastTradePriceEvent],
  ['tick_size_change', TickSizeChangeEvent],
  ['best_bid_ask', BestBidAskEvent],
  ['new_market', NewMarketEvent],
  ['market_resolved', MarketResolvedEvent],
]);

export type MarketFrameResult = WsFrameResult<MarketWsEvent>;

/** The heavy events' fast paths (market-fast.ts): same acceptance and output as the schemas above, or undefined. */
export const MARKET_FAST_PATHS: ReadonlyMap<string, (item: Record<string, unknown>) => MarketWsEvent | undefined> = new Map<string, (item: Record<string, unknown>) => MarketWsEvent | undefined>([
  ['book', (o) => fastBook(o) satisfies BookEvent | undefined],
  ['price_change', (o) => fastPriceChange(o) satisfies PriceChangeEvent | undefined],
]);

/** parseMarketFrame without the text fast path (market-text.ts): the reference it is held equal to by tests. */
export function parseMarketFrameSlow(text: string): MarketFrameResult {
  return parseWsFrame<MarketWsEvent>(text, MARKET_EVENT_SCHEMAS, MARKET_FAST_PATHS);
}

/** Both price_change forms as a flat list of level replacements. */
export function normalizePriceChange(e: PriceChangeEvent | LegacyPriceChangeEvent): PriceChangeLevel[] {
  if ('price_changes' in e) return e.price_changes;
  return e.changes.map((c) => ({ asset_id: e.asset_id, price: c.price, size: c.size, side: c.side }));
}
