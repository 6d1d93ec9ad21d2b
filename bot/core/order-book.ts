/**
 * Per-token L2 order book: full snapshots plus absolute-size level deltas, with epochs.
 *
 * Invariants:
 * - A snapshot replaces the book and starts a new epoch; deltas set the aggregate size at a level
 *   (size 0 removes it). Deltas before the first snapshot of an epoch are ignored (counted).
 * - Best bid/ask are computed from the levels (max bid, min ask), never from array order.
 * - Prices are keyed in integer 1e-4 units; each side holds at most `maxLevels` levels (the ones farthest
 *   from the touch are dropped first), so the book is bounded.
 * - `invalidate(reason)` (tick-size change, reconnect, crossed book, check failure) starts a new epoch with
 *   an empty, not-ready book: consumers must wait for the next snapshot (`ready`).
 * - Each side is kept as parallel arrays of price keys (best first) and sizes: a snapshot in price order (as the
 *   venue sends it, either direction) is taken without sorting, a delta finds its level by binary search; reading
 *   the top of a deep book is an index.
 */
import * as decimal from '../protocol/decimal';
// tsx compiles each use of an imported name to a getter call: the hot paths read each binding once, here.
const { decimalNumber } = decimal;

export type BookSide = 'bid' | 'ask';

export interface BookLevel {
  price: number;
  size: number;
}

/** A level as numbers, or as the wire's decimal strings. */
export interface WireLevel {
  price: number | string;
  size: number | string;
}

export interface TopOfBook {
  bestBid?: BookLevel;
  bestAsk?: BookLevel;
}

const SCALE = 10_000;
const toKey = (price: number): number => Math.round(price * SCALE);
/** A wire level's value as a number (a decimal string is read as Number reads it). */
const num = (v: number | string): number => (typeof v === 'number' ? v : decimalNumber(v));
/** applySnapshot's levels as numbers (module scratch: a book never keeps them). */
const scratchPrices: number[] = [];
const scratchSizes: number[] = [];
/** `levels` into the scratch arrays (filled from index 0: they stay packed); returns the count. */
function wireNumbers(levels: readonly WireLevel[]): number {
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i]!;
    scratchSizes[i] = num(l.size);
    scratchPrices[i] = num(l.price);
  }
  return levels.length;
}

export class OrderBook {
  readonly tokenId: string;
  private readonly maxLevels: number;
  /** Price keys best-first (bids descending, asks ascending) and the size at each, in parallel arrays. */
  private bidKeys: number[] = [];
  private bidSizes: number[] = [];
  private askKeys: number[] = [];
  private askSizes: number[] = [];
  epoch = 0;
  ready = false;
  tickSize: number;
  lastUpdateMs = 0;
  /** Moves on every change of levels, readiness or tick (views built from the book are cached by it). */
  version = 0;
  lastHash = '';
  droppedDeltas = 0;
  invalidations = 0;
  lastInvalidation = '';

  constructor(tokenId: string, opts: { maxLevels?: number; tickSize?: number } = {}) {
    this.tokenId = tokenId;
    this.maxLevels = opts.maxLevels ?? 200;
    this.tickSize = opts.tickSize ?? 0.01;
  }

  /** Alias of lastUpdateMs (venue time of the last applied snapshot/delta). */
  get updatedMs(): number {
    return this.lastUpdateMs;
  }

  /**
   * Replace the book with a snapshot (arrays in any order; a repeated price keeps its last positive size). Starts a new
   * epoch and marks the book ready. Levels may carry the wire's decimal strings (read as Number reads them).
   */
  applySnapshot(bids: readonly WireLevel[], asks: readonly WireLevel[], tsMs: number, hash = ''): void {
    this.setSide('bid', wireNumbers(bids), scratchPrices, scratchSizes);
    this.setSide('ask', wireNumbers(asks), scratchPrices, scratchSizes);
    this.snapshotApplied(tsMs, hash);
  }

  /**
   * applySnapshot with the levels as numbers: `bidPrices[i]`, `bidSizes[i]` for i < `bids`, the same for asks (the
   * market feed's text path reads a snapshot's numbers straight from the frame). Same result as applySnapshot given
   * those levels.
   */
  applySnapshotNumbers(bidPrices: ArrayLike<number>, bidSizes: ArrayLike<number>, bids: number, askPrices: ArrayLike<number>, askSizes: ArrayLike<number>, asks: number, tsMs: number, hash = ''): void {
    this.setSide('bid', bids, bidPrices, bidSizes);
    this.setSide('ask', asks, askPrices, askSizes);
    this.snapshotApplied(tsMs, hash);
  }

