/**
 * One asset's price model: a seeded random walk for spot (with occasional jumps), a Chainlink-like reference that
 * reports about once a second and lags spot by about a second, and the 60-second TWAP of that reference.
 *
 * Invariants:
 * - All timing goes through the injected Clock; all randomness through the Prng: same seed -> same path.
 * - Self-driven (default: own timers, own warm-up) or driven by a PriceWorld (`external`), which supplies each
 *   step's diffusion shock (correlated across assets) while jumps still come from this model's own Prng; the draws
 *   on this Prng are the same in both modes (shock, then jump), so one asset's path is the same either way.
 * - Every history is a bounded ring; the TWAP at t is the mean of reference reports in (t - 60 s, t].
 * - A synthetic past of `warmupSec` is generated at construction (same seed -> same past), so windows that began
 *   before the simulator started settle against a real TWAP at their start.
 * - `twapAtBoundary(sec)` is recorded for every whole second, so window start/end prices are exact and a window's
 *   price to beat equals the previous window's final price.
 */
import type { Clock, CancelTimer } from '../clock';
import { RingBuffer } from '../bus/ring-buffer';
import type { Prng } from '../util/prng';
import { everyAligned } from './schedule';

export interface PriceModelOptions {
  startPrice: number;
  /** Annualised volatility of log returns (0.5 = 50 %). */
  annualVol: number;
  jumpsPerHour: number;
  /** Std dev of a jump's log return. */
  jumpSigma: number;
  spotStepMs: number;
  referenceLagMs: number;
  referencePeriodMs: number;
  twapWindowSec: number;
  /**
   * Seconds of synthetic past generated at construction, so that windows already running when the simulator
   * starts have a real TWAP at their start (not a flat start price). 960 s covers a 15-minute window.
   */
  warmupSec: number;
  /** Decimal places of spot and reference prices (default 2: cents). */
  decimals?: number;
}

export const DEFAULT_PRICE_OPTIONS: PriceModelOptions = {
  startPrice: 62_400,
  annualVol: 0.5,
  jumpsPerHour: 0.5,
  jumpSigma: 0.003,
  spotStepMs: 250,
  referenceLagMs: 1000,
  referencePeriodMs: 1000,
  twapWindowSec: 60,
  warmupSec: 960,
};

export interface PricePoint {
  tMs: number;
  value: number;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

/** First spot step and first reference report of the synthetic past that ends at nowMs (warm-up grid). */
export function warmupGrid(opts: PriceModelOptions, nowMs: number): { seedAtMs: number; firstSpotMs: number; firstReportMs: number } {
  const warmupMs = Math.max(0, opts.warmupSec) * 1000;
  const seedAtMs = Math.floor((nowMs - warmupMs) / 1000) * 1000;
  const first = (step: number) => Math.floor(seedAtMs / step) * step + step;
  return { seedAtMs, firstSpotMs: warmupMs > 0 ? first(opts.spotStepMs) : Infinity, firstReportMs: warmupMs > 0 ? first(opts.referencePeriodMs) : Infinity };
}

export class PriceModel {
  readonly spotHistory = new RingBuffer<PricePoint>(4096);
  readonly referenceHistory = new RingBuffer<PricePoint>(600);
  readonly twapHistory = new RingBuffer<PricePoint>(600);
  private readonly boundaryTwap = new Map<number, number>();
  private spot: number;
  private readonly stepSigma: number;
  private readonly jumpProb: number;
  private readonly cancels: CancelTimer[] = [];
  private readonly spotListeners: ((p: PricePoint) => void)[] = [];
  private readonly refListeners: ((ref: PricePoint, twap: PricePoint) => void)[] = [];
  private readonly scale: number;

  /**
   * `external`: a PriceWorld drives the steps and the warm-up (stepWith / reportAt); start() then sets no timers.
   * `asset`: the code this model prices (`btc`).
   */
  constructor(
    private readonly clock: Clock,
    private readonly prng: Prng,
    readonly opts: PriceModelOptions,
    readonly external = false,
    readonly asset = 'btc',
  ) {
    this.spot = opts.startPrice;
    this.stepSigma = opts.annualVol * Math.sqrt(opts.spotStepMs / YEAR_MS);
    this.jumpProb = (opts.jumpsPerHour * opts.spotStepMs) / 3_600_000;
    this.scale = 10 ** (opts.decimals ?? 2);
    const now = clock.nowMs();
    const { seedAtMs: seedAt, firstSpotMs, firstReportMs } = warmupGrid(opts, now);
    // Seed flat histories before the warm-up so the reference and TWAP exist from the first instant.
    for (let i = opts.twapWindowSec + 5; i >= 0; i--) {
      const t = seedAt - i * 1000;
      this.spotHistory.push({ tMs: t, value: this.spot });
      this.referenceHistory.push({ tMs: t, value: this.spot });
      this.twapHistory.push({ tMs: t, value: this.spot });
      this.boundaryTwap.set(t / 1000, this.spot);
    }
    // Walk the synthetic past up to now, on the same aligned grid the live timers continue from.
    if (!external) {
      for (let t = firstSpotMs; t <= now; t += opts.spotStepMs) this.stepSpot(t);
      for (let t = firstReportMs; t <= now; t += opts.referencePeriodMs) this.reportAt(t);
    }
  }

