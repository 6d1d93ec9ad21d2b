/**
 * The built-in simulator as a runtime component (venue=sim): started once per process on the runtime's clock,
 * kept across bot restarts (its ledger is the venue of record that the bot reconciles against), closed on dispose.
 * `series`, `assets` and `correlation` shape the simulated world (see SimOptions; build them from the runtime's
 * series with simSeriesFor / simAssetsFor); `extra` passes any other simulator option.
 */
import type { Clock } from '../clock';

import { simEndpoints, startSim, type SeriesSpec, type SimHandle, type SimOptions } from '.';
import type { RuntimeComponent } from '../core/component';
import { type VenueEndpoints } from '../core';

export class SimComponent implements RuntimeComponent {
  readonly name = 'simulator';
  private handle: SimHandle | undefined;
  private starting: Promise<SimHandle> | undefined;

  constructor(
    private readonly opts: {
      clock: Clock;
      seed: number;
      series?: SimOptions['series'];
      assets?: SimOptions['assets'];
      correlation?: SimOptions['correlation'];
      extra?: Partial<SimOptions>;
    },
  ) {}

  get sim(): SimHandle | undefined {
    return this.handle;
  }

  async start(): Promise<void> {
    if (this.handle) return;
    const { clock, seed, series, assets, correlation, extra } = this.opts;
    this.starting ??= startSim({ clock, seed, ...(series ? { series } : {}), ...(assets ? { assets } : {}), ...(correlation !== undefined ? { correlation } : {}), ...extra });
    this.handle = await this.starting;
  }

  /**
   * List series the simulator does not run yet (matched by asset and window length) while it runs, e.g. a series
   * hot-added to the runtime's config; returns those added. Their assets must be simulated (pass every asset the
   * runtime may use in `assets` at start); a bad series throws a RangeError.
   */
  addSeries(specs: readonly SeriesSpec[]): SeriesSpec[] {
    const h = this.handle;
    if (!h) throw new Error('simulator not started');
    const added: SeriesSpec[] = [];
    for (const spec of specs) {
      if (h.model.series.some((s) => s.asset === spec.asset && s.durationSec === spec.durationSec)) continue;
      h.model.addSeries(spec);
      added.push(spec);
    }
    return added;
  }

  /** The bot restarting does not restart the venue. */
  async stop(): Promise<void> {}

  async dispose(): Promise<void> {
    const h = this.handle;
    this.handle = undefined;
    this.starting = undefined;
    await h?.close();
  }

  endpoints(): VenueEndpoints {
    const h = this.handle;
    if (!h) throw new Error('simulator not started');
    return simEndpoints(h.urls);
  }
}
