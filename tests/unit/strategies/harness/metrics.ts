/** Calibration metrics: Brier score and expected calibration error over equal-width p bins. */
export interface CalibrationBin {
  readonly lo: number;
  readonly hi: number;
  readonly n: number;
  readonly meanP: number;
  readonly freqUp: number;
}

export interface Calibration {
  readonly n: number;
  readonly brier: number;
  readonly ece: number;
  readonly logLoss: number;
  readonly bins: CalibrationBin[];
}

export function calibration(points: readonly { p: number; up: boolean }[], nBins = 10): Calibration {
  const sums = Array.from({ length: nBins }, () => ({ n: 0, p: 0, up: 0 }));
  let brier = 0;
  let logLoss = 0;
  for (const { p, up } of points) {
    const y = up ? 1 : 0;
    brier += (p - y) ** 2;
    const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
    logLoss -= y * Math.log(q) + (1 - y) * Math.log(1 - q);
    const b = sums[Math.min(nBins - 1, Math.floor(p * nBins))]!;
    b.n++;
    b.p += p;
    b.up += y;
  }
  const n = points.length;
  let ece = 0;
  const bins = sums.map((b, i) => {
    if (b.n > 0) ece += (b.n / n) * Math.abs(b.p / b.n - b.up / b.n);
    return { lo: i / nBins, hi: (i + 1) / nBins, n: b.n, meanP: b.n ? b.p / b.n : NaN, freqUp: b.n ? b.up / b.n : NaN };
  });
  return { n, brier: brier / n, ece, logLoss: logLoss / n, bins };
}

/**
 * Calibration of one bin, with the standard error of its realised Up frequency under the hypothesis that every
 * p is right: the Up count is then a sum of independent Bernoulli(p_i) (Poisson-binomial), so
 * se = √(Σ p_i(1 − p_i)) / n. Independence holds when each point's outcome is settled before the next point is
 * evaluated (one point per window end, windows taken in time order): the errors y − p are then martingale
 * differences, uncorrelated, and their variances add.
 */
export interface CalibrationBinCheck {
  readonly lo: number;
  readonly hi: number;
  readonly n: number;
  readonly meanP: number;
  readonly freqUp: number;
  readonly se: number;
  /** (freqUp − meanP) / se. */
  readonly z: number;
}

/** Bins [edges[i], edges[i+1]) (the last one closed) with their binomial standard errors. */
export function binnedCalibration(points: readonly { p: number; up: boolean }[], edges: readonly number[]): CalibrationBinCheck[] {
  const sums = edges.slice(1).map(() => ({ n: 0, p: 0, up: 0, v: 0 }));
  for (const { p, up } of points) {
    let i = edges.length - 2;
    while (i > 0 && p < edges[i]!) i--;
    const b = sums[i]!;
    b.n++;
    b.p += p;
    b.up += up ? 1 : 0;
    b.v += p * (1 - p);
  }
  return sums.map((b, i) => {
    const se = Math.sqrt(b.v) / b.n;
    const meanP = b.p / b.n;
    const freqUp = b.up / b.n;
    return { lo: edges[i]!, hi: edges[i + 1]!, n: b.n, meanP, freqUp, se, z: (freqUp - meanP) / se };
  });
}

export const fmtBin = (b: CalibrationBinCheck) =>
  `[${b.lo.toFixed(2)}, ${b.hi.toFixed(2)}) n=${b.n} p=${b.meanP.toFixed(3)} up=${b.freqUp.toFixed(3)} se=${b.se.toFixed(4)} z=${b.z.toFixed(2)}`;
