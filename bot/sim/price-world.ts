/**
 * PriceWorld: every simulated asset's price model stepped together, with correlated diffusion shocks. Each step draws
 * one independent standard normal per asset from that asset's own Prng stream and mixes them with the Cholesky
 * factor of the correlation matrix (z = L x eps); jumps stay idiosyncratic. One spot timer and one reference timer
 * drive every asset (`sim.a.spot`, `sim.b.reference`: before the boundary work of the same instant).
 *
 * Invariants:
 * - The first asset's shock is its own draw (L's first row is [1, 0, ...]) and its stream is drawn in the same order
 *   as a self-driven PriceModel (shock, jump), so a one-asset world walks exactly like the single-asset simulator,
 *   and adding assets never changes the first asset's path.
 * - Every asset shares the timing options (spot step, reference period and lag, TWAP window, warm-up); listeners fire
 *   asset by asset in world order within a step.
 */
import type { CancelTimer, Clock } from '../clock';
import type { Prng } from '../util/prng';
import { cholesky } from './correlation';
import { PriceModel, type PriceModelOptions, warmupGrid } from './price-model';
import { everyAligned } from './schedule';

export interface WorldAsset {
  asset: string;
  /** This asset's price options (timing fields must match every other asset's). */
  opts: PriceModelOptions;
  /** This asset's own random stream. */
  prng: Prng;
}

export class PriceWorld {
  /** Models in world order (the correlation matrix's order). */
  readonly models: readonly PriceModel[];
  private readonly byAsset = new Map<string, PriceModel>();
  private readonly streams: readonly Prng[];
  private readonly L: number[][];
  private readonly eps: number[];
  private readonly cancels: CancelTimer[] = [];

  /** `correlation`: the assets' correlation matrix in the same order (already validated). */
  constructor(
    private readonly clock: Clock,
    assets: readonly WorldAsset[],
    correlation: readonly (readonly number[])[],
  ) {
    if (assets.length === 0) throw new RangeError('a price world needs at least one asset');
    const t0 = assets[0]!.opts;
    for (const a of assets) {
      const o = a.opts;
      if (o.spotStepMs !== t0.spotStepMs || o.referencePeriodMs !== t0.referencePeriodMs || o.referenceLagMs !== t0.referenceLagMs || o.twapWindowSec !== t0.twapWindowSec || o.warmupSec !== t0.warmupSec) {
        throw new RangeError(`asset ${a.asset}: every asset must share the spot step, reference period/lag, TWAP window and warm-up`);
      }
    }
    this.L = cholesky(correlation);
    this.streams = assets.map((a) => a.prng);
    this.eps = new Array<number>(assets.length).fill(0);
    this.models = assets.map((a) => new PriceModel(clock, a.prng, a.opts, true, a.asset));
    for (const m of this.models) this.byAsset.set(m.asset, m);
    // The synthetic past, on the grid the live timers continue from: every spot step (all assets), then the reports.
    const now = clock.nowMs();
    const g = warmupGrid(t0, now);
    for (let t = g.firstSpotMs; t <= now; t += t0.spotStepMs) this.step(t);
    for (const m of this.models) for (let t = g.firstReportMs; t <= now; t += t0.referencePeriodMs) m.reportAt(t);
  }

  get(asset: string): PriceModel | undefined {
    return this.byAsset.get(asset);
  }

  start(): void {
    const o = this.models[0]!.opts;
    this.cancels.push(everyAligned(this.clock, o.spotStepMs, 0, 'sim.a.spot', (t) => this.step(t)));
    this.cancels.push(everyAligned(this.clock, o.referencePeriodMs, 0, 'sim.b.reference', (t) => this.report(t)));
  }

  stop(): void {
    for (const c of this.cancels.splice(0)) c();
  }

  private step(tMs: number): void {
    const n = this.models.length;
    for (let i = 0; i < n; i++) this.eps[i] = this.streams[i]!.normal();
    for (let i = 0; i < n; i++) {
      const row = this.L[i]!;
      let z = 0;
      for (let j = 0; j <= i; j++) z += row[j]! * this.eps[j]!;
      this.models[i]!.stepWith(tMs, z);
    }
  }

  private report(tMs: number): void {
    for (const m of this.models) m.reportAt(tMs);
  }
}
