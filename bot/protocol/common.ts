/**
 * Shared wire-level primitives for every Polymarket surface (Gamma, CLOB REST, WebSockets, PolyBolt, RTDS).
 *
 * Invariants:
 * - Venue strings stay strings: token ids, amounts, prices and sizes are validated as canonical decimal
 *   strings and never converted to JS numbers here (token ids exceed 2^53).
 * - Probability-like prices must lie in [0, 1]; sizes are non-negative; "NaN", "1.5", "-3" are rejected.
 * - Timestamps may arrive in seconds or milliseconds (venue unit conflict): use epochMsFrom() (< 1e12 => seconds).
 * - Real traffic (reference §9.9): an empty string or null means "absent" for optional decimals (`optDecimal`,
 *   `optProb`); `side` may be lower-case (`looseSide` upper-cases it); unknown fields are ignored (zod strips them).
 * - Socket frames may be arrays: every element is parsed on its own; a bad element is dropped and reported,
 *   an unknown `event_type` is reported separately; the rest of the frame is kept.
 */
import { z } from 'zod';

/** Sent on every HTTP request and socket handshake we make (the venue's edge may reject anonymous clients). */
export const USER_AGENT = 'updown-console/0.1 (+https://github.com/; node)';
/** Default timeout of every HTTP call (ms). */
export const HTTP_TIMEOUT_MS = 10_000;

/** Canonical unsigned integer decimal string (no sign, no leading zeros): token ids, position ids. */
export const TOKEN_ID_RE = /^(0|[1-9][0-9]*)$/;
export const tokenId = z.string().regex(TOKEN_ID_RE, 'token id must be a canonical decimal string');

/** Any non-negative decimal string: "0", "35.5", "0.50", "1791241810525". */
export const DECIMAL_RE = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;
export const decimalString = z.string().regex(DECIMAL_RE, 'expected a non-negative decimal string');

/** A decimal string whose value lies in [0, 1] (prices, probabilities, tick sizes). */
export const probString = decimalString.refine((s) => Number(s) >= 0 && Number(s) <= 1, 'price must be in [0, 1]');

/** Unsigned integer string (6-decimal fixed-point amounts, ms timestamps). */
export const uintString = z.string().regex(/^[0-9]+$/, 'expected an unsigned integer string');

/** 0x-prefixed hex of any length (hashes, condition ids, signatures). */
export const hexString = z.string().regex(/^0x[0-9a-fA-F]*$/, 'expected 0x-prefixed hex');

/** Condition id: 64 hex (CLOB / WS / V1 Gamma) or 62 hex (bytes31, V2 Gamma). */
export const conditionId = z.string().regex(/^0x([0-9a-fA-F]{64}|[0-9a-fA-F]{62})$/, 'expected a condition id');
/** 64-hex condition id as used by the CLOB and the market WebSocket. */
export const conditionId64 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected a 64-hex condition id');

/** Addresses are kept loose (captures contain placeholders); the venue compares them case-insensitively. */
export const address = z.string().regex(/^0x[0-9a-zA-Z]{40}$/, 'expected a 0x address');

/** ISO-8601 datetime as Gamma sends it (with or without fractional seconds). */
export const isoDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, 'expected ISO datetime');

/** A timestamp that may be a digit string or a number, in seconds or milliseconds. */
export const looseTimestamp = z.union([uintString, z.number().int().nonnegative()]);

/** "" and null mean absent (the venue serializes missing optional values that way). */
export const emptyToUndefined = (v: unknown): unknown => (v === '' || v === null ? undefined : v);

/** Optional non-negative decimal string: "" / null / missing -> undefined. */
export const optDecimal = z.preprocess(emptyToUndefined, decimalString.optional());
/** Optional price in [0, 1]: "" / null / missing -> undefined. */
export const optProb = z.preprocess(emptyToUndefined, probString.optional());
/** `schema`, optional, with null read as absent (typed `T | undefined`, unlike zod's `.nullish()`). */
export function absentIfNull<T extends z.ZodTypeAny>(schema: T) {
  return z.preprocess((v) => (v === null ? undefined : v), schema.optional());
}

/** Optional string where null and "" mean absent (hashes, transaction hashes, addresses, versions). */
export const optString = z.preprocess(emptyToUndefined, z.string().optional());
/** Optional timestamp (number or digit string) where "" / null mean absent. */
export const optTimestamp = z.preprocess(emptyToUndefined, looseTimestamp.optional());

