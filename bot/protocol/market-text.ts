/**
 * Text fast path of the market socket: reads a single-event frame (`book`, `price_change`, `best_bid_ask`,
 * `last_trade_price`) straight from its text, without JSON.parse and without building the parsed object first.
 * These four carry nearly every byte the socket sends, so this is where replay and live spend their parse time.
 *
 * It reads a strict subset of JSON: one object, no whitespace, keys in any order but each once and each one the event
 * type knows, string values without escapes or control characters, null, booleans, integers of at most 15 digits,
 * and the level lists of a book or a price change. Anything else (an array frame, an unknown key, an escape, a
 * fraction, a legacy price change, a value the rules below refuse) returns undefined and the frame takes the parse
 * path (JSON.parse, market-fast.ts, then the zod schemas), which decides, with its error messages.
 *
 * `fastBookText` reads the same `book` frames with their levels as numbers (bookNumbers) instead of level objects: the
 * market feed applies those to the order book directly.
 *
 * Invariants: an event it returns equals what the parse path returns for the same text, key order included:
 * `book` and `price_change` as market-fast.ts builds them (absent optional values left out), `best_bid_ask` and
 * `last_trade_price` as their zod schemas do (schema key order; a key sent as "" or null is kept, undefined).
 * tests/unit/protocol/market-text.test.ts holds this over the simulator's frames, the real captures and the real
 * sample, and thousands of mutations of them. Not re-entrant (module-level scratch state), never throws.
 * The scanner is json-scan.ts; price changes and the flat events are in market-text-flat.ts.
 */
import * as common from './common';
import * as decimal from './decimal';
import * as scan from './json-scan';
import * as flat from './market-text-flat';
import { MARKET_EVENT_SCHEMAS, MARKET_FAST_PATHS, type BookEvent, type MarketFrameResult, type MarketWsEvent } from './market-ws';
// tsx compiles each use of an imported name to a getter call: the hot paths read each binding once, here.
const { TOKEN_ID_RE } = common;
const { decimalNumberAt } = decimal;
const { BOOL, F_ASKS, F_ASSET, F_BIDS, F_HASH, F_LTP, F_MARKET, F_MOS, F_NEG, F_TICK, F_TS, F_TYPE, F_VERSION, HEX_RE, keyAt, next, NUL, optionalDecimal, optionalString, optionalTimestamp, scalar, sc, STR } = scan;
const { bestBidAsk, lastTrade, priceChange } = flat;

const TYPE_KEY = '"event_type":"';

/** Where the event type's value starts in a frame's text, or -1 (not a single object naming one). */
function typeAt(t: string): number {
  if (t.charCodeAt(0) !== 123 /* { */) return -1;
  // First key (the simulator's layout) or near the end (the venue's): a quote cannot occur inside a value, so any
  // occurrence is the key itself (and the scan below checks it again).
  const at = t.startsWith(TYPE_KEY, 1) ? 1 : t.lastIndexOf(TYPE_KEY);
  return at < 0 ? -1 : at + TYPE_KEY.length;
}

/** The event type a frame names, read from its text (undefined: not a single object naming one). */
function typeOf(t: string): string | undefined {
  const at = typeAt(t);
  if (at < 0) return undefined;
  const end = t.indexOf('"', at);
  return end < 0 ? undefined : t.slice(at, end);
}

/** Does the frame's text name the type `book`? (typeOf(t) === 'book', without cutting the name out.) */
function namesBook(t: string): boolean {
  const at = typeAt(t);
  return at >= 0 && t.startsWith('book"', at);
}

/** A single-event market frame read from its text, or undefined (the parse path decides). */
export function fastMarketText(t: string): MarketWsEvent | undefined {
  switch (typeOf(t)) {
    case 'book':
      return book(t, true);
    case 'price_change':
      return priceChange(t);
    case 'best_bid_ask':
      return bestBidAsk(t);
    case 'last_trade_price':
      return lastTrade(t);
    default:
      return undefined;
  }
}

const LEVEL_PRICE_FIRST = /\{"price":"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?","size":"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?"\}/y;
const LEVEL_SIZE_FIRST = /\{"size":"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?","price":"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?"\}/y;

