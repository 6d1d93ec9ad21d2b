/**
 * Shared wire-level primitives for every Polymarket surface (Gamma, CLOB REST, WebSockets, PolyBolt, RTDS).
 *
 * Invariants:
 * - Venue strings stay strings: token ids, amounts, prices and sizes are validated as canonical decimal
 *   strings and never converted to JS numbers here (token ids exceed 2^53).
 * - Probability-like prices must lie in [0, 1]; sizes are non-negative; "NaN", "1.5", "-3" are rejected.
 * - Timestamps may arrive in seconds or milliseconds (venue unit conflict): use epochMsFrom() (< 1e12 => seconds).
 */
import { z } from 'zod';

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

/** Result of parsing one CLOB WebSocket text frame (market or user channel). */
export type WsFrameResult<E> = { kind: 'pong' } | { kind: 'events'; events: E[] } | { kind: 'invalid'; reason: string };

/** The frame schema of a CLOB socket: one event or an array of events (build once, not per frame). */
export function wsFrameSchema<S extends z.ZodType>(event: S) {
  return z.union([event, z.array(event)]);
}

/**
 * Parse one CLOB socket text frame: `PONG`, a single event object or an array of events, checked with `frame`
 * (from wsFrameSchema). Never throws: malformed JSON or a schema mismatch comes back as `invalid` with the reason.
 */
export function parseWsFrame<E>(text: string, frame: z.ZodType<E | E[]>): WsFrameResult<E> {
  if (text === 'PONG') return { kind: 'pong' };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { kind: 'invalid', reason: 'malformed JSON' };
  }
  const r = frame.safeParse(raw);
  if (!r.success) return { kind: 'invalid', reason: r.error.issues[0]?.message ?? 'schema mismatch' };
  return { kind: 'events', events: Array.isArray(r.data) ? r.data : [r.data] };
}
