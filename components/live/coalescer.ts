/**
 * A coalescer: folds a stream of updates into one value and hands that value to `onFlush` at most once per
 * `intervalMs` (trailing edge), so a busy event stream costs a bounded number of React renders. Plain TypeScript
 * (no React), so the buffering logic is unit-tested with fake timers.
 *
 * Invariants:
 * - `update(fn)` applies `fn` to the current value synchronously; `fn` returning undefined means "not relevant":
 *   nothing changes and no flush is scheduled.
 * - After a relevant update a single timer is armed for `intervalMs`; every further update until it fires rides on
 *   it. The timer is armed only from an update (or `resume()`), so two timed flushes are at least `intervalMs` apart
 *   and an idle coalescer holds no timer.
 * - `onFlush` is called only when something changed since the last flush, with the latest value.
 * - `flush()` delivers now (when dirty) and disarms the timer; `pause()` disarms it and keeps the pending change,
 *   `resume()` re-arms it when a change is pending. After `pause()`, nothing is delivered until `resume()`/`flush()`.
 */

/** The timer functions the coalescer uses (the browser's by default; tests pass fakes or use vi.useFakeTimers). */
export interface CoalescerTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const globalTimers: CoalescerTimers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof globalThis.setTimeout>),
};

export interface CoalescerOptions<S> {
  initial: S;
  /** Minimum time between two timed flushes. */
  intervalMs: number;
  onFlush(value: S): void;
  timers?: CoalescerTimers;
}

export interface Coalescer<S> {
  /** The latest folded value (including changes not yet flushed). */
  readonly value: S;
  /** True when a change is waiting for the next flush. */
  readonly dirty: boolean;
  /** Fold one update in; undefined from `fn` = not relevant. */
  update(fn: (value: S) => S | undefined): void;
  /** Deliver a pending change now and disarm the timer. */
  flush(): void;
  /** Disarm the timer, keeping a pending change (e.g. while a React effect is torn down). */
  pause(): void;
  /** Re-arm the timer when a change is pending and no timer is armed. */
  resume(): void;
  setIntervalMs(ms: number): void;
}

/** Hz to a flush interval: at most `maxHz` flushes per second (clamped to 0.1..1000 Hz). */
export function intervalForHz(maxHz: number): number {
  const hz = Number.isFinite(maxHz) ? Math.min(1000, Math.max(0.1, maxHz)) : 10;
  return 1000 / hz;
}

export function createCoalescer<S>(opts: CoalescerOptions<S>): Coalescer<S> {
  const timers = opts.timers ?? globalTimers;
  let value = opts.initial;
  let dirty = false;
  let paused = false;
  let intervalMs = opts.intervalMs;
  let timer: unknown = null;

  const disarm = () => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
  };
  const deliver = () => {
    disarm();
    if (!dirty) return;
    dirty = false;
    opts.onFlush(value);
  };
  const arm = () => {
    if (timer !== null || paused || !dirty) return;
    timer = timers.setTimeout(() => {
      timer = null;
      deliver();
    }, intervalMs);
  };

  return {
    get value() {
      return value;
    },
    get dirty() {
      return dirty;
    },
    update(fn) {
      const next = fn(value);
      if (next === undefined) return;
      value = next;
      dirty = true;
      arm();
    },
    flush: deliver,
    pause() {
      paused = true;
      disarm();
    },
    resume() {
      paused = false;
      arm();
    },
    setIntervalMs(ms) {
      intervalMs = ms;
    },
  };
}
