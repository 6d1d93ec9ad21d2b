/**
 * HaltLoop: while trading is halted, keep cancelling until the venue itself shows no open orders of ours. A single
 * cancel-all can miss an order (in flight while it ran, a 5xx, a venue that answered "not canceled"), so after each
 * cancel-all the venue's open orders are read back, and the loop repeats with backoff until there are none.
 *
 * Rounds: cancel-all (sent in the same event-loop turn as the halt: the kill switch runs its hooks synchronously)
 * -> count the venue's open orders -> none: done; otherwise (or when either call failed) wait `backoff` on the
 * injected Clock and go again. Each round is published as `risk.halt_progress`.
 *
 * Invariants: one round at a time per halt (the next is scheduled only when the previous one finished); the loop stops as soon as the state is no longer halted (an operator
 * re-activated) or on stop(); a runtime that comes up halted starts the loop at start(); backoff grows from
 * `firstDelayMs` to `maxDelayMs`; every wait uses the injected Clock.
 */
import type { EventBus, Unsubscribe } from '../bus';
import type { CancelTimer, Clock } from '../clock';
import type { KillSwitch } from './kill-switch';

/** What the loop needs from the venue side (wired by the runtime over the venue session). */
export interface HaltPort {
  /** Cancel every open order of ours at the venue; resolves to how many were cancelled. */
  cancelAll(): Promise<number>;
  /** How many orders of ours the venue lists as open (its own answer, not our tracker's). */
  openOrdersAtVenue(): Promise<number>;
}

export interface HaltLoopOptions {
  clock: Clock;
  bus: EventBus;
  killSwitch: KillSwitch;
  port: HaltPort;
  firstDelayMs?: number;
  maxDelayMs?: number;
}

export class HaltLoop {
  /** Rounds of the current halt (0 when idle). */
  attempts = 0;
  private running = false;
  private timer: CancelTimer | undefined;
  private unsubscribe: Unsubscribe | undefined;
  private generation = 0;

  constructor(private readonly o: HaltLoopOptions) {}

  /** Subscribe to halts; when the state is already halted (a restart after a halt), begin cancelling now. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.o.killSwitch.onHalt((s) => {
      if (s.state === 'halted') this.begin();
    });
    if (this.o.killSwitch.state === 'halted') this.begin();
  }

  stop(): void {
    this.running = false;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.reset();
  }

  /** True while a halt is being driven to zero open orders. */
  get active(): boolean {
    return this.attempts > 0;
  }

  private reset(): void {
    this.timer?.();
    this.timer = undefined;
    this.attempts = 0;
    this.generation++;
  }

  private begin(): void {
    this.reset();
    this.round(this.generation);
  }

  private round(gen: number): void {
    if (!this.running || gen !== this.generation) return;
    if (this.o.killSwitch.state !== 'halted') return this.reset();
    const attempt = ++this.attempts;
    // cancelAll() is called synchronously here, so a halt's cancel-all leaves in the same turn as the halt.
    const cancel = safe(() => this.o.port.cancelAll());
    void (async () => {
      let canceled = 0;
      let open: number | undefined;
      let error: string | undefined;
      try {
        canceled = await cancel;
      } catch (err) {
        error = `cancel-all: ${msg(err)}`;
      }
      try {
        open = await this.o.port.openOrdersAtVenue();
      } catch (err) {
        error = `${error ? `${error}; ` : ''}open orders: ${msg(err)}`;
      }
      if (!this.running || gen !== this.generation) return;
      if (this.o.killSwitch.state !== 'halted') return this.reset();
      const done = open === 0 && error === undefined;
      const nextInMs = done ? undefined : this.delay(attempt);
      this.o.bus.publish({
        type: 'risk.halt_progress', attempt, canceled: Math.max(0, Math.floor(canceled)), done,
        ...(open !== undefined ? { openAtVenue: open } : {}), ...(nextInMs !== undefined ? { nextInMs } : {}), ...(error ? { error: error.slice(0, 300) } : {}),
      });
      if (done) this.attempts = 0;
      else this.schedule(gen, nextInMs!);
    })();
  }

  private schedule(gen: number, ms: number): void {
    this.timer?.();
    this.timer = this.o.clock.after(ms, 'risk.halt-loop', () => this.round(gen));
  }

  private delay(attempt: number): number {
    const first = this.o.firstDelayMs ?? 250;
    return Math.min(this.o.maxDelayMs ?? 5_000, first * 2 ** Math.min(attempt - 1, 16));
  }
}

function safe<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return fn();
  } catch (err) {
    return Promise.reject(err);
  }
}

function msg(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
