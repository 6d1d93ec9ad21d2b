/**
 * SimClock: simulated time that moves only when advanceTo/advanceBy is called.
 *
 * Invariants:
 * - Timers fire in (dueMs, name, insertion seq) order; nowMs() equals the timer's due time while it runs.
 * - Timers scheduled while advancing, due at or before the target, fire in the same advance.
 * - advanceTo never moves time backwards (a smaller target is a no-op).
 */
import { type CancelTimer, type Clock, everyFromAfter } from './clock';

interface Timer {
  dueMs: number;
  name: string;
  seq: number;
  fn: () => void;
  live: boolean;
}

function before(a: Timer, b: Timer): boolean {
  if (a.dueMs !== b.dueMs) return a.dueMs < b.dueMs;
  if (a.name !== b.name) return a.name < b.name;
  return a.seq < b.seq;
}

/** Binary min-heap ordered by (due, name, seq). */
class TimerHeap {
  private items: Timer[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): Timer | undefined {
    return this.items[0];
  }
  push(t: Timer): void {
    const a = this.items;
    a.push(t);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): Timer | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l]!, a[m]!)) m = l;
        if (r < a.length && before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

export class SimClock implements Clock {
  readonly kind = 'sim' as const;
  private now: number;
  private seq = 0;
  private readonly heap = new TimerHeap();

  constructor(startMs: number) {
    if (!Number.isFinite(startMs)) throw new RangeError('SimClock start must be finite');
    this.now = startMs;
  }

  nowMs(): number {
    return this.now;
  }

  /** Number of live pending timers (cancelled ones are dropped lazily). */
  pendingTimers(): number {
    return this.heap.size;
  }

  /** Due time of the next pending timer, or undefined. */
  nextDueMs(): number | undefined {
    this.dropCancelled();
    return this.heap.peek()?.dueMs;
  }

  at(dueMs: number, name: string, fn: () => void): CancelTimer {
    const t: Timer = { dueMs: Math.max(dueMs, this.now), name, seq: this.seq++, fn, live: true };
    this.heap.push(t);
    return () => {
      t.live = false;
    };
  }

  after(delayMs: number, name: string, fn: () => void): CancelTimer {
    return this.at(this.now + Math.max(0, delayMs), name, fn);
  }

  every(periodMs: number, name: string, fn: () => void): CancelTimer {
    return everyFromAfter((d, n, f) => this.after(d, n, f), periodMs, name, fn);
  }

  /** Fire every timer due at or before targetMs, then set now = targetMs. Returns timers fired. */
  advanceTo(targetMs: number): number {
    let fired = 0;
    for (;;) {
      this.dropCancelled();
      const next = this.heap.peek();
      if (!next || next.dueMs > targetMs) break;
      this.heap.pop();
      if (next.dueMs > this.now) this.now = next.dueMs;
      next.live = false;
      next.fn();
      fired++;
    }
    if (targetMs > this.now) this.now = targetMs;
    return fired;
  }

  advanceBy(deltaMs: number): number {
    return this.advanceTo(this.now + deltaMs);
  }

  private dropCancelled(): void {
    while (this.heap.size > 0 && !this.heap.peek()!.live) this.heap.pop();
  }
}
