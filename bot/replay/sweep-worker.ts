/**
 * Sweep worker: the code one worker thread of the sweep pool (sweep-pool.ts) runs, and the messages it speaks.
 *
 * The worker requires the task module named in its workerData (its default export is
 * `async (job: { point, sessions, options, shared? }) => Record<string, number | string>`), says `ready` (or
 * `load-failed`), then runs one job at a time as the pool hands them out and answers each with `result` or `failed`.
 * The pool's shared data comes once, with the worker's first job, and is handed to every job.
 *
 * Invariants: every message crossing the thread boundary is parsed with zod on the receiving side; a task that
 * throws, or returns anything but a flat record of finite numbers and strings, fails that job only, never the worker;
 * the module does nothing when imported outside a sweep worker thread (the pool imports its schemas).
 */
import { createRequire } from 'node:module';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { z } from 'zod';
import type { GridPoint, GridValue } from './sweep-grid';

export const MAX_ERROR_CHARS = 2_000;

export const sweepWorkerDataSchema = z.object({ kind: z.literal('sweep-worker'), taskPath: z.string().min(1) });
export type SweepWorkerData = z.infer<typeof sweepWorkerDataSchema>;

const gridValueSchema = z.union([z.number(), z.string(), z.boolean()]);
export const sweepJobMessageSchema = z.object({
  type: z.literal('job'),
  /** Position of the point in the pool's list (results are stored by it). */
  slot: z.number().int().nonnegative(),
  point: z.object({ index: z.number().int().nonnegative(), params: z.record(z.string(), gridValueSchema) }),
  sessions: z.array(z.string()),
  options: z.unknown(),
  /** The pool's shared data, sent once with a worker's first job (kept by the worker for every later job). */
  shared: z.unknown().optional(),
});
export type SweepJobMessage = z.infer<typeof sweepJobMessageSchema>;

export const taskMetricsSchema = z.record(
  z.string().min(1).max(200),
  z.union([z.number().refine(Number.isFinite, 'must be a finite number'), z.string().max(10_000)]),
);

export const sweepWorkerReplySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('load-failed'), message: z.string() }),
  z.object({ type: z.literal('result'), slot: z.number().int().nonnegative(), metrics: taskMetricsSchema }),
  z.object({ type: z.literal('failed'), slot: z.number().int().nonnegative(), message: z.string() }),
]);
export type SweepWorkerReply = z.infer<typeof sweepWorkerReplySchema>;

/** What a task module's default export receives. */
export interface SweepJob<O = unknown> {
  readonly point: GridPoint;
  readonly sessions: readonly string[];
  readonly options: O;
  /** The pool's `shared` data (undefined without one). */
  readonly shared?: unknown;
}
export type SweepTask<O = unknown> = (job: SweepJob<O>) => Promise<Record<string, number | string>> | Record<string, number | string>;

export function errorMessage(e: unknown): string {
  const text = e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS)}…` : text;
}

/** The default export of a task module (a TypeScript module compiled to CommonJS nests it once more). */
export function taskOf(mod: unknown): SweepTask | undefined {
  const first = (mod as { default?: unknown } | null)?.default;
  if (typeof first === 'function') return first as SweepTask;
  const nested = (first as { default?: unknown } | null | undefined)?.default;
  return typeof nested === 'function' ? (nested as SweepTask) : undefined;
}

async function runJob(task: SweepTask, job: SweepJobMessage, shared: unknown): Promise<SweepWorkerReply> {
  try {
    const point: GridPoint = { index: job.point.index, params: job.point.params as Record<string, GridValue> };
    const out = await task({ point, sessions: job.sessions, options: job.options, ...(shared !== undefined ? { shared } : {}) });
    const metrics = taskMetricsSchema.safeParse(out);
    if (!metrics.success) {
      const issue = metrics.error.issues[0]!;
      const where = issue.path.length ? `metric '${issue.path.join('.')}'` : 'the result';
      return { type: 'failed', slot: job.slot, message: `task returned a bad result: ${where}: ${issue.message} (a flat record of finite numbers and strings)` };
    }
    return { type: 'result', slot: job.slot, metrics: metrics.data };
  } catch (e) {
    return { type: 'failed', slot: job.slot, message: errorMessage(e) };
  }
}

async function serve(port: NonNullable<typeof parentPort>, data: SweepWorkerData): Promise<void> {
  let task: SweepTask | undefined;
  try {
    // require, not import(): tsx's hook in a worker thread is the require hook (see sweep-pool.ts).
    task = taskOf(createRequire(data.taskPath)(data.taskPath));
    if (!task) throw new Error(`task module ${data.taskPath} has no default export function`);
  } catch (e) {
    port.postMessage({ type: 'load-failed', message: errorMessage(e) } satisfies SweepWorkerReply);
    return;
  }
  const ready = task;
  let shared: unknown;
  // One job at a time: the pool sends the next job only after this one's reply.
  port.on('message', (raw: unknown) => {
    const job = sweepJobMessageSchema.safeParse(raw);
    if (!job.success) {
      // Answer a malformed job that still names its slot, so the pool never waits on it.
      const slot = z.object({ slot: z.number().int().nonnegative() }).safeParse(raw);
      if (slot.success) port.postMessage({ type: 'failed', slot: slot.data.slot, message: `bad job message: ${job.error.issues[0]?.message}` } satisfies SweepWorkerReply);
      return;
    }
    if (job.data.shared !== undefined) shared = job.data.shared;
    void runJob(ready, job.data, shared).then((reply) => port.postMessage(reply));
  });
  port.postMessage({ type: 'ready' } satisfies SweepWorkerReply);
}

const started = sweepWorkerDataSchema.safeParse(workerData);
if (!isMainThread && parentPort && started.success) void serve(parentPort, started.data);
