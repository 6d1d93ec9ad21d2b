/**
 * Fast paths for the two market-socket events that carry most of the bytes (`book` and the current `price_change`),
 * used by `parseMarketFrame` before the zod schemas of market-ws.ts. They accept only what the schema accepts and
 * return the object the schema would return (unknown keys dropped, "" / null optional values absent, `side`
 * upper-cased); on anything they are not sure of they return undefined and the zod schema decides (with its error
 * messages). The schemas stay the contract: tests/unit/protocol/market-fast.test.ts checks, over real and synthetic
 * frames and mutations of them, that every fast acceptance equals the schema's output.
 */
import * as common from './common';
import * as decimal from './decimal';
// tsx compiles each use of an imported name to a getter call: the hot paths read each binding once, here.
const { DECIMAL_RE, TOKEN_ID_RE } = common;
const { decimalNumber } = decimal;

/** Structural copies of the schemas' outputs (market-ws.ts imports this file, so it cannot import those types). */
interface BookEvent {
  event_type: 'book';
  asset_id: string;
  market: string;
  bids: { price: string; size: string }[];
  asks: { price: string; size: string }[];
  timestamp?: string | number;
  hash?: string;
  tick_size?: string;
  min_order_size?: string;
  neg_risk?: boolean | null;
  last_trade_price?: string;
  version?: string;
}
interface PriceChangeLevel {
  asset_id: string;
  price: string;
  size: string;
  side: 'BUY' | 'SELL';
  hash?: string;
  best_bid?: string;
  best_ask?: string;
}
interface PriceChangeEvent {
  event_type: 'price_change';
  market: string;
  price_changes: PriceChangeLevel[];
  timestamp?: string | number;
}

const HEX_RE = /^0x[0-9a-fA-F]*$/;
const UINT_RE = /^[0-9]+$/;

const isDecimal = (v: unknown): v is string => typeof v === 'string' && DECIMAL_RE.test(v);
// A decimal string is never negative: only the upper bound needs a check.
const isProb = (v: unknown): v is string => isDecimal(v) && decimalNumber(v) <= 1;
const absent = (v: unknown) => v === undefined || v === null || v === '';

/** Optional field result: [ok, value]; value undefined = absent. */
function optString(v: unknown): [boolean, string | undefined] {
  if (absent(v)) return [true, undefined];
  return typeof v === 'string' ? [true, v] : [false, undefined];
}
function optProb(v: unknown): [boolean, string | undefined] {
  if (absent(v)) return [true, undefined];
  return isProb(v) ? [true, v] : [false, undefined];
}
function optDecimal(v: unknown): [boolean, string | undefined] {
  if (absent(v)) return [true, undefined];
  return isDecimal(v) ? [true, v] : [false, undefined];
}
function optTimestamp(v: unknown): [boolean, string | number | undefined] {
  if (absent(v)) return [true, undefined];
  if (typeof v === 'string') return [UINT_RE.test(v), v];
  if (typeof v === 'number') return [Number.isSafeInteger(v) && v >= 0, v];
  return [false, undefined];
}
function side(v: unknown): 'BUY' | 'SELL' | undefined {
  if (typeof v !== 'string') return undefined;
  const u = v.toUpperCase();
  return u === 'BUY' || u === 'SELL' ? u : undefined;
}

function levels(v: unknown): { price: string; size: string }[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: { price: string; size: string }[] = new Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const l = v[i] as { price?: unknown; size?: unknown } | null;
    if (typeof l !== 'object' || l === null || Array.isArray(l) || !isProb(l.price) || !isDecimal(l.size)) return undefined;
    out[i] = { price: l.price, size: l.size };
  }
  return out;
}

export function fastBook(o: Record<string, unknown>): BookEvent | undefined {
  if (typeof o.asset_id !== 'string' || !TOKEN_ID_RE.test(o.asset_id) || typeof o.market !== 'string' || !HEX_RE.test(o.market)) return undefined;
  const bids = levels(o.bids);
  const asks = bids && levels(o.asks);
  if (!bids || !asks) return undefined;
  const ts = optTimestamp(o.timestamp);
  const hash = optString(o.hash);
  const tick = optProb(o.tick_size);
  const mos = optDecimal(o.min_order_size);
  const ltp = optProb(o.last_trade_price);
  const version = optString(o.version);
  const nr = o.neg_risk;
  if (!ts[0] || !hash[0] || !tick[0] || !mos[0] || !ltp[0] || !version[0] || !(nr === undefined || nr === null || typeof nr === 'boolean')) return undefined;
  const e: BookEvent = { event_type: 'book', asset_id: o.asset_id, market: o.market, bids, asks } as BookEvent;
  if (ts[1] !== undefined) e.timestamp = ts[1];
  if (hash[1] !== undefined) e.hash = hash[1];
  if (tick[1] !== undefined) e.tick_size = tick[1];
  if (mos[1] !== undefined) e.min_order_size = mos[1];
  if (nr !== undefined) e.neg_risk = nr as boolean | null;
  if (ltp[1] !== undefined) e.last_trade_price = ltp[1];
  if (version[1] !== undefined) e.version = version[1];
  return e;
}

export function fastPriceChange(o: Record<string, unknown>): PriceChangeEvent | undefined {
  if (typeof o.market !== 'string' || !HEX_RE.test(o.market) || !Array.isArray(o.price_changes)) return undefined;
  const ts = optTimestamp(o.timestamp);
  if (!ts[0]) return undefined;
  const list = o.price_changes as unknown[];
  const changes: PriceChangeLevel[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const c = list[i] as Record<string, unknown> | null;
    if (typeof c !== 'object' || c === null || Array.isArray(c)) return undefined;
    if (typeof c.asset_id !== 'string' || !TOKEN_ID_RE.test(c.asset_id) || !isProb(c.price) || !isDecimal(c.size)) return undefined;
    const s = side(c.side);
    const hash = optString(c.hash);
    const bb = optProb(c.best_bid);
    const ba = optProb(c.best_ask);
    if (!s || !hash[0] || !bb[0] || !ba[0]) return undefined;
    const l: PriceChangeLevel = { asset_id: c.asset_id, price: c.price, size: c.size, side: s } as PriceChangeLevel;
    if (hash[1] !== undefined) l.hash = hash[1];
    if (bb[1] !== undefined) l.best_bid = bb[1];
    if (ba[1] !== undefined) l.best_ask = ba[1];
    changes[i] = l;
  }
  const e = { event_type: 'price_change', market: o.market, price_changes: changes } as PriceChangeEvent;
  if (ts[1] !== undefined) e.timestamp = ts[1];
  return e;
}
