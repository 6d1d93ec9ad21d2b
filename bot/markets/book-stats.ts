/**
 * Book-shape statistics of order-book snapshots, the yardstick that compares the simulator's books with real
 * Polymarket ones (issue #8): spread in ticks, share of one-tick spreads, touch notional, bid depth within 5 cents of
 * the best bid, level count, and which tick size was seen at which mid.
 *
 * Definitions (one snapshot; levels may come unsorted, as numbers or as the wire's decimal strings):
 * - best bid = highest bid price, best ask = lowest ask price (array order is never trusted); levels of size <= 0
 *   are ignored; mid = (best bid + best ask) / 2; a snapshot without both sides has no mid and is not measured.
 * - tick = the snapshot's `tickSize` when given, else 0.001 if any price is off the cent grid, else 0.01.
 * - spread in ticks = round((best ask - best bid) / tick).
 * - touch notional (USD) = best bid x its size + best ask x its size.
 * - bid depth within 5 c (USD) = sum of price x size over bid levels priced >= best bid - 0.05.
 * - levels = number of bid levels + number of ask levels.
 * The summary statistics use only snapshots whose mid is in [0.1, 0.9]; the tick-vs-mid record uses all of them.
 * Percentiles interpolate linearly between order statistics (numpy's default).
 *
 * Invariants: pure functions; the accumulator keeps at most `maxSamples` measured snapshots (the rest are counted
 * in `dropped`), so a stream of any length is bounded.
 */

export type Num = number | string;

export interface LevelIn {
  price: Num;
  size: Num;
}

export interface SnapshotIn {
  bids: readonly LevelIn[];
  asks: readonly LevelIn[];
  /** The venue's `tick_size` when known ("0.01" / "0.001"). */
  tickSize?: Num;
}

export interface SnapshotMeasure {
  bestBid: number;
  bestAsk: number;
  mid: number;
  tick: number;
  spreadTicks: number;
  touchUsd: number;
  bidDepth5cUsd: number;
  levels: number;
}

export interface TickSeen {
  /** Mid range over which the 0.01 tick was seen (undefined if never). */
  coarseMidMin?: number;
  coarseMidMax?: number;
  /** The 0.001-tick snapshot whose mid was closest to 0.5 (undefined if never seen). */
  fineInnermostMid?: number;
  fineCount: number;
}

export interface BookStats {
  /** Snapshots offered (with or without a mid). */
  snapshots: number;
  /** Snapshots measured (mid in [0.1, 0.9]). */
  measured: number;
  oneTickShare: number;
  spreadTicksP50: number;
  spreadTicksP90: number;
  touchUsdP50: number;
  touchUsdP90: number;
  bidDepth5cUsdP50: number;
  levelsP50: number;
  tick: TickSeen;
  dropped: number;
}

export const MID_MIN = 0.1;
export const MID_MAX = 0.9;
export const DEPTH_WINDOW = 0.05;
const EPS = 1e-9;

const num = (v: Num): number => (typeof v === 'number' ? v : Number(v));

function inferTick(levels: readonly { price: number }[]): number {
  for (const l of levels) if (Math.abs(l.price * 100 - Math.round(l.price * 100)) > 1e-6) return 0.001;
  return 0.01;
}

/** Measure one snapshot; undefined when a side is empty. */
export function measureSnapshot(s: SnapshotIn): SnapshotMeasure | undefined {
  const bids = s.bids.map((l) => ({ price: num(l.price), size: num(l.size) })).filter((l) => l.size > 0 && Number.isFinite(l.price));
  const asks = s.asks.map((l) => ({ price: num(l.price), size: num(l.size) })).filter((l) => l.size > 0 && Number.isFinite(l.price));
  if (bids.length === 0 || asks.length === 0) return undefined;
  let bb = bids[0]!;
  for (const l of bids) if (l.price > bb.price) bb = l;
  let ba = asks[0]!;
  for (const l of asks) if (l.price < ba.price) ba = l;
  const tick = s.tickSize !== undefined && Number(s.tickSize) > 0 ? num(s.tickSize) : inferTick([...bids, ...asks]);
  let depth = 0;
  for (const l of bids) if (l.price >= bb.price - DEPTH_WINDOW - EPS) depth += l.price * l.size;
  return {
    bestBid: bb.price,
    bestAsk: ba.price,
    mid: (bb.price + ba.price) / 2,
    tick,
    spreadTicks: Math.round((ba.price - bb.price) / tick),
    touchUsd: bb.price * bb.size + ba.price * ba.size,
    bidDepth5cUsd: depth,
    levels: bids.length + asks.length,
  };
}

