/**
 * PolyBolt live-data WebSocket wire schemas (reference §5.2, §9.7): auth, subscribe, snapshots, data envelopes,
 * errors and close codes.
 *
 * Invariants:
 * - `filter` is a JSON object; only symbol "btcusd"-style ids are valid (`btc/usd`, `btcusdt`, `BTCUSD` rejected).
 * - `seq` is per connection+channel, starts at 0 or 1 and resets on reconnect.
 * - Prefer `full_accuracy_value` (exact decimal string, no E18 scaling) over `value`, which may be a number or a
 *   decimal string (`pointValue` reads either).
 * - Real frames (the official staging capture) carry no `source`; snapshot payloads may omit `symbol` too.
 */
import { z } from 'zod';
import { DECIMAL_RE, decimalString } from './common';

/** A price as PolyBolt sends `value` in text: a decimal string, possibly negative. */
const PRICE_VALUE_RE = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;
/** A price as PolyBolt sends `value`: a JSON number or a decimal string. */
const priceValue = z.union([z.number().finite(), z.string().regex(PRICE_VALUE_RE, 'expected a decimal price')]);

export const POLYBOLT_CLOSE = {
  authFailed: 4001,
  slowConsumer: 4002,
  draining: 4003,
  policy: 4008,
} as const;

export const PolyboltChannel = z.enum(['price.crypto', 'price.crypto.twap']);
export const PolyboltFilter = z.object({ symbol: z.string(), window_seconds: z.number().int().optional() });
export const PolyboltSubscription = z.object({ channel: z.string(), filter: PolyboltFilter });
export type PolyboltSubscription = z.infer<typeof PolyboltSubscription>;

export const PolyboltAuthOp = z.object({
  op: z.literal('auth'),
  rid: z.string().optional(),
  auth: z.object({ apiKey: z.string(), secret: z.string(), passphrase: z.string() }),
});
export const PolyboltSubscribeOp = z.object({
  op: z.enum(['subscribe', 'unsubscribe']),
  rid: z.string().optional(),
  subscriptions: z.array(PolyboltSubscription).min(1),
});
export const PolyboltPingOp = z.object({ op: z.literal('ping'), rid: z.string().optional() });
export const PolyboltClientOp = z.union([PolyboltAuthOp, PolyboltSubscribeOp, PolyboltPingOp]);
export type PolyboltClientOp = z.infer<typeof PolyboltClientOp>;

export const PolyboltErrorCode = z.enum([
  'auth_required',
  'auth_invalid',
  'auth_unavailable',
  'sub_limit',
  'rate_limited',
  'auth_attempts',
  'invalid_channel',
  'invalid_filter',
  'bad_request',
]);
export const PolyboltControl = z.union([
  z.object({ op: z.literal('authed'), rid: z.string().optional() }),
  z.object({ op: z.enum(['subscribed', 'unsubscribed']), channel: z.string(), rid: z.string().optional(), provider: z.string().optional() }),
  z.object({ op: z.literal('pong'), rid: z.string().optional() }),
  z.object({ op: z.literal('error'), code: z.string(), channel: z.string().optional(), rid: z.string().optional(), message: z.string().optional() }),
]);
export type PolyboltControl = z.infer<typeof PolyboltControl>;

export const PolyboltPoint = z.object({ timestamp: z.number().int(), value: priceValue, full_accuracy_value: decimalString.optional() });
export const PolyboltLivePayload = z.object({
  symbol: z.string(),
  value: priceValue,
  full_accuracy_value: decimalString.optional(),
  timestamp: z.number().int(),
  window_seconds: z.number().int().optional(),
  source: z.string().nullish(),
  received_at: z.number().int().optional(),
  is_carried_forward: z.boolean().optional(),
});
export const PolyboltSnapshotPayload = z.object({
  symbol: z.string().optional(),
  source: z.string().nullish(),
  window_seconds: z.number().int().optional(),
  data: z.array(PolyboltPoint),
});

/** The numeric price of a point or live payload: `full_accuracy_value` when present, else `value`. */
export function pointValue(p: { value: number | string; full_accuracy_value?: string | undefined }): number {
  return Number(p.full_accuracy_value ?? p.value);
}

