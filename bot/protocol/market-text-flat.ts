/**
 * The market text fast path's flat events and price changes (see market-text.ts for the contract): `price_change`
 * as market-fast.ts builds it (absent optional values left out), `best_bid_ask` and `last_trade_price` as their zod
 * schemas do (schema key order; a key sent as "" or null is kept, undefined). Each returns undefined for anything
 * outside the subset json-scan.ts reads, or a value its schema would refuse.
 */
import * as common from './common';
import * as decimal from './decimal';
import * as scan from './json-scan';
import type { MarketWsEvent, PriceChangeEvent, PriceChangeLevel } from './market-ws';
// tsx compiles each use of an imported name to a getter call: the hot paths read each binding once, here.
const { TOKEN_ID_RE } = common;
const { decimalNumber } = decimal;
const { F_ASSET, F_BA, F_BB, F_CHANGES, F_FEE, F_HASH, F_MARKET, F_PRICE, F_SIDE, F_SIZE, F_SPREAD, F_TS, F_TX, F_TYPE, HEX_RE, isDecimal, isProb, keyAt, next, optionalDecimal, optionalString, optionalTimestamp, scalar, sc, STR } = scan;

function changeBit(k: string): number {
  switch (k) {
    case 'asset_id': return F_ASSET;
    case 'price': return F_PRICE;
    case 'size': return F_SIZE;
    case 'side': return F_SIDE;
    case 'hash': return F_HASH;
    case 'best_bid': return F_BB;
    case 'best_ask': return F_BA;
    default: return 0;
  }
}

/** A price_change level in the venue's own key order with every field present (what the socket sends). */
const CHANGE_RE =
  /\{"asset_id":"(?:0|[1-9][0-9]*)","price":"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?","size":"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?","side":"(?:BUY|SELL)","hash":"[^"\\\p{Cc}]*","best_bid":"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?","best_ask":"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?"\}/uy;

/** One price_change level at `i` into `out`; returns the index after its `}`, or -1. */
function change(t: string, i: number, out: PriceChangeLevel[]): number {
  CHANGE_RE.lastIndex = i;
  if (CHANGE_RE.test(t)) {
    // Cut each value out between its key and the next quote (the pattern allows no quote inside a value).
    const a1 = t.indexOf('"', i + 13); // {"asset_id":"
    const p1 = t.indexOf('"', a1 + 11); // ","price":"
    const s1 = t.indexOf('"', p1 + 10); // ","size":"
    const d1 = t.indexOf('"', s1 + 10); // ","side":"
    const h1 = t.indexOf('"', d1 + 10); // ","hash":"
    const b1 = t.indexOf('"', h1 + 14); // ","best_bid":"
    const end = CHANGE_RE.lastIndex;
    const price = t.slice(a1 + 11, p1);
    const bb = t.slice(h1 + 14, b1);
    const ba = t.slice(b1 + 14, end - 2); // ","best_ask":" up to "}
    if (!(decimalNumber(price) <= 1 && decimalNumber(bb) <= 1 && decimalNumber(ba) <= 1)) return -1;
    const l = { asset_id: t.slice(i + 13, a1), price, size: t.slice(p1 + 10, s1), side: t.charCodeAt(s1 + 10) === 66 /* B */ ? 'BUY' : 'SELL' } as PriceChangeLevel;
    if (h1 > d1 + 10) l.hash = t.slice(d1 + 10, h1);
    l.best_bid = bb;
    l.best_ask = ba;
    out.push(l);
    return end;
  }
  return changeAnyOrder(t, i, out);
}