  start(): void {
    if (this.external) return;
    this.cancels.push(everyAligned(this.clock, this.opts.spotStepMs, 0, 'sim.a.spot', (t) => this.stepSpot(t)));
    this.cancels.push(everyAligned(this.clock, this.opts.referencePeriodMs, 0, 'sim.b.reference', (t) => this.reportAt(t)));
  }

  stop(): void {
    for (const c of this.cancels.splice(0)) c();
  }

  onSpot(fn: (p: PricePoint) => void): void {
    this.spotListeners.push(fn);
  }

  onReference(fn: (ref: PricePoint, twap: PricePoint) => void): void {
    this.refListeners.push(fn);
  }

  spotNow(): number {
    return this.spot;
  }

  referenceNow(): PricePoint {
    return this.referenceHistory.newest()!;
  }

  twapNow(): PricePoint {
    return this.twapHistory.newest()!;
  }

  /** TWAP recorded at a whole second (window boundaries); undefined if not recorded or evicted. */
  twapAtSecond(sec: number): number | undefined {
    return this.boundaryTwap.get(sec);
  }

  /** Spot in effect at tMs (the last step at or before it; the oldest known before the history). */
  spotAt(tMs: number): number {
    const h = this.spotHistory;
    for (let i = h.size - 1; i >= 0; i--) {
      const p = h.at(i)!;
      if (p.tMs <= tMs) return p.value;
    }
    return h.oldest()?.value ?? this.spot;
  }

  /**
   * The 1h-candle open of a window starting at startMs: the spot step at the start (the candle's first trade); the
   * current spot when the start is older than the spot history (a window already running when the simulator began).
   */
  candleOpen(startMs: number): number {
    const oldest = this.spotHistory.oldest();
    return oldest && oldest.tMs <= startMs ? this.spotAt(startMs) : this.spot;
  }

  /** The candle close of a window ending at endMs: the last spot step before the end. */
  candleClose(endMs: number): number {
    return this.spotAt(endMs - 1);
  }

  /** Reference reports in (fromMs, toMs]. */
  referenceBetween(fromMs: number, toMs: number): PricePoint[] {
    return this.referenceHistory.toArray().filter((p) => p.tMs > fromMs && p.tMs <= toMs);
  }

  /** Annualised-vol-implied std dev of the price over dtSec (USD). */
  sigmaUsdPerSqrtSec(): number {
    return this.spot * this.opts.annualVol * Math.sqrt(1000 / YEAR_MS);
  }

  private stepSpot(tMs: number): void {
    this.stepWith(tMs, this.prng.normal());
  }

  /** One spot step with the given standard-normal diffusion shock (the jump is drawn here, from this model's Prng). */
  stepWith(tMs: number, shock: number): void {
    let dlog = this.stepSigma * shock;
    if (this.prng.chance(this.jumpProb)) dlog += this.opts.jumpSigma * this.prng.normal();
    this.spot = Math.round(this.spot * Math.exp(dlog) * this.scale) / this.scale;
    const p = { tMs, value: this.spot };
    this.spotHistory.push(p);
    for (const l of this.spotListeners) l(p);
  }

  /** One reference report (and TWAP) at tMs. */
  reportAt(tMs: number): void {
    const value = Math.round(this.spotAt(tMs - this.opts.referenceLagMs) * this.scale) / this.scale;
    const ref = { tMs, value };
    this.referenceHistory.push(ref);
    const from = tMs - this.opts.twapWindowSec * 1000;
    let sum = 0;
    let n = 0;
    const h = this.referenceHistory;
    for (let i = h.size - 1; i >= 0; i--) {
      const p = h.at(i)!;
      if (p.tMs <= from) break;
      sum += p.value;
      n++;
    }
    const twap = { tMs, value: Math.round((sum / n) * 1e8) / 1e8 };
    this.twapHistory.push(twap);
    if (tMs % 1000 === 0) {
      this.boundaryTwap.set(tMs / 1000, twap.value);
      if (this.boundaryTwap.size > 7200) {
        const first = this.boundaryTwap.keys().next().value;
        if (first !== undefined) this.boundaryTwap.delete(first);
      }
    }
    for (const l of this.refListeners) l(ref, twap);
  }
}
