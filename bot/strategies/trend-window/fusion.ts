/**
 * Weighted voting of trend-window's signals and the veto rule. Pure.
 *
 * Each signal i reads a direction dᵢ ∈ {−1, 0, +1} (+1 favours Up), a strength sᵢ ∈ [0, 1] and a confidence
 * cᵢ ∈ [0, 1]; its weight wᵢ comes from config (`weights`). Its signed vote is dᵢ·sᵢ (what the learning engine
 * scores), and
 *
 *     fused = Σ wᵢ·dᵢ·sᵢ·cᵢ / Σ wᵢ      over the AVAILABLE signals with wᵢ > 0
 *
 * (a signal that is absent, stale or weighted 0 is in neither sum; no such signal → fused 0). fused ∈ [−1, 1].
 * A trade in direction dir (+1 Up, −1 Down) is vetoed when fused × dir ≤ −vetoThreshold.
 */
export interface SignalVote {
  readonly id: string;
  /** Raw measured value (score for in-venue signals, the source's figure for external ones). */
  readonly value?: number;
  readonly direction: -1 | 0 | 1;
  readonly strength: number;
  readonly confidence: number;
  readonly weight: number;
  /** False when it could not be computed, or (external) is missing or stale. */
  readonly available: boolean;
  /** Why it is unavailable ('absent', 'stale', 'no-data'), when it is. */
  readonly state?: string;
}

/** A score in [−1, 1] as direction and strength (direction 0 only for an exact 0). */
export function splitScore(score: number): { direction: -1 | 0 | 1; strength: number } {
  const s = Math.max(-1, Math.min(1, score));
  return { direction: s > 0 ? 1 : s < 0 ? -1 : 0, strength: Math.abs(s) };
}

/** Whether a vote takes part in the fused sum. */
export function counts(v: SignalVote): boolean {
  return v.available && v.weight > 0 && Number.isFinite(v.strength) && Number.isFinite(v.confidence);
}

export interface FusedVote {
  readonly fused: number;
  readonly totalWeight: number;
  /** Each counted signal's share of `fused`: wᵢ·dᵢ·sᵢ·cᵢ / Σ w (they add up to fused). */
  readonly contributions: ReadonlyMap<string, number>;
}

export function fuseVotes(votes: readonly SignalVote[]): FusedVote {
  let num = 0;
  let den = 0;
  const raw = new Map<string, number>();
  for (const v of votes) {
    if (!counts(v)) continue;
    const x = v.weight * v.direction * v.strength * v.confidence;
    raw.set(v.id, x);
    num += x;
    den += v.weight;
  }
  const contributions = new Map<string, number>();
  for (const [id, x] of raw) contributions.set(id, den > 0 ? x / den : 0);
  return { fused: den > 0 ? num / den : 0, totalWeight: den, contributions };
}

export function vetoes(fused: number, direction: 1 | -1, vetoThreshold: number): boolean {
  return fused * direction <= -vetoThreshold;
}