/** `change` for any key order, absent or null values and lower-case sides. */
function changeAnyOrder(t: string, i: number, out: PriceChangeLevel[]): number {
  if (t.charCodeAt(i) !== 123) return -1;
  i++;
  let seen = 0;
  let asset = '';
  let price = '';
  let size = '';
  let side: 'BUY' | 'SELL' = 'BUY';
  let hash: string | undefined;
  let bb: string | undefined;
  let ba: string | undefined;
  for (;;) {
    i = keyAt(t, i);
    if (i < 0) return -1;
    const bit = changeBit(sc.key);
    if (bit === 0 || seen & bit) return -1;
    seen |= bit;
    i = scalar(t, i);
    if (i < 0) return -1;
    switch (bit) {
      case F_ASSET:
        if (sc.kind !== STR || !TOKEN_ID_RE.test(sc.str)) return -1;
        asset = sc.str;
        break;
      case F_PRICE:
        if (sc.kind !== STR || !isProb(sc.str)) return -1;
        price = sc.str;
        break;
      case F_SIZE:
        if (sc.kind !== STR || !isDecimal(sc.str)) return -1;
        size = sc.str;
        break;
      case F_SIDE: {
        if (sc.kind !== STR) return -1;
        const u = sc.str.toUpperCase();
        if (u !== 'BUY' && u !== 'SELL') return -1;
        side = u;
        break;
      }
      case F_HASH:
        optionalString();
        if (!sc.optOk) return -1;
        hash = sc.optValue;
        break;
      case F_BB:
      case F_BA:
        optionalDecimal(true);
        if (!sc.optOk) return -1;
        if (bit === F_BB) bb = sc.optValue;
        else ba = sc.optValue;
        break;
    }
    const c = t.charCodeAt(i);
    if (c === 44) i++;
    else if (c === 125) break;
    else return -1;
  }
  const required = F_ASSET | F_PRICE | F_SIZE | F_SIDE;
  if ((seen & required) !== required) return -1;
  const l = { asset_id: asset, price, size, side } as PriceChangeLevel;
  if (hash !== undefined) l.hash = hash;
  if (bb !== undefined) l.best_bid = bb;
  if (ba !== undefined) l.best_ask = ba;
  out.push(l);
  return i + 1;
}

export function priceChange(t: string): PriceChangeEvent | undefined {
  const close = t.length - 1;
  let seen = 0;
  let market = '';
  const changes: PriceChangeLevel[] = [];
  let ts: string | number | undefined;
  let i = 1;
  for (;;) {
    i = keyAt(t, i);
    if (i < 0) return undefined;
    const bit = sc.key === 'event_type' ? F_TYPE : sc.key === 'market' ? F_MARKET : sc.key === 'price_changes' ? F_CHANGES : sc.key === 'timestamp' ? F_TS : 0;
    if (bit === 0 || seen & bit) return undefined;
    seen |= bit;
    if (bit === F_CHANGES) {
      if (t.charCodeAt(i) !== 91) return undefined;
      i++;
      if (t.charCodeAt(i) === 93) i++;
      else
        for (;;) {
          i = change(t, i, changes);
          if (i < 0) return undefined;
          const c = t.charCodeAt(i);
          if (c === 44) i++;
          else if (c === 93) {
            i++;
            break;
          } else return undefined;
        }
    } else {
      i = scalar(t, i);
      if (i < 0) return undefined;
      if (bit === F_TYPE) {
        if (sc.kind !== STR || sc.str !== 'price_change') return undefined;
      } else if (bit === F_MARKET) {
        if (sc.kind !== STR || !HEX_RE.test(sc.str)) return undefined;
        market = sc.str;
      } else {
        optionalTimestamp();
        if (!sc.tsOk) return undefined;
        ts = sc.tsValue;
      }
    }
    const n = next(t, i, close);
    if (n < 0) return undefined;
    if (n === 0) break;
    i = n;
  }
  const required = F_TYPE | F_MARKET | F_CHANGES;
  if ((seen & required) !== required) return undefined;
  const e = { event_type: 'price_change', market, price_changes: changes } as PriceChangeEvent;
  if (ts !== undefined) e.timestamp = ts;
  return e;
}

type BestBidAsk = Extract<MarketWsEvent, { event_type: 'best_bid_ask' }>;
type LastTrade = Extract<MarketWsEvent, { event_type: 'last_trade_price' }>;

/**
 * Flat events read as their zod schemas read them: every key the schema knows, in schema order; a key that was sent
 * is kept even when its value is absent ("" / null), as zod keeps it (undefined).
 */
function flat(t: string, type: string, bitOf: (k: string) => number, onValue: (bit: number) => boolean): number {
  const close = t.length - 1;
  let seen = 0;
  let i = 1;
  for (;;) {
    i = keyAt(t, i);
    if (i < 0) return -1;
    const bit = sc.key === 'event_type' ? F_TYPE : bitOf(sc.key);
    if (bit === 0 || seen & bit) return -1;
    seen |= bit;
    i = scalar(t, i);
    if (i < 0) return -1;
    if (bit === F_TYPE) {
      if (sc.kind !== STR || sc.str !== type) return -1;
    } else if (!onValue(bit)) return -1;
    const n = next(t, i, close);
    if (n < 0) return -1;
    if (n === 0) return seen;
    i = n;
  }
}

