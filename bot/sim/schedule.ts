/**
 * Aligned repeating timers on the injected Clock: fire at every multiple of periodMs (plus offsetMs), so the
 * simulator's ticks land on whole seconds and window boundaries whatever the start time.
 * Invariant: no wall-clock timers; the returned cancel stops future firings.
 */
import type { CancelTimer, Clock } from '../clock';

export function everyAligned(clock: Clock, periodMs: number, offsetMs: number, name: string, fn: (tMs: number) => void): CancelTimer {
  if (!(periodMs > 0)) throw new RangeError(`everyAligned(${name}): period must be > 0`);
  let cancelled = false;
  let cancelCurrent: CancelTimer = () => {};
  const nextDue = (after: number) => Math.floor((after - offsetMs) / periodMs) * periodMs + periodMs + offsetMs;
  const arm = (due: number) => {
    cancelCurrent = clock.at(due, name, () => {
      if (cancelled) return;
      arm(nextDue(due));
      fn(due);
    });
  };
  arm(nextDue(clock.nowMs()));
  return () => {
    cancelled = true;
    cancelCurrent();
  };
}
