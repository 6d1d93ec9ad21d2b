/**
 * Hammer calibration on the harness generator: over many simulated 5m and 15m windows, evaluate p_hat exactly
 * as the strategy does (σ from the visible, gappy 1 s reference over 60 s; the price to beat; the last 15 s)
 * and compare binned p_hat with the realised Up frequency under the TWAP-60 settlement rule.
 * Reports Brier, log loss and ECE for both models; the twap model must beat the spot model.
 */
import { describe, expect, it } from 'vitest';
import { fairProb, type PHatModel } from '../../../bot/strategies/hammer/fair-prob';
import { sigmaLogPerSqrtSec } from '../../../bot/strategies/hammer/sigma';
import type { PriceSample } from '../../../bot/strategies/context';
import { generatePath, secondIndex, windowsOf } from './harness/path';
import { calibration, type Calibration } from './harness/metrics';

function collect(seed: string, days: number, evalSecondsLeft: readonly number[]) {
  const path = generatePath({ seed, startMs: 1_790_000_000_000, seconds: days * 86_400 });
  const windows = [...windowsOf(path, 300), ...windowsOf(path, 900)];
  const pts: Record<PHatModel, { p: number; up: boolean }[]> = { twap: [], spot: [] };
  for (const w of windows) {
    const endI = secondIndex(path, w.endMs);
    const hist: PriceSample[] = [];
    for (let i = endI - 130; i < endI; i++) if (path.visible[i]) hist.push({ tsMs: path.startMs + i * 1000, price: path.ref[i]! });
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

const fmt = (c: Calibration) => `n=${c.n} brier=${c.brier.toFixed(4)} logloss=${c.logLoss.toFixed(4)} ece=${c.ece.toFixed(4)}`;

describe('hammer calibration (p_hat vs realised Up frequency, TWAP-60 settlement)', () => {
  it('twap model is calibrated in the last HAMMER_SECS and beats the spot model', () => {
    const res = collect('calibration-1', 6, [15, 12, 9, 6, 3, 1]);
    console.log(
      `hammer calibration over ${res.windows} windows\n  twap: ${fmt(res.twap)}\n  spot: ${fmt(res.spot)}\n` +
        res.twap.bins.map((b, i) => `  bin ${b.lo.toFixed(1)}-${b.hi.toFixed(1)}: twap n=${b.n} p=${b.meanP.toFixed(3)} up=${b.freqUp.toFixed(3)} | spot n=${res.spot.bins[i]!.n} p=${res.spot.bins[i]!.meanP.toFixed(3)} up=${res.spot.bins[i]!.freqUp.toFixed(3)}`).join('\n'),
    );
    expect(res.windows).toBeGreaterThan(2000);
    expect(res.twap.n).toBeGreaterThan(10_000);
    expect(res.twap.brier).toBeLessThan(res.spot.brier);
    expect(res.twap.ece).toBeLessThan(res.spot.ece);
    expect(res.twap.logLoss).toBeLessThan(res.spot.logLoss);
    expect(res.twap.ece).toBeLessThan(0.02);
    // Mid-range bins hold the hard cases: the twap model's frequencies must track its p_hat there.
    for (const b of res.twap.bins.slice(2, 8)) if (b.n >= 100) expect(Math.abs(b.meanP - b.freqUp)).toBeLessThan(0.1);
  });

  it('also holds a minute before the end (r = 90, 60, 30 s)', () => {
    const res = collect('calibration-2', 3, [90, 60, 30]);
    console.log(`r = 90/60/30 s over ${res.windows} windows\n  twap: ${fmt(res.twap)}\n  spot: ${fmt(res.spot)}`);
    expect(res.twap.brier).toBeLessThan(res.spot.brier);
    expect(res.twap.ece).toBeLessThan(0.03);
  });
});