/** BUY / SELL, case-insensitive on the wire ("buy" is upper-cased, as the official SDKs do). */
export const looseSide = z.preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v), z.enum(['BUY', 'SELL']));
export type Side = z.infer<typeof looseSide>;

/** An open string enum: any non-empty string passes; `known()` maps the values we understand. */
export function openEnum<const T extends readonly [string, ...string[]]>(values: T) {
  const set = new Set<string>(values);
  return {
    schema: z.string(),
    /** The canonical value (case-insensitive) or undefined when the venue sent something new. */
    known(v: string | undefined | null): T[number] | undefined {
      if (v === undefined || v === null) return undefined;
      const u = v.toUpperCase();
      return set.has(u) ? (u as T[number]) : set.has(v) ? (v as T[number]) : undefined;
    },
  };
}

/** Venue error body: `{ error, code?, retry_after_seconds? }`. */
export const ErrorBody = z.object({
  error: z.string(),
  code: z.string().optional(),
  retry_after_seconds: z.number().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Epoch ms from a venue timestamp; values below 1e12 are taken as seconds. NaN on garbage. */
export function epochMsFrom(v: string | number): number {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) return NaN;
  return n < 1e12 ? n * 1000 : n;
}

/** Parse a Gamma JSON-encoded string array (`"[\"Up\", \"Down\"]"`); undefined if malformed. */
export function parseJsonStringArray(s: string): string[] | undefined {
  let v: unknown;
  try {
    v = JSON.parse(s);
  } catch {
    return undefined;
  }
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return undefined;
  return v as string[];
}

/** Canonical decimal string for a non-negative number, trimmed of trailing zeros ("0.50" -> "0.5"). */
export function formatDecimal(n: number, maxDp = 6): string {
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`formatDecimal: bad value ${n}`);
  const s = n.toFixed(maxDp);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/**
 * Result of parsing one CLOB socket text frame (market or user channel). `events` holds every element that
 * parsed; `dropped` the reasons of elements that did not (bad JSON is one dropped entry and no events);
 * `unknownTypes` the `event_type`s we do not know (ignored, counted by the caller). `invalid` is malformed JSON only.
 */
export type WsFrameResult<E> =
  | { kind: 'pong' }
  | { kind: 'events'; events: E[]; dropped: string[]; unknownTypes: string[] }
  | { kind: 'invalid'; reason: string };

/**
 * Parse one CLOB socket text frame: `PONG`, one event object or an array of events. Each element is checked on
 * its own with `event` (keyed by its `event_type` in `known`); an element whose type is not in `known` is an
 * unknown type, one that fails its schema is dropped with the reason. Never throws.
 */
export function parseWsFrame<E>(
  text: string,
  known: ReadonlyMap<string, z.ZodType<E>>,
  /** Optional fast paths by event type: an event they return is final; undefined leaves the element to the schema. */
  fast?: ReadonlyMap<string, (item: Record<string, unknown>) => E | undefined>,
  /**
   * Optional fast path over the (trimmed) text of a single-event frame: an event it returns is the frame's only event
   * (it must equal what the parse below gives); undefined leaves the frame to the parse.
   */
  fastText?: (text: string) => E | undefined,
): WsFrameResult<E> {
  const t = text.trim();
  if (t === 'PONG' || t === 'pong') return { kind: 'pong' };
  const direct = fastText?.(t);
  if (direct !== undefined) return { kind: 'events', events: [direct], dropped: [], unknownTypes: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(t);
  } catch {
    return { kind: 'invalid', reason: 'malformed JSON' };
  }
  const items = Array.isArray(raw) ? raw : [raw];
  const events: E[] = [];
  const dropped: string[] = [];
  const unknownTypes: string[] = [];
  for (const item of items) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      dropped.push('frame element is not an object');
      continue;
    }
    const type = (item as { event_type?: unknown }).event_type;
    if (typeof type !== 'string') {
      dropped.push('missing event_type');
      continue;
    }
    const schema = known.get(type);
    if (!schema) {
      unknownTypes.push(type.slice(0, 40));
      continue;
    }
    const quick = fast?.get(type)?.(item as Record<string, unknown>);
    if (quick !== undefined) {
      events.push(quick);
      continue;
    }
    const r = schema.safeParse(item);
    if (r.success) events.push(r.data);
    else dropped.push(`${type}: ${issueText(r.error)}`);
  }
  return { kind: 'events', events, dropped, unknownTypes };
}

/** First zod issue as "path: message" (for counters and logs; never includes the offending value). */
export function issueText(err: z.ZodError): string {
  const i = err.issues[0];
  if (!i) return 'schema mismatch';
  return i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message;
}
