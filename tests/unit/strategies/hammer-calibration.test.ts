/**
 * Hammer calibration on the harness generator: over many simulated 5m and 15m windows, evaluate p_hat exactly
 * as the strategy does (σ from the visible, gappy 1 s reference over 60 s; the price to beat; the last 15 s)
 * and compare p_hat with the realised Up frequency under the TWAP-60 settlement rule.
 *
 * - Scores (Brier, log loss, ECE) for both models over every evaluation; the twap model must beat spot.
 * - Every bin, no guards: one evaluation per window end (at a random r), so the points are independent and each
 *   bin's realised frequency has the binomial standard error se = √(Σ p(1 − p)) / n under a calibrated model;
 *   every bin must sit within Z_BAR·se of its mean p_hat and hold at least MIN_BIN points.
 * - Real windows rarely land mid-range in the last 15 s (|d| is usually many σ), so the mid-range bar on them
 *   is loose (se ≈ 0.04–0.06). The sharp mid-range check asks the same question of the model's settlement-price
 *   distribution directly: at the same evaluation, a strike K is drawn from what is known then (K = mean −
 *   sd·z₀, z₀ uniform on [−1.6, 1.6], so p_hat spans 0.06–0.94) and P(end TWAP ≥ K) must equal p_hat. Any
 *   strike fixed at evaluation time is as valid as the price to beat (which is also fixed then), and every
 *   window end gives a mid-range point (se ≈ 0.006). With the SPEC's continuous-time variance this check fails
 *   by 15–17 se at the tails of the range (p_hat 0.88 realised 0.82); see bot/strategies/hammer/fair-prob.ts.
 */
import { describe, expect, it } from 'vitest';
import { fairProb, type PHatModel } from '../../../bot/strategies/hammer/fair-prob';
import { sigmaLogPerSqrtSec } from '../../../bot/strategies/hammer/sigma';
import type { PriceSample } from '../../../bot/strategies/context';
import { Prng } from '../../../bot/util/prng';
import { generatePath, secondIndex, twap60, windowsOf } from './harness/path';
import { binnedCalibration, calibration, fmtBin, type Calibration, type CalibrationBinCheck } from './harness/metrics';

/** |freqUp − meanP| ≤ 4 se per bin: P(|Z| > 4) ≈ 6e-5, so 11 bins false-alarm < 0.1 % under a calibrated model. */
const Z_BAR = 4;
/** Enough points that the normal approximation behind Z_BAR holds in the thinnest bin. */
const MIN_BIN = 60;
const START_MS = 1_790_000_000_000;

function visibleHistory(path: ReturnType<typeof generatePath>, fromI: number, toI: number): PriceSample[] {
  const hist: PriceSample[] = [];
  for (let i = fromI; i <= toI; i++) if (path.visible[i]) hist.push({ tsMs: path.startMs + i * 1000, price: path.ref[i]! });
  return hist;
}

function collect(seed: string, days: number, evalSecondsLeft: readonly number[]) {
  const path = generatePath({ seed, startMs: START_MS, seconds: days * 86_400 });
  const windows = [...windowsOf(path, 300), ...windowsOf(path, 900)];
  const pts: Record<PHatModel, { p: number; up: boolean }[]> = { twap: [], spot: [] };
  for (const w of windows) {
    const endI = secondIndex(path, w.endMs);
    const hist = visibleHistory(path, endI - 130, endI - 1);
    for (const r of evalSecondsLeft) {
      const nowMs = w.endMs - r * 1000;
      const visible = hist.filter((s) => s.tsMs <= nowMs);
      const latest = visible[visible.length - 1]!;
      const sig = sigmaLogPerSqrtSec(visible, nowMs, 60, 20);
      if (!sig) continue;
      for (const model of ['twap', 'spot'] as const) {
        const fp = fairProb({ model, spot: latest.price, priceToBeat: w.priceToBeat, sigmaLog: sig.sigmaLog, endMs: w.endMs, nowMs, history: visible });
        pts[model].push({ p: fp.pHat, up: w.upWins });
      }
    }
  }
  return { windows: windows.length, twap: calibration(pts.twap), spot: calibration(pts.spot) };
}

/**
 * One twap evaluation per window end (the 15m window where one ends, else the 5m one), at r drawn from
 * `evalSecondsLeft`: against the real price to beat, and against a strike drawn at evaluation time.
 */
