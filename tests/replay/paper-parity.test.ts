/**
 * Paper parity: a session recorded from the simulator while paper trading replays to the same decisions and fills.
 *
 * The "live" run is the whole runtime in paper mode against the embedded simulator on a SimClock (real sockets on
 * loopback; the clock advances in 200 ms steps and waits for the sockets between steps), recording every raw frame
 * through the runtime's recorder into a temporary data directory. The recorded session is then replayed with the
 * same configuration; the ledger of both runs (orders, fills, settlements, decisions, built by the same collector)
 * must be equal entry by entry.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../bot/clock';
import { LedgerCollector } from '../../bot/replay/ledger';
import type { LedgerEntry } from '../../bot/replay/ledger-types';
import { openRecording } from '../../bot/replay/recording-reader';
import { runReplay } from '../../bot/replay-run';
import { createRuntime } from '../../bot/runtime';
import { openStore } from '../../bot/store';
import { defaultStrategies, runtimeConfigSchema, type RuntimeConfig } from '../../lib/schemas/config';

const T0 = 1791158400_000;
const MINUTES = 50;
const dirs: string[] = [];

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function settle(): Promise<void> {
  for (let i = 0; i < 8; i++) await new Promise((r) => setImmediate(r));
}

function config(): RuntimeConfig {
  const strategies = defaultStrategies.map((s) => ({
    ...s,
    budgetUsd: 200,
    params: { ...s.params, enabled: true, ...(s.type === 'hammer' ? { watchReturnThreshold: 0.0005, dMin: 1 } : {}) },
  }));
  return runtimeConfigSchema.parse({
    mode: 'paper',
    venue: 'sim',
    sim: { seed: 5 },
    strategies,
    risk: { maxTradesPerHour: 100_000, maxDailyLossUsd: 1_000_000, maxExposurePerWindowUsd: 2_000, maxTotalExposureUsd: 10_000, maxConsecutiveLosses: 1_000 },
  });
}

/**
 * The ledger in a canonical order: by time, then by content. Within one millisecond the order in which async
 * completions land depends on how the sockets chunked frames live (not recorded), so entries of the same instant are
 * compared as a set; the paper venue's trade ids (a counter) follow that order and are left out.
 */
const comparable = (l: readonly LedgerEntry[]) =>
  l
    .map((e) => ({ ts: e.tsMs, text: JSON.stringify(e.kind === 'fill' ? { ...e, tradeId: '' } : e) }))
    .sort((a, b) => a.ts - b.ts || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
    .map((x) => x.text);

describe('paper parity: record while paper trading on the simulator, replay, compare', () => {
  it(`${MINUTES} simulated minutes: same decisions, orders, fills and settlements`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parity-'));
    dirs.push(dataDir);
    const clock = new SimClock(T0 + 5_000);
    const store = openStore(':memory:');
    const rt = createRuntime({ instanceId: 'parity', version: 't', config: config(), clock, store, dataDir, sim: { crowd: { makerRequoteMs: 4_000, takerMeanIntervalMs: 12_000 } } });
    const starting = rt.start('test');
    while (rt.status().state === 'starting') await settle();
    expect(await starting).toBe('running');
    const stack = rt.session!.stack!;
    const live = LedgerCollector.forSession(rt.bus, stack);
    while (clock.nowMs() < T0 + MINUTES * 60_000) {
      clock.advanceBy(200);
      await settle();
    }
    live.finish(clock.nowMs());
    const sessionId = rt.recorder!.stats.sessionId!;
    await rt.dispose('test done');
    store.close();

    const source = await openRecording(join(dataDir, 'recordings', sessionId));
    expect(source.manifest.sources).toEqual(expect.arrayContaining(['clob-market', 'polybolt', 'spot']));
    const replayed = await runReplay({ source, config: config() });

    // Up to (not including) the last recorded instant: the live run stopped there mid-way, the replay went on.
    const liveLedger = live.entries.filter((e) => e.tsMs < source.manifest.endMs);
    const replayLedger = replayed.ledger.filter((e) => e.tsMs < source.manifest.endMs);
    const fills = liveLedger.filter((e) => e.kind === 'fill');
    expect(fills.length).toBeGreaterThan(3);
    expect(liveLedger.filter((e) => e.kind === 'settle').length).toBeGreaterThan(0);
    const a = comparable(replayLedger);
    const b = comparable(liveLedger);
    const first = a.findIndex((x, i) => x !== b[i]);
    if (first >= 0) console.log('FIRST DIFF', first, a.length, b.length, '\nREPLAY', a.slice(Math.max(0, first - 2), first + 4).join('\n'), '\nLIVE', b.slice(Math.max(0, first - 2), first + 4).join('\n'));
    expect(a).toEqual(b);
  }, 300_000);
});
