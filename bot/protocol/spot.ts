/**
 * Binance-style spot stream schemas for btcusdt (liveness and divergence only; never settlement maths).
 *
 * Raw streams `/ws/<symbol>@trade` and `/ws/<symbol>@bookTicker`; combined `/stream?streams=a/b` wraps each
 * payload as `{stream, data}`. Live subscription control `{method:"SUBSCRIBE", params:[...], id}` ->
 * `{result:null, id}`. Prices and quantities are decimal strings; times are ms numbers.
 */
import { z } from 'zod';
import { decimalString } from './common';

export const SpotTrade = z.object({
  e: z.literal('trade'),
  E: z.number().int(),
  s: z.string(),
  t: z.number().int(),
  p: decimalString,
  q: decimalString,
  T: z.number().int(),
  m: z.boolean(),
  M: z.boolean().optional(),
});
export type SpotTrade = z.infer<typeof SpotTrade>;

const DECIMAL = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v); // as z.number().int()

/**
 * Fast path for the one message the bot's spot stream carries (`@trade`): the same acceptance and output as
 * `SpotTrade`, or undefined (the schema then decides). tests/unit/protocol/fast-paths.test.ts holds them equal.
 */
export function fastSpotTrade(o: unknown): SpotTrade | undefined {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return undefined;
  const v = o as Record<string, unknown>;
  if (v.e !== 'trade' || !isInt(v.E) || typeof v.s !== 'string' || !isInt(v.t) || !isInt(v.T) || typeof v.m !== 'boolean') return undefined;
  if (typeof v.p !== 'string' || !DECIMAL.test(v.p) || typeof v.q !== 'string' || !DECIMAL.test(v.q)) return undefined;
  if (v.M !== undefined && typeof v.M !== 'boolean') return undefined;
  const t: SpotTrade = { e: 'trade', E: v.E, s: v.s, t: v.t, p: v.p, q: v.q, T: v.T, m: v.m };
  if (v.M !== undefined) t.M = v.M as boolean;
  return t;
}

/** What the spot feed reads from a `@trade` frame. */
export interface SpotTradeTick {
  /** The symbol as sent (`BTCUSDT`). */
  s: string;
  /** The price, a decimal string as sent. */
  p: string;
  /** Trade time (ms). */
  T: number;
}

/**
 * The `@trade` frame exactly as Binance (and our simulator) serialises it: fields in this order, no whitespace, plain
 * integers of at most 15 digits (always safe), no escapes or control characters (\p{Cc}) in the symbol. A text it
 * matches is a JSON object that `fastSpotTrade` (and `SpotTrade`) accepts, with the same `s`, `p` and `T`; any other
 * text is left to the parse path. tests/unit/protocol/fast-paths.test.ts holds them equal over fixtures and mutations.
 */
const TRADE_TEXT_RE =
  /^\{"e":"trade","E":(?:0|[1-9][0-9]{0,14}),"s":"[^"\\\p{Cc}]*","t":(?:0|[1-9][0-9]{0,14}),"p":"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?","q":"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?","T":(?:0|[1-9][0-9]{0,14}),"m":(?:true|false)(?:,"M":(?:true|false))?\}$/u;

/**
 * Where `scanSpotTradeText` found the fields of the last frame it accepted: [start, end) of the symbol, the price and
 * the trade time in its text. Module state, read right after the call (synchronous, no re-entrancy).
 */
export const spotTradeAt = { s0: 0, s1: 0, p0: 0, p1: 0, t0: 0, t1: 0 };

/**
 * Fast path over the frame text: no JSON.parse and no allocation, one regular-expression test (see TRADE_TEXT_RE),
 * then the fields are located at the places the pattern fixed (`spotTradeAt`). True when the text is such a frame.
 */
export function scanSpotTradeText(text: string): boolean {
  if (!TRADE_TEXT_RE.test(text)) return false;
  locateFields(text, 0, PLAIN_KEYS);
  return true;
}

/** How a matched frame's keys are written, and what ends a string value: in plain text, and inside a JSON literal. */
interface FieldKeys {
  readonly s: string;
  readonly p: string;
  readonly T: string;
  readonly close: string;
}
const PLAIN_KEYS: FieldKeys = { s: ',"s":"', p: ',"p":"', T: ',"T":', close: '"' };
const LITERAL_KEYS: FieldKeys = { s: ',\\"s\\":\\"', p: ',\\"p\\":\\"', T: ',\\"T\\":', close: '\\' };

