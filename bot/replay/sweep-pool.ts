/**
 * Sweep pool: runs one task per grid point on node:worker_threads and collects the results in point order.
 *
 * Each worker runs sweep-worker.ts under tsx: an eval'd CommonJS bootstrap registers tsx's require hook in the thread
 * and requires the worker module (loader hooks, `--import tsx` in execArgv or `module.register`, do not reach worker
 * threads on Node 20, so this one path serves vitest, `npx tsx` and plain node alike). The worker requires the task
 * module (absolute path, default export `async ({ point, sessions, options }) => metrics`). With `bundle`, the worker
 * and task modules are first bundled (sweep-bundle.ts, cached) and the workers load the bundles without tsx; when
 * bundling fails the sweep says so (`bundle.onEvent`) and loads the TypeScript as above. The pool is a work queue:
 * a worker gets the next point when it has answered the last one.
 *
 * Invariants: rows come back in the order of `points`, whatever order they finish in; a task that throws (or returns a
 * bad result, or kills its worker) yields that point's row with `error`, never a failed sweep, and a dead worker is
 * replaced; a task module that does not load fails the sweep; `onProgress(done, total, row)` is called once per point
 * with done rising to total; on abort (or any fatal error) every worker is terminated, and only then does the promise
 * reject (name 'AbortError' on abort); at most MAX_WORKERS threads and MAX_GRID_POINTS points.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { monotonicMs } from '../clock';
import type { SweepRow } from './robust-ranges';
import { sweepBundle, type SweepBundle } from './sweep-bundle';
import { MAX_GRID_POINTS, type GridPoint } from './sweep-grid';
import { errorMessage, sweepWorkerReplySchema, type SweepJobMessage, type SweepWorkerData } from './sweep-worker';

export const MAX_WORKERS = 32;

export interface RunSweepOptions<O = unknown> {
  readonly points: readonly GridPoint[];
  /** Session ids or paths, handed to every job as they are. */
  readonly sessions: readonly string[];
  /** Worker threads (capped by the number of points and MAX_WORKERS). */
  readonly workers: number;
  /** Absolute path of the task module. */
  readonly task: string;
  /** Handed to every job (structured-cloned into each worker). */
  readonly taskOptions: O;
  readonly onProgress?: (done: number, total: number, last: SweepRow) => void;
  readonly signal?: AbortSignal;
  /**
   * Data every job needs (e.g. sessions imported once), possibly still being computed while the workers start:
   * awaited before the first job goes out, then structured-cloned once into each worker (with its first job) and
   * handed to every job as `shared`. A function is called once the workers have been spawned (so that its work does
   * not delay them) and its result used. A rejection (or a throw) fails the sweep.
   */
  readonly shared?: unknown;
  /**
   * Load the workers' code from bundles kept in `dir` (sweep-bundle.ts; `defaultSweepBundleDir()`) instead of through
   * tsx: a worker is ready in ~0.2 s instead of ~0.55-0.8 s. `onEvent` hears of a build (`built`) and of a failed
   * one (`failed`: the sweep then loads the TypeScript through tsx).
   */
  readonly bundle?: { readonly dir: string; readonly onEvent?: (e: SweepBundleEvent) => void };
}

export type SweepBundleEvent = { kind: 'built'; ms: number; inputs: number } | { kind: 'failed'; reason: string };

export interface SweepResult {
  /** One row per point, in the order of `points`. */
  readonly rows: SweepRow[];
  /** Worker threads started (replacements of crashed workers included). */
  readonly workersStarted: number;
}

/** The rejection of an aborted sweep: name 'AbortError', with how far it got. */
export class SweepAbortError extends Error {
  override readonly name = 'AbortError';
  constructor(
    readonly done: number,
    readonly total: number,
    options?: { cause?: unknown },
  ) {
    super(`sweep aborted after ${done} of ${total} points`, options);
  }
}

