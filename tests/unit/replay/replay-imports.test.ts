/**
 * What a replay loads. A sweep worker (and every replay) requires bot/sweep-task.ts -> bot/replay-run.ts ->
 * bot/runtime-core.ts; none of the simulator, the live venue, the credentials code, the CLOB client, ethers or viem
 * may come with it (they doubled a worker's start-up; viem alone is ~230 modules, ~0.1 s). Loaded exactly as the sweep pool loads a worker (a worker thread with
 * tsx's require hook), the module list is read from the thread's require cache; the bundle sweeps load instead
 * (sweep-bundle.ts) is held to the same list, read from its index of inputs. The composition root (bot/runtime.ts) does
 * load them: the same check finds them there, so the patterns are live.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { sweepBundle } from '../../../bot/replay/sweep-bundle';
import { SWEEP_WORKER_MODULE } from '../../../bot/replay/sweep-pool';

const TSX_CJS_API = createRequire(import.meta.url).resolve('tsx/cjs/api');

/** The modules a fresh worker thread holds after requiring `entry` (paths relative to the project). */
function loadedBy(entry: string): Promise<string[]> {
  return new Promise((done, fail) => {
    const w = new Worker(
      `const { workerData, parentPort } = require('node:worker_threads');
       require(workerData.api).register();
       require(workerData.entry);
       parentPort.postMessage(Object.keys(require.cache));`,
      { eval: true, workerData: { api: TSX_CJS_API, entry: resolve(entry) } },
    );
    w.once('message', (keys: string[]) => {
      void w.terminate();
      done(keys.map((k) => k.replace(`${resolve('.')}/`, '')));
    });
    w.once('error', fail);
  });
}

const HEAVY: readonly [string, RegExp][] = [
  ['the CLOB client', /node_modules\/@polymarket\/clob-client-v2\//],
  ['ethers', /node_modules\/@ethersproject\//],
  ['viem', /node_modules\/viem\//],
  ['the simulator', /^bot\/sim\/(?!series\.ts$|et-hourly\.ts$|options\.ts$)/],
  ['the live venue', /^bot\/execution\/(live-venue|live-order-side|api-creds|credentials|creds-store)\.ts$/],
  ['the execution barrel', /^bot\/execution\/index\.ts$/],
];

const heavyIn = (mods: readonly string[]) => HEAVY.filter(([, re]) => mods.some((m) => re.test(m))).map(([name]) => name);

describe('replay module graph', () => {
  it('a sweep worker (sweep-task -> replay-run -> runtime-core) loads the paper venue and no simulator, live venue, credentials, CLOB client, ethers or viem', async () => {
    const mods = await loadedBy('bot/sweep-task.ts');
    expect(mods).toContain('bot/replay-run.ts');
    expect(mods).toContain('bot/runtime-core.ts');
    expect(mods).toContain('bot/execution/paper-venue.ts');
    expect(mods).not.toContain('bot/runtime.ts');
    expect(heavyIn(mods)).toEqual([]);
  }, 60_000);

  it('the bundle sweep workers load is built from the same graph: the paper venue, none of them (the root bundle has them all)', async () => {
    const dir = resolve('node_modules', '.cache', `updown-sweep-imports-${randomUUID()}`);
    try {
      const b = await sweepBundle(resolve('bot/sweep-task.ts'), SWEEP_WORKER_MODULE, dir);
      expect(b.built).toBe(true);
      const index = JSON.parse(readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.json'))!), 'utf8')) as { inputs: [string, string][] };
      const inputs = index.inputs.map(([p]) => p.replace(`${resolve('.')}/`, ''));
      expect(inputs).toContain('bot/replay-run.ts');
      expect(inputs).toContain('bot/execution/paper-venue.ts');
      expect(inputs).not.toContain('bot/runtime.ts');
      expect(heavyIn(inputs)).toEqual([]);
      // The patterns match esbuild's paths too: the composition root's bundle has every one of them.
      const root = await sweepBundle(resolve('bot/runtime.ts'), SWEEP_WORKER_MODULE, dir);
      const rootIndex = JSON.parse(readFileSync(root.taskPath.replace(/-[0-9a-f]{16}\.task\.cjs$/, '.json'), 'utf8')) as { inputs: [string, string][] };
      expect(heavyIn(rootIndex.inputs.map(([p]) => p.replace(`${resolve('.')}/`, '')))).toEqual(HEAVY.map(([name]) => name).filter((n) => n !== 'the execution barrel'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('the composition root loads every one of them (the check sees them when they are there)', async () => {
    const mods = await loadedBy('bot/runtime.ts');
    expect(heavyIn(mods)).toEqual(HEAVY.map(([name]) => name).filter((n) => n !== 'the execution barrel'));
  }, 60_000);
});