/**
 * Set `spotTradeAt` for a frame its pattern just matched at `from`: the pattern allows no quote or backslash inside a
 * value, so the first closing character after a field's start ends it (the time is followed by `,"m"`).
 */
function locateFields(text: string, from: number, k: FieldKeys): void {
  const at = spotTradeAt;
  at.s0 = text.indexOf(k.s, from) + k.s.length;
  at.s1 = text.indexOf(k.close, at.s0);
  at.p0 = text.indexOf(k.p, at.s1) + k.p.length;
  at.p1 = text.indexOf(k.close, at.p0);
  at.t0 = text.indexOf(k.T, at.p1) + k.T.length;
  at.t1 = text.indexOf(',', at.t0);
}

/**
 * TRADE_TEXT_RE over the frame written as a JSON string literal's body (every `"` as `\"`): how a recording line
 * holds a spot frame. A literal body matches this exactly when it holds no other escape and its text matches
 * TRADE_TEXT_RE (a value holds no quote or backslash, so `\"` is the only escape such a frame can have); the fields
 * then read the same in place. Sticky, with the literal's closing quote: see `scanSpotTradeLiteral`.
 */
const TRADE_LITERAL_RE =
  /\{\\"e\\":\\"trade\\",\\"E\\":(?:0|[1-9][0-9]{0,14}),\\"s\\":\\"[^"\\\p{Cc}]*\\",\\"t\\":(?:0|[1-9][0-9]{0,14}),\\"p\\":\\"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?\\",\\"q\\":\\"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?\\",\\"T\\":(?:0|[1-9][0-9]{0,14}),\\"m\\":(?:true|false)(?:,\\"M\\":(?:true|false))?\}"/uy;

/** A spot trade frame that `scanSpotTradeLiteral` found inside a longer text: the text and its fields' places. */
export interface SpotTradeInText extends Readonly<typeof spotTradeAt> {
  readonly text: string;
}

/**
 * `scanSpotTradeText` over a frame still inside a JSON string literal: `text` holds the literal whose body starts at
 * `from` and whose closing quote is at `to` (a recording line, `..."raw":"<body>"}`). True when the body is such a
 * frame; `spotTradeAt` then locates its fields in `text` (the unescaped frame's values, character for character).
 * Nothing is unescaped or allocated. tests/unit/protocol/fast-paths.test.ts holds it equal to `scanSpotTradeText`
 * on the unescaped text over fixtures and mutations.
 */
export function scanSpotTradeLiteral(text: string, from: number, to: number): boolean {
  TRADE_LITERAL_RE.lastIndex = from;
  if (!TRADE_LITERAL_RE.test(text) || TRADE_LITERAL_RE.lastIndex !== to + 1) return false;
  locateFields(text, from, LITERAL_KEYS);
  return true;
}

/** `scanSpotTradeText` with the three fields cut out (tests, and callers that keep them). */
export function fastSpotTradeText(text: string): SpotTradeTick | undefined {
  if (!scanSpotTradeText(text)) return undefined;
  const at = spotTradeAt;
  return { s: text.slice(at.s0, at.s1), p: text.slice(at.p0, at.p1), T: Number(text.slice(at.t0, at.t1)) };
}

export const SpotBookTicker = z.object({
  u: z.number().int(),
  s: z.string(),
  b: decimalString,
  B: decimalString,
  a: decimalString,
  A: decimalString,
});
export type SpotBookTicker = z.infer<typeof SpotBookTicker>;

export const SpotPayload = z.union([SpotTrade, SpotBookTicker]);
export const SpotCombined = z.object({ stream: z.string(), data: SpotPayload });
// The single-stream payload first: it is what the bot subscribes to (the combined stream is the fallback shape).
export const SpotFrame = z.union([SpotPayload, SpotCombined]);
export type SpotFrame = z.infer<typeof SpotFrame>;

export const SpotControl = z.object({
  method: z.enum(['SUBSCRIBE', 'UNSUBSCRIBE', 'LIST_SUBSCRIPTIONS']),
  params: z.array(z.string()).optional(),
  id: z.union([z.number(), z.string()]),
});
export const SpotControlReply = z.object({ result: z.unknown(), id: z.union([z.number(), z.string()]) });
