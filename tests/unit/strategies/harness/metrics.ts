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
