/**
 * Fair probability that an Up/Down window resolves Up, aware that settlement is a 60-second TWAP (SPEC §3.3 hammer
 * model): with r seconds left and r <= 60 the unknown part of the end TWAP has variance sigma^2 r^3 / (3 * 60^2)
 * around (observedSum + r * S) / 60; for r > 60 the variance is sigma^2 (r - 40) around S. Ties resolve Up.
 * A window settled on a point price (the spot candle's close) has variance sigma^2 r around S.
 * Pure functions; sigma is in USD per sqrt(second).
 */
export function normalCdf(x: number): number {
  // Abramowitz-Stegun 7.1.26 via erf.
  const t = 1 / (1 + 0.3275911 * Math.abs(x / Math.SQRT2));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(x * x) / 2);
  return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

export interface FairInputs {
  /** Latest reference price S. */
  reference: number;
  priceToBeat: number;
  secondsLeft: number;
  /** Sum of reference reports already inside the final 60 s window (0 when r > 60). */
  observedSum: number;
  /** Number of seconds already observed inside the final window. */
  observedCount: number;
  sigmaUsdPerSqrtSec: number;
  twapWindowSec?: number;
}

export function fairUpProbability(i: FairInputs): number {
  const w = i.twapWindowSec ?? 60;
  const r = Math.max(0, i.secondsLeft);
  let mean: number;
  let variance: number;
  if (r > w) {
    mean = i.reference;
    variance = i.sigmaUsdPerSqrtSec ** 2 * (r - (2 * w) / 3);
  } else {
    const unobserved = w - i.observedCount;
    mean = (i.observedSum + unobserved * i.reference) / w;
    variance = (i.sigmaUsdPerSqrtSec ** 2 * r ** 3) / (3 * w * w);
  }
  const d = mean - i.priceToBeat;
  if (variance <= 1e-12) return d >= 0 ? 1 : 0;
  return normalCdf(d / Math.sqrt(variance));
}

/** Fair Up probability of a window settled on the price at its end (close >= open => Up): N((S - K) / (sigma sqrt r)). */
export function fairUpPointProbability(i: Pick<FairInputs, 'reference' | 'priceToBeat' | 'secondsLeft' | 'sigmaUsdPerSqrtSec'>): number {
  const variance = i.sigmaUsdPerSqrtSec ** 2 * Math.max(0, i.secondsLeft);
  const d = i.reference - i.priceToBeat;
  if (variance <= 1e-12) return d >= 0 ? 1 : 0;
  return normalCdf(d / Math.sqrt(variance));
}
