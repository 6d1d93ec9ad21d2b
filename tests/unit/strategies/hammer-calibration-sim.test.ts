/**
 * Hammer calibration on the simulator's own price process and settlement rule (not the strategy harness):
 * the sim's BTC walk with jumps, its lagged 1 Hz Chainlink-like reference and its TWAP-60 resolution (Up iff
 * TWAP(end) >= TWAP(start)). At several times before each window's end, p_hat is computed exactly as the hammer
 * does (sigma from 1 s log returns over 60 s, spot and twap models); binned p_hat is compared with the realised
 * Up frequency. The calibration figures are printed for the record.
 */
import { describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { DEFAULT_PRICE_OPTIONS, PriceModel } from '../../../bot/sim/price-model';
import { fairProb } from '../../../bot/strategies/hammer/fair-prob';
import { sigmaLogPerSqrtSec } from '../../../bot/strategies/hammer/sigma';
import { Prng } from '../../../bot/util/prng';

const DAY0_MS = 1791158400_000;
const HOURS = 36;
const SECONDS_LEFT = [90, 60, 30, 15, 5];

interface Point {
  twap: number;
  spot: number;
  up: boolean;
}

function calibration(points: Point[], key: 'twap' | 'spot') {
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

describe('hammer p_hat calibration on the simulator price model', () => {
  it('twap model is calibrated and beats the spot model on TWAP settlement', () => {
    const clock = new SimClock(DAY0_MS);
    const prices = new PriceModel(clock, new Prng('calibration'), DEFAULT_PRICE_OPTIONS);
    prices.start();
    const points: Point[] = [];
    const windows = [300, 900];
    const endMs = DAY0_MS + HOURS * 3_600_000;
    // Keep our own 1 s reference history (the sim's ring holds 10 minutes).
    const history: { tsMs: number; price: number }[] = [];
    prices.onReference((ref) => {
      history.push({ tsMs: ref.tMs, price: ref.value });
      if (history.length > 1_200) history.splice(0, history.length - 1_200);
    });
    const pending: { endMs: number; evalMs: number; ptb: number }[] = [];
    const evals: { endMs: number; ptb: number; pTwap: number; pSpot: number }[] = [];
    while (clock.nowMs() < endMs) {
      clock.advanceBy(1_000);
      const now = clock.nowMs();
      const sec = now / 1000;
      for (const w of windows) {
        if (sec % w === 0 && now > DAY0_MS + 120_000) {
          // A window starts now: its price to beat is the TWAP at this boundary.
          const ptb = prices.twapAtSecond(sec)!;
          for (const left of SECONDS_LEFT) pending.push({ endMs: now + w * 1000, evalMs: now + (w - left) * 1000, ptb });
        }
      }
      for (let i = pending.length - 1; i >= 0; i--) {
        const p = pending[i]!;
        if (p.evalMs !== now) continue;
        pending.splice(i, 1);
        const ref = history[history.length - 1]!;
        const sig = sigmaLogPerSqrtSec(history, now, 60, 20);
        if (!sig) continue;
        const common = { spot: ref.price, priceToBeat: p.ptb, sigmaLog: sig.sigmaLog, endMs: p.endMs, nowMs: now, history };
        const pTwap = fairProb({ ...common, model: 'twap' }).pHat;
        const pSpot = fairProb({ ...common, model: 'spot' }).pHat;
        evals.push({ endMs: p.endMs, ptb: p.ptb, pTwap, pSpot });
      }
      for (const e of evals) {
        if (e.endMs === now) {
          const final = prices.twapAtSecond(sec)!;
          points.push({ twap: e.pTwap, spot: e.pSpot, up: final >= e.ptb }); // ties resolve Up
        }
      }
      for (let i = evals.length - 1; i >= 0; i--) if (evals[i]!.endMs <= now) evals.splice(i, 1);
    }
    prices.stop();
    const twap = calibration(points, 'twap');
    const spot = calibration(points, 'spot');
    console.log(
      `hammer calibration on the sim (${points.length} evaluations, ${HOURS} h, r in ${SECONDS_LEFT.join('/')} s): ` +
        `twap Brier ${twap.brier.toFixed(4)} ECE ${twap.ece.toFixed(4)}; spot Brier ${spot.brier.toFixed(4)} ECE ${spot.ece.toFixed(4)}`,
    );
    expect(points.length).toBeGreaterThan(1_500);
    expect(twap.brier).toBeLessThan(spot.brier);
    expect(twap.ece).toBeLessThan(spot.ece);
    expect(twap.ece).toBeLessThan(0.05);
    // The confident bins really are confident: when twap says >= 0.9, Up happens at least 80 % of the time.
    const hi = twap.bins[9]!;
    expect(hi.n).toBeGreaterThan(50);
    expect(hi.up / hi.n).toBeGreaterThan(0.8);
  });
});
