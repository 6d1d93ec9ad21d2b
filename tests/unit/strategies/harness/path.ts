/**
 * Deterministic BTC path generator for strategy tests (a stand-in for the simulator's market model).
 *
 * - Spot: 1 Hz geometric random walk, σ of 1 s log returns drawn per hour (regimes around `sigma`), plus rare
 *   jumps (Poisson, `jumpRatePerSec`, N(0, jumpSd) log size).
 * - Chainlink-like reference: spot lagged by 1 s, published at 1 Hz; a small fraction of samples is dropped
 *   from what strategies see (`gapProb`), never from the settlement series.
 * - TWAP60(t) = mean of the reference samples in (t − 60 s, t]; a window resolves Up iff
 *   TWAP60(end) ≥ TWAP60(start) (ties Up), exactly the venue rule.
 * Invariants: same seed → same path; times are epoch ms on whole seconds.
 */
import { Prng } from '../../../../bot/util/prng';

export interface PathOptions {
  readonly seed: string;
  readonly startMs: number;
  readonly seconds: number;
  readonly startPrice?: number;
  readonly sigma?: number;
  readonly jumpRatePerSec?: number;
  readonly jumpSd?: number;
  readonly gapProb?: number;
}

export interface PricePath {
  readonly startMs: number;
  readonly seconds: number;
  /** Reference (settlement source) price at second i (index = second offset). */
  readonly ref: Float64Array;
  /** True when the sample at second i reaches strategies. */
  readonly visible: Uint8Array;
  /** σ of 1 s log returns in force at second i. */
  readonly sigmaAt: Float64Array;
  /** Prefix sums of ref for O(1) TWAPs. */
  readonly prefix: Float64Array;
}

export function generatePath(o: PathOptions): PricePath {
  const rng = new Prng(o.seed);
  const n = o.seconds + 1;
  const spot = new Float64Array(n);
  const sigmaAt = new Float64Array(n);
  const base = o.sigma ?? 1e-4;
  const jumpRate = o.jumpRatePerSec ?? 1 / 1800;
  const jumpSd = o.jumpSd ?? 0.003;
  let logP = Math.log(o.startPrice ?? 100_000);
  let sigma = base;
  for (let i = 0; i < n; i++) {
    if (i % 3600 === 0) sigma = base * Math.exp(0.4 * rng.normal());
    sigmaAt[i] = sigma;
    if (i > 0) {
      logP += sigma * rng.normal();
      if (rng.chance(jumpRate)) logP += jumpSd * rng.normal();
    }
    spot[i] = Math.exp(logP);
  }
  const ref = new Float64Array(n);
  const visible = new Uint8Array(n);
  const prefix = new Float64Array(n + 1);
  const gap = o.gapProb ?? 0.01;
  for (let i = 0; i < n; i++) {
    ref[i] = Math.round(spot[Math.max(0, i - 1)]! * 100) / 100;
    visible[i] = i === 0 || !rng.chance(gap) ? 1 : 0;
    prefix[i + 1] = prefix[i]! + ref[i]!;
  }
  return { startMs: o.startMs, seconds: o.seconds, ref, visible, sigmaAt, prefix };
}

/** TWAP of the 60 samples in (t − 60 s, t], t = second index (clamped at the path start). */
export function twap60(p: PricePath, i: number): number {
  const lo = Math.max(0, i - 59);
  return (p.prefix[i + 1]! - p.prefix[lo]!) / (i + 1 - lo);
}

export function secondIndex(p: PricePath, tsMs: number): number {
  return Math.round((tsMs - p.startMs) / 1000);
}

export interface WindowSpec {
  readonly slug: string;
  readonly windowSec: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly priceToBeat: number;
  readonly final: number;
  readonly upWins: boolean;
}

/** Every window of length windowSec fully inside the path (aligned to epoch multiples). */
export function windowsOf(p: PricePath, windowSec: number, asset = 'btc'): WindowSpec[] {
  const out: WindowSpec[] = [];
  const first = Math.ceil((p.startMs / 1000 + 60) / windowSec) * windowSec; // 60 s of history for the start TWAP
  for (let s = first; (s + windowSec) * 1000 <= p.startMs + p.seconds * 1000; s += windowSec) {
    const startMs = s * 1000;
    const endMs = startMs + windowSec * 1000;
    const priceToBeat = twap60(p, secondIndex(p, startMs));
    const final = twap60(p, secondIndex(p, endMs));
    out.push({ slug: `${asset}-updown-${windowSec / 60}m-${s}`, windowSec, startMs, endMs, priceToBeat, final, upWins: final >= priceToBeat });
  }
  return out;
}
