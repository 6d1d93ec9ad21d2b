/**
 * GuardedClock: wraps the injected Clock so that, while one of the simulator's timers runs, nowMs() returns that
 * timer's due time instead of reading the underlying clock. A ScaledClock catches up lazily inside nowMs() and would
 * otherwise fire other timers re-entrantly in the middle of a callback (e.g. a taker matching while the makers are
 * half-way through a requote). Outside callbacks (HTTP handlers, socket messages) nowMs() reads the real clock.
 * Invariant: the time it reports never decreases.
 */
import { type CancelTimer, type Clock, everyFromAfter } from '../clock/clock';

export class GuardedClock implements Clock {
  readonly kind: Clock['kind'];
  private depth = 0;
  private last = 0;

  constructor(private readonly inner: Clock) {
    this.kind = inner.kind;
  }

  nowMs(): number {
    if (this.depth === 0) this.last = Math.max(this.last, this.inner.nowMs());
    return this.last;
  }

  at(dueMs: number, name: string, fn: () => void): CancelTimer {
    return this.inner.at(dueMs, name, () => {
      if (this.depth === 0) this.last = Math.max(this.last, dueMs);
      this.depth++;
      try {
        fn();
      } finally {
        this.depth--;
      }
    });
  }

  after(delayMs: number, name: string, fn: () => void): CancelTimer {
    return this.at(this.nowMs() + Math.max(0, delayMs), name, fn);
  }

  every(periodMs: number, name: string, fn: () => void): CancelTimer {
    return everyFromAfter((d, n, f) => this.after(d, n, f), periodMs, name, fn);
  }
}
