/**
 * The four in-venue signal processors of trend-window (SPEC §3.3). Each returns a score in [−1, 1]
 * (positive favours Up) or undefined when it cannot be computed. Pure functions except MidHistory,
 * a bounded per-window ring of Up mids used for tick velocity.
 *
 * - bookImbalance: Up-book imbalance minus Down-book imbalance over the top N levels, halved;
 *   imbalance = (Σ bid size − Σ ask size) / (Σ bid size + Σ ask size).
 * - tickVelocity: change of the Up mid over the lookback, divided by `scale`, clamped.
 * - divergence: (model p_hat from the reference − implied Up mid) / `scale`, clamped.
 * - spike: sign of the largest 1 s reference log return in the lookback when its z (vs σ·√Δt) ≥ spikeZ, else 0.
 */
import type { BookView, PriceSample } from '../context';

export const clamp1 = (x: number): number => Math.max(-1, Math.min(1, x));

function imbalance(b: BookView, levels: number): number | undefined {
  let bid = 0;
  let ask = 0;
  for (let i = 0; i < levels; i++) {
    bid += b.bids[i]?.size ?? 0;
    ask += b.asks[i]?.size ?? 0;
  }
  return bid + ask > 0 ? (bid - ask) / (bid + ask) : undefined;
}

export function bookImbalance(up: BookView, down: BookView, levels: number): number | undefined {
  const u = imbalance(up, levels);
  const d = imbalance(down, levels);
  if (u === undefined && d === undefined) return undefined;
  return clamp1(((u ?? 0) - (d ?? 0)) / 2);
}

export class MidHistory {
  private readonly samples: PriceSample[] = [];
  constructor(private readonly max = 600) {}
  push(tsMs: number, mid: number): void {
    const last = this.samples[this.samples.length - 1];
    if (last && last.tsMs === tsMs) this.samples[this.samples.length - 1] = { tsMs, price: mid };
    else this.samples.push({ tsMs, price: mid });
    if (this.samples.length > this.max) this.samples.shift();
  }
  get all(): readonly PriceSample[] {
    return this.samples;
  }
}

export function tickVelocity(
  mids: readonly PriceSample[],
  nowMs: number,
  lookbackSec: number,
  scale: number,
): number | undefined {
  const last = mids[mids.length - 1];
  if (!last) return undefined;
  const fromMs = nowMs - lookbackSec * 1000;
  let anchor: PriceSample | undefined;
  for (const s of mids) {
    if (s.tsMs > fromMs) break;
    anchor = s;
  }
  if (!anchor) anchor = mids[0]!;
  if (anchor === last) return undefined;
  return clamp1((last.price - anchor.price) / scale);
}

export function divergence(pModel: number | undefined, pImplied: number | undefined, scale: number): number | undefined {
  if (pModel === undefined || pImplied === undefined) return undefined;
  return clamp1((pModel - pImplied) / scale);
}

export function spike(
  history: readonly PriceSample[],
  nowMs: number,
  lookbackSec: number,
  sigmaLog: number | undefined,
  spikeZ: number,
): number | undefined {
  if (sigmaLog === undefined || !(sigmaLog > 0)) return undefined;
  const fromMs = nowMs - lookbackSec * 1000;
  let best = 0;
  let bestZ = 0;
  for (let i = history.length - 1; i > 0; i--) {
    const s = history[i]!;
    const p = history[i - 1]!;
    if (s.tsMs > nowMs) continue;
    if (p.tsMs < fromMs) break;
    const dt = (s.tsMs - p.tsMs) / 1000;
    if (!(dt > 0)) continue;
    const r = Math.log(s.price / p.price);
    const z = Math.abs(r) / (sigmaLog * Math.sqrt(dt));
    if (z > bestZ) {
      bestZ = z;
      best = r;
    }
  }
  return bestZ >= spikeZ ? Math.sign(best) : 0;
}
