/**
 * CLOB user WebSocket wire schemas (reference §4.3, §9.6).
 *
 * Invariants:
 * - First client frame authenticates with the API creds; `markets` (condition ids) is optional.
 * - Trade status is bare on the WS (MATCHED | MINED | CONFIRMED | RETRYING | FAILED); only CONFIRMED is final-good,
 *   FAILED reverses the fill.
 * - `timestamp` is documented as ms but seen as seconds; read it with epochMsFrom().
 * - Frames may be one object or an array, like the market socket.
 */
import { z } from 'zod';
import { MakerOrderFill, OrderSide } from './clob-rest';
import { address, conditionId64, decimalString, looseTimestamp, parseWsFrame, probString, tokenId, wsFrameSchema, type WsFrameResult } from './common';

export const UserSubscribe = z.object({
  auth: z.object({ apiKey: z.string(), secret: z.string(), passphrase: z.string() }),
  type: z.enum(['user', 'User', 'USER']),
  markets: z.array(z.string()).optional(),
});
export type UserSubscribe = z.infer<typeof UserSubscribe>;

export const UserSubscriptionUpdate = z.object({
  operation: z.enum(['subscribe', 'unsubscribe']),
  markets: z.array(z.string()),
});


export const UserOrderEvent = z.object({
  event_type: z.literal('order'),
  id: z.string(),
  owner: z.string(),
  market: conditionId64,
  asset_id: tokenId,
  side: OrderSide,
  order_owner: z.string().optional(),
  original_size: decimalString,
  size_matched: decimalString,
  price: probString,
  associate_trades: z.array(z.string()).nullable().optional(),
  outcome: z.string().optional(),
  type: z.enum(['PLACEMENT', 'UPDATE', 'CANCELLATION']),
  created_at: looseTimestamp.optional(),
  expiration: z.string().optional(),
  order_type: z.enum(['GTC', 'GTD', 'FOK', 'FAK']).optional(),
  status: z.enum(['LIVE', 'MATCHED', 'DELAYED', 'UNMATCHED', 'CANCELED']).optional(),
  maker_address: address.optional(),
  timestamp: looseTimestamp,
});
export type UserOrderEvent = z.infer<typeof UserOrderEvent>;

export const WsTradeStatus = z.enum(['MATCHED', 'MINED', 'CONFIRMED', 'RETRYING', 'FAILED']);
export type WsTradeStatus = z.infer<typeof WsTradeStatus>;

/** A maker order inside a trade: the same shape on the socket as in REST `/data/trades`. */
export const WsMakerOrder = MakerOrderFill;

export const UserTradeEvent = z.object({
  event_type: z.literal('trade'),
  type: z.literal('TRADE').optional(),
  id: z.string(),
  taker_order_id: z.string(),
  market: conditionId64,
  asset_id: tokenId,
  side: OrderSide,
  size: decimalString,
  price: probString,
  fee_rate_bps: decimalString.optional(),
  status: WsTradeStatus,
  matchtime: looseTimestamp.optional(),
  match_time: looseTimestamp.optional(),
  last_update: looseTimestamp.optional(),
  outcome: z.string().optional(),
  owner: z.string(),
  trade_owner: z.string().optional(),
  maker_address: address.optional(),
  transaction_hash: z.string().optional(),
  bucket_index: z.number().int().optional(),
  maker_orders: z.array(WsMakerOrder).optional(),
  trader_side: z.enum(['TAKER', 'MAKER']).optional(),
  timestamp: looseTimestamp,
});
export type UserTradeEvent = z.infer<typeof UserTradeEvent>;

export const UserWsEvent = z.union([UserOrderEvent, UserTradeEvent]);
export type UserWsEvent = z.infer<typeof UserWsEvent>;
export const UserWsFrame = wsFrameSchema(UserWsEvent);

export type UserFrameResult = WsFrameResult<UserWsEvent>;

/** Parse one text frame from the user socket. Never throws. */
export function parseUserFrame(text: string): UserFrameResult {
  return parseWsFrame<UserWsEvent>(text, UserWsFrame);
}
