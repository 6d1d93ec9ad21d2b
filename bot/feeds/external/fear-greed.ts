/**
 * Fear & Greed index (seed 004's sentiment signal). Source: `GET <base>/fng/?limit=1` in alternative.me's shape
 * `{ data: [{ value: "54", value_classification: "Neutral", timestamp: "1733011200" }] }` (value and timestamp are
 * strings of digits; the first entry is the latest).
 *
 * Score, trend-following by default: score = (value − 50) / 50, so 0 → −1 (extreme fear favours Down), 100 → +1.
 * Why trend-following: the windows last 5–60 minutes and the index is a daily blend of momentum, volatility, volume
 * and social activity; over minutes it tags the prevailing drift, whereas its contrarian edge ("buy fear") is a
 * weeks-long effect. `mode: 'contrarian'` flips the sign for whoever wants the other reading.
 * Direction is 0 strictly within ±neutralBand points of 50 (band 5: 46–54, the index's own "Neutral" zone).
 * Confidence: 1 while the index's timestamp is at most 24 h old, falling linearly to 0 at 72 h (it updates daily;
 * an index that stopped updating says less).
 *
 * Invariants: zod-validated; value is an integer 0–100; a future timestamp counts as age 0.
 */
import { z } from 'zod';
import { BadBodyError, readingOf, type ExternalReading } from './reading';

const digits = (max: number) =>
  z.union([z.string().regex(/^\d{1,12}$/, 'a string of digits'), z.number().int().nonnegative()]).transform(Number).pipe(z.number().int().min(0).max(max));

export const fearGreedEntrySchema = z.object({
  value: digits(100),
  value_classification: z.string().max(40).optional(),
  timestamp: digits(99_999_999_999),
});

export const fearGreedResponseSchema = z.object({
  data: z.array(fearGreedEntrySchema).min(1).max(1_000),
});

export interface FearGreedScoring {
  mode: 'trend' | 'contrarian';
  /** Index points either side of 50 with direction 0. */
  neutralBand: number;
}

export const DEFAULT_FEAR_GREED_SCORING: FearGreedScoring = { mode: 'trend', neutralBand: 5 };

const FULL_CONFIDENCE_AGE_MS = 24 * 3_600_000;
const ZERO_CONFIDENCE_AGE_MS = 72 * 3_600_000;

export function fearGreedUrl(base: string): string {
  return `${base.replace(/\/+$/, '')}/fng/?limit=1`;
}

/** Score of an index value 0–100 (see the header). */
export function fearGreedScore(value: number, mode: FearGreedScoring['mode']): number {
  const s = (value - 50) / 50;
  return mode === 'contrarian' ? -s : s;
}

/** Confidence from the index's age: 1 up to 24 h, linear to 0 at 72 h. */
export function fearGreedConfidence(ageMs: number): number {
  const a = Math.max(0, ageMs);
  if (a <= FULL_CONFIDENCE_AGE_MS) return 1;
  return Math.max(0, (ZERO_CONFIDENCE_AGE_MS - a) / (ZERO_CONFIDENCE_AGE_MS - FULL_CONFIDENCE_AGE_MS));
}

/** Parse an alternative.me body (already JSON) into a reading at `nowMs`; throws BadBodyError for anything unusable. */
export function parseFearGreed(body: unknown, nowMs: number, scoring: FearGreedScoring = DEFAULT_FEAR_GREED_SCORING): ExternalReading {
  const parsed = fearGreedResponseSchema.safeParse(body);
  if (!parsed.success) throw new BadBodyError(`fear & greed: ${parsed.error.issues[0]?.message ?? 'invalid'} at ${parsed.error.issues[0]?.path.join('.') ?? ''}`);
  const latest = parsed.data.data[0]!;
  const score = fearGreedScore(latest.value, scoring.mode);
  // The band is in index points; as a score it is neutralBand / 50. Direction 0 strictly inside it.
  const reading = readingOf('fearGreed', latest.value, score, fearGreedConfidence(nowMs - latest.timestamp * 1000), 0);
  return Math.abs(latest.value - 50) < scoring.neutralBand ? { ...reading, direction: 0 } : reading;
}