  private snapshotApplied(tsMs: number, hash: string): void {
    this.epoch++;
    this.version++;
    this.ready = true;
    this.lastUpdateMs = tsMs;
    this.lastHash = hash;
  }

  /**
   * One side from the snapshot's first `count` levels: sorted without a sort when they come in price order (as the
   * venue sends them). Written over the side's own arrays, which never leave the book (every reader copies out): once
   * they have grown to the book's depth a snapshot allocates nothing (a replay applies one per book frame; fresh arrays
   * were ~7 KB of garbage a frame on the real sample).
   */
  private setSide(side: BookSide, count: number, prices: ArrayLike<number>, levelSizes: ArrayLike<number>): void {
    const bestFirstDown = side === 'bid';
    const keys = bestFirstDown ? this.bidKeys : this.askKeys;
    const sizes = bestFirstDown ? this.bidSizes : this.askSizes;
    let n = 0;
    let up = true;
    let down = true;
    for (let i = 0; i < count; i++) {
      const size = levelSizes[i]!;
      if (!(size > 0)) continue;
      const k = toKey(prices[i]!);
      if (n > 0) {
        const prev = keys[n - 1]!;
        if (!(k > prev)) up = false;
        if (!(k < prev)) down = false;
      }
      keys[n] = k;
      sizes[n] = size;
      n++;
    }
    keys.length = n;
    sizes.length = n;
    const bestFirst = bestFirstDown ? down : up;
    if (!bestFirst && (bestFirstDown ? up : down)) {
      keys.reverse();
      sizes.reverse();
    } else if (!bestFirst) {
      // Any other order, or repeated prices: the last size of each price wins, then best first.
      const m = new Map<number, number>();
      for (let i = 0; i < n; i++) m.set(keys[i]!, sizes[i]!);
      const sorted = [...m.keys()].sort((a, b) => (bestFirstDown ? b - a : a - b));
      keys.length = sorted.length;
      sizes.length = sorted.length;
      for (let i = 0; i < sorted.length; i++) {
        keys[i] = sorted[i]!;
        sizes[i] = m.get(sorted[i]!)!;
      }
    }
    // Bounded: the levels farthest from the touch go first.
    if (keys.length > this.maxLevels) {
      keys.length = this.maxLevels;
      sizes.length = this.maxLevels;
    }
  }

  /** Do these levels (any order; size 0 ignored) equal the book's, within 1e-9 per size? */
  sameLevels(bids: readonly BookLevel[], asks: readonly BookLevel[]): boolean {
    const same = (side: BookSide, ls: readonly BookLevel[]) => {
      let n = 0;
      for (const l of ls) {
        if (l.size <= 0) continue;
        n++;
        const have = this.sizeOfKey(side, toKey(l.price));
        if (have === undefined || Math.abs(have - l.size) > 1e-9) return false;
      }
      return n === this.levelCount(side);
    };
    return same('bid', bids) && same('ask', asks);
  }

  /** Set the aggregate size at one level. Returns false (and counts) when the book is not ready. */
  applyDelta(side: BookSide, price: number, size: number, tsMs: number, hash = ''): boolean {
    if (!this.ready) {
      this.droppedDeltas++;
      return false;
    }
    const bid = side === 'bid';
    const keys = bid ? this.bidKeys : this.askKeys;
    const sizes = bid ? this.bidSizes : this.askSizes;
    const k = toKey(price);
    this.version++;
    const i = sortedIndex(keys, k, side);
    const found = i < keys.length && keys[i] === k;
    if (size <= 0) {
      if (found) {
        keys.splice(i, 1);
        sizes.splice(i, 1);
      }
    } else if (found) sizes[i] = size;
    else {
      keys.splice(i, 0, k);
      sizes.splice(i, 0, size);
      if (keys.length > this.maxLevels) {
        keys.length = this.maxLevels;
        sizes.length = this.maxLevels;
      }
    }
    if (tsMs > this.lastUpdateMs) this.lastUpdateMs = tsMs;
    if (hash) this.lastHash = hash;
    return true;
  }

  /** Drop everything and wait for a new snapshot. */
  invalidate(reason: string): void {
    this.bidKeys = [];
    this.bidSizes = [];
    this.askKeys = [];
    this.askSizes = [];
    this.ready = false;
    this.epoch++;
    this.version++;
    this.invalidations++;
    this.lastInvalidation = reason;
  }