/** A crypto price payload: one live point, or a snapshot of recent points. */
export const PolyboltCryptoPayload = z.union([PolyboltLivePayload, PolyboltSnapshotPayload]);
export type PolyboltCryptoPayload = z.infer<typeof PolyboltCryptoPayload>;
const CRYPTO_CHANNELS = new Set(['price.crypto', 'price.crypto.twap']);

/**
 * Data envelope. Crypto channels' payloads are checked (a bad one fails the frame); other channels
 * (`price.polymarket`, `price.equity`, future ones) parse with `payload: null` so the feed can count them as
 * unknown instead of calling them malformed.
 */
export const PolyboltData = z
  .object({
    v: z.literal(1),
    channel: z.string(),
    seq: z.number().int().nonnegative(),
    ts: z.number().int(),
    snapshot: z.boolean().optional(),
    dropped: z.number().int().optional(),
    payload: z.unknown(),
  })
  .transform((e, ctx) => {
    if (!CRYPTO_CHANNELS.has(e.channel)) return { ...e, payload: null };
    const r = PolyboltCryptoPayload.safeParse(e.payload);
    if (r.success) return { ...e, payload: r.data };
    for (const i of r.error.issues) ctx.addIssue({ code: 'custom', message: i.message, path: ['payload', ...i.path] });
    return z.NEVER;
  });
export type PolyboltData = z.infer<typeof PolyboltData>;

export const PolyboltServerFrame = z.union([PolyboltData, PolyboltControl]);
export type PolyboltServerFrame = z.infer<typeof PolyboltServerFrame>;

/** Filter key used to identify a (channel, filter) pair. */
export function subscriptionKey(s: PolyboltSubscription): string {
  return `${s.channel}|${s.filter.symbol}|${s.filter.window_seconds ?? ''}`;
}

const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x);

/**
 * `PolyboltServerFrame.safeParse(raw)`'s data for the common frame — a crypto channel's envelope with one live point —
 * checked by hand (this runs once a second per channel and symbol, for every replayed second); undefined for
 * anything else (control ops, snapshots, other channels, any field the schema would refuse or read otherwise), which
 * then goes to the schema. Its output equals the schema's (tests/unit/protocol/fast-paths.test.ts).
 */
export function fastPolyboltFrame(raw: unknown): PolyboltServerFrame | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const e = raw as Record<string, unknown>;
  if (e.v !== 1 || 'op' in e || (e.channel !== 'price.crypto' && e.channel !== 'price.crypto.twap')) return undefined;
  if (!isInt(e.seq) || e.seq < 0 || !isInt(e.ts)) return undefined;
  if (e.snapshot !== undefined && typeof e.snapshot !== 'boolean') return undefined;
  if (e.dropped !== undefined && !isInt(e.dropped)) return undefined;
  const p = e.payload;
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return undefined;
  const q = p as Record<string, unknown>;
  if ('data' in q || typeof q.symbol !== 'string' || !isInt(q.timestamp)) return undefined;
  const v = q.value;
  if (!(typeof v === 'number' ? Number.isFinite(v) : typeof v === 'string' && PRICE_VALUE_RE.test(v))) return undefined;
  const fav = q.full_accuracy_value;
  if (fav !== undefined && !(typeof fav === 'string' && DECIMAL_RE.test(fav))) return undefined;
  if (q.window_seconds !== undefined && !isInt(q.window_seconds)) return undefined;
  if (q.source !== undefined && q.source !== null && typeof q.source !== 'string') return undefined;
  if (q.received_at !== undefined && !isInt(q.received_at)) return undefined;
  if (q.is_carried_forward !== undefined && typeof q.is_carried_forward !== 'boolean') return undefined;
  // The schema's output: known keys only, the optional ones where given.
  const payload: Record<string, unknown> = { symbol: q.symbol, value: v, timestamp: q.timestamp };
  if (fav !== undefined) payload.full_accuracy_value = fav;
  if (q.window_seconds !== undefined) payload.window_seconds = q.window_seconds;
  if (q.source !== undefined) payload.source = q.source;
  if (q.received_at !== undefined) payload.received_at = q.received_at;
  if (q.is_carried_forward !== undefined) payload.is_carried_forward = q.is_carried_forward;
  const out: Record<string, unknown> = { v: 1, channel: e.channel, seq: e.seq, ts: e.ts, payload };
  if (e.snapshot !== undefined) out.snapshot = e.snapshot;
  if (e.dropped !== undefined) out.dropped = e.dropped;
  return out as unknown as PolyboltServerFrame;
}
