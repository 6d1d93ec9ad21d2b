/**
 * Hammer calibration on the simulator's own price process and settlement rule (not the strategy harness):
 * the sim's BTC walk with jumps, its lagged 1 Hz Chainlink-like reference and its TWAP-60 resolution (Up iff
 * TWAP(end) >= TWAP(start)). p_hat is computed exactly as the hammer does (sigma from 1 s log returns over 60 s,
 * spot and twap models) and compared with the realised Up frequency. Figures are printed for the record.
 *
 * - Scores: every window evaluated at r = 90/60/30/15/5 s; twap must beat spot (Brier, ECE) with ECE < 0.05.
 * - Every bin, no guards: one evaluation per window end (the 15m window where one ends, else the 5m one) at an
 *   r drawn from the same set, so points are independent (each settles before the next is evaluated) and a
 *   bin's realised frequency has the binomial standard error se = √(Σ p(1 − p)) / n under a calibrated model.
 *   Each bin must hold at least MIN_BIN points and sit within Z_BAR·se of its mean p_hat. Real windows are
 *   mostly decided by then, so their mid-range bins are wide and the bar there is loose (se ≈ 0.04). The sharp
 *   mid-range check asks the same question of the model's settlement-price distribution directly: evaluations
 *   run back to back, each drawing r from the same set and a strike K from what is known at evaluation time
 *   (K = mean − sd·z₀, z₀ uniform on [−1.6, 1.6]) and settling against the sim's TWAP r seconds later;
 *   P(TWAP ≥ K) must equal p_hat. Any strike and settlement second fixed at evaluation time are as valid as a
 *   window's (which are fixed then too), and back-to-back points are independent, so in 0.2-wide bins se ≈ 0.01.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { DEFAULT_PRICE_OPTIONS, PriceModel } from '../../../bot/sim/price-model';
import { fairProb } from '../../../bot/strategies/hammer/fair-prob';
import { sigmaLogPerSqrtSec } from '../../../bot/strategies/hammer/sigma';
import type { PriceSample } from '../../../bot/strategies/context';
import { Prng } from '../../../bot/util/prng';
import { binnedCalibration, fmtBin, type CalibrationBinCheck } from './harness/metrics';

const DAY0_MS = 1791158400_000;
const HOURS = 120;
const SECONDS_LEFT = [90, 60, 30, 15, 5];
/** |freqUp − meanP| ≤ 4 se per bin: P(|Z| > 4) ≈ 6e-5, so 9 bins false-alarm < 0.1 % under a calibrated model. */
const Z_BAR = 4;
const MIN_BIN = 60;

interface Point {
  twap: number;
  spot: number;
  up: boolean;
}

interface OnePerEnd {
  endMs: number;
  evalMs: number;
  ptb: number;
  pReal?: number;
}

/** A strike evaluated now against the TWAP at endMs (a whole second); the next one starts when it settles. */
interface StrikeEval {
  endMs: number;
  k: number;
  p: number;
}

function scores(points: Point[], key: 'twap' | 'spot') {
  const bins = Array.from({ length: 10 }, () => ({ n: 0, p: 0, up: 0 }));
  let brier = 0;
  for (const pt of points) {
    const p = pt[key];
    const b = bins[Math.min(9, Math.floor(p * 10))]!;
    b.n++;
    b.p += p;
    b.up += pt.up ? 1 : 0;
    brier += (p - (pt.up ? 1 : 0)) ** 2;
  }
  const ece = bins.reduce((s, b) => s + (b.n ? Math.abs(b.p / b.n - b.up / b.n) * b.n : 0), 0) / points.length;
  return { brier: brier / points.length, ece, bins };
}

function expectEveryBinCalibrated(bins: CalibrationBinCheck[]) {
  for (const b of bins) {
    expect(b.n, `bin [${b.lo}, ${b.hi}) population`).toBeGreaterThanOrEqual(MIN_BIN);
    expect(Math.abs(b.freqUp - b.meanP), fmtBin(b)).toBeLessThanOrEqual(Z_BAR * b.se);
  }
}

