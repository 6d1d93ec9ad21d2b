/**
 * Competitor detection at the touch of one token (seed 003, issue 14).
 * - CompetitorTracker (bounded): times between best-bid changes (how fast others requote, last 20 intervals) and,
 *   after each of our requotes, whether a better bid appeared within competitorReactSec (being "pennied").
 * - competitorResponse (pure): given our model bid, the book touch and the others' size at our level:
 *     step-back  a fast competitor (median touch interval ≤ competitorFastSec) pennies us (share ≥ competitorPennyShare
 *                over ≥ competitorMinObservations requotes): bid one tick lower;
 *     improve    someone bids above us: bid bestBid + tick, when that stays ≤ floor (fair − MIN_SPREAD/2) and < bestAsk;
 *     join       else join the best bid when it is within the same limits (or others already sit ≥ competitorJoinShares
 *                at our price);
 *     hold / alone  keep the model bid.
 * Invariants: the result never crosses (price < bestAsk) and never exceeds the fair-value floor unless it is the
 * unchanged model price; prices stay on the tick and ≥ tick.
 */
import { roundDownToTick } from '../common/market';

const MAX_INTERVALS = 20;
const EPS = 1e-9;

export interface CompetitorStats {
  /** Median seconds between best-bid changes (undefined before two changes). */
  readonly medianRequoteSec: number | undefined;
  /** Share of our requotes that were bettered within the react time. */
  readonly pennyShare: number;
  readonly observations: number;
}

export class CompetitorTracker {
  private lastBid: number | undefined;
  private lastChangeMs: number | undefined;
  private readonly intervals: number[] = [];
  private pending: { tsMs: number; price: number } | undefined;
  private pennied = 0;
  private observed = 0;

  /** Our bid was (re)placed at `price`. */
  onOurQuote(tsMs: number, price: number): void {
    this.pending = { tsMs, price };
  }

  /** A look at the book touch (called on every evaluation; only changes count). */
  onTouch(tsMs: number, bestBid: number | undefined, reactSec: number): void {
    if (bestBid !== this.lastBid) {
      if (this.lastChangeMs !== undefined && tsMs > this.lastChangeMs) {
        this.intervals.push((tsMs - this.lastChangeMs) / 1000);
        if (this.intervals.length > MAX_INTERVALS) this.intervals.shift();
      }
      this.lastBid = bestBid;
      this.lastChangeMs = tsMs;
    }
    const p = this.pending;
    if (!p) return;
    if (tsMs - p.tsMs > reactSec * 1000 + EPS) {
      this.observed++;
      this.pending = undefined;
    } else if (bestBid !== undefined && bestBid > p.price + EPS) {
      this.observed++;
      this.pennied++;
      this.pending = undefined;
    }
    if (this.observed > 200) {
      this.observed /= 2;
      this.pennied /= 2;
    }
  }

  stats(): CompetitorStats {
    const s = [...this.intervals].sort((a, b) => a - b);
    const median = s.length === 0 ? undefined : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
    return { medianRequoteSec: median, pennyShare: this.observed > 0 ? this.pennied / this.observed : 0, observations: this.observed };
  }
}

export type CompetitorState = 'alone' | 'join' | 'improve' | 'step-back' | 'hold';

export interface CompetitorInput {
  readonly modelBid: number;
  readonly bestBid: number | undefined;
  readonly bestAsk: number | undefined;
  /** Others' visible size at our model price (level size minus our own remaining). */
  readonly othersAtLevel: number;
  /** Fair value of this token. */
  readonly fair: number;
  readonly minSpread: number;
  readonly tick: number;
  readonly stats: CompetitorStats;
}

export interface CompetitorParams {
  readonly competitorFastSec: number;
  readonly competitorPennyShare: number;
  readonly competitorMinObservations: number;
  readonly competitorJoinShares: number;
}

export function competitorResponse(i: CompetitorInput, c: CompetitorParams): { state: CompetitorState; price: number } {
  const st = i.stats;
  const fast = st.medianRequoteSec !== undefined && st.medianRequoteSec <= c.competitorFastSec + EPS;
  if (fast && st.observations >= c.competitorMinObservations && st.pennyShare >= c.competitorPennyShare - EPS) {
    const back = roundDownToTick(i.modelBid - i.tick, i.tick);
    return back >= i.tick - EPS ? { state: 'step-back', price: back } : { state: 'hold', price: i.modelBid };
  }
  if (i.bestBid === undefined) return { state: 'alone', price: i.modelBid };
  const floor = roundDownToTick(i.fair - i.minSpread / 2, i.tick);
  const ok = (p: number) => p <= floor + EPS && (i.bestAsk === undefined || p < i.bestAsk - EPS) && p > i.modelBid + EPS;
  if (i.bestBid > i.modelBid + EPS) {
    const improve = roundDownToTick(i.bestBid + i.tick, i.tick);
    if (ok(improve)) return { state: 'improve', price: improve };
    if (ok(i.bestBid)) return { state: 'join', price: i.bestBid };
    return { state: 'hold', price: i.modelBid };
  }
  if (Math.abs(i.bestBid - i.modelBid) < EPS && i.othersAtLevel >= c.competitorJoinShares - EPS) return { state: 'join', price: i.modelBid };
  return { state: 'alone', price: i.modelBid };
}
