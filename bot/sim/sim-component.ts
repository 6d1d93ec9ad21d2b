/**
 * The built-in simulator as a runtime component (venue=sim): started once per process on the runtime's clock,
 * kept across bot restarts (its ledger is the venue of record that the bot reconciles against), closed on dispose.
 */
import type { Clock } from '../clock';

import { simEndpoints, startSim, type SimHandle, type SimOptions } from '.';
import type { RuntimeComponent } from '../core/component';
import { type VenueEndpoints } from '../core';

export class SimComponent implements RuntimeComponent {
  readonly name = 'simulator';
  private handle: SimHandle | undefined;
  private starting: Promise<SimHandle> | undefined;

  constructor(private readonly opts: { clock: Clock; seed: number; extra?: Partial<SimOptions> }) {}

  get sim(): SimHandle | undefined {
    return this.handle;
  }

  async start(): Promise<void> {
    if (this.handle) return;
    this.starting ??= startSim({ clock: this.opts.clock, seed: this.opts.seed, ...this.opts.extra });
    this.handle = await this.starting;
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