/** Where the last `level` call found its values: [priceFrom, priceTo, sizeFrom, sizeTo] (text offsets). */
const lv = [0, 0, 0, 0];

/**
 * One level object at `i`, `{"price":"…","size":"…"}` or `{"size":"…","price":"…"}` with plain decimals and nothing
 * else: the index after its `}` (value offsets in `lv`), or -1. test() and cut at the fixed places (no quote inside a
 * value): no match array per level.
 */
function level(t: string, i: number): number {
  LEVEL_PRICE_FIRST.lastIndex = i;
  if (LEVEL_PRICE_FIRST.test(t)) {
    const q = t.indexOf('"', i + 10); // after {"price":"
    const end = LEVEL_PRICE_FIRST.lastIndex;
    lv[0] = i + 10;
    lv[1] = q;
    lv[2] = q + 10; // after ","size":"
    lv[3] = end - 2; // up to "}
    return end;
  }
  LEVEL_SIZE_FIRST.lastIndex = i;
  if (!LEVEL_SIZE_FIRST.test(t)) return -1;
  const q = t.indexOf('"', i + 9); // after {"size":"
  const end = LEVEL_SIZE_FIRST.lastIndex;
  lv[2] = i + 9;
  lv[3] = q;
  lv[0] = q + 11; // after ","price":"
  lv[1] = end - 2;
  return end;
}

/**
 * The numbers of the levels the last `fastBookText` read, in the frame's order: prices and sizes exactly as
 * `decimalNumber` reads the level strings the parse path returns (which is how OrderBook reads them). Overwritten by
 * the next call; entries past `bids` / `asks` are stale.
 */
export interface BookLevelNumbers {
  bidPrices: number[];
  bidSizes: number[];
  bids: number;
  askPrices: number[];
  askSizes: number[];
  asks: number;
}
export const bookNumbers: BookLevelNumbers = { bidPrices: [], bidSizes: [], bids: 0, askPrices: [], askSizes: [], asks: 0 };

/**
 * A book's level list at `i`: as wire strings into `out`, or (out undefined) as numbers into bookNumbers' bid or ask
 * lists. Prices must be in [0, 1]. Returns the index after `]`, or -1.
 */
function levels(t: string, i: number, out: { price: string; size: string }[] | undefined, bid: boolean): number {
  if (t.charCodeAt(i) !== 91 /* [ */) return -1;
  i++;
  const prices = bid ? bookNumbers.bidPrices : bookNumbers.askPrices;
  const sizes = bid ? bookNumbers.bidSizes : bookNumbers.askSizes;
  let n = 0;
  if (t.charCodeAt(i) !== 93 /* ] */) {
    for (;;) {
      i = level(t, i);
      if (i < 0) return -1;
      const price = decimalNumberAt(t, lv[0]!, lv[1]!);
      if (!(price <= 1)) return -1;
      if (out) out.push({ price: t.slice(lv[0], lv[1]), size: t.slice(lv[2], lv[3]) });
      else {
        prices[n] = price;
        sizes[n] = decimalNumberAt(t, lv[2]!, lv[3]!);
        n++;
      }
      const c = t.charCodeAt(i);
      if (c === 44 /* , */) i++;
      else if (c === 93) break;
      else return -1;
    }
  }
  if (!out) {
    if (bid) bookNumbers.bids = n;
    else bookNumbers.asks = n;
  }
  return i + 1;
}

/** Bit of a top-level key of `type`, or 0 when that event does not know the key. */
function bookBit(k: string): number {
  switch (k) {
    case 'event_type': return F_TYPE;
    case 'asset_id': return F_ASSET;
    case 'market': return F_MARKET;
    case 'bids': return F_BIDS;
    case 'asks': return F_ASKS;
    case 'timestamp': return F_TS;
    case 'hash': return F_HASH;
    case 'tick_size': return F_TICK;
    case 'min_order_size': return F_MOS;
    case 'neg_risk': return F_NEG;
    case 'last_trade_price': return F_LTP;
    case 'version': return F_VERSION;
    default: return 0;
  }
}

/** A `book` event without its level lists (fastBookText's answer: the levels are in bookNumbers). */
export type BookHead = Omit<BookEvent, 'bids' | 'asks'>;

