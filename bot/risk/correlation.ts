/**
 * Correlation estimator: pairwise correlation of the assets' reference prices, for the correlation-aware cap on
 * aggregate directional exposure (bot/risk/directional-exposure.ts).
 *
 * Sampling: each asset is sampled on a fixed grid (every `sampleSec`, at epoch multiples of it) with the last price at
 * or before the grid point; a grid point more than MAX_CARRY_SAMPLES sample periods after the asset's last price is a
 * gap (no sample), so a silent feed does not produce a run of zero returns. Consecutive samples give log returns,
 * keyed by grid index, in one bounded ring per asset.
 *
 * Estimate: the Pearson correlation of the paired returns (same grid index in both assets) of the last `windowSec`
 * (a rolling window ending at the injected clock's now). Fewer than `minSamples` paired returns, or a series without
 * variance, gives the configured prior (e.g. 0.8 for crypto pairs) with `isPrior: true`: an unknown correlation must
 * never loosen the cap, so the prior is high, not 0.
 * Known bias: last-price sampling of feeds that tick at different instants understates the correlation by about
 * (tick lag / sampleSec) (the Epps effect; 1 s ticks on a 10 s grid: at most ~10 %). A longer sampleSec shrinks it.
 *
 * Invariants: deterministic (time only from the observations and the injected Clock); observations older than the
 * asset's last one are dropped (counted); at most MAX_ASSETS assets and MAX_RETURNS returns per asset are kept;
 * changing `sampleSec` starts over (the grid changed); estimates are clamped into [-1, 1].
 */
import type { RiskConfig } from '../../lib/schemas/config';
import type { Clock } from '../clock';

export interface CorrelationSettings {
  /** Rolling window of returns used for an estimate (s). */
  windowSec: number;
  /** Grid spacing of the samples (s). */
  sampleSec: number;
  /** Correlation used while fewer than minSamples paired returns exist. */
  prior: number;
  /** Paired returns needed before the estimate replaces the prior. */
  minSamples: number;
}

export interface PairCorrelation {
  rho: number;
  /** Paired returns in the window. */
  samples: number;
  /** True when rho is the configured prior (too few samples, or no variance). */
  isPrior: boolean;
}

/** Row/column order is `assets`; the diagonal is 1 with the asset's own return count. */
export interface CorrelationMatrix {
  assets: string[];
  rho: number[][];
  samples: number[][];
  isPrior: boolean[][];
}

/** The estimator's settings from the (hot) risk config. */
export function correlationSettingsOf(risk: RiskConfig): CorrelationSettings {
  return { windowSec: risk.correlationWindowSec, sampleSec: risk.correlationSampleSec, prior: risk.correlationPrior, minSamples: risk.correlationMinSamples };
}

interface AssetTrack {
  lastTsMs: number;
  lastPrice: number;
  /** First grid index not yet sampled. */
  nextGrid: number;
  lastSample: { grid: number; price: number } | undefined;
  /** Ring of returns, ascending grid index. */
  grids: number[];
  returns: number[];
}

const MAX_ASSETS = 32;
const MAX_RETURNS = 20_000;
const MAX_CARRY_SAMPLES = 3;

export class CorrelationEstimator {
  private readonly tracks = new Map<string, AssetTrack>();
  private sampleMs: number | undefined;
  readonly stats = { observed: 0, outOfOrder: 0, invalid: 0, droppedAssets: 0, gaps: 0 };

  constructor(private readonly o: { clock: Clock; settings: () => CorrelationSettings }) {}

  /** Feed one reference price (tsMs: when the price was true, epoch ms). */
  observe(asset: string, tsMs: number, price: number): void {
    if (!(Number.isFinite(price) && price > 0 && Number.isFinite(tsMs))) {
      this.stats.invalid++;
      return;
    }
    const sampleMs = this.currentSampleMs();
    let t = this.tracks.get(asset);
    if (!t) {
      if (this.tracks.size >= MAX_ASSETS) {
        this.stats.droppedAssets++;
        return;
      }
      t = { lastTsMs: tsMs, lastPrice: price, nextGrid: Math.ceil(tsMs / sampleMs), lastSample: undefined, grids: [], returns: [] };
      this.tracks.set(asset, t);
      this.stats.observed++;
      return;
    }
    if (tsMs < t.lastTsMs) {
      this.stats.outOfOrder++;
      return;
    }
    this.stats.observed++;
    if (tsMs > t.lastTsMs) this.finalizeBefore(t, tsMs, sampleMs);
    t.lastTsMs = tsMs;
    t.lastPrice = price;
  }