/**
 * Each worker's young generation (V8 `maxYoungGenerationSizeMb`). A replay allocates short-lived objects per frame
 * and keeps a window of them alive for a while (books, views, recent samples); with a worker's default young
 * generation, garbage collection took ~30 % of a seed-001 sweep point. At 64 MB the 4-point seed-001 sweep used
 * ~25 % less CPU (18.7-20.6 s vs 26.2-28.6 s of user+sys over 2 workers, paired runs on the 2-core machine).
 */
export const WORKER_YOUNG_GENERATION_MB = 64;

const here = import.meta.url;
/** The worker module every sweep worker runs (bundled with the task under `bundle`). */
export const SWEEP_WORKER_MODULE = fileURLToPath(new URL('./sweep-worker.ts', here));
/**
 * CommonJS, eval'd in the worker: tsx's require hook for this thread (not for bundled code), then the worker module.
 * (Loader hooks, i.e. `--import tsx` in execArgv or `module.register`, do not reach worker threads on Node 20.)
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
if (workerData.tsxCjsApi) require(workerData.tsxCjsApi).register();
require(workerData.workerPath);
`;

/** The bundles for this sweep, or undefined (after telling `onEvent` why) when they cannot be built. */
async function bundleFor(task: string, workerPath: string, o: NonNullable<RunSweepOptions['bundle']>): Promise<SweepBundle | undefined> {
  const t = monotonicMs();
  try {
    const b = await sweepBundle(task, workerPath, o.dir);
    if (b.built) o.onEvent?.({ kind: 'built', ms: Math.round(monotonicMs() - t), inputs: b.inputs });
    return b;
  } catch (e) {
    o.onEvent?.({ kind: 'failed', reason: errorMessage(e) });
    return undefined;
  }
}

