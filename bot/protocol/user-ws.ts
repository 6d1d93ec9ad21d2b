/**
 * CLOB user WebSocket wire schemas (reference §4.3, §9.6).
 *
 * Invariants:
 * - First client frame authenticates with the API creds; `markets` (condition ids) is optional.
 * - Trade status arrives bare (MATCHED | MINED | CONFIRMED | RETRYING | FAILED) or `TRADE_STATUS_`-prefixed; both
 *   parse to the bare form. Only CONFIRMED is final-good, FAILED reverses the fill.
 * - Real dialect (§9.9): `side` may be lower-case, maker `fee_rate_bps` may be "", order `status`/`order_type`
 *   are open strings (known ones mapped by the normaliser, others kept and counted), `created_at` is a number or
 *   a digit string, nulls mean absent.
 * - `timestamp` is documented as ms but seen as seconds; read it with epochMsFrom().
 * - Frames may be one object or an array, like the market socket.
 */
import { z } from 'zod';
import { MakerOrderFill, ORDER_STATUS, ORDER_TYPE, tradeStatus } from './clob-rest';
import { decimalString, hexString, looseSide, looseTimestamp, optDecimal, optString, optTimestamp, parseWsFrame, probString, tokenId, type WsFrameResult } from './common';

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
  market: hexString,
  asset_id: tokenId,
  side: looseSide,
  order_owner: optString,
  original_size: decimalString,
  size_matched: decimalString,
  price: probString,
  associate_trades: z.array(z.string()).nullish(),
  outcome: z.string().nullish(),
  type: z.preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v), z.enum(['PLACEMENT', 'UPDATE', 'CANCELLATION'])),
  created_at: optTimestamp,
  expiration: optTimestamp,
  order_type: ORDER_TYPE.schema.nullish(),
  status: ORDER_STATUS.schema.nullish(),
  maker_address: optString,
  timestamp: looseTimestamp,
});
export type UserOrderEvent = z.infer<typeof UserOrderEvent>;

/** Trade status on the socket (bare or prefixed; normalised to bare). */
export const WsTradeStatus = tradeStatus;
export type WsTradeStatus = z.infer<typeof WsTradeStatus>;

/** A maker order inside a trade: the same shape on the socket as in REST `/data/trades`. */
export const WsMakerOrder = MakerOrderFill;

export const UserTradeEvent = z.object({
  event_type: z.literal('trade'),
  type: z.string().nullish(),
  id: z.string(),
  taker_order_id: z.string(),
  market: hexString,
  asset_id: tokenId,
  side: looseSide,
  size: decimalString,
  price: probString,
  fee_rate_bps: optDecimal,
  status: WsTradeStatus,
  matchtime: optTimestamp,
  match_time: optTimestamp,
  last_update: optTimestamp,
  outcome: z.string().nullish(),
  owner: z.string(),
  trade_owner: optString,
  maker_address: optString,
  transaction_hash: optString,
  bucket_index: z.number().int().nullish(),
  maker_orders: z.array(WsMakerOrder).nullish(),
  trader_side: z.preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v === null ? undefined : v), z.enum(['TAKER', 'MAKER']).optional()),
  timestamp: optTimestamp,
});
export type UserTradeEvent = z.infer<typeof UserTradeEvent>;

export type UserWsEvent = UserOrderEvent | UserTradeEvent;

/** Event schemas by `event_type`; anything else is an unknown type (ignored and counted). */
export const USER_EVENT_SCHEMAS: ReadonlyMap<string, z.ZodType<UserWsEvent>> = new Map<string, z.ZodType<UserWsEvent>>([
  ['order', UserOrderEvent],
  ['trade', UserTradeEvent],
]);

export type UserFrameResult = WsFrameResult<UserWsEvent>;

/** Parse one text frame from the user socket. Never throws. */
export function parseUserFrame(text: string): UserFrameResult {
  return parseWsFrame<UserWsEvent>(text, USER_EVENT_SCHEMAS);
}
