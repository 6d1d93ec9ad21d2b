/**
 * Promise activity of this thread, counted by V8's promise hooks while at least one holder wants it: every promise
 * created and every promise settled moves the count. A synchronous step of the replay driver (firing the timers due,
 * ingesting a frame) after which the count has not moved queued no promise job, so there is nothing for a settle to
 * run: the driver skips it (most of a replay's timer ticks start nothing, and an event-loop turn per simulated second
 * was a fifth of a 1 Hz replay).
 *
 * What a promise job needs, and the hook that sees it: `.then`/`await`/an async call creates a promise (init); a
 * pending promise with reactions being resolved or rejected settles it (settled). One case is not seen until later:
 * resolving a pending promise with another promise (a thenable) queues a job before either settles; the runtime's
 * timers resolve with plain values. Other code of the process (a console request while a replay runs) only moves the
 * count more, which costs a settle that runs nothing of the replay: never a skipped one.
 *
 * The hooks stay installed only while held (they slow every promise operation of the thread a little).
 */
import { promiseHooks } from 'node:v8';

let count = 0;
let holders = 0;
let stop: (() => void) | undefined;

const bump = (): void => {
  count++;
};

/** The count so far (only meaningful while held). */
export function promiseActivity(): number {
  return count;
}

/** Install the counting hooks (once for all holders); returns the release. */
export function holdPromiseActivity(): () => void {
  if (holders++ === 0) stop = promiseHooks.createHook({ init: bump, settled: bump }) as () => void;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--holders === 0) {
      stop?.();
      stop = undefined;
    }
  };
}
