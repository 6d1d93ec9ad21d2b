/**
 * Clock: the only way code in bot/ learns the time or schedules work.
 *
 * Invariants:
 * - nowMs() is epoch milliseconds and never decreases.
 * - Timers are identified by a name; when several fall due at the same time they fire in
 *   (dueMs, name, insertion) order, so a simulated run is deterministic.
 * - A cancelled timer never fires. Cancelling twice is harmless.
 */
export type CancelTimer = () => void;

export interface Clock {
  /** 'live' (wall clock), 'sim' (advanced explicitly) or 'scaled' (wall clock × speed). */
  readonly kind: 'live' | 'sim' | 'scaled';
  nowMs(): number;
  /** Run fn once at (or as soon as possible after) dueMs. */
  at(dueMs: number, name: string, fn: () => void): CancelTimer;
  /** Run fn once after delayMs. */
  after(delayMs: number, name: string, fn: () => void): CancelTimer;
  /** Run fn every periodMs, first at now + periodMs. */
  every(periodMs: number, name: string, fn: () => void): CancelTimer;
}

/** A repeating timer's period must be positive (the one check every clock's `every` makes). */
export function assertPeriod(periodMs: number, name: string): void {
  if (!(periodMs > 0)) throw new RangeError(`every(${name}): period must be > 0, got ${periodMs}`);
}

/** Convert a repeating schedule onto any one-shot scheduler. */
export function everyFromAfter(
  after: (delayMs: number, name: string, fn: () => void) => CancelTimer,
  periodMs: number,
  name: string,
  fn: () => void,
): CancelTimer {
  assertPeriod(periodMs, name);
  let cancelled = false;
  let cancelCurrent: CancelTimer = () => {};
  const arm = () => {
    cancelCurrent = after(periodMs, name, () => {
      if (cancelled) return;
      arm();
      fn();
    });
  };
  arm();
  return () => {
    cancelled = true;
    cancelCurrent();
  };
}
