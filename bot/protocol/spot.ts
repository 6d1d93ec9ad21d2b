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
