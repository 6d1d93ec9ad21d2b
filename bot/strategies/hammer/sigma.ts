/**
 * Volatility and return estimates from the 1 s reference history.
 *
 * sigmaLogPerSqrtSec: σ of log returns per √second over the last `lookbackSec` seconds, robust to gaps:
 * each consecutive pair (p_{i−1}, p_i) with Δt_i seconds apart gives r_i = ln(p_i / p_{i−1}), whose variance
 * is σ²·Δt_i under a driftless random walk, so σ² = Σ r_i² / Σ Δt_i (a missing second simply makes one
 * return cover 2 s). Returns undefined with fewer than `minReturns` returns.
 * Convert to price units per √s (what the p_hat formulas need) with σ_price = σ_log × S.
 *
 * Invariants: pure; samples must be oldest-first; pairs with Δt ≤ 0 or non-positive prices are ignored.
 */
import type { PriceSample } from '../context';

export interface SigmaEstimate {
  /** σ of log returns per √s. */
  readonly sigmaLog: number;
  /** Number of returns used. */
  readonly n: number;
}

export function sigmaLogPerSqrtSec(
  history: readonly PriceSample[],
  nowMs: number,
  lookbackSec = 60,
  minReturns = 20,
): SigmaEstimate | undefined {
  const fromMs = nowMs - lookbackSec * 1000;
  let sumR2 = 0;
  let sumDt = 0;
  let n = 0;
  let prev: PriceSample | undefined;
  // Walk backwards to the first sample inside the lookback (history may be long), then forwards.
  if (history.length < 2) return undefined;
  let i = history.length - 1;
  while (i > 0 && history[i - 1]!.tsMs >= fromMs) i--;
  for (; i < history.length; i++) {
    const s = history[i]!;
    if (s.tsMs > nowMs) break;
    if (s.tsMs < fromMs || !(s.price > 0)) continue;
    if (prev) {
      const dt = (s.tsMs - prev.tsMs) / 1000;
      if (dt > 0) {
        const r = Math.log(s.price / prev.price);
        sumR2 += r * r;
        sumDt += dt;
        n++;
      }
    }
    prev = s;
  }
  if (n < minReturns || !(sumDt > 0)) return undefined;
  return { sigmaLog: Math.sqrt(sumR2 / sumDt), n };
}

/** Latest sample at or before nowMs. */
export function latestAtOrBefore(history: readonly PriceSample[], nowMs: number): PriceSample | undefined {
  for (let i = history.length - 1; i >= 0; i--) if (history[i]!.tsMs <= nowMs) return history[i];
  return undefined;
}

/**
 * Relative return of the reference over the last `lookbackSec` seconds: latest / anchor − 1, the anchor being
 * the latest sample at or before (latest − lookback). Undefined when history does not reach back that far.
 */
export function trailingReturn(
  history: readonly PriceSample[],
  nowMs: number,
  lookbackSec = 60,
): number | undefined {
  const last = latestAtOrBefore(history, nowMs);
  if (!last) return undefined;
  const anchor = latestAtOrBefore(history, last.tsMs - lookbackSec * 1000);
  if (!anchor || !(anchor.price > 0)) return undefined;
  return last.price / anchor.price - 1;
}
