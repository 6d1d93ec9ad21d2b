/**
 * Reference price store: bounded histories of the Chainlink reference (live, 1 s buckets), the PolyBolt TWAP-60
 * series, and the latest spot price. Backs the strategies' ReferenceView and the price-to-beat capture.
 *
 * Invariants: each history keeps at most `maxSamples` points, ordered by timestamp (out-of-order points older
 * than the newest are dropped, counted); one point per second (the last one in a second wins). Older points are
 * trimmed in batches (at twice the bound), never seen by a read: every read answers as if trimmed on every point.
 */
export interface PriceSample {
  tsMs: number;
  price: number;
}

class SecondSeries {
  /** The samples, oldest first; only the last `max` count (older ones are trimmed in batches: see add). */
  private readonly buf: PriceSample[] = [];
  dropped = 0;
  /** Bumped on every change (views built from the series are reused until it moves). */
  version = 0;
  constructor(private readonly max: number) {}
  add(tsMs: number, price: number): void {
    const last = this.buf[this.buf.length - 1];
    if (last && tsMs < last.tsMs) {
      this.dropped++;
      return;
    }
    this.version++;
    if (last && Math.floor(last.tsMs / 1000) === Math.floor(tsMs / 1000)) this.buf[this.buf.length - 1] = { tsMs, price };
    else this.buf.push({ tsMs, price });
    // Trimmed once it holds twice the bound, not by one on every sample (which moved the whole series once a second).
    if (this.buf.length > 2 * this.max) this.buf.splice(0, this.buf.length - this.max);
  }
  /** Index of the oldest sample still counted. */
  private get first(): number {
    return Math.max(0, this.buf.length - this.max);
  }
  latest(): PriceSample | undefined {
    return this.buf[this.buf.length - 1];
  }
  /** Every sample kept (at most `max`), oldest first. */
  all(): readonly PriceSample[] {
    return this.tail(this.max);
  }
  /** The last `n` samples kept (at most `max`), oldest first: the series itself, not a copy, when it has no more. */
  tail(n: number): readonly PriceSample[] {
    const k = Math.min(n, this.max);
    return this.buf.length > k ? this.buf.slice(this.buf.length - k) : this.buf;
  }
  /** The last sample at or before tsMs (within maxAgeMs). */
  atOrBefore(tsMs: number, maxAgeMs: number): PriceSample | undefined {
    for (let i = this.buf.length - 1; i >= this.first; i--) {
      const s = this.buf[i]!;
      if (s.tsMs <= tsMs) return tsMs - s.tsMs <= maxAgeMs ? s : undefined;
    }
    return undefined;
  }
  mean(fromMs: number, toMs: number): number | undefined {
    let n = 0;
    let sum = 0;
    for (let i = this.first; i < this.buf.length; i++) {
      const s = this.buf[i]!;
      if (s.tsMs > fromMs && s.tsMs <= toMs) {
        n++;
        sum += s.price;
      }
    }
    return n ? sum / n : undefined;
  }
}

export class ReferenceStore {
  readonly live: SecondSeries;
  readonly twap: SecondSeries;
  spot: PriceSample | undefined;
  /** Our clock when a reference point (live or TWAP) last arrived: this asset's own freshness. */
  lastRecvMs: number | undefined;

  constructor(maxSamples = 900) {
    this.live = new SecondSeries(maxSamples);
    this.twap = new SecondSeries(maxSamples);
  }

  addLive(tsMs: number, price: number, recvMs?: number): void {
    this.live.add(tsMs, price);
    if (recvMs !== undefined) this.lastRecvMs = recvMs;
  }
  addTwap(tsMs: number, price: number, recvMs?: number): void {
    this.twap.add(tsMs, price);
    if (recvMs !== undefined) this.lastRecvMs = recvMs;
  }
  /** True when no reference point arrived within staleMs of nowMs (or none ever did). */
  isStale(nowMs: number, staleMs: number): boolean {
    return this.lastRecvMs === undefined || nowMs - this.lastRecvMs > staleMs;
  }
  setSpot(tsMs: number, price: number): void {
    this.spot = { tsMs, price };
  }

  /**
   * TWAP-60 at an instant: the TWAP series' sample stamped at or just before tsMs (<= 1.5 s old); without a
   * TWAP series, the mean of the live reference over (tsMs − 60 s, tsMs] (legacy RTDS fallback).
   */
  twapAt(tsMs: number): { price: number; source: 'twap' | 'live-mean' } | undefined {
    const s = this.twap.atOrBefore(tsMs, 1500);
    if (s) return { price: s.price, source: 'twap' };
    if (this.twap.latest()) return undefined;
    const m = this.live.mean(tsMs - 60_000, tsMs);
    return m === undefined ? undefined : { price: m, source: 'live-mean' };
  }
}

export { SecondSeries };