function simulate() {
  const clock = new SimClock(DAY0_MS);
  const prices = new PriceModel(clock, new Prng('calibration'), DEFAULT_PRICE_OPTIONS);
  const draws = new Prng('calibration-draws');
  prices.start();
  const points: Point[] = [];
  const windows = [300, 900];
  const endMs = DAY0_MS + HOURS * 3_600_000;
  // Keep our own 1 s reference history (the sim's ring holds 10 minutes).
  const history: PriceSample[] = [];
  prices.onReference((ref) => {
    history.push({ tsMs: ref.tMs, price: ref.value });
    if (history.length > 1_200) history.splice(0, history.length - 1_200);
  });
  const pending: { endMs: number; evalMs: number; ptb: number }[] = [];
  const evals: { endMs: number; ptb: number; pTwap: number; pSpot: number }[] = [];
  const perEnd: OnePerEnd[] = [];
  const real: { p: number; up: boolean }[] = [];
  const strike: { p: number; up: boolean }[] = [];
  let open: StrikeEval | undefined;
  let windowEnds = 0;
  while (clock.nowMs() < endMs) {
    clock.advanceBy(1_000);
    const now = clock.nowMs();
    const sec = now / 1000;
    for (const w of windows) {
      if (sec % w === 0 && now > DAY0_MS + 120_000) {
        // A window starts now: its price to beat is the TWAP at this boundary.
        const ptb = prices.twapAtSecond(sec)!;
        const end = now + w * 1000;
        for (const left of SECONDS_LEFT) pending.push({ endMs: end, evalMs: end - left * 1000, ptb });
        if (w === 900 || (end / 1000) % 900 !== 0) {
          const r = SECONDS_LEFT[draws.int(0, SECONDS_LEFT.length - 1)]!;
          perEnd.push({ endMs: end, evalMs: end - r * 1000, ptb });
        }
      }
    }
    const sig = () => sigmaLogPerSqrtSec(history, now, 60, 20);
    for (let i = pending.length - 1; i >= 0; i--) {
      const p = pending[i]!;
      if (p.evalMs !== now) continue;
      pending.splice(i, 1);
      const s = sig();
      if (!s) continue;
      const common = { spot: history[history.length - 1]!.price, priceToBeat: p.ptb, sigmaLog: s.sigmaLog, endMs: p.endMs, nowMs: now, history };
      evals.push({ endMs: p.endMs, ptb: p.ptb, pTwap: fairProb({ ...common, model: 'twap' }).pHat, pSpot: fairProb({ ...common, model: 'spot' }).pHat });
    }
    for (const e of perEnd) {
      if (e.evalMs !== now) continue;
      const s = sig();
      if (!s) continue;
      e.pReal = fairProb({ model: 'twap', spot: history[history.length - 1]!.price, priceToBeat: e.ptb, sigmaLog: s.sigmaLog, endMs: e.endMs, nowMs: now, history }).pHat;
    }
    const final = () => prices.twapAtSecond(sec)!;
    // Strikes: settle the running one, then draw r and z0 and evaluate the next one now (back to back).
    if (open?.endMs === now) {
      strike.push({ p: open.p, up: final() >= open.k });
      open = undefined;
    }
    const s = !open && now > DAY0_MS + 120_000 ? sig() : undefined;
    if (s) {
      const r = SECONDS_LEFT[draws.int(0, SECONDS_LEFT.length - 1)]!;
      const z0 = -1.6 + 3.2 * draws.next();
      const known = { model: 'twap' as const, spot: history[history.length - 1]!.price, sigmaLog: s.sigmaLog, endMs: now + r * 1000, nowMs: now, history };
      const fp = fairProb({ ...known, priceToBeat: 0 });
      const k = fp.mean - fp.sd * z0;
      open = { endMs: known.endMs, k, p: fairProb({ ...known, priceToBeat: k }).pHat };
    }
    for (const e of evals) if (e.endMs === now) points.push({ twap: e.pTwap, spot: e.pSpot, up: final() >= e.ptb }); // ties resolve Up
    for (let i = evals.length - 1; i >= 0; i--) if (evals[i]!.endMs <= now) evals.splice(i, 1);
    for (let i = perEnd.length - 1; i >= 0; i--) {
      const e = perEnd[i]!;
      if (e.endMs !== now) continue;
      perEnd.splice(i, 1);
      windowEnds++;
      if (e.pReal !== undefined) real.push({ p: e.pReal, up: final() >= e.ptb });
    }
  }
  prices.stop();
  return { points, real, strike, windowEnds };
}

describe('hammer p_hat calibration on the simulator price model', () => {
  let run: ReturnType<typeof simulate>;
  beforeAll(() => {
    run = simulate();
  });

  it('twap model scores better than the spot model on TWAP settlement (Brier, ECE < 0.05; >= 0.9 bin is right >= 80 %)', () => {
    const twap = scores(run.points, 'twap');
    const spot = scores(run.points, 'spot');
    console.log(
      `hammer calibration on the sim (${run.points.length} evaluations, ${HOURS} h, r in ${SECONDS_LEFT.join('/')} s): ` +
        `twap Brier ${twap.brier.toFixed(4)} ECE ${twap.ece.toFixed(4)}; spot Brier ${spot.brier.toFixed(4)} ECE ${spot.ece.toFixed(4)}`,
    );
    expect(run.points.length).toBeGreaterThan(HOURS * 12 * 4);
    expect(twap.brier).toBeLessThan(spot.brier);
    expect(twap.ece).toBeLessThan(spot.ece);
    expect(twap.ece).toBeLessThan(0.05);
    // The confident bins really are confident: when twap says >= 0.9, Up happens at least 80 % of the time.
    const hi = twap.bins[9]!;
    expect(hi.n).toBeGreaterThan(50);
    expect(hi.up / hi.n).toBeGreaterThan(0.8);
  });

  it('every p_hat bin is calibrated within 4 binomial SE (real windows, and strikes across the mid-range)', () => {
    const real = binnedCalibration(run.real, [0, 0.1, 0.5, 0.9, 1]);
    const strike = binnedCalibration(run.strike, [0, 0.2, 0.4, 0.6, 0.8, 1]);
    console.log(
      `one twap evaluation per window end on the sim (${run.windowEnds} window ends, r in ${SECONDS_LEFT.join('/')} s)\n  real windows:\n    ` +
        `${real.map(fmtBin).join('\n    ')}\n  strikes drawn at evaluation time (${run.strike.length} back-to-back evaluations):\n    ${strike.map(fmtBin).join('\n    ')}`,
    );
    expect(run.real.length).toBeGreaterThan(0.99 * run.windowEnds);
    expectEveryBinCalibrated(real);
    expectEveryBinCalibrated(strike);
    // The sharp bar: across the whole mid-range each bin is within ~0.05 of its p_hat.
    for (const b of strike) expect(Z_BAR * b.se).toBeLessThan(0.05);
  });
});
