/**
 * The sweep pool on worker threads, with the fixture task (tests/fixtures/replay/sweep-task.ts: score = a·10 + b,
 * real-timer sleeps so early points finish last, a SharedArrayBuffer barrier so every worker takes a job before any
 * finishes): rows in point order whatever the completion order, every worker used, progress up to the total, a
 * throwing / bad / crashing point reported as an error row, abort terminates the workers and rejects with AbortError,
 * a task module that does not load fails the sweep, and the same pool works when run from the tsx CLI.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SweepRow } from '../../../bot/replay/robust-ranges';
import { runSweep, WORKER_YOUNG_GENERATION_MB } from '../../../bot/replay/sweep-pool';

const ROOT = join(__dirname, '../../..');
const TASK = join(ROOT, 'tests/fixtures/replay/sweep-task.ts');
const points = (n: number) => Array.from({ length: n }, (_, index) => ({ index, params: { a: Math.floor(index / 3), b: index % 3 } }));
const barrier = () => new Int32Array(new SharedArrayBuffer(4));

afterEach(() => vi.restoreAllMocks());

describe('runSweep', () => {
  it('returns rows in point order, uses every worker (each with the set young generation), and reports progress up to the total', async () => {
    const progress: [number, number, number][] = [];
    const res = await runSweep({
      points: points(6),
      sessions: ['s1', 's2'],
      workers: 2,
      task: TASK,
      taskOptions: { points: 6, sleepStepMs: 15, barrier: barrier(), barrierCount: 2 },
      onProgress: (done, total, last) => progress.push([done, total, last.index]),
    });
    expect(res.rows.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const r of res.rows) {
      expect(r.error).toBeUndefined();
      expect(r.metrics.score).toBe(Number(r.params.a) * 10 + Number(r.params.b));
      expect(r.metrics.sessions).toBe('s1|s2');
      // The pool's attribution matches the thread the task saw.
      expect(r.metrics.thread).toBe(r.threadId);
      // Workers get the larger young generation (garbage collection dominated sweep points without it).
      expect(r.metrics.youngGenerationMb).toBe(WORKER_YOUNG_GENERATION_MB);
    }
    expect(new Set(res.rows.map((r) => r.threadId)).size).toBe(2);
    expect(res.workersStarted).toBe(2);
    expect(progress.map(([d]) => d)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(progress.every(([, t]) => t === 6)).toBe(true);
    // Each point reported once; completion order differed from point order (point 1 sleeps less than point 0).
    const finished = progress.map(([, , i]) => i);
    expect([...finished].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(finished).not.toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('hands the shared data, awaited while the workers start, to every job: one copy per worker', async () => {
    let resolveShared: (v: unknown) => void = () => undefined;
    const shared = new Promise((r) => (resolveShared = r));
    const run = runSweep({ points: points(6), sessions: [], workers: 2, task: TASK, taskOptions: { points: 6, sleepStepMs: 5, barrier: barrier(), barrierCount: 2 }, shared });
    resolveShared({ sessions: { a: [1, 2, 3] } });
    const res = await run;
    for (const r of res.rows) {
      expect(r.error).toBeUndefined();
      expect(r.metrics.shared).toBe('{"sessions":{"a":[1,2,3]}}');
      // Sent once with the worker's first job and kept: never a second copy on the same thread.
      expect(r.metrics.sharedCopies).toBe(1);
    }
    expect(new Set(res.rows.map((r) => r.threadId)).size).toBe(2);
    // Without shared data, jobs get none.
    const plain = await runSweep({ points: points(2), sessions: [], workers: 1, task: TASK, taskOptions: {} });
    expect(plain.rows.every((r) => r.metrics.shared === undefined)).toBe(true);
  });

  it('calls a shared-data function once and hands its result to every job', async () => {
    const calls: number[] = [];
    const res = await runSweep({ points: points(4), sessions: [], workers: 2, task: TASK, taskOptions: {}, shared: () => (calls.push(calls.length), Promise.resolve({ n: 7 })) });
    expect(calls).toEqual([0]);
    expect(res.rows.map((r) => r.metrics.shared)).toEqual(Array(4).fill('{"n":7}'));
  });

  it('fails the sweep (workers terminated) when the shared data fails or cannot be sent', async () => {
    await expect(runSweep({ points: points(3), sessions: [], workers: 2, task: TASK, taskOptions: {}, shared: Promise.reject(new Error('import broke')) })).rejects.toThrow(/shared sweep data failed: import broke/);
    await expect(runSweep({ points: points(3), sessions: [], workers: 2, task: TASK, taskOptions: {}, shared: () => { throw new Error('no such session'); } })).rejects.toThrow(/shared sweep data failed: no such session/);
    await expect(runSweep({ points: points(3), sessions: [], workers: 1, task: TASK, taskOptions: {}, shared: { f: () => 1 } })).rejects.toThrow(/shared sweep data cannot be sent/);
  });

  it('reports a throwing point, a bad result and a crashed worker as error rows, not a failed sweep', async () => {
    const res = await runSweep({
      points: points(6),
      sessions: [],
      workers: 2,
      task: TASK,
      taskOptions: { sleepBaseMs: 20, throwOn: [1], nanOn: [3], crashOn: [0] },
    });
    const errors = res.rows.map((r) => r.error ?? null);
    expect(errors[1]).toContain('boom at point 1');
    expect(errors[3]).toMatch(/metric 'score'.*finite/);
    expect(errors[0]).toMatch(/worker died: .*worker crash at point 0/);
    for (const i of [2, 4, 5]) {
      expect(errors[i]).toBeNull();
      expect(res.rows[i]!.metrics.score).toBe(Number(res.rows[i]!.params.a) * 10 + Number(res.rows[i]!.params.b));
    }
    expect(res.rows[1]!.metrics).toEqual({});
    // The crashed worker was replaced (it died on its first job, while points were still queued).
    expect(res.workersStarted).toBe(3);
  });

  it('on abort terminates the workers and rejects with AbortError', async () => {
    const terminate = vi.spyOn(Worker.prototype, 'terminate');
    const ctl = new AbortController();
    const seen: SweepRow[] = [];
    const run = runSweep({
      points: points(6),
      sessions: [],
      workers: 2,
      task: TASK,
      // Points 2..5 never answer: only termination can end them.
      taskOptions: { hangOn: [2, 3, 4, 5] },
      signal: ctl.signal,
      onProgress: (done, _total, last) => {
        seen.push(last);
        if (done === 2) ctl.abort();
      },
    });
    const err = (await run.catch((e: unknown) => e)) as Error & { done: number; total: number };
    expect(err.name).toBe('AbortError');
    expect(err.done).toBe(2);
    expect(err.total).toBe(6);
    expect(seen.map((r) => r.index).sort()).toEqual([0, 1]);
    expect(terminate.mock.instances.length).toBe(2);
    expect(new Set(terminate.mock.instances).size).toBe(2);
  });

  it('rejects at once when already aborted, without starting a worker', async () => {
    const ctl = new AbortController();
    ctl.abort();
    const err = await runSweep({ points: points(2), sessions: [], workers: 1, task: TASK, taskOptions: {}, signal: ctl.signal }).catch((e: Error) => e);
    expect((err as Error).name).toBe('AbortError');
  });

  it('fails the sweep when the task module does not load or the inputs are wrong', async () => {
    const notATask = join(ROOT, 'tests/fixtures/replay/run-sweep-cli.ts');
    await expect(runSweep({ points: points(2), sessions: [], workers: 1, task: join(ROOT, 'bot/replay/robust-ranges.ts'), taskOptions: {} })).rejects.toThrow(
      /no default export function/,
    );
    await expect(runSweep({ points: points(2), sessions: [], workers: 1, task: 'relative.ts', taskOptions: {} })).rejects.toThrow(/absolute path/);
    await expect(runSweep({ points: points(2), sessions: [], workers: 0, task: notATask, taskOptions: {} })).rejects.toThrow(/workers must be/);
    await expect(runSweep({ points: points(2), sessions: [], workers: 1, task: TASK, taskOptions: { f: () => 1 } })).rejects.toThrow(/cannot be sent/);
    expect(await runSweep({ points: [], sessions: [], workers: 2, task: TASK, taskOptions: {} })).toEqual({ rows: [], workersStarted: 0 });
  });

  it('works from the tsx CLI, as the sweep script runs', () => {
    const out = execFileSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'tests/fixtures/replay/run-sweep-cli.ts')], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    const rows = JSON.parse(out.trim().split('\n').pop()!) as SweepRow[];
    expect(rows.map((r) => [r.index, r.metrics.score ?? null, r.error ?? null])).toEqual([
      [0, 1, null],
      [1, 11, null],
      [2, null, 'boom at point 2'],
      [3, 31, null],
    ]);
    expect(new Set(rows.map((r) => r.threadId)).size).toBe(2);
  });
});
