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

function config(multi = false): RuntimeConfig {
  const strategies = defaultStrategies.map((s) => ({
    ...s,
    budgetUsd: 200,
    // The trend-window veto on (off by default): its decisions then depend on every signal, the recorded external ones too.
    params: { ...s.params, enabled: true, ...(s.type === 'hammer' ? { watchReturnThreshold: 0.0005, dMin: 1 } : {}), ...(s.type === 'trend-window' ? { enableVeto: true } : {}) },
  }));
  // Several series: ETH 5m/15m beside BTC 5m/15m/hourly, one instance of each strategy per asset.
  if (multi) strategies.push(...strategies.map((s) => ({ ...s, id: `${s.id}-eth`, params: { ...s.params, asset: 'eth' } })));
  return runtimeConfigSchema.parse({
    mode: 'paper',
    venue: 'sim',
    sim: { seed: 5 },
    ...(multi ? { series: [{ asset: 'btc', windowSec: 300 }, { asset: 'btc', windowSec: 900 }, { asset: 'btc', windowSec: 3600 }, { asset: 'eth', windowSec: 300 }, { asset: 'eth', windowSec: 900 }] } : {}),
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
  it(`${MINUTES} simulated minutes: same decisions, orders, fills and settlements`, () => parity(false), 300_000);
  it(`${MINUTES} simulated minutes of BTC and ETH 5m/15m and BTC hourly side by side: the same, on every series`, () => parity(true), 300_000);
});

async function parity(multi: boolean): Promise<void> {
  {
    const dataDir = mkdtempSync(join(tmpdir(), 'parity-'));
    dirs.push(dataDir);
    const clock = new SimClock(T0 + 5_000);
    const store = openStore(':memory:');
    const rt = createRuntime({ instanceId: 'parity', version: 't', config: config(multi), clock, store, dataDir, sim: { crowd: { makerRequoteMs: 4_000, takerMeanIntervalMs: 12_000 } } });
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
    const replayed = await runReplay({ source, config: config(multi) });

    // Up to (not including) the last recorded instant: the live run stopped there mid-way, the replay went on.
    const liveLedger = live.entries.filter((e) => e.tsMs < source.manifest.endMs);
    const replayLedger = replayed.ledger.filter((e) => e.tsMs < source.manifest.endMs);
    const fills = liveLedger.filter((e) => e.kind === 'fill');
    expect(fills.length).toBeGreaterThan(3);
    expect(liveLedger.filter((e) => e.kind === 'settle').length).toBeGreaterThan(0);
    const a = comparable(replayLedger);
    const b = comparable(liveLedger);
    const first = a.findIndex((x, i) => x !== b[i]);
    if (first >= 0) {
      const count = (l: readonly LedgerEntry[]) => { const m: Record<string, number> = {}; for (const e of l) { const k = `${e.kind}:${'windowSlug' in e ? String(e.windowSlug).split('-')[0] : ''}`; m[k] = (m[k] ?? 0) + 1; } return JSON.stringify(m); };
      console.log('COUNTS replay', count(replayLedger), 'live', count(liveLedger));
    }
    if (first >= 0) console.log('FIRST DIFF', first, a.length, b.length, '\nREPLAY', a.slice(Math.max(0, first - 2), first + 4).join('\n'), '\nLIVE', b.slice(Math.max(0, first - 2), first + 4).join('\n'));
    expect(a).toEqual(b);
    if (multi) {
      // Both assets traded and were replayed: decisions and fills on ETH windows as well as BTC's.
      const slugsOf = (kind: string) => new Set(liveLedger.filter((e) => e.kind === kind).map((e) => ('windowSlug' in e ? String(e.windowSlug) : '')));
      for (const kind of ['decision', 'fill']) {
        const assets = new Set([...slugsOf(kind)].map((slug) => slug.split('-')[0]));
        expect([...assets].sort(), kind).toEqual(expect.arrayContaining(['btc', 'eth']));
      }
      expect(source.manifest.markets.some((m) => m.asset === 'eth')).toBe(true);
    }
  }
}
