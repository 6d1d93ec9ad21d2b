/**
 * Deribit options put/call ratio (seed 004's options signal). Source: the public
 * `GET <base>/api/v2/public/get_book_summary_by_currency?currency=BTC&kind=option`, whose `result[]` holds one
 * summary per option (`instrument_name` like `BTC-27DEC26-60000-P` / `-C`, `open_interest`, `volume`).
 *
 * Ratio: put open interest / call open interest (open interest, not 24 h volume: it is the standing positioning,
 * and one block trade cannot swing it within a minute).
 * Score (high put/call = bearish = favours Down): score = −clamp(ln(ratio / neutral) / ln(saturation), −1, 1), so
 * ratio = neutral → 0, neutral × saturation → −1, neutral / saturation → +1 (symmetric in log space).
 * Confidence: total open interest / fullConfidenceOi, capped at 1 (a thin options book says less).
 *
 * Invariants: zod-validated; at most MAX_INSTRUMENTS summaries; names that are not `<CUR>-<expiry>-<strike>-<P|C>`
 * are ignored; no put or no call open interest is a bad body (BadBodyError), never a score.
 */
import { z } from 'zod';
import { BadBodyError, clampUnit, readingOf, type ExternalReading } from './reading';

export const MAX_INSTRUMENTS = 20_000;

const amount = z.number().finite().nonnegative().nullish();

export const deribitSummarySchema = z.object({
  instrument_name: z.string().min(1).max(64),
  open_interest: amount,
  volume: amount,
});

/** The JSON-RPC envelope; fields we do not read (usIn, usOut, testnet, other summary fields) pass unchecked. */
export const deribitBookSummaryResponseSchema = z.object({
  result: z.array(deribitSummarySchema).max(MAX_INSTRUMENTS),
});
export type DeribitBookSummaryResponse = z.infer<typeof deribitBookSummaryResponseSchema>;

export interface PutCallScoring {
  /** The ratio that means nothing (score 0). */
  neutral: number;
  /** ratio / neutral at which the score saturates (> 1). */
  saturation: number;
  /** Total open interest (contracts) at which confidence reaches 1. */
  fullConfidenceOi: number;
  /** |score| below this has direction 0. */
  deadBand: number;
}

export const DEFAULT_PUT_CALL_SCORING: PutCallScoring = { neutral: 0.7, saturation: 2, fullConfidenceOi: 100_000, deadBand: 0.05 };

export function deribitSummaryUrl(base: string, currency = 'BTC'): string {
  return `${base.replace(/\/+$/, '')}/api/v2/public/get_book_summary_by_currency?currency=${encodeURIComponent(currency)}&kind=option`;
}

/** Sum of put and call open interest over the option summaries. */
export function openInterestByRight(body: DeribitBookSummaryResponse): { putOi: number; callOi: number; instruments: number } {
  let putOi = 0;
  let callOi = 0;
  let instruments = 0;
  for (const s of body.result) {
    const parts = s.instrument_name.split('-');
    if (parts.length !== 4) continue;
    const right = parts[3];
    const oi = s.open_interest ?? 0;
    if (right === 'P') putOi += oi;
    else if (right === 'C') callOi += oi;
    else continue;
    instruments++;
  }
  return { putOi, callOi, instruments };
}

/** Score of a put/call ratio (see the header). */
export function putCallScore(ratio: number, neutral: number, saturation: number): number {
  if (!(ratio > 0) || !Number.isFinite(ratio)) throw new RangeError(`put/call ratio must be a positive number, got ${ratio}`);
  return -clampUnit(Math.log(ratio / neutral) / Math.log(saturation));
}

/** Parse a Deribit body (already JSON) into a reading; throws BadBodyError for anything unusable. */
export function parsePutCall(body: unknown, scoring: PutCallScoring = DEFAULT_PUT_CALL_SCORING): ExternalReading {
  const parsed = deribitBookSummaryResponseSchema.safeParse(body);
  if (!parsed.success) throw new BadBodyError(`deribit book summary: ${parsed.error.issues[0]?.message ?? 'invalid'} at ${parsed.error.issues[0]?.path.join('.') ?? ''}`);
  const { putOi, callOi } = openInterestByRight(parsed.data);
  if (!(callOi > 0)) throw new BadBodyError('deribit book summary: no call open interest');
  if (!(putOi > 0)) throw new BadBodyError('deribit book summary: no put open interest');
  const ratio = putOi / callOi;
  const score = putCallScore(ratio, scoring.neutral, scoring.saturation);
  return readingOf('putCallRatio', ratio, score, (putOi + callOi) / scoring.fullConfidenceOi, scoring.deadBand);
}
