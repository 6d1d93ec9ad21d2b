/**
 * The console replay's timeline: what the charts show at any time of a replayed session, built from the replay
 * runtime's bus while the replay computes (bot/replay/playback.ts feeds it), read back with binary searches.
 *
 * - Keyframes, one per `keyframeEveryMs` (1 s) of simulated time, sampled on bus events (no timers in the replay
 *   runtime): when an event arrives at clock time now > nextKeyframeMs, a keyframe stamped nextKeyframeMs is taken
 *   BEFORE the event is applied, so it holds the state after every event at or before that time; the next one is
 *   due at the first multiple of the interval >= now (a quiet stretch gives one keyframe, valid until the next).
 *   A keyframe holds the top of book of every live token (dropped when its market resolves; at most `maxTokens`,
 *   the stalest evicted), the latest reference (live, twap60) and spot price per symbol, cumulative realised PnL
 *   (the sum of the ledger's settlements, as runReplay's pnlUsd) and the open position count.
 * - The ledger (orders, fills, settlements, final decisions) and every strategy decision (evaluations included),
 *   stamped with the clock time they were seen, in bounded rings (the newest kept).
 *
 * Invariants: `keyframeAt(t)` for t <= computedToMs never changes once returned; times are non-decreasing (the
 * replay clock); memory is bounded: at most `maxKeyframes` keyframes (when full, every other one is dropped and the
 * interval doubles, so the whole session stays covered, more coarsely), `maxLedger` entries, `maxDecisions`
 * decisions, `maxTokens` books per keyframe; unchanged books, reference and spot objects are shared between
 * keyframes (copy on write).
 */
import type { BotEvent, DecisionRecord } from '../../lib/schemas/events';
import type { LedgerEntry } from './ledger-types';

export interface TimelineOptions {
  keyframeEveryMs?: number;
  maxKeyframes?: number;
  maxLedger?: number;
  maxDecisions?: number;
  maxTokens?: number;
}

export interface BookTopPoint {
  readonly tokenId: string;
  readonly slug: string | null;
  readonly outcome: 'up' | 'down' | null;
  readonly bestBid: number | null;
  readonly bestAsk: number | null;
  readonly bidSize: number | null;
  readonly askSize: number | null;
  /** Replay time of the book's last change. */
  readonly updatedMs: number;
}

export type ReferencePoint = Readonly<Record<string, { readonly live?: number; readonly twap60?: number }>>;
export type SpotPoint = Readonly<Record<string, number>>;

export interface Keyframe {
  readonly tsMs: number;
  readonly books: readonly BookTopPoint[];
  readonly reference: ReferencePoint;
  readonly spot: SpotPoint;
  readonly pnlUsd: number;
  readonly openPositions: number;
}

export interface TimedDecision {
  readonly tsMs: number;
  readonly record: DecisionRecord;
}

/** A bounded ring of items with non-decreasing times; the oldest are dropped (and counted) when it is full. */
export class TimedRing<T> {
  private readonly items: (T | undefined)[];
  private readonly times: Float64Array;
  private head = 0;
  private count = 0;
  dropped = 0;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`ring capacity must be >= 1 (got ${capacity})`);
    this.items = new Array<T | undefined>(capacity);
    this.times = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(tsMs: number, item: T): void {
    const i = (this.head + this.count) % this.capacity;
    this.items[i] = item;
    this.times[i] = tsMs;
    if (this.count < this.capacity) this.count++;
    else {
      this.head = (this.head + 1) % this.capacity;
      this.dropped++;
    }
  }

  /** How many kept items have a time <= tMs. */
  countUpTo(tMs: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.times[(this.head + mid) % this.capacity]! <= tMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The last `limit` kept items with a time <= tMs, oldest first. */
  upTo(tMs: number, limit: number): T[] {
    const end = this.countUpTo(tMs);
    const out: T[] = [];
    for (let k = Math.max(0, end - Math.max(0, limit)); k < end; k++) out.push(this.items[(this.head + k) % this.capacity]!);
    return out;
  }
}

const EMPTY_BOOKS: readonly BookTopPoint[] = [];

export class PlaybackTimeline {
  private everyMs: number;
  private readonly maxKeyframes: number;
  private readonly maxTokens: number;
  private readonly frames: Keyframe[] = [];
  private nextKfMs: number | undefined;
  private finalMs: number | undefined;
  private readonly tops = new Map<string, BookTopPoint>();
  private booksView: readonly BookTopPoint[] = EMPTY_BOOKS;
  private booksDirty = false;
  /** Window and outcome of a token (the replay runtime's catalog); books keep what it said at their update. */
  tokenInfo: (tokenId: string) => { slug: string; outcome: 'up' | 'down' } | undefined = () => undefined;
  private reference: ReferencePoint = {};
  private spot: SpotPoint = {};
  private pnl = 0;
  private open = 0;
  readonly ledger: TimedRing<LedgerEntry>;
  readonly decisions: TimedRing<TimedDecision>;

