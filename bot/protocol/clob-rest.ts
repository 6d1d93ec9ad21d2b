/**
 * CLOB REST wire schemas (reference §2, §9.2–9.4): public market data, auth, orders, cancels, queries,
 * heartbeats and balances.
 *
 * Invariants:
 * - Book prices/sizes, amounts and ids are strings; `/tick-size`, `/price`, `/clob-markets` numbers are numbers,
 *   exactly as the venue sends them. `GET /time` is a bare number of SECONDS.
 * - Order-book arrays are not assumed sorted (the venue sends best levels last); consumers take max/min.
 * - Trade status comes prefixed (`TRADE_STATUS_*`) or bare, on REST and on the user WS: `tradeStatus` accepts
 *   both (case-insensitive) and yields the bare form.
 * - Real-venue dialect (§9.9, official SDK schemas): "" / null mean absent for optional decimals (maker
 *   `fee_rate_bps`, `last_trade_price`); `side` may be lower-case; order `status` / `order_type` are open strings
 *   (known values mapped by `ORDER_STATUS.known` / `ORDER_TYPE.known`, the rest kept and counted by the caller);
 *   `created_at` is a number or a digit string; a failed `POST /order` may carry only `success`/`errorMsg`.
 */
import { z } from 'zod';
import { decimalString, hexString, looseSide, looseTimestamp, openEnum, optDecimal, optProb, optString, optTimestamp, probString, tokenId, uintString } from './common';

export const BookLevel = z.object({ price: probString, size: decimalString });
export type BookLevel = z.infer<typeof BookLevel>;

export const OrderBookSummary = z.object({
  market: hexString,
  asset_id: tokenId,
  timestamp: looseTimestamp,
  hash: z.string(),
  bids: z.array(BookLevel),
  asks: z.array(BookLevel),
  min_order_size: optDecimal,
  tick_size: optProb,
  neg_risk: z.boolean().nullish(),
  last_trade_price: optProb,
  /** "v2" on Protocol V2 markets. */
  version: optString,
});
export type OrderBookSummary = z.infer<typeof OrderBookSummary>;
export const BooksResponse = z.array(OrderBookSummary);
export const BooksRequest = z.array(z.object({ token_id: tokenId, side: z.enum(['BUY', 'SELL']).optional() })).max(500);

export const ServerTime = z.number().int().nonnegative();
export const TickSizeResponse = z.object({ minimum_tick_size: z.number().positive() });
export const NegRiskResponse = z.object({ neg_risk: z.boolean() });
export const FeeRateResponse = z.object({ base_fee: z.number() });
export const PriceResponse = z.object({ price: z.number() });
/** `/midpoint`: documented `mid_price`, legacy `mid`; accept either. */
export const MidpointResponse = z.union([z.object({ mid_price: decimalString }), z.object({ mid: decimalString })]);
export const VersionResponse = z.object({ version: z.number().int() });

export const ClobMarketInfo = z.object({
  t: z.array(z.object({ t: tokenId, o: z.string() })),
  c: hexString.optional(),
  mos: z.number(),
  mts: z.number(),
  mbf: z.number().optional(),
  tbf: z.number().optional(),
  ao: z.boolean().optional(),
  aot: z.string().optional(),
  itode: z.boolean().optional(),
  fd: z.object({ r: z.number(), e: z.number(), to: z.boolean() }).optional(),
  r: z.object({ mi: z.number(), ma: z.number(), moas: z.number().optional() }).optional(),
  rfqe: z.boolean().optional(),
  ibce: z.boolean().optional(),
  oas: z.number().optional(),
  nr: z.boolean().optional(),
  cbos: z.boolean().optional(),
  gst: z.unknown().optional(),
  v: z.enum(['v1', 'v2']).optional(),
});
export type ClobMarketInfo = z.infer<typeof ClobMarketInfo>;

export const ApiCreds = z.object({ apiKey: z.string().min(1), secret: z.string().min(1), passphrase: z.string().min(1) });
export type ApiCreds = z.infer<typeof ApiCreds>;

