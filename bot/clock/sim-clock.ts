/**
 * SimClock: simulated time that moves only when advanceTo/advanceBy is called.
 *
 * Invariants:
 * - Timers fire in (dueMs, name, insertion seq) order; nowMs() equals the timer's due time while it runs.
 * - Timers scheduled while advancing, due at or before the target, fire in the same advance.
 * - advanceTo never moves time backwards (a smaller target is a no-op).
 * - A periodic timer (`every`) is one timer re-keyed in place when it fires: due now + period, a new insertion seq
 *   taken before its function runs. That is exactly the order of re-arming a one-shot timer first thing in the
 *   callback (`everyFromAfter`), without a new timer, two closures and a heap removal and insertion per firing (a
 *   replay fires eight 1 Hz timers per simulated second: most of a sparse session's timer work).
 */
import { assertPeriod, type CancelTimer, type Clock } from './clock';

interface Timer {
  dueMs: number;
  name: string;
  seq: number;
  fn: () => void;
  live: boolean;
  /** > 0: fires every periodMs (re-keyed in place); 0: once. */
  periodMs: number;
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
      const parent = a[p]!;
      if (!before(t, parent)) break;
      a[i] = parent;
      i = p;
    }
    a[i] = t;
  }
  pop(): Timer | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      this.siftDownTop();
    }
    return top;
  }
  /** Restore the order after the top's key grew (a periodic timer re-keyed in place). */
  siftDownTop(): void {
    const a = this.items;
    const t = a[0]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= a.length) break;
      const r = l + 1;
      const c = r < a.length && before(a[r]!, a[l]!) ? r : l;
      const child = a[c]!;
      if (!before(child, t)) break;
      a[i] = child;
      i = c;
    }
    a[i] = t;
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
    const t: Timer = { dueMs: Math.max(dueMs, this.now), name, seq: this.seq++, fn, live: true, periodMs: 0 };
    this.heap.push(t);
    return () => {
      t.live = false;
    };
  }

  after(delayMs: number, name: string, fn: () => void): CancelTimer {
    return this.at(this.now + Math.max(0, delayMs), name, fn);
  }

  every(periodMs: number, name: string, fn: () => void): CancelTimer {
    assertPeriod(periodMs, name);
    const t: Timer = { dueMs: this.now + periodMs, name, seq: this.seq++, fn, live: true, periodMs };
    this.heap.push(t);
    return () => {
      t.live = false;
    };
  }

  /** Fire every timer due at or before targetMs, then set now = targetMs. Returns timers fired. */
  advanceTo(targetMs: number): number {
    let fired = 0;
    for (;;) {
      this.dropCancelled();
      const next = this.heap.peek();
      if (!next || next.dueMs > targetMs) break;
      if (next.dueMs > this.now) this.now = next.dueMs;
      if (next.periodMs > 0) {
        next.dueMs = this.now + next.periodMs;
        next.seq = this.seq++;
        this.heap.siftDownTop();
      } else {
        this.heap.pop();
        next.live = false;
      }
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
