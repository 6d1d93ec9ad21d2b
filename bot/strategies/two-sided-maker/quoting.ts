/**
 * Pure quoting maths of the two-sided maker (SPEC §3.3). The maker quotes BUY orders on both tokens: a bid
 * on Up at fairUp − half-spread and a bid on Down at (1 − fairUp) − half-spread (a Down bid is economically an
 * Up offer), so no inventory is needed to quote both sides.
 *
 * - spread = clamp(BASE_SPREAD × σ / volRefSigma, MIN_SPREAD, MAX_SPREAD) (base when σ is unknown).
 * - skew = clamp(net / POSITION_LIMIT, −1, 1) × MAX_INVENTORY_SKEW, net = Up shares − Down shares;
 *   long Up (skew > 0) lowers the Up bid and raises the Down bid, so fills rebalance the inventory.
 * - flow: signed taker volume in Up terms (buy Up / sell Down = +) over the recent window; one-sided flow
 *   widens the bid that the flow would pick off (flow > 0 → the Down bid, flow < 0 → the Up bid).
 * - Post-only safety: a bid at or above the token's best ask is moved to best ask − tick; when that leaves no
 *   valid price (best ask at the lowest tick) the side is not quoted.
 */
import { roundDownToTick, clampPrice } from '../common/market';

export const clamp = (x: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, x));

export function volScaledSpread(
  base: number,
  sigmaLog: number | undefined,
  volRefSigma: number,
  minSpread: number,
  maxSpread: number,
): number {
  const raw = sigmaLog === undefined || !(sigmaLog > 0) ? base : base * (sigmaLog / volRefSigma);
  return clamp(raw, minSpread, maxSpread);
}

export function inventorySkew(net: number, positionLimit: number, maxSkew: number): number {
  return clamp(net / positionLimit, -1, 1) * maxSkew;
}

export interface FlowTrade {
  readonly tsMs: number;
  /** +size for Up-bullish taker flow (buy Up, sell Down), −size otherwise. */
  readonly signed: number;
  readonly size: number;
}

export function flowImbalance(trades: readonly FlowTrade[], nowMs: number, windowSec: number): { f: number; volume: number } {
  let s = 0;
  let v = 0;
  for (const t of trades) {
    if (t.tsMs < nowMs - windowSec * 1000 || t.tsMs > nowMs) continue;
    s += t.signed;
    v += t.size;
  }
  return { f: v > 0 ? s / v : 0, volume: v };
}

/** −1 widen Up bid, +1 widen Down bid, 0 none. */
export function flowState(f: number, volume: number, threshold: number, minVolume: number): -1 | 0 | 1 {
  if (volume < minVolume) return 0;
  if (f >= threshold) return 1;
  if (f <= -threshold) return -1;
  return 0;
}

export interface QuoteInput {
  readonly fairUp: number;
  readonly spread: number;
  readonly skew: number;
  readonly flow: -1 | 0 | 1;
  readonly flowWiden: number;
  readonly tick: number;
  readonly upBestAsk?: number;
  readonly downBestAsk?: number;
}

export interface QuotePrices {
  /** Undefined when no valid post-only bid exists on that side (e.g. best ask at the lowest tick). */
  readonly upBid: number | undefined;
  readonly downBid: number | undefined;
}

export function quotePrices(q: QuoteInput): QuotePrices {
  const half = q.spread / 2;
  let up = q.fairUp - half - q.skew - (q.flow === -1 ? q.flowWiden : 0);
  let down = 1 - q.fairUp - half + q.skew - (q.flow === 1 ? q.flowWiden : 0);
  up = clampPrice(roundDownToTick(up, q.tick), q.tick);
  down = clampPrice(roundDownToTick(down, q.tick), q.tick);
  if (q.upBestAsk !== undefined && up >= q.upBestAsk - 1e-9) up = roundDownToTick(q.upBestAsk - q.tick, q.tick);
  if (q.downBestAsk !== undefined && down >= q.downBestAsk - 1e-9) down = roundDownToTick(q.downBestAsk - q.tick, q.tick);
  const valid = (p: number) => p >= q.tick - 1e-9 && p <= 1 - q.tick + 1e-9;
  return { upBid: valid(up) ? up : undefined, downBid: valid(down) ? down : undefined };
}

/** Up + Down mids ≈ 1 within tolerance (books consistent). */
export function parityOk(upMid: number, downMid: number, tolerance: number): boolean {
  return Math.abs(upMid + downMid - 1) <= tolerance + 1e-9;
}