/** Linear-interpolation percentile of an ascending array (q in [0, 1]); NaN when empty. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export const inMidBand = (mid: number): boolean => mid >= MID_MIN - EPS && mid <= MID_MAX + EPS;

/** Streaming accumulator: add snapshots one by one, read `stats()` at any time. */
export class BookStatsAccumulator {
  private readonly spreads: number[] = [];
  private readonly touch: number[] = [];
  private readonly depth: number[] = [];
  private readonly levels: number[] = [];
  private snapshots = 0;
  private dropped = 0;
  private readonly tick: TickSeen = { fineCount: 0 };

  constructor(private readonly maxSamples = 1_000_000) {}

  add(s: SnapshotIn): SnapshotMeasure | undefined {
    this.snapshots++;
    const m = measureSnapshot(s);
    if (!m) return undefined;
    this.noteTick(m);
    if (!inMidBand(m.mid)) return m;
    if (this.spreads.length >= this.maxSamples) {
      this.dropped++;
      return m;
    }
    this.spreads.push(m.spreadTicks);
    this.touch.push(m.touchUsd);
    this.depth.push(m.bidDepth5cUsd);
    this.levels.push(m.levels);
    return m;
  }

  stats(): BookStats {
    const asc = (a: number[]) => [...a].sort((x, y) => x - y);
    const spreads = asc(this.spreads);
    const touch = asc(this.touch);
    return {
      snapshots: this.snapshots,
      measured: spreads.length,
      oneTickShare: spreads.length === 0 ? NaN : spreads.filter((x) => x === 1).length / spreads.length,
      spreadTicksP50: percentile(spreads, 0.5),
      spreadTicksP90: percentile(spreads, 0.9),
      touchUsdP50: percentile(touch, 0.5),
      touchUsdP90: percentile(touch, 0.9),
      bidDepth5cUsdP50: percentile(asc(this.depth), 0.5),
      levelsP50: percentile(asc(this.levels), 0.5),
      tick: { ...this.tick },
      dropped: this.dropped,
    };
  }

  private noteTick(m: SnapshotMeasure): void {
    const t = this.tick;
    if (m.tick < 0.01 - EPS) {
      t.fineCount++;
      if (t.fineInnermostMid === undefined || Math.abs(m.mid - 0.5) < Math.abs(t.fineInnermostMid - 0.5)) t.fineInnermostMid = m.mid;
    } else {
      t.coarseMidMin = Math.min(t.coarseMidMin ?? m.mid, m.mid);
      t.coarseMidMax = Math.max(t.coarseMidMax ?? m.mid, m.mid);
    }
  }
}

/** Statistics of a whole stream of snapshots. */
export function bookStats(snapshots: Iterable<SnapshotIn>, maxSamples?: number): BookStats {
  const acc = new BookStatsAccumulator(maxSamples);
  for (const s of snapshots) acc.add(s);
  return acc.stats();
}

/** One-line human summary (for test logs and reports). */
export function formatBookStats(label: string, s: BookStats): string {
  const r = (x: number | undefined, d = 0) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));
  return (
    `${label}: n=${s.measured}/${s.snapshots} one-tick=${r(s.oneTickShare * 100, 1)}% spread p50/p90=${r(s.spreadTicksP50, 1)}/${r(s.spreadTicksP90, 1)} ticks ` +
    `touch p50/p90=$${r(s.touchUsdP50)}/$${r(s.touchUsdP90)} bid-depth-5c p50=$${r(s.bidDepth5cUsdP50)} levels p50=${r(s.levelsP50)} ` +
    `tick 0.01 at mid ${r(s.tick.coarseMidMin, 3)}..${r(s.tick.coarseMidMax, 3)}, 0.001 innermost mid ${r(s.tick.fineInnermostMid, 3)} (${s.tick.fineCount})`
  );
}