  constructor(o: TimelineOptions = {}) {
    this.everyMs = o.keyframeEveryMs ?? 1_000;
    this.maxKeyframes = Math.max(2, o.maxKeyframes ?? 200_000);
    this.maxTokens = Math.max(1, o.maxTokens ?? 64);
    this.ledger = new TimedRing(o.maxLedger ?? 50_000);
    this.decisions = new TimedRing(o.maxDecisions ?? 50_000);
    if (!(this.everyMs >= 1 && Number.isInteger(this.everyMs))) throw new RangeError(`keyframeEveryMs must be a positive integer (got ${this.everyMs})`);
  }

  get keyframeEveryMs(): number {
    return this.everyMs;
  }

  get keyframes(): number {
    return this.frames.length;
  }

  /** Session time up to which the timeline is final (every t <= computedToMs is answered for good). */
  get computedToMs(): number {
    return this.finalMs ?? (this.nextKfMs === undefined ? -Infinity : this.nextKfMs - 1);
  }

  get pnlUsd(): number {
    return this.pnl;
  }

  /** Take the keyframe that falls due at `nowMs` (call before applying the event seen at `nowMs`). */
  sample(nowMs: number): void {
    if (this.finalMs !== undefined) return;
    if (this.nextKfMs === undefined) this.nextKfMs = Math.ceil(nowMs / this.everyMs) * this.everyMs;
    if (nowMs <= this.nextKfMs) return;
    this.pushKeyframe(this.nextKfMs);
    this.nextKfMs = Math.ceil(nowMs / this.everyMs) * this.everyMs;
  }

  /** Apply one bus event seen at replay time `nowMs` (after `sample(nowMs)`). */
  apply(e: BotEvent, nowMs: number): void {
    switch (e.type) {
      case 'market.resolved':
        for (const [id, top] of this.tops) {
          if (top.slug !== e.slug && id !== e.winningTokenId) continue;
          this.tops.delete(id);
          this.booksDirty = true;
        }
        break;
      case 'book.top':
        this.setTop(e.tokenId, nowMs, e.bestBid ?? null, e.bestAsk ?? null, e.bidSize ?? null, e.askSize ?? null);
        break;
      case 'book.invalidated':
        this.setTop(e.tokenId, nowMs, null, null, null, null);
        break;
      case 'ref.price': {
        const cur = this.reference[e.symbol] ?? {};
        this.reference = { ...this.reference, [e.symbol]: { ...cur, [e.kind]: e.priceUsd } };
        break;
      }
      case 'spot.price':
        this.spot = { ...this.spot, [e.symbol]: e.priceUsd };
        break;
      case 'strategy.decision':
        this.decisions.push(nowMs, { tsMs: nowMs, record: e.record });
        break;
      default:
        break;
    }
  }

  /** Ledger entries the collector produced for the event just applied. */
  addLedger(entries: readonly LedgerEntry[], nowMs: number): void {
    for (const x of entries) {
      this.ledger.push(nowMs, x);
      if (x.kind === 'settle') this.pnl += x.realizedUsd;
    }
  }

  setOpenPositions(n: number): void {
    this.open = n;
  }

  /** The replay ended at `nowMs`: the last keyframe holds the final state, valid from its time on. */
  finish(nowMs: number): void {
    if (this.finalMs !== undefined) return;
    // Everything since the last keyframe (events after it, up to now) is in the final state: one last keyframe at
    // the next grid time, or at `nowMs` when the replay stopped before reaching it.
    this.pushKeyframe(Math.min(this.nextKfMs ?? nowMs, nowMs));
    this.finalMs = nowMs;
  }

  /** The keyframe at or before `tMs` (binary search), or undefined before the first one. */
  keyframeAt(tMs: number): Keyframe | undefined {
    let lo = 0;
    let hi = this.frames.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.frames[mid]!.tsMs <= tMs) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? undefined : this.frames[lo - 1];
  }

  firstKeyframeMs(): number | undefined {
    return this.frames[0]?.tsMs;
  }

  private setTop(tokenId: string, nowMs: number, bestBid: number | null, bestAsk: number | null, bidSize: number | null, askSize: number | null): void {
    const meta = this.tokenInfo(tokenId);
    this.tops.delete(tokenId); // re-insert: the map stays ordered by last update, the stalest first
    this.tops.set(tokenId, { tokenId, slug: meta?.slug ?? null, outcome: meta?.outcome ?? null, bestBid, bestAsk, bidSize, askSize, updatedMs: nowMs });
    while (this.tops.size > this.maxTokens) this.tops.delete(this.tops.keys().next().value!);
    this.booksDirty = true;
  }

  private pushKeyframe(tsMs: number): void {
    if (this.booksDirty) {
      this.booksView = [...this.tops.values()].sort((a, b) => (a.tokenId < b.tokenId ? -1 : a.tokenId > b.tokenId ? 1 : 0));
      this.booksDirty = false;
    }
    if (this.frames.length >= this.maxKeyframes) this.decimate();
    this.frames.push({ tsMs, books: this.booksView, reference: this.reference, spot: this.spot, pnlUsd: Math.round(this.pnl * 1e6) / 1e6, openPositions: this.open });
  }

  /** Keep every other keyframe (the first one stays) and double the interval. */
  private decimate(): void {
    let w = 0;
    for (let r = 0; r < this.frames.length; r += 2) this.frames[w++] = this.frames[r]!;
    this.frames.length = w;
    this.everyMs *= 2;
  }
}
