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
 * - Each side's price keys are kept sorted best-first in a cache that is rebuilt only when the set of prices
 *   changes (a size change at an existing level keeps it), so reading the top levels of a deep book is cheap.
 */
export type BookSide = 'bid' | 'ask';

export interface BookLevel {
  price: number;
  size: number;
}

export interface TopOfBook {
  bestBid?: BookLevel;
  bestAsk?: BookLevel;
}

const SCALE = 10_000;
const toKey = (price: number): number => Math.round(price * SCALE);

export class OrderBook {
  readonly tokenId: string;
  private readonly maxLevels: number;
  private bids = new Map<number, number>();
  private asks = new Map<number, number>();
  /** Price keys best-first per side; undefined = rebuild on next read. */
  private sortedBids: number[] | undefined;
  private sortedAsks: number[] | undefined;
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

  /** Replace the book with a snapshot (arrays in any order). Starts a new epoch and marks the book ready. */
  applySnapshot(bids: readonly BookLevel[], asks: readonly BookLevel[], tsMs: number, hash = ''): void {
    this.bids = new Map();
    this.asks = new Map();
    for (const l of bids) if (l.size > 0) this.bids.set(toKey(l.price), l.size);
    for (const l of asks) if (l.size > 0) this.asks.set(toKey(l.price), l.size);
    this.trim(this.bids, 'bid');
    this.trim(this.asks, 'ask');
    this.epoch++;
    this.version++;
    this.ready = true;
    this.keysChanged();
    this.lastUpdateMs = tsMs;
    this.lastHash = hash;
  }

  /** Do these levels (any order; size 0 ignored) equal the book's, within 1e-9 per size? */
  sameLevels(bids: readonly BookLevel[], asks: readonly BookLevel[]): boolean {
    const same = (m: Map<number, number>, ls: readonly BookLevel[]) => {
      let n = 0;
      for (const l of ls) {
        if (l.size <= 0) continue;
        n++;
        const have = m.get(toKey(l.price));
        if (have === undefined || Math.abs(have - l.size) > 1e-9) return false;
      }
      return n === m.size;
    };
    return same(this.bids, bids) && same(this.asks, asks);
  }

  /** Set the aggregate size at one level. Returns false (and counts) when the book is not ready. */
  applyDelta(side: BookSide, price: number, size: number, tsMs: number, hash = ''): boolean {
    if (!this.ready) {
      this.droppedDeltas++;
      return false;
    }
    const m = side === 'bid' ? this.bids : this.asks;
    const k = toKey(price);
    this.version++;
    if (size <= 0) {
      if (m.delete(k)) this.keysChanged(side);
    } else {
      const isNew = !m.has(k);
      m.set(k, size);
      if (isNew) this.keysChanged(side);
      if (m.size > this.maxLevels) this.trim(m, side);
    }
    if (tsMs > this.lastUpdateMs) this.lastUpdateMs = tsMs;
    if (hash) this.lastHash = hash;
    return true;
  }

  /** Drop everything and wait for a new snapshot. */
  invalidate(reason: string): void {
    this.bids = new Map();
    this.asks = new Map();
    this.ready = false;
    this.keysChanged();
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

  private keysChanged(side?: BookSide): void {
    if (side !== 'ask') this.sortedBids = undefined;
    if (side !== 'bid') this.sortedAsks = undefined;
  }

  /** Price keys of one side, best first (cached until the set of prices changes). */
  private keys(side: BookSide): number[] {
    if (side === 'bid') return (this.sortedBids ??= [...this.bids.keys()].sort((a, b) => b - a));
    return (this.sortedAsks ??= [...this.asks.keys()].sort((a, b) => a - b));
  }

  top(): TopOfBook {
    const bb = this.keys('bid')[0];
    const ba = this.keys('ask')[0];
    const t: TopOfBook = {};
    if (bb !== undefined) t.bestBid = { price: bb / SCALE, size: this.bids.get(bb)! };
    if (ba !== undefined) t.bestAsk = { price: ba / SCALE, size: this.asks.get(ba)! };
    return t;
  }

  bestBid(): number | undefined {
    const k = this.keys('bid')[0];
    return k === undefined ? undefined : k / SCALE;
  }

  bestAsk(): number | undefined {
    const k = this.keys('ask')[0];
    return k === undefined ? undefined : k / SCALE;
  }

  /** Crossed or locked book (best bid >= best ask): the local copy cannot be trusted. */
  isCrossed(): boolean {
    const b = this.bestBid();
    const a = this.bestAsk();
    return b !== undefined && a !== undefined && b >= a;
  }

  /** Visible size at one price (0 when absent). */
  sizeAt(side: BookSide, price: number): number {
    return (side === 'bid' ? this.bids : this.asks).get(toKey(price)) ?? 0;
  }

  /** Levels best first, up to `depth`. */
  levels(side: BookSide, depth = this.maxLevels): BookLevel[] {
    const m = side === 'bid' ? this.bids : this.asks;
    const keys = this.keys(side);
    const n = Math.min(depth, keys.length);
    const out: BookLevel[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = { price: keys[i]! / SCALE, size: m.get(keys[i]!)! };
    return out;
  }

  levelCount(side: BookSide): number {
    return (side === 'bid' ? this.bids : this.asks).size;
  }

  mid(): number | undefined {
    const b = this.bestBid();
    const a = this.bestAsk();
    return b !== undefined && a !== undefined ? (a + b) / 2 : undefined;
  }

  private trim(m: Map<number, number>, side: BookSide): void {
    if (m.size <= this.maxLevels) return;
    const keys = [...m.keys()].sort((a, b) => (side === 'bid' ? b - a : a - b));
    for (const k of keys.slice(this.maxLevels)) m.delete(k);
    this.keysChanged(side);
  }
}

/** Who follows market data (the paper venue's fill model, the market-data source's consumers). */
export interface MarketDataListener {
  onBook?(tokenId: string, book: OrderBook): void;
  onTrade?(tokenId: string, price: number, size: number, takerSide: 'BUY' | 'SELL', tsMs: number): void;
  onResolved?(conditionId: string, winningTokenId: string): void;
}