/**
 * A single-event `book` frame read from its text with its levels as numbers (into bookNumbers), or undefined when the
 * frame is anything else or not read by the text path (fastMarketText). Accepts exactly the frames fastMarketText reads
 * as a book, and the head equals that event without `bids` and `asks` (tests/unit/protocol/market-text.test.ts).
 * For the feed, which applies a snapshot's numbers to the order book without building a level object and two strings
 * per level first (a replay of the real sample reads ~100 levels a frame).
 */
export function fastBookText(t: string): BookHead | undefined {
  return namesBook(t) ? book(t, false) : undefined;
}

function book(t: string, strings: true): BookEvent | undefined;
function book(t: string, strings: false): BookHead | undefined;
function book(t: string, strings: boolean): BookEvent | BookHead | undefined {
  const close = t.length - 1;
  let seen = 0;
  let asset = '';
  let market = '';
  const bids: { price: string; size: string }[] | undefined = strings ? [] : undefined;
  const asks: { price: string; size: string }[] | undefined = strings ? [] : undefined;
  let ts: string | number | undefined;
  let hash: string | undefined;
  let tick: string | undefined;
  let mos: string | undefined;
  let ltp: string | undefined;
  let version: string | undefined;
  let neg: boolean | null | undefined;
  let i = 1;
  for (;;) {
    i = keyAt(t, i);
    if (i < 0) return undefined;
    const bit = bookBit(sc.key);
    if (bit === 0 || seen & bit) return undefined;
    seen |= bit;
    if (bit === F_BIDS || bit === F_ASKS) {
      i = bit === F_BIDS ? levels(t, i, bids, true) : levels(t, i, asks, false);
      if (i < 0) return undefined;
    } else {
      i = scalar(t, i);
      if (i < 0) return undefined;
      switch (bit) {
        case F_TYPE:
          if (sc.kind !== STR || sc.str !== 'book') return undefined;
          break;
        case F_ASSET:
          if (sc.kind !== STR || !TOKEN_ID_RE.test(sc.str)) return undefined;
          asset = sc.str;
          break;
        case F_MARKET:
          if (sc.kind !== STR || !HEX_RE.test(sc.str)) return undefined;
          market = sc.str;
          break;
        case F_TS:
          optionalTimestamp();
          if (!sc.tsOk) return undefined;
          ts = sc.tsValue;
          break;
        case F_HASH:
        case F_VERSION:
          optionalString();
          if (!sc.optOk) return undefined;
          if (bit === F_HASH) hash = sc.optValue;
          else version = sc.optValue;
          break;
        case F_TICK:
        case F_LTP:
          optionalDecimal(true);
          if (!sc.optOk) return undefined;
          if (bit === F_TICK) tick = sc.optValue;
          else ltp = sc.optValue;
          break;
        case F_MOS:
          optionalDecimal(false);
          if (!sc.optOk) return undefined;
          mos = sc.optValue;
          break;
        case F_NEG:
          if (sc.kind !== BOOL && sc.kind !== NUL) return undefined;
          neg = sc.kind === BOOL ? sc.bool : null;
          break;
      }
    }
    const n = next(t, i, close);
    if (n < 0) return undefined;
    if (n === 0) break;
    i = n;
  }
  const required = F_TYPE | F_ASSET | F_MARKET | F_BIDS | F_ASKS;
  if ((seen & required) !== required) return undefined;
  const e = (strings ? { event_type: 'book', asset_id: asset, market, bids, asks } : { event_type: 'book', asset_id: asset, market }) as BookEvent;
  if (ts !== undefined) e.timestamp = ts;
  if (hash !== undefined) e.hash = hash;
  if (tick !== undefined) e.tick_size = tick;
  if (mos !== undefined) e.min_order_size = mos;
  if (neg !== undefined) e.neg_risk = neg;
  if (ltp !== undefined) e.last_trade_price = ltp;
  if (version !== undefined) e.version = version;
  return e;
}

/** Parse one text frame from the market socket (object, array, or `PONG`), the text fast path first. Never throws. */
export function parseMarketFrame(text: string): MarketFrameResult {
  return common.parseWsFrame<MarketWsEvent>(text, MARKET_EVENT_SCHEMAS, MARKET_FAST_PATHS, fastMarketText);
}
