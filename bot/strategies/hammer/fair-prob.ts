/**
 * Fair probability that the window resolves Up (p_hat), two models (SPEC §3.3 hammer):
 *
 * - `spot` (as older bots do): p_hat = Φ(d / (σ√T)), d = S − priceToBeat, T = seconds left.
 * - `twap` (default): the settlement compares the 60 s TWAP of the 1 Hz reference at the window end with the
 *   price to beat. Let u = seconds of the TWAP window after the LATEST SAMPLE (not after "now": a sample that is
 *   late or missing is as unknown as a future one), S = that sample's price, W_k = the walk k seconds after it.
 *     u ≤ 60: end TWAP = (observed part + Σ_{k=1..u} (S + W_k)) / 60. The observed part sums the reference over the
 *             60 − u seconds already inside the TWAP window; a missing second is filled by linear interpolation
 *             between its neighbours (the Brownian-bridge mean), whose uncertainty, σ²(Δ−1)Δ(Δ+1)/12 for a gap of
 *             Δ s, is added. Var(Σ_{k=1..u} W_k) = σ²·Q(u) with Q(u) = u(u+1)(2u+1)/6 (1 Hz samples). Hence
 *             mean = (observed + u·S) / 60,  variance = σ² (Q(u) + gaps) / 60².
 *     u > 60: the whole TWAP window is in the future: mean = S, variance = σ² (u − 60 + Q(60)/60²).
 *   Both branches agree at u = 60; Q(u) is used as a smooth polynomial for fractional u.
 *   SPEC §3.3 writes the continuous-time limit σ²r³/(3·60²) (and σ²(r − 40) above 60 s) with r counted from now
 *   and missing seconds set to the window's mean. Q(u) → u³/3 for large u, but in the last seconds, where the
 *   hammer trades, those three shortcuts made p_hat overconfident (the continuum alone understates the variance
 *   3× at u = 1 and 1.6× at u = 3): on the harness the logistic calibration slope of p_hat was 0.63 at r = 3 s
 *   and 0.78 at r = 6 s (1 = calibrated), and strikes across the mid-range missed by up to 18 binomial SE; now
 *   the slope is ≈ 1 without jumps and every bin is within 4 SE (tests/unit/strategies/hammer-calibration.test.ts).
 *   Jumps remain unmodelled (fat tails).
 *   p_hat = Φ((mean − priceToBeat) / √variance); ties resolve Up, so a zero variance gives 1 when
 *   mean ≥ priceToBeat.
 *
 * σ here is in PRICE units per √second: σ_price = σ_log × S (σ_log from sigma.ts). z is clamped to ±50
 * so records stay finite. Pure functions.
 */
import type { PriceSample } from '../context';
import { normCdf } from './normal';

export const TWAP_SEC = 60;
const Z_CAP = 50;

export type PHatModel = 'spot' | 'twap';

export interface FairProb {
  readonly pHat: number;
  readonly z: number;
  /** Centre of the settlement-price distribution. */
  readonly mean: number;
  readonly sd: number;
}

function fromZ(meanMinusStrike: number, sd: number): FairProb & { mean: number } {
  if (!(sd > 0)) {
    const up = meanMinusStrike >= 0;
    return { pHat: up ? 1 : 0, z: up ? Z_CAP : -Z_CAP, mean: NaN, sd: 0 };
  }
  const z = Math.max(-Z_CAP, Math.min(Z_CAP, meanMinusStrike / sd));
  return { pHat: normCdf(z), z, mean: NaN, sd };
}

/** Q(u) = Σ_{k=1..u} k² = u(u+1)(2u+1)/6: Var(Σ_{k=1..u} W_k) / σ² for a 1 Hz walk (polynomial for fractional u). */
export function sumOfSquares(u: number): number {
  return (u * (u + 1) * (2 * u + 1)) / 6;
}

/**
 * Variance of the end TWAP (price units²) with u seconds of the settlement after the latest sample;
 * sigmaPrice in price units per √s.
 */
export function twapVariance(sigmaPrice: number, u: number): number {
  const s2 = sigmaPrice * sigmaPrice;
  if (u <= 0) return 0;
  const w2 = TWAP_SEC * TWAP_SEC;
  if (u <= TWAP_SEC) return (s2 * sumOfSquares(u)) / w2;
  return s2 * (u - TWAP_SEC + sumOfSquares(TWAP_SEC) / w2);
}

/** Spot model: Φ(d / (σ√T)). */
export function pHatSpot(spot: number, priceToBeat: number, sigmaPrice: number, secondsLeft: number): FairProb {
  const T = Math.max(0, secondsLeft);
  const res = fromZ(spot - priceToBeat, sigmaPrice * Math.sqrt(T));
  return { ...res, mean: spot };
}

