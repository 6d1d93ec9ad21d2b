/**
 * What a replay loads. A sweep worker (and every replay) requires bot/sweep-task.ts -> bot/replay-run.ts ->
 * bot/runtime-core.ts; none of the simulator, the live venue, the credentials code, the CLOB client, ethers or viem
 * may come with it (they doubled a worker's start-up; viem alone is ~230 modules, ~0.1 s). Loaded exactly as the sweep pool loads a worker (a worker thread with
 * tsx's require hook), the module list is read from the thread's require cache. The composition root
 * (bot/runtime.ts) does load them: the same check finds them there, so the patterns are live.
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

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

  it('the composition root loads every one of them (the check sees them when they are there)', async () => {
    const mods = await loadedBy('bot/runtime.ts');
    expect(heavyIn(mods)).toEqual(HEAVY.map(([name]) => name).filter((n) => n !== 'the execution barrel'));
  }, 60_000);
});