  /** Assets seen so far, sorted. */
  assets(): string[] {
    return [...this.tracks.keys()].sort();
  }

  pair(a: string, b: string): PairCorrelation {
    const s = this.o.settings();
    if (a === b) return { rho: 1, samples: this.ownCount(a), isPrior: false };
    const ta = this.tracks.get(a);
    const tb = this.tracks.get(b);
    const prior = { rho: clamp(s.prior, -1, 1), isPrior: true };
    if (!ta || !tb) return { ...prior, samples: 0 };
    const fromGrid = this.windowStartGrid();
    let i = lowerBound(ta.grids, fromGrid);
    let j = lowerBound(tb.grids, fromGrid);
    let n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    while (i < ta.grids.length && j < tb.grids.length) {
      const ga = ta.grids[i]!;
      const gb = tb.grids[j]!;
      if (ga < gb) i++;
      else if (gb < ga) j++;
      else {
        const x = ta.returns[i]!;
        const y = tb.returns[j]!;
        n++; sx += x; sy += y; sxx += x * x; syy += y * y; sxy += x * y;
        i++; j++;
      }
    }
    if (n < Math.max(2, s.minSamples)) return { ...prior, samples: n };
    const cov = sxy - (sx * sy) / n;
    const vx = sxx - (sx * sx) / n;
    const vy = syy - (sy * sy) / n;
    if (!(vx > 0 && vy > 0)) return { ...prior, samples: n };
    return { rho: clamp(cov / Math.sqrt(vx * vy), -1, 1), samples: n, isPrior: false };
  }

  matrix(assets: readonly string[]): CorrelationMatrix {
    const list = [...assets];
    const rho: number[][] = [];
    const samples: number[][] = [];
    const isPrior: boolean[][] = [];
    for (let i = 0; i < list.length; i++) {
      rho.push([]);
      samples.push([]);
      isPrior.push([]);
      for (let j = 0; j < list.length; j++) {
        const p = j < i ? { rho: rho[j]![i]!, samples: samples[j]![i]!, isPrior: isPrior[j]![i]! } : this.pair(list[i]!, list[j]!);
        rho[i]!.push(p.rho);
        samples[i]!.push(p.samples);
        isPrior[i]!.push(p.isPrior);
      }
    }
    return { assets: list, rho, samples, isPrior };
  }

  /** Forget every observation (e.g. a new session). */
  reset(): void {
    this.tracks.clear();
  }

  private currentSampleMs(): number {
    const ms = Math.max(1, Math.round(this.o.settings().sampleSec * 1000));
    if (this.sampleMs !== ms) {
      // The grid changed: returns on the old grid cannot be paired with new ones.
      this.sampleMs = ms;
      this.tracks.clear();
    }
    return ms;
  }

  /** Sample every grid point strictly before tsMs that the previous price covers. */
  private finalizeBefore(t: AssetTrack, tsMs: number, sampleMs: number): void {
    const lastBefore = Math.ceil(tsMs / sampleMs) - 1;
    const carriedTo = Math.floor((t.lastTsMs + MAX_CARRY_SAMPLES * sampleMs) / sampleMs);
    const end = Math.min(lastBefore, carriedTo);
    for (let g = t.nextGrid; g <= end; g++) this.sample(t, g, t.lastPrice);
    if (lastBefore > end) this.stats.gaps++;
    t.nextGrid = Math.max(t.nextGrid, lastBefore + 1);
  }

  private sample(t: AssetTrack, grid: number, price: number): void {
    if (t.lastSample && t.lastSample.grid === grid - 1) {
      t.grids.push(grid);
      t.returns.push(Math.log(price / t.lastSample.price));
      const cap = Math.min(MAX_RETURNS, Math.ceil((this.o.settings().windowSec * 1000) / this.sampleMs!) + 1);
      if (t.grids.length > cap) {
        t.grids.splice(0, t.grids.length - cap);
        t.returns.splice(0, t.returns.length - cap);
      }
    }
    t.lastSample = { grid, price };
  }

  private windowStartGrid(): number {
    const s = this.o.settings();
    const sampleMs = this.sampleMs ?? s.sampleSec * 1000;
    return Math.floor((this.o.clock.nowMs() - s.windowSec * 1000) / sampleMs) + 1;
  }

  private ownCount(asset: string): number {
    const t = this.tracks.get(asset);
    return t ? t.grids.length - lowerBound(t.grids, this.windowStartGrid()) : 0;
  }
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/** First index whose value is >= x (ascending array). */
function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
