/**
 * CLOB REST wire schemas (reference §2, §9.2–9.4): public market data, auth, orders, cancels, queries,
 * heartbeats and balances.
 *
 * Invariants:
 * - Book prices/sizes, amounts and ids are strings; `/tick-size`, `/price`, `/clob-markets` numbers are numbers,
 *   exactly as the venue sends them. `GET /time` is a bare number of SECONDS.
 * - Order-book arrays are not assumed sorted (the venue sends best levels last); consumers take max/min.
 * - Trade status on REST is prefixed (`TRADE_STATUS_*`), on the user WS bare.
 */
import { z } from 'zod';
import { address, conditionId64, decimalString, hexString, probString, tokenId, uintString } from './common';

export const BookLevel = z.object({ price: probString, size: decimalString });
export type BookLevel = z.infer<typeof BookLevel>;

export const OrderBookSummary = z.object({
  market: conditionId64,
  asset_id: tokenId,
  timestamp: uintString,
  hash: z.string(),
  bids: z.array(BookLevel),
  asks: z.array(BookLevel),
  min_order_size: decimalString,
  tick_size: probString,
  neg_risk: z.boolean(),
  last_trade_price: probString.optional(),
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
  c: conditionId64.optional(),
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
export const PostOrderResponse = z.object({
  success: z.boolean(),
  errorMsg: z.string(),
  orderID: z.string(),
  status: PostOrderStatus,
  makingAmount: z.string(),
  takingAmount: z.string(),
  transactionsHashes: z.array(z.string()).optional(),
  tradeIDs: z.array(z.string()).optional(),
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
  status: OpenOrderStatus,
  owner: z.string(),
  maker_address: address,
  market: conditionId64,
  asset_id: tokenId,
  side: OrderSide,
  original_size: decimalString,
  size_matched: decimalString,
  price: probString,
  associate_trades: z.array(z.string()),
  outcome: z.string(),
  created_at: z.number().int(),
  expiration: uintString,
  order_type: OrderType,
});
export type OpenOrder = z.infer<typeof OpenOrder>;

export const Page = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ limit: z.number().int(), count: z.number().int(), next_cursor: z.string(), data: z.array(item) });
export const OpenOrdersPage = Page(OpenOrder);
export const INITIAL_CURSOR = 'MA==';
export const END_CURSOR = 'LTE=';

export const RestTradeStatus = z.enum([
  'TRADE_STATUS_MATCHED',
  'TRADE_STATUS_MATCHED_NOT_BROADCASTED',
  'TRADE_STATUS_MINED',
  'TRADE_STATUS_CONFIRMED',
  'TRADE_STATUS_RETRYING',
  'TRADE_STATUS_FAILED',
]);
export const MakerOrderFill = z.object({
  order_id: z.string(),
  owner: z.string(),
  maker_address: address.optional(),
  matched_amount: decimalString,
  price: probString,
  fee_rate_bps: decimalString.optional(),
  asset_id: tokenId,
  outcome: z.string().optional(),
  side: OrderSide.optional(),
});
export const RestTrade = z.object({
  id: z.string(),
  taker_order_id: z.string(),
  market: conditionId64,
  asset_id: tokenId,
  side: OrderSide,
  size: decimalString,
  price: probString,
  fee_rate_bps: decimalString,
  status: RestTradeStatus,
  match_time: uintString,
  match_time_nano: z.string().optional(),
  last_update: uintString,
  outcome: z.string(),
  bucket_index: z.number().int(),
  owner: z.string(),
  maker_address: address,
  maker_orders: z.array(MakerOrderFill),
  transaction_hash: z.string(),
  trader_side: z.enum(['TAKER', 'MAKER']),
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

export const BalanceAllowance = z.object({ balance: uintString, allowances: z.record(z.string(), uintString) });
export type BalanceAllowance = z.infer<typeof BalanceAllowance>;

/** Batch entries that failed: `{success:false, errorMsg, orderID:"", status:"", ...}`. */
export function isOrderAccepted(r: PostOrderResponse): boolean {
  return r.errorMsg === '' && r.orderID !== '';
}