export const OrderSide = z.enum(['BUY', 'SELL']);
export const OrderType = z.enum(['GTC', 'GTD', 'FOK', 'FAK']);
/** Order types as reported back (open: new types are kept and counted, never a parse failure). */
export const ORDER_TYPE = openEnum(['GTC', 'GTD', 'FOK', 'FAK']);
/** Order statuses the REST pages and the user socket report (open string on the wire). */
export const ORDER_STATUS = openEnum(['LIVE', 'MATCHED', 'DELAYED', 'UNMATCHED', 'CANCELED', 'INVALID', 'CANCELED_MARKET_RESOLVED']);
export type KnownOrderStatus = NonNullable<ReturnType<typeof ORDER_STATUS.known>>;

/** Trade settlement status, bare or `TRADE_STATUS_`-prefixed, any case; normalised to the bare form. */
export const TRADE_STATUSES = ['MATCHED', 'MATCHED_NOT_BROADCASTED', 'MINED', 'CONFIRMED', 'RETRYING', 'FAILED'] as const;
export const tradeStatus = z.preprocess(
  (v) => (typeof v === 'string' ? v.toUpperCase().replace(/^TRADE_STATUS_/, '') : v),
  z.enum(TRADE_STATUSES),
);
export type TradeStatus = z.infer<typeof tradeStatus>;

/** The signed V2 order as sent on the wire (salt is a JSON number; side a string; amounts strings). */
export const SignedOrderV2Wire = z.object({
  salt: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  maker: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  signer: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  tokenId,
  makerAmount: uintString,
  takerAmount: uintString,
  side: OrderSide,
  signatureType: z.number().int().min(0).max(3),
  timestamp: uintString,
  expiration: uintString,
  metadata: z.string().regex(/^0x[0-9a-fA-F]{64}$/),
  builder: z.string().regex(/^0x[0-9a-fA-F]{64}$/),
  signature: hexString,
});
export type SignedOrderV2Wire = z.infer<typeof SignedOrderV2Wire>;

export const PostOrderRequest = z.object({
  order: SignedOrderV2Wire,
  owner: z.string(),
  orderType: OrderType.default('GTC'),
  postOnly: z.boolean().optional(),
  deferExec: z.boolean().optional(),
});
export type PostOrderRequest = z.infer<typeof PostOrderRequest>;

export const PostOrderStatus = z.enum(['live', 'matched', 'delayed', 'unmatched', '']);
/** Amounts of a post answer: "" (unset) and missing read as "0". */
const postAmount = z.preprocess((v) => (v === '' || v === null || v === undefined ? '0' : v), z.string());
/**
 * `POST /order` answer. Success carries status and amounts; a failure may be only `{success:false, errorMsg,
 * orderID:""}` (HTTP 200 or 400): missing fields default so it still parses as a rejection with its message.
 */
export const PostOrderResponse = z.object({
  success: z.boolean(),
  errorMsg: z.preprocess((v) => (v === null || v === undefined ? '' : v), z.string()),
  orderID: z.preprocess((v) => (v === null || v === undefined ? '' : v), z.string()),
  status: z.preprocess((v) => (v === null || v === undefined ? '' : typeof v === 'string' ? v.toLowerCase() : v), z.string()),
  makingAmount: postAmount,
  takingAmount: postAmount,
  transactionsHashes: z.array(z.string()).nullish(),
  tradeIDs: z.array(z.string()).nullish(),
});
export type PostOrderResponse = z.infer<typeof PostOrderResponse>;
export const PostOrdersResponse = z.array(PostOrderResponse);

export const CancelOrderRequest = z.object({ orderID: z.string() });
export const CancelOrdersRequest = z.array(z.string()).max(1000);
export const CancelMarketOrdersRequest = z.object({ market: z.string().optional(), asset_id: z.string().optional() });
export const CancelResponse = z.object({ canceled: z.array(z.string()), not_canceled: z.record(z.string(), z.string()) });
export type CancelResponse = z.infer<typeof CancelResponse>;

