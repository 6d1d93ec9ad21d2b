/**
 * Fair probability that the window resolves Up (p_hat), two models (SPEC §3.3 hammer):
 *
 * - `spot` (as older bots do): p_hat = Φ(d / (σ√T)), d = S − priceToBeat, T = seconds left.
 * - `twap` (default): the settlement compares the 60 s TWAP at the window end with the price to beat.
 *   With r seconds left:
 *     r ≤ 60: the end TWAP = (observed part + unknown part) / 60. The observed part is the integral of the
 *             reference over the 60 − r seconds already inside the TWAP window (mean of those samples ×
 *             (60 − r), so a missing sample does not bias it); the unknown part is ∫ of the path over the
 *             last r seconds, ≈ r·S + ∫W, with Var(∫₀ʳ W) = σ²r³/3. Hence
 *             mean = (observed + r·S) / 60,  variance = σ² r³ / (3·60²).
 *     r > 60: the whole TWAP window is in the future: mean = S, variance = σ² (r − 40)
 *             (the average of a Brownian path over [r − 60, r] has variance σ²((r − 60) + 60/3)).
 *   Both branches give σ²·20 at r = 60 (continuous).
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

/** Variance of the end TWAP (price units²) with r seconds left; sigmaPrice in price units per √s. */
export function twapVariance(sigmaPrice: number, r: number): number {
  const s2 = sigmaPrice * sigmaPrice;
  if (r <= 0) return 0;
  if (r <= TWAP_SEC) return (s2 * r * r * r) / (3 * TWAP_SEC * TWAP_SEC);
  return s2 * (r - 40);
}

/** Spot model: Φ(d / (σ√T)). */
export function pHatSpot(spot: number, priceToBeat: number, sigmaPrice: number, secondsLeft: number): FairProb {
  const T = Math.max(0, secondsLeft);
  const res = fromZ(spot - priceToBeat, sigmaPrice * Math.sqrt(T));
  return { ...res, mean: spot };
}

/**
 * Observed part of the end TWAP: integral (price × seconds) of the samples already inside (end − 60 s, now].
 * Mean of those samples × (60 − r); falls back to spot × (60 − r) when no sample is inside yet.
 */
export function observedTwapPart(
  history: readonly PriceSample[],
  endMs: number,
  nowMs: number,
  spot: number,
): number {
  const r = Math.max(0, (endMs - nowMs) / 1000);
  const observedSec = Math.max(0, TWAP_SEC - r);
  if (observedSec === 0) return 0;
  const fromMs = endMs - TWAP_SEC * 1000;
  let sum = 0;
  let n = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const s = history[i]!;
    if (s.tsMs <= fromMs) break;
    if (s.tsMs > nowMs) continue;
    sum += s.price;
    n++;
  }
  return (n > 0 ? sum / n : spot) * observedSec;
}

/** TWAP model with r = seconds left; `observed` from observedTwapPart (ignored when r > 60). */
export function pHatTwap(
  spot: number,
  priceToBeat: number,
  sigmaPrice: number,
  secondsLeft: number,
  observed: number,
): FairProb {
  const r = Math.max(0, secondsLeft);
  const mean = r > TWAP_SEC ? spot : (observed + r * spot) / TWAP_SEC;
  const res = fromZ(mean - priceToBeat, Math.sqrt(twapVariance(sigmaPrice, r)));
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

export function fairProb(i: FairProbInput): FairProb {
  const sigmaPrice = i.sigmaLog * i.spot;
  const r = (i.endMs - i.nowMs) / 1000;
  if (i.model === 'spot') return pHatSpot(i.spot, i.priceToBeat, sigmaPrice, r);
  return pHatTwap(i.spot, i.priceToBeat, sigmaPrice, r, observedTwapPart(i.history, i.endMs, i.nowMs, i.spot));
}
