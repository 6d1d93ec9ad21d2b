/**
 * Weighted fusion of signal scores and the veto rule of trend-window.
 *
 * fused = Σ wᵢ sᵢ / Σ wᵢ over the signals that are available (weights are config: in-venue defaults 0.30 /
 * 0.25 / 0.18 / 0.12; external plug-ins add their own weight only while present and fresh). A trade in
 * direction dir (+1 Up, −1 Down) is vetoed when fused × dir ≤ −vetoThreshold. Pure.
 */
export interface WeightedScore {
  readonly id: string;
  readonly score: number | undefined;
  readonly weight: number;
}

export function fuse(scores: readonly WeightedScore[]): { fused: number; totalWeight: number } {
  let num = 0;
  let den = 0;
  for (const s of scores) {
    if (s.score === undefined || !(s.weight > 0) || !Number.isFinite(s.score)) continue;
    num += s.weight * s.score;
    den += s.weight;
  }
  return { fused: den > 0 ? num / den : 0, totalWeight: den };
}

export function vetoes(fused: number, direction: 1 | -1, vetoThreshold: number): boolean {
  return fused * direction <= -vetoThreshold;
}
