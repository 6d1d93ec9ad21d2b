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
const { decimalNumber } = decimal;
const { BOOL, F_ASKS, F_ASSET, F_BIDS, F_HASH, F_LTP, F_MARKET, F_MOS, F_NEG, F_TICK, F_TS, F_TYPE, F_VERSION, HEX_RE, keyAt, next, NUL, optionalDecimal, optionalString, optionalTimestamp, scalar, sc, STR } = scan;
const { bestBidAsk, lastTrade, priceChange } = flat;

const TYPE_KEY = '"event_type":"';

/** The event type a frame names, read from its text (undefined: not a single object naming one). */
function typeOf(t: string): string | undefined {
  if (t.charCodeAt(0) !== 123 /* { */) return undefined;
  // First key (the simulator's layout) or near the end (the venue's): a quote cannot occur inside a value, so any
  // occurrence is the key itself (and the scan below checks it again).
  const at = t.startsWith(TYPE_KEY, 1) ? 1 : t.lastIndexOf(TYPE_KEY);
  if (at < 0) return undefined;
  const end = t.indexOf('"', at + TYPE_KEY.length);
  return end < 0 ? undefined : t.slice(at + TYPE_KEY.length, end);
}

/** A single-event market frame read from its text, or undefined (the parse path decides). */
export function fastMarketText(t: string): MarketWsEvent | undefined {
  switch (typeOf(t)) {
    case 'book':
      return book(t);
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

/** A book's level list at `i` into `out` (price in [0, 1], decimal size); returns the index after `]`, or -1. */
function levels(t: string, i: number, out: { price: string; size: string }[]): number {
  if (t.charCodeAt(i) !== 91 /* [ */) return -1;
  i++;
  if (t.charCodeAt(i) === 93) return i + 1;
  for (;;) {
    // test() and cut at the fixed places (no quote inside a value): no match array per level.
    let price: string;
    let size: string;
    LEVEL_PRICE_FIRST.lastIndex = i;
    if (LEVEL_PRICE_FIRST.test(t)) {
      const q = t.indexOf('"', i + 10); // after {"price":"
      price = t.slice(i + 10, q);
      i = LEVEL_PRICE_FIRST.lastIndex;
      size = t.slice(q + 10, i - 2); // after ","size":" up to "}
    } else {
      LEVEL_SIZE_FIRST.lastIndex = i;
      if (!LEVEL_SIZE_FIRST.test(t)) return -1;
      const q = t.indexOf('"', i + 9); // after {"size":"
      size = t.slice(i + 9, q);
      i = LEVEL_SIZE_FIRST.lastIndex;
      price = t.slice(q + 11, i - 2); // after ","price":" up to "}
    }
    if (!(decimalNumber(price) <= 1)) return -1;
    out.push({ price, size });
    const c = t.charCodeAt(i);
    if (c === 44) i++;
    else return c === 93 ? i + 1 : -1;
  }
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

function book(t: string): BookEvent | undefined {
  const close = t.length - 1;
  let seen = 0;
  let asset = '';
  let market = '';
  const bids: { price: string; size: string }[] = [];
  const asks: { price: string; size: string }[] = [];
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
      i = levels(t, i, bit === F_BIDS ? bids : asks);
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
  const e = { event_type: 'book', asset_id: asset, market, bids, asks } as BookEvent;
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