export async function runSweep<O>(opts: RunSweepOptions<O>): Promise<SweepResult> {
  const { points, sessions, task, taskOptions, onProgress, signal } = opts;
  const total = points.length;
  if (!Number.isInteger(opts.workers) || opts.workers < 1 || opts.workers > MAX_WORKERS) {
    throw new Error(`workers must be an integer in 1..${MAX_WORKERS} (got ${opts.workers})`);
  }
  if (total > MAX_GRID_POINTS) throw new Error(`${total} points; the cap is ${MAX_GRID_POINTS}`);
  if (!isAbsolute(task)) throw new Error(`task must be an absolute path (got '${task}')`);
  if (!existsSync(task)) throw new Error(`task module ${task} does not exist`);
  try {
    structuredClone(taskOptions);
  } catch (e) {
    throw new Error(`taskOptions cannot be sent to a worker thread: ${errorMessage(e)}`);
  }
  if (signal?.aborted) throw new SweepAbortError(0, total, { cause: signal.reason });
  if (total === 0) return { rows: [], workersStarted: 0 };

  const bundled = opts.bundle ? await bundleFor(task, SWEEP_WORKER_MODULE, opts.bundle) : undefined;
  if (signal?.aborted) throw new SweepAbortError(0, total, { cause: signal.reason });
  const workerData: SweepWorkerData & { tsxCjsApi?: string; workerPath: string } = bundled
    ? { kind: 'sweep-worker', taskPath: bundled.taskPath, workerPath: bundled.workerPath }
    : { kind: 'sweep-worker', taskPath: task, tsxCjsApi: createRequire(here).resolve('tsx/cjs/api'), workerPath: SWEEP_WORKER_MODULE };

  return new Promise<SweepResult>((resolve, reject) => {
    const rows: (SweepRow | undefined)[] = new Array<SweepRow | undefined>(total);
    const live = new Set<Worker>();
    const inFlight = new Map<Worker, number>();
    let next = 0;
    let done = 0;
    let started = 0;
    let settled = false;
    // Each crash after start costs one point, so replacements are bounded; this guards crashes with no job in hand.
    let respawnsLeft = total + opts.workers;

    const finish = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      const all = [...live];
      live.clear();
      void Promise.all(all.map((w) => w.terminate().catch(() => 0))).then(() => {
        if (err !== undefined) reject(err);
        else resolve({ rows: rows as SweepRow[], workersStarted: started });
      });
    };
    const onAbort = (): void => finish(new SweepAbortError(done, total, { cause: signal?.reason }));
    signal?.addEventListener('abort', onAbort, { once: true });

    const record = (slot: number, row: SweepRow): void => {
      if (rows[slot] !== undefined) return;
      rows[slot] = row;
      done++;
      try {
        onProgress?.(done, total, row);
      } catch (e) {
        finish(new Error(`onProgress threw: ${errorMessage(e)}`, { cause: e }));
        return;
      }
      if (done === total) finish();
    };
    const rowOf = (slot: number, w: Worker, outcome: { metrics: SweepRow['metrics'] } | { error: string }): SweepRow => {
      const point = points[slot]!;
      return { index: point.index, params: point.params, metrics: {}, ...outcome, threadId: w.threadId };
    };

    const dispatch = (w: Worker): void => {
      inFlight.delete(w);
      if (settled) return;
      if (next >= total) {
        live.delete(w);
        void w.terminate();
        return;
      }
      if (!sharedReady) {
        // The shared data is not there yet: this worker gets its first job when it is.
        waiting.push(w);
        return;
      }
      const slot = next++;
      inFlight.set(w, slot);
      const job: SweepJobMessage = { type: 'job', slot, point: points[slot]!, sessions: [...sessions], options: taskOptions };
      if (hasShared && !sharedSent.has(w)) {
        sharedSent.add(w);
        job.shared = sharedValue;
      }
      try {
        w.postMessage(job);
      } catch (e) {
        finish(new Error(`shared sweep data cannot be sent to a worker thread: ${errorMessage(e)}`));
      }
    };
    const hasShared = 'shared' in opts && opts.shared !== undefined;
    let sharedReady = !hasShared;
    let sharedValue: unknown;
    const sharedSent = new WeakSet<Worker>();
    const waiting: Worker[] = [];
    const awaitShared = (): void => {
      const given = opts.shared;
      new Promise<unknown>((ok) => ok(typeof given === 'function' ? (given as () => unknown)() : given)).then(
        (v) => {
          sharedValue = v;
          sharedReady = true;
          for (const w of waiting.splice(0)) if (live.has(w)) dispatch(w);
        },
        (e: unknown) => finish(new Error(`shared sweep data failed: ${errorMessage(e)}`, { cause: e })),
      );
    };

    const lost = (w: Worker, ready: boolean, why: string): void => {
      if (settled || !live.has(w)) return;
      live.delete(w);
      const slot = inFlight.get(w);
      inFlight.delete(w);
      if (!ready) {
        finish(new Error(`sweep worker failed to start: ${why}`));
        return;
      }
      if (slot !== undefined) record(slot, rowOf(slot, w, { error: `worker died: ${why}` }));
      if (!settled && next < total && respawnsLeft-- > 0) spawn();
      else if (!settled && live.size === 0) finish(new Error(`every sweep worker died (last: ${why})`));
    };

    const spawn = (): void => {
      const w = new Worker(BOOTSTRAP, { eval: true, workerData, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
      started++;
      live.add(w);
      let ready = false;
      w.on('message', (raw: unknown) => {
        if (settled) return;
        const msg = sweepWorkerReplySchema.safeParse(raw);
        if (!msg.success) return finish(new Error(`sweep worker sent a message outside the protocol: ${msg.error.issues[0]?.message}`));
        const m = msg.data;
        if (m.type === 'ready') {
          ready = true;
          return dispatch(w);
        }
        if (m.type === 'load-failed') return finish(new Error(`task module ${task} failed to load: ${m.message}`));
        if (inFlight.get(w) !== m.slot) return finish(new Error(`sweep worker answered slot ${m.slot}, which it was not running`));
        record(m.slot, rowOf(m.slot, w, m.type === 'result' ? { metrics: m.metrics } : { error: m.message }));
        dispatch(w);
      });
      w.on('error', (e) => lost(w, ready, errorMessage(e)));
      w.on('exit', (code) => lost(w, ready, `exited with code ${code}`));
    };

    for (let i = 0; i < Math.min(opts.workers, total); i++) spawn();
    if (hasShared) awaitShared();
  });
}