export interface ObservedTwap {
  /** Integral (price × seconds) of the reference over the 60 − u observed seconds of the TWAP window. */
  readonly sum: number;
  /** Var(sum) / σ² from seconds interpolated across gaps (Brownian bridge: (Δ−1)Δ(Δ+1)/12 per gap of Δ s). */
  readonly gapVarSec3: number;
}

/**
 * Observed part of the end TWAP: the samples already inside (end − 60 s, asOf], asOf being the latest sample's
 * time, u = (end − asOf) in seconds. A missing second between two samples Δ s apart is filled by linear
 * interpolation (the Brownian-bridge mean; the sample before the window anchors a gap at its start) and its
 * uncertainty returned as gapVarSec3. The mean over samples and filled seconds × (60 − u) gives the sum (robust
 * to jittered timestamps); it falls back to spot × (60 − u) when no sample is inside yet.
 */
export function observedTwap(history: readonly PriceSample[], endMs: number, asOfMs: number, spot: number): ObservedTwap {
  const observedSec = Math.max(0, TWAP_SEC - Math.max(0, (endMs - asOfMs) / 1000));
  if (observedSec === 0) return { sum: 0, gapVarSec3: 0 };
  const fromMs = endMs - TWAP_SEC * 1000;
  let first = history.length;
  while (first > 0 && history[first - 1]!.tsMs > fromMs) first--;
  let sum = 0;
  let n = 0;
  let gapVarSec3 = 0;
  let prev = first > 0 ? history[first - 1] : undefined;
  for (let i = first; i < history.length; i++) {
    const s = history[i]!;
    if (s.tsMs > asOfMs) break;
    const gapSec = prev ? Math.round((s.tsMs - prev.tsMs) / 1000) : 1;
    if (prev && gapSec > 1) {
      let filled = 0;
      for (let j = 1; j < gapSec; j++) {
        if (s.tsMs - j * 1000 <= fromMs) break; // the filled second lies before the TWAP window
        sum += s.price + ((prev.price - s.price) * j) / gapSec;
        filled++;
      }
      n += filled;
      if (filled > 0) gapVarSec3 += ((gapSec - 1) * gapSec * (gapSec + 1)) / 12;
    }
    sum += s.price;
    n++;
    prev = s;
  }
  return { sum: (n > 0 ? sum / n : spot) * observedSec, gapVarSec3 };
}

/** observedTwap(...).sum: the observed integral alone. */
export function observedTwapPart(history: readonly PriceSample[], endMs: number, asOfMs: number, spot: number): number {
  return observedTwap(history, endMs, asOfMs, spot).sum;
}

/**
 * TWAP model; `unknownSec` = u, seconds of the settlement window after the latest sample (the seconds left
 * when that sample is current); `observed` from observedTwapPart (ignored when u > 60); `gapVarSec3` from
 * observedTwap adds the uncertainty of interpolated seconds (σ² gapVarSec3 / 60²).
 */
export function pHatTwap(
  spot: number,
  priceToBeat: number,
  sigmaPrice: number,
  unknownSec: number,
  observed: number,
  gapVarSec3 = 0,
): FairProb {
  const r = Math.max(0, unknownSec);
  const mean = r > TWAP_SEC ? spot : (observed + r * spot) / TWAP_SEC;
  const gapVar = r > TWAP_SEC ? 0 : (sigmaPrice * sigmaPrice * gapVarSec3) / (TWAP_SEC * TWAP_SEC);
  const res = fromZ(mean - priceToBeat, Math.sqrt(twapVariance(sigmaPrice, r) + gapVar));
  return { ...res, mean };
}

export interface FairProbInput {
  readonly model: PHatModel;
  readonly spot: number;
  readonly priceToBeat: number;
  /** σ of log returns per √s (converted here to price units with × spot). */
  readonly sigmaLog: number;
  readonly endMs: number;
  readonly nowMs: number;
  readonly history: readonly PriceSample[];
}

/** Time of the latest sample at or before nowMs (nowMs itself when there is none). */
function latestSampleMs(history: readonly PriceSample[], nowMs: number): number {
  for (let i = history.length - 1; i >= 0; i--) if (history[i]!.tsMs <= nowMs) return history[i]!.tsMs;
  return nowMs;
}

export function fairProb(i: FairProbInput): FairProb {
  const sigmaPrice = i.sigmaLog * i.spot;
  const r = (i.endMs - i.nowMs) / 1000;
  if (i.model === 'spot') return pHatSpot(i.spot, i.priceToBeat, sigmaPrice, r);
  const asOfMs = latestSampleMs(i.history, i.nowMs);
  const u = (i.endMs - asOfMs) / 1000;
  const observed = observedTwap(i.history, i.endMs, asOfMs, i.spot);
  return pHatTwap(i.spot, i.priceToBeat, sigmaPrice, u, observed.sum, observed.gapVarSec3);
}