export const OpenOrderStatus = z.enum(['LIVE', 'INVALID', 'CANCELED_MARKET_RESOLVED', 'CANCELED', 'MATCHED']);
export const OpenOrder = z.object({
  id: z.string(),
  status: ORDER_STATUS.schema,
  owner: z.string(),
  maker_address: z.string(),
  market: hexString,
  asset_id: tokenId,
  side: looseSide,
  original_size: decimalString,
  size_matched: decimalString,
  price: probString,
  associate_trades: z.array(z.string()).nullish(),
  outcome: z.string().nullish(),
  created_at: looseTimestamp,
  expiration: optTimestamp,
  order_type: ORDER_TYPE.schema.nullish(),
});
export type OpenOrder = z.infer<typeof OpenOrder>;

export const Page = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ limit: z.number().int(), count: z.number().int(), next_cursor: z.string(), data: z.array(item) });
export const OpenOrdersPage = Page(OpenOrder);
export const INITIAL_CURSOR = 'MA==';
export const END_CURSOR = 'LTE=';

/** The prefixed spellings the REST API documents (the simulator sends these or the bare ones). */
export const RestTradeStatus = z.enum([
  'TRADE_STATUS_MATCHED',
  'TRADE_STATUS_MATCHED_NOT_BROADCASTED',
  'TRADE_STATUS_MINED',
  'TRADE_STATUS_CONFIRMED',
  'TRADE_STATUS_RETRYING',
  'TRADE_STATUS_FAILED',
]);
/** A maker order inside a trade: the same shape on the user socket as in REST `/data/trades`. */
export const MakerOrderFill = z.object({
  order_id: z.string(),
  owner: z.string(),
  maker_address: optString,
  matched_amount: decimalString,
  price: probString,
  fee_rate_bps: optDecimal,
  asset_id: tokenId,
  outcome: z.string().nullish(),
  outcome_index: z.number().int().nullish(),
  side: z.preprocess((v) => (v === '' || v === null ? undefined : v), looseSide.optional()),
});
const traderSide = z.preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v === null ? undefined : v), z.enum(['TAKER', 'MAKER']).optional());
export const RestTrade = z.object({
  id: z.string(),
  taker_order_id: z.string(),
  market: hexString,
  asset_id: tokenId,
  side: looseSide,
  size: decimalString,
  price: probString,
  fee_rate_bps: optDecimal,
  status: tradeStatus,
  match_time: optTimestamp,
  match_time_nano: optString,
  last_update: optTimestamp,
  outcome: z.string().nullish(),
  bucket_index: z.number().int().nullish(),
  owner: z.string(),
  maker_address: optString,
  maker_orders: z.array(MakerOrderFill).nullish(),
  transaction_hash: optString,
  trader_side: traderSide,
});
export type RestTrade = z.infer<typeof RestTrade>;
export const TradesPage = Page(RestTrade);

export const HeartbeatRequest = z.object({ heartbeat_id: z.string() });
export const HeartbeatResponse = z.object({ heartbeat_id: z.string() });
export const HeartbeatError = z.object({
  error_msg: z.string().optional(),
  error: z.string().optional(),
  heartbeat_id: z.string(),
});
export const LegacyHeartbeatResponse = z.object({ status: z.literal('ok') });

export const BalanceAllowance = z.object({
  balance: uintString,
  /** Spender address -> allowance (base units). Absent on CONDITIONAL queries of some accounts. */
  allowances: z.record(z.string(), uintString).nullish(),
});
export type BalanceAllowance = z.infer<typeof BalanceAllowance>;

/** Batch entries that failed: `{success:false, errorMsg, orderID:"", status:"", ...}`. */
export function isOrderAccepted(r: PostOrderResponse): boolean {
  return r.success !== false && r.errorMsg === '' && r.orderID !== '';
}

/** `GET /auth/ban-status/closed-only`. */
export const ClosedOnlyResponse = z.object({ closed_only: z.boolean() });
/** `GET https://polymarket.com/api/geoblock` (not on the API hosts). */
export const GeoblockResponse = z.object({ blocked: z.boolean(), ip: z.string().nullish(), country: z.string().nullish(), region: z.string().nullish() });
