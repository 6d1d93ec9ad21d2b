/**
 * Scanner for the market socket's text fast path (market-text.ts and its parts): reads the strict JSON subset those
 * paths accept (no whitespace, strings without escapes or control characters, null, booleans, integers of at most 15
 * digits), one value or key at a time, into the shared scratch state `sc` (no allocation but the strings it cuts).
 *
 * Invariants: each reader returns the index after what it read, or -1 when the text is not of that subset (the frame
 * then takes the parse path); synchronous and not re-entrant (`sc` is read right after each call); never throws.
 */
import * as common from './common';
import * as decimal from './decimal';
// tsx compiles each use of an imported name to a getter call: the hot paths read each binding once, here.
const { DECIMAL_RE } = common;
const { decimalNumber } = decimal;

/** What the last reader read (module-level scratch state, see the header). */
export const sc = {
  kind: 0,
  str: '',
  num: 0,
  bool: false,
  /** The last key read by `keyAt`. */
  key: '',
  /** `optional*`: whether the value is acceptable, and the value (undefined: absent). */
  optOk: false,
  optValue: undefined as string | undefined,
  tsOk: false,
  tsValue: undefined as string | number | undefined,
};

export const HEX_RE = /^0x[0-9a-fA-F]*$/;
export const UINT_RE = /^[0-9]+$/;
/**
 * A string's content is taken as is only without escapes or control characters (JSON would change or refuse it;
 * \p{Cc} also refuses U+007F-U+009F, which JSON allows: those frames just take the parse path).
 */
export const PLAIN_RE = /^[^\\\p{Cc}]*$/u;
export const INT_RE = /(?:0|[1-9][0-9]{0,14})(?![0-9.eE])/y;

export const isDecimal = (v: string): boolean => DECIMAL_RE.test(v);
export const isProb = (v: string): boolean => DECIMAL_RE.test(v) && decimalNumber(v) <= 1;

/** Kinds of scalar read by `scalar` (module-level result, see the header). */
export const STR = 1;
export const NUL = 2;
export const BOOL = 3;
export const INT = 4;

/** Read a scalar at `i` into (kind, str | num | bool); returns the index after it, or -1. */
export function scalar(t: string, i: number): number {
  const c = t.charCodeAt(i);
  if (c === 34 /* " */) {
    const q = t.indexOf('"', i + 1);
    if (q < 0) return -1;
    const v = t.slice(i + 1, q);
    if (!PLAIN_RE.test(v)) return -1;
    sc.kind = STR;
    sc.str = v;
    return q + 1;
  }
  if (c === 110 /* n */ && t.startsWith('null', i)) {
    sc.kind = NUL;
    return i + 4;
  }
  if (c === 116 /* t */ && t.startsWith('true', i)) {
    sc.kind = BOOL;
    sc.bool = true;
    return i + 4;
  }
  if (c === 102 /* f */ && t.startsWith('false', i)) {
    sc.kind = BOOL;
    sc.bool = false;
    return i + 5;
  }
  if (c >= 48 && c <= 57) {
    INT_RE.lastIndex = i;
    const m = INT_RE.exec(t);
    if (!m) return -1;
    sc.kind = INT;
    sc.num = Number(m[0]);
    return INT_RE.lastIndex;
  }
  return -1;
}

/**
 * The key at `i` (`"name":`) into `sc.key`; returns the index after the colon, or -1. An escaped or odd key is read as
 * its raw text, which no event knows, so the frame takes the parse path.
 */
export function keyAt(t: string, i: number): number {
  if (t.charCodeAt(i) !== 34) return -1;
  const q = t.indexOf('"', i + 1);
  if (q < 0 || t.charCodeAt(q + 1) !== 58 /* : */) return -1;
  sc.key = t.slice(i + 1, q);
  return q + 2;
}

/** After a value: `,` (returns the next key's index), or the final `}` (returns 0); -1 otherwise. */
export function next(t: string, i: number, closeAt: number): number {
  const c = t.charCodeAt(i);
  if (c === 44) return i + 1;
  if (c === 125 && i === closeAt) return 0;
  return -1;
}

/** Optional string field ("" / null = absent): [ok, value]. Set by `optional*` below. */
export function optionalString(): void {
  sc.optOk = sc.kind === STR || sc.kind === NUL;
  sc.optValue = sc.kind === STR && sc.str !== '' ? sc.str : undefined;
}
export function optionalDecimal(prob: boolean): void {
  optionalString();
  if (sc.optValue !== undefined && !(prob ? isProb(sc.optValue) : isDecimal(sc.optValue))) sc.optOk = false;
}
/** Optional timestamp: a digit string or a safe non-negative integer; "" / null = absent. Sets tsOk / tsValue. */
export function optionalTimestamp(): void {
  sc.tsOk = true;
  sc.tsValue = undefined;
  if (sc.kind === INT) sc.tsValue = sc.num;
  else if (sc.kind === STR) {
    if (sc.str !== '') {
      sc.tsValue = sc.str;
      sc.tsOk = UINT_RE.test(sc.str);
    }
  } else if (sc.kind !== NUL) sc.tsOk = false;
}

// Field bits: each key once (a repeated key takes the parse path, where the last one wins).
export const F_TYPE = 1;
export const F_ASSET = 2;
export const F_MARKET = 4;
export const F_BIDS = 8;
export const F_ASKS = 16;
export const F_TS = 32;
export const F_HASH = 64;
export const F_TICK = 128;
export const F_MOS = 256;
export const F_NEG = 512;
export const F_LTP = 1024;
export const F_VERSION = 2048;
export const F_CHANGES = 4096;
export const F_PRICE = 8192;
export const F_SIZE = 16384;
export const F_SIDE = 32768;
export const F_BB = 65536;
export const F_BA = 131072;
export const F_SPREAD = 262144;
export const F_FEE = 524288;
export const F_TX = 1048576;
