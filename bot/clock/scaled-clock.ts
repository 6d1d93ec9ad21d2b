/**
 * ScaledClock: wall-clock driven time running `speed` times faster than real time, starting at startMs.
 * Used by the demo and by tests that want a 15-minute window in seconds while every component still sees
 * consistent timestamps. It drives a SimClock from real timers, so timer ordering is the SimClock's.
 */
import { type CancelTimer, type Clock } from './clock';
import { SimClock } from './sim-clock';

export class ScaledClock implements Clock {
  readonly kind = 'scaled' as const;
  private readonly sim: SimClock;
  private readonly realStart: number;
  private wake: ReturnType<typeof setTimeout> | undefined;
  private wakeAt = Infinity;

  /**
   * `realStartMs` (default: now) is the wall-clock instant at which this clock read `startMs`; two processes given
   * the same (startMs, speed, realStartMs) share one timeline (a console against a separately started simulator).
   */
  constructor(
    readonly startMs: number,
    readonly speed: number,
    realStartMs?: number,
  ) {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`speed must be > 0, got ${speed}`);
    this.realStart = realStartMs ?? Date.now();
    this.sim = new SimClock(realStartMs === undefined ? startMs : startMs + Math.max(0, Date.now() - this.realStart) * speed);
  }

  /** `startMs:speed:realStartMs`, the value of SIM_CLOCK that reproduces this timeline in another process. */
  anchor(): string {
    return `${this.startMs}:${this.speed}:${this.realStart}`;
  }

  nowMs(): number {
    const target = this.startMs + (Date.now() - this.realStart) * this.speed;
    // Catch up lazily so timers due "in the past" fire in order before anyone sees a later time.
    if (target > this.sim.nowMs()) this.sim.advanceTo(target);
    return this.sim.nowMs();
  }

  at(dueMs: number, name: string, fn: () => void): CancelTimer {
    const cancel = this.sim.at(dueMs, name, fn);
    this.arm();
    return cancel;
  }

  after(delayMs: number, name: string, fn: () => void): CancelTimer {
    return this.at(this.nowMs() + Math.max(0, delayMs), name, fn);
  }

  every(periodMs: number, name: string, fn: () => void): CancelTimer {
    const cancel = this.sim.every(periodMs, name, fn);
    this.arm();
    return cancel;
  }

  /** Stop the driving real timer (pending sim timers are kept but no longer fire on their own). */
  dispose(): void {
    if (this.wake) clearTimeout(this.wake);
    this.wake = undefined;
    this.wakeAt = Infinity;
  }

  private arm(): void {
    const due = this.sim.nextDueMs();
    if (due === undefined) return;
    if (this.wake && due >= this.wakeAt) return;
    if (this.wake) clearTimeout(this.wake);
    this.wakeAt = due;
    const realDelay = Math.max(0, (due - this.nowMsNoAdvance()) / this.speed);
    this.wake = setTimeout(() => {
      this.wake = undefined;
      this.wakeAt = Infinity;
      this.nowMs();
      this.arm();
    }, realDelay);
    this.wake.unref?.();
  }

  private nowMsNoAdvance(): number {
    return Math.max(this.sim.nowMs(), this.startMs + (Date.now() - this.realStart) * this.speed);
  }
}
