/**
 * LiveClock: the one sanctioned user of Date.now / setTimeout inside bot/.
 * Timers are unref'd so that a pending timer never keeps the process alive on shutdown.
 */
import { type CancelTimer, type Clock, everyFromAfter } from './clock';

export class LiveClock implements Clock {
  readonly kind = 'live' as const;
  private last = 0;

  nowMs(): number {
    // Monotone even if the wall clock steps back (NTP): never report a smaller time.
    const t = Date.now();
    if (t > this.last) this.last = t;
    return this.last;
  }

  at(dueMs: number, name: string, fn: () => void): CancelTimer {
    return this.after(Math.max(0, dueMs - this.nowMs()), name, fn);
  }

  after(delayMs: number, _name: string, fn: () => void): CancelTimer {
    const h = setTimeout(fn, Math.max(0, delayMs));
    h.unref?.();
    return () => clearTimeout(h);
  }

  every(periodMs: number, name: string, fn: () => void): CancelTimer {
    return everyFromAfter((d, n, f) => this.after(d, n, f), periodMs, name, fn);
  }
}

/** Real monotonic time for latency measurement (not for trading logic). */
export function monotonicMs(): number {
  return performance.now();
}
