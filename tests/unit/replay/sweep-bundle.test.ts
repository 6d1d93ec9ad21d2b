/**
 * Sweep workers on bundled code (bot/replay/sweep-bundle.ts, runSweep's `bundle`): the real sweep task gives the same
 * rows bundled as through tsx (its whole module graph, with the packages left outside resolving from the cache
 * directory); the workers really run the bundle; a bundle is reused while its inputs are unchanged and rebuilt when
 * one changes, when its index is damaged or a bundle file is gone; old bundles are pruned by age; a task that cannot
 * be bundled cleanly (syntax error, esbuild warning, importing the worker module) is refused, and the sweep says so
 * and falls back to tsx.
 *
 * The cache directories live under node_modules/.cache (as the default one does: the external packages resolve from
 * there), one per test, removed afterwards.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultSweepBundleDir, STALE_MS, sweepBundle } from '../../../bot/replay/sweep-bundle';
import { expandGrid, parseGrid } from '../../../bot/replay/sweep-grid';
import { runSweep, SWEEP_WORKER_MODULE, type SweepBundleEvent } from '../../../bot/replay/sweep-pool';
import { defaultRuntimeConfig } from '../../../lib/schemas/config';

const ROOT = join(__dirname, '../../..');
const dirs: string[] = [];
/** A fresh cache directory under node_modules/.cache (removed after the test). */
function scratch(): string {
  const d = join(ROOT, 'node_modules', '.cache', `updown-sweep-test-${randomUUID()}`);
  mkdirSync(d, { recursive: true });
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A task module of two files in a fresh directory: it reports the file it runs from and its dependency's value. */
function fixtureTask(value: number, extra = ''): { dir: string; task: string; dep: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sweep-bundle-task-'));
  dirs.push(dir);
  const task = join(dir, 'task.ts');
  const dep = join(dir, 'dep.ts');
  writeFileSync(dep, `export const VALUE: number = ${value};\n`);
  writeFileSync(task, `import { VALUE } from './dep';\n${extra}\nexport default function task(job: { point: { params: Record<string, number> } }) {\n  return { file: __filename, v: VALUE * (job.point.params.a ?? 1) };\n}\n`);
  return { dir, task, dep };
}
const points = (n: number) => Array.from({ length: n }, (_, index) => ({ index, params: { a: index + 1 } }));

describe('sweep worker bundles', () => {
  it('the real sweep task gives the same rows bundled as through tsx, and its workers run the bundle', async () => {
    const dir = scratch();
    const config = defaultRuntimeConfig();
    const grid = expandGrid(parseGrid({ d_min: [3, 8] }, { config }));
    const csv = join(ROOT, 'tests/fixtures/replay/seed001/sample.csv');
    const taskOptions = { config, markets: join(ROOT, 'tests/fixtures/replay/seed001/markets.json'), only: ['hammer'] };
    const task = join(ROOT, 'bot/sweep-task.ts');
    const events: SweepBundleEvent[] = [];
    const bundled = await runSweep({ points: grid, sessions: [csv], workers: 2, task, taskOptions, bundle: { dir, onEvent: (e) => events.push(e) } });
    const plain = await runSweep({ points: grid, sessions: [csv], workers: 2, task, taskOptions });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'built' });
    expect((events[0] as { inputs: number }).inputs).toBeGreaterThan(200);
    expect(bundled.rows.map((r) => r.error)).toEqual([undefined, undefined]);
    expect(bundled.rows.map((r) => r.metrics)).toEqual(plain.rows.map((r) => r.metrics));
    expect(Number(bundled.rows[0]!.metrics.events)).toBeGreaterThan(0);
    expect(readdirSync(dir).filter((f) => f.endsWith('.cjs'))).toHaveLength(2);

    const fx = fixtureTask(7);
    const viaBundle = await runSweep({ points: points(2), sessions: [], workers: 1, task: fx.task, taskOptions: {}, bundle: { dir } });
    const viaTsx = await runSweep({ points: points(2), sessions: [], workers: 1, task: fx.task, taskOptions: {} });
    expect(viaBundle.rows.map((r) => r.metrics.v)).toEqual([7, 14]);
    expect(viaTsx.rows.map((r) => r.metrics.v)).toEqual([7, 14]);
    expect(String(viaBundle.rows[0]!.metrics.file)).toMatch(new RegExp(`^${dir}/[0-9a-f]{16}-[0-9a-f]{16}\\.task\\.cjs$`));
    expect(viaTsx.rows[0]!.metrics.file).toBe(fx.task);
  });

  it('is reused while its inputs are unchanged, rebuilt when one changes, its index is damaged or a bundle file is gone', async () => {
    const fx = fixtureTask(3);
    const dir = scratch();
    const first = await sweepBundle(fx.task, SWEEP_WORKER_MODULE, dir);
    expect(first.built).toBe(true);
    const again = await sweepBundle(fx.task, SWEEP_WORKER_MODULE, dir);
    expect(again).toEqual({ ...first, built: false });

    // A changed dependency (same size, other bytes): a new bundle that carries the change.
    writeFileSync(fx.dep, 'export const VALUE: number = 5;\n');
    const changed = await sweepBundle(fx.task, SWEEP_WORKER_MODULE, dir);
    expect(changed.built).toBe(true);
    expect(changed.taskPath).not.toBe(first.taskPath);
    const rows = await runSweep({ points: points(1), sessions: [], workers: 1, task: fx.task, taskOptions: {}, bundle: { dir } });
    expect(rows.rows[0]!.metrics).toMatchObject({ v: 5, file: changed.taskPath });

    const index = join(dir, readdirSync(dir).find((f) => f.endsWith('.json'))!);
    const damage = (text: string) => {
      writeFileSync(index, text);
      return sweepBundle(fx.task, SWEEP_WORKER_MODULE, dir);
    };
    const good = readFileSync(index, 'utf8');
    expect((await damage(good.slice(0, 40))).built).toBe(true);
    expect((await damage(good.replace(/"key":"[0-9a-f]/, '"key":"x'))).built).toBe(true);
    // An input's recorded hash no longer matching its bytes (the key is recomputed from the index, so both are edited).
    const parsed = JSON.parse(readFileSync(index, 'utf8')) as { inputs: [string, string][] };
    const dep = parsed.inputs.find(([p]) => p.endsWith('dep.ts'))!;
    expect((await damage(readFileSync(index, 'utf8').replace(dep[1], '0'.repeat(64)))).built).toBe(true);
    const current = await sweepBundle(fx.task, SWEEP_WORKER_MODULE, dir);
    expect(current.built).toBe(false);
    rmSync(current.workerPath);
    const rebuilt = await sweepBundle(fx.task, SWEEP_WORKER_MODULE, dir);
    expect(rebuilt.built).toBe(true);
    expect(existsSync(rebuilt.workerPath) && existsSync(rebuilt.taskPath)).toBe(true);
  });

  it('prunes bundles of older keys once they are STALE_MS old, and keeps younger ones', async () => {
    const fx = fixtureTask(1);
    const dir = scratch();
    const b = await sweepBundle(fx.task, SWEEP_WORKER_MODULE, dir);
    const id = basename(b.taskPath).slice(0, 16);
    const old = join(dir, `${id}-${'a'.repeat(16)}.task.cjs`);
    const young = join(dir, `${id}-${'b'.repeat(16)}.task.cjs`);
    const otherPair = join(dir, `${'c'.repeat(16)}-${'d'.repeat(16)}.task.cjs`);
    for (const f of [old, young, otherPair]) writeFileSync(f, '');
    const past = (Date.now() - STALE_MS - 60_000) / 1000;
    utimesSync(old, past, past);
    utimesSync(otherPair, past, past);
    writeFileSync(fx.dep, 'export const VALUE: number = 2;\n');
    const next = await sweepBundle(fx.task, SWEEP_WORKER_MODULE, dir);
    expect(next.built).toBe(true);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(young)).toBe(true);
    expect(existsSync(otherPair)).toBe(true); // another (task, worker) pair's: not this build's to prune
    expect(existsSync(next.taskPath) && existsSync(b.taskPath)).toBe(true);
  });

  it('refuses a task that does not bundle cleanly; the sweep says so and loads the TypeScript through tsx', async () => {
    const dir = scratch();
    const warned = fixtureTask(4, 'export const here = import.meta.url;');
    await expect(sweepBundle(warned.task, SWEEP_WORKER_MODULE, dir)).rejects.toThrow(/esbuild warned: .*import\.meta/);
    const events: SweepBundleEvent[] = [];
    const res = await runSweep({ points: points(2), sessions: [], workers: 1, task: warned.task, taskOptions: {}, bundle: { dir, onEvent: (e) => events.push(e) } });
    expect(events).toEqual([{ kind: 'failed', reason: expect.stringMatching(/esbuild warned/) as unknown as string }]);
    expect(res.rows.map((r) => r.metrics)).toEqual([{ file: warned.task, v: 4 }, { file: warned.task, v: 8 }]);

    const broken = fixtureTask(1, 'export const = ;');
    await expect(sweepBundle(broken.task, SWEEP_WORKER_MODULE, dir)).rejects.toThrow(/Build failed|Expected/);
    const failed: SweepBundleEvent[] = [];
    await expect(runSweep({ points: points(1), sessions: [], workers: 1, task: broken.task, taskOptions: {}, bundle: { dir, onEvent: (e) => failed.push(e) } })).rejects.toThrow(/failed to load/);
    expect(failed.map((e) => e.kind)).toEqual(['failed']);

    const serving = fixtureTask(1, `import '${SWEEP_WORKER_MODULE}';`);
    await expect(sweepBundle(serving.task, SWEEP_WORKER_MODULE, dir)).rejects.toThrow(/imports the sweep worker module/);
    expect(readdirSync(dir).filter((f) => f.endsWith('.cjs'))).toEqual([]);
  });

  it('keeps its default directory in the node_modules the external packages resolve from', () => {
    expect(defaultSweepBundleDir()).toBe(join(ROOT, 'node_modules', '.cache', 'updown-sweep'));
  });
});