function onePerWindowEnd(seed: string, chunks: number, chunkDays: number, evalSecondsLeft: readonly number[]) {
  const rng = new Prng(`${seed}-draws`);
  const real: { p: number; up: boolean }[] = [];
  const strike: { p: number; up: boolean }[] = [];
  let windowEnds = 0;
  for (let c = 0; c < chunks; c++) {
    const path = generatePath({ seed: `${seed}-${c}`, startMs: START_MS, seconds: chunkDays * 86_400 });
    const w15 = windowsOf(path, 900);
    const ends15 = new Set(w15.map((w) => w.endMs));
    const windows = [...w15, ...windowsOf(path, 300).filter((w) => !ends15.has(w.endMs))].sort((a, b) => a.endMs - b.endMs);
    for (const w of windows) {
      windowEnds++;
      const r = evalSecondsLeft[rng.int(0, evalSecondsLeft.length - 1)]!;
      const z0 = -1.6 + 3.2 * rng.next();
      const endI = secondIndex(path, w.endMs);
      const nowMs = w.endMs - r * 1000;
      const visible = visibleHistory(path, endI - 130, endI - r);
      const sig = sigmaLogPerSqrtSec(visible, nowMs, 60, 20);
      if (!sig) continue;
      const known = { model: 'twap' as const, spot: visible[visible.length - 1]!.price, sigmaLog: sig.sigmaLog, endMs: w.endMs, nowMs, history: visible };
      const fp = fairProb({ ...known, priceToBeat: w.priceToBeat });
      real.push({ p: fp.pHat, up: w.upWins });
      const k = fp.mean - fp.sd * z0;
      strike.push({ p: fairProb({ ...known, priceToBeat: k }).pHat, up: twap60(path, endI) >= k });
    }
  }
  return { windowEnds, real, strike };
}

function expectEveryBinCalibrated(bins: CalibrationBinCheck[]) {
  for (const b of bins) {
    expect(b.n, `bin [${b.lo}, ${b.hi}) population`).toBeGreaterThanOrEqual(MIN_BIN);
    expect(Math.abs(b.freqUp - b.meanP), fmtBin(b)).toBeLessThanOrEqual(Z_BAR * b.se);
  }
}

const fmt = (c: Calibration) => `n=${c.n} brier=${c.brier.toFixed(4)} logloss=${c.logLoss.toFixed(4)} ece=${c.ece.toFixed(4)}`;

describe('hammer calibration (p_hat vs realised Up frequency, TWAP-60 settlement)', () => {
  it('twap model scores better than the spot model in the last HAMMER_SECS (Brier, log loss, ECE < 0.02)', () => {
    const res = collect('calibration-1', 6, [15, 12, 9, 6, 3, 1]);
    console.log(`hammer calibration over ${res.windows} windows\n  twap: ${fmt(res.twap)}\n  spot: ${fmt(res.spot)}`);
    expect(res.windows).toBeGreaterThan(2000);
    expect(res.twap.n).toBeGreaterThan(10_000);
    expect(res.twap.brier).toBeLessThan(res.spot.brier);
    expect(res.twap.ece).toBeLessThan(res.spot.ece);
    expect(res.twap.logLoss).toBeLessThan(res.spot.logLoss);
    expect(res.twap.ece).toBeLessThan(0.02);
  });

  it('every p_hat bin is calibrated within 4 binomial SE in the last HAMMER_SECS (real windows, and strikes across the mid-range)', () => {
    const res = onePerWindowEnd('calibration-bins', 12, 12, [15, 12, 9, 6, 3, 1]);
    const real = binnedCalibration(res.real, [0, 0.1, 0.3, 0.5, 0.7, 0.9, 1]);
    const strike = binnedCalibration(res.strike, [0, 0.2, 0.4, 0.6, 0.8, 1]);
    console.log(
      `one twap evaluation per window end, r in 15..1 s (${res.windowEnds} window ends)\n  real windows:\n    ${real.map(fmtBin).join('\n    ')}` +
        `\n  strikes drawn at evaluation time:\n    ${strike.map(fmtBin).join('\n    ')}`,
    );
    expect(res.real.length).toBeGreaterThan(0.99 * res.windowEnds);
    expectEveryBinCalibrated(real);
    expectEveryBinCalibrated(strike);
    // The sharp bar: across the whole mid-range each bin is within ~0.03 of its p_hat.
    for (const b of strike) expect(Z_BAR * b.se).toBeLessThan(0.035);
  });

  it('also holds a minute before the end (r = 90, 60, 30 s): twap beats spot, ECE < 0.03', () => {
    const res = collect('calibration-2', 3, [90, 60, 30]);
    console.log(`r = 90/60/30 s over ${res.windows} windows\n  twap: ${fmt(res.twap)}\n  spot: ${fmt(res.spot)}`);
    expect(res.twap.brier).toBeLessThan(res.spot.brier);
    expect(res.twap.ece).toBeLessThan(0.03);
  });
});
