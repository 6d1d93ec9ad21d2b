/**
 * One external signal reading as the sources produce it: the source's raw figure, its score in [−1, 1] (+ favours
 * Up), and the direction / strength / confidence the trend-window vote uses. Pure helpers only.
 *
 * Invariants: score, strength and confidence are finite and clamped; direction is 0 inside the dead band
 * (|score| < deadBand), else sign(score); strength = |score|.
 */
export type ExternalSignalId = 'putCallRatio' | 'fearGreed';
export const EXTERNAL_SIGNAL_IDS: readonly ExternalSignalId[] = ['putCallRatio', 'fearGreed'];

export interface ExternalReading {
  readonly id: ExternalSignalId;
  /** The source's own figure: put/call open-interest ratio, or the index 0–100. */
  readonly raw: number;
  readonly score: number;
  readonly direction: -1 | 0 | 1;
  readonly strength: number;
  readonly confidence: number;
}

export const clampUnit = (x: number): number => Math.max(-1, Math.min(1, x));
export const clamp01 = (x: number): number => Math.max(0, Math.min(1, x));

/** A reading from a score: direction 0 inside the dead band, strength |score|. */
export function readingOf(id: ExternalSignalId, raw: number, score: number, confidence: number, deadBand: number): ExternalReading {
  const s = clampUnit(score);
  const direction: -1 | 0 | 1 = Math.abs(s) < deadBand ? 0 : s > 0 ? 1 : -1;
  // −0 would print as "0" but compare oddly; normalise.
  return { id, raw, score: s === 0 ? 0 : s, direction, strength: Math.abs(s), confidence: clamp01(confidence) };
}

/** Thrown by a source parser for a body that is JSON but not usable: counted as a bad body, never as a failure. */
export class BadBodyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadBodyError';
  }
}