  setTickSize(tick: number): void {
    if (tick !== this.tickSize) {
      this.version++;
      this.tickSize = tick;
      this.invalidate(`tick size -> ${tick}`);
    }
  }

  /** Size at a price key (undefined when the side has no such level). */
  private sizeOfKey(side: BookSide, k: number): number | undefined {
    const keys = side === 'bid' ? this.bidKeys : this.askKeys;
    const i = sortedIndex(keys, k, side);
    return i < keys.length && keys[i] === k ? (side === 'bid' ? this.bidSizes : this.askSizes)[i] : undefined;
  }

  top(): TopOfBook {
    const t: TopOfBook = {};
    if (this.bidKeys.length > 0) t.bestBid = { price: this.bidKeys[0]! / SCALE, size: this.bidSizes[0]! };
    if (this.askKeys.length > 0) t.bestAsk = { price: this.askKeys[0]! / SCALE, size: this.askSizes[0]! };
    return t;
  }

  bestBid(): number | undefined {
    return this.bidKeys.length > 0 ? this.bidKeys[0]! / SCALE : undefined;
  }

  bestAsk(): number | undefined {
    return this.askKeys.length > 0 ? this.askKeys[0]! / SCALE : undefined;
  }

  /** Size at the best price of one side (undefined when the side is empty). */
  bestSize(side: BookSide): number | undefined {
    const sizes = side === 'bid' ? this.bidSizes : this.askSizes;
    return sizes.length > 0 ? sizes[0] : undefined;
  }

  /** Crossed or locked book (best bid >= best ask): the local copy cannot be trusted. */
  isCrossed(): boolean {
    const b = this.bestBid();
    const a = this.bestAsk();
    return b !== undefined && a !== undefined && b >= a;
  }

  /** Visible size at one price (0 when absent). */
  sizeAt(side: BookSide, price: number): number {
    return this.sizeOfKey(side, toKey(price)) ?? 0;
  }

  /** Levels best first, up to `depth`. */
  levels(side: BookSide, depth = this.maxLevels): BookLevel[] {
    const keys = side === 'bid' ? this.bidKeys : this.askKeys;
    const sizes = side === 'bid' ? this.bidSizes : this.askSizes;
    const n = Math.min(depth, keys.length);
    const out: BookLevel[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = { price: keys[i]! / SCALE, size: sizes[i]! };
    return out;
  }

  /**
   * `levels(side, depth)`, reusing `prev` (an earlier result): the same array when every level is unchanged, else a new
   * array that keeps each unchanged level object of `prev` at the same position. Views built on every book change
   * then allocate only what moved. Level objects are never mutated (callers must not either).
   */
  levelsReusing(side: BookSide, depth: number, prev: readonly BookLevel[] | undefined): readonly BookLevel[] {
    const keys = side === 'bid' ? this.bidKeys : this.askKeys;
    const sizes = side === 'bid' ? this.bidSizes : this.askSizes;
    const n = Math.min(depth, keys.length);
    if (prev && prev.length === n) {
      let i = 0;
      while (i < n && prev[i]!.price === keys[i]! / SCALE && prev[i]!.size === sizes[i]) i++;
      if (i === n) return prev;
    }
    const out: BookLevel[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const price = keys[i]! / SCALE;
      const size = sizes[i]!;
      const p = prev?.[i];
      out[i] = p && p.price === price && p.size === size ? p : { price, size };
    }
    return out;
  }

  levelCount(side: BookSide): number {
    return (side === 'bid' ? this.bidKeys : this.askKeys).length;
  }

  mid(): number | undefined {
    const b = this.bestBid();
    const a = this.bestAsk();
    return b !== undefined && a !== undefined ? (a + b) / 2 : undefined;
  }
}

/** First index in best-first `keys` whose key is not better than `k` (where `k` is, or would go). */
function sortedIndex(keys: readonly number[], k: number, side: BookSide): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (side === 'bid' ? keys[mid]! > k : keys[mid]! < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Who follows market data (the paper venue's fill model, the market-data source's consumers). */
export interface MarketDataListener {
  onBook?(tokenId: string, book: OrderBook): void;
  onTrade?(tokenId: string, price: number, size: number, takerSide: 'BUY' | 'SELL', tsMs: number): void;
  onResolved?(conditionId: string, winningTokenId: string): void;
}