function bbaBit(k: string): number {
  switch (k) {
    case 'asset_id': return F_ASSET;
    case 'market': return F_MARKET;
    case 'best_bid': return F_BB;
    case 'best_ask': return F_BA;
    case 'spread': return F_SPREAD;
    case 'timestamp': return F_TS;
    default: return 0;
  }
}

export function bestBidAsk(t: string): BestBidAsk | undefined {
  let asset = '';
  let market = '';
  let bb: string | undefined;
  let ba: string | undefined;
  let spread: string | undefined;
  let ts: string | number | undefined;
  const seen = flat(t, 'best_bid_ask', bbaBit, (bit) => {
    switch (bit) {
      case F_ASSET:
        asset = sc.str;
        return sc.kind === STR && TOKEN_ID_RE.test(sc.str);
      case F_MARKET:
        market = sc.str;
        return sc.kind === STR && HEX_RE.test(sc.str);
      case F_TS:
        optionalTimestamp();
        ts = sc.tsValue;
        return sc.tsOk;
      default:
        optionalDecimal(bit !== F_SPREAD);
        if (bit === F_BB) bb = sc.optValue;
        else if (bit === F_BA) ba = sc.optValue;
        else spread = sc.optValue;
        return sc.optOk;
    }
  });
  if (seen < 0 || (seen & (F_ASSET | F_MARKET)) !== (F_ASSET | F_MARKET) || !(seen & F_TYPE)) return undefined;
  const e = { event_type: 'best_bid_ask', asset_id: asset, market } as BestBidAsk;
  if (seen & F_BB) e.best_bid = bb;
  if (seen & F_BA) e.best_ask = ba;
  if (seen & F_SPREAD) e.spread = spread;
  if (seen & F_TS) e.timestamp = ts;
  return e;
}

function tradeBit(k: string): number {
  switch (k) {
    case 'asset_id': return F_ASSET;
    case 'market': return F_MARKET;
    case 'price': return F_PRICE;
    case 'size': return F_SIZE;
    case 'side': return F_SIDE;
    case 'fee_rate_bps': return F_FEE;
    case 'timestamp': return F_TS;
    case 'transaction_hash': return F_TX;
    default: return 0;
  }
}

export function lastTrade(t: string): LastTrade | undefined {
  let asset = '';
  let market = '';
  let price = '';
  let size: string | undefined;
  let side: 'BUY' | 'SELL' = 'BUY';
  let fee: string | undefined;
  let ts: string | number | undefined;
  let tx: string | undefined;
  const seen = flat(t, 'last_trade_price', tradeBit, (bit) => {
    switch (bit) {
      case F_ASSET:
        asset = sc.str;
        return sc.kind === STR && TOKEN_ID_RE.test(sc.str);
      case F_MARKET:
        market = sc.str;
        return sc.kind === STR && HEX_RE.test(sc.str);
      case F_PRICE:
        price = sc.str;
        return sc.kind === STR && isProb(sc.str);
      case F_SIDE: {
        if (sc.kind !== STR) return false;
        const u = sc.str.toUpperCase();
        if (u !== 'BUY' && u !== 'SELL') return false;
        side = u;
        return true;
      }
      case F_TS:
        optionalTimestamp();
        ts = sc.tsValue;
        return sc.tsOk;
      case F_TX:
        optionalString();
        tx = sc.optValue;
        return sc.optOk;
      default:
        optionalDecimal(false);
        if (bit === F_SIZE) size = sc.optValue;
        else fee = sc.optValue;
        return sc.optOk;
    }
  });
  const required = F_TYPE | F_ASSET | F_MARKET | F_PRICE | F_SIDE;
  if (seen < 0 || (seen & required) !== required) return undefined;
  const e = { event_type: 'last_trade_price', asset_id: asset, market, price } as LastTrade;
  if (seen & F_SIZE) e.size = size;
  e.side = side;
  if (seen & F_FEE) e.fee_rate_bps = fee;
  if (seen & F_TS) e.timestamp = ts;
  if (seen & F_TX) e.transaction_hash = tx;
  return e;
}

