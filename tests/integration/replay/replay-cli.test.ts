/**
 * The replay commands as an operator runs them (child processes, clean environment, a temporary DATA_DIR):
 * `npm run synth` makes and indexes a session, `npm run sessions` lists it, `npm run replay -- <id> --json` prints
 * the figures the issue names (also for the real sample's folder path, with its ledger hash equal to an in-process
 * replay), `npm run backtest -- --json` reports per strategy, `npm run record` records the embedded simulator without
 * trading; `npm run sweep` writes its results under DATA_DIR/sweeps by default, or where --out says; bad flags and
 * unknown sessions exit 2 / 1 with one clear line.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importParquetBooks } from '../../../bot/replay/import-parquet';
import { openStore } from '../../../bot/store';
import { runReplay } from '../../../bot/replay-run';
import { defaultRuntimeConfig } from '../../../lib/schemas/config';
import { runScript } from '../../helpers/run-script';

const dataDir = mkdtempSync(join(tmpdir(), 'replay-cli-'));
const env = { DATA_DIR: dataDir };
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('replay commands', () => {
  it('synth -> sessions -> replay --json -> backtest --json on a synthetic session', async () => {
    const synth = await runScript('synth.ts', ['--hours', '0.1', '--seed', '3', '--rate', '4'], env);
    expect(synth.code, synth.stderr).toBe(0);
    const id = /session\s+(\S+)/.exec(synth.stdout)?.[1];
    expect(id).toMatch(/^synth-3-/);

    const list = await runScript('sessions.ts', ['--json'], env);
    expect(list.code, list.stderr).toBe(0);
    const sessions = (JSON.parse(list.stdout) as { sessions: { id: string; format: string; frames: number }[] }).sessions;
    expect(sessions.map((s) => s.id)).toContain(id);
    const listed = sessions.find((s) => s.id === id)!;
    expect(listed.format).toBe('synthetic');

    const rep = await runScript('replay.ts', [id!, '--json'], env);
    expect(rep.code, rep.stderr).toBe(0);
    const r = JSON.parse(rep.stdout) as Record<string, unknown>;
    for (const k of ['ledgerHash', 'events', 'eventsPerSec', 'trades', 'pnlUsd']) expect(r, k).toHaveProperty(k);
    expect(r.events).toBe(listed.frames);
    expect(r.ledgerHash).toMatch(/^[0-9a-f]{64}$/);

    const bt = await runScript('backtest.ts', [id!, '--json'], env);
    expect(bt.code, bt.stderr).toBe(0);
    const b = JSON.parse(bt.stdout) as { sessions: { ledgerHash: string; report: { strategies: { strategyId: string }[] } }[] };
    expect(b.sessions[0]!.ledgerHash).toBe(r.ledgerHash);
    expect(b.sessions[0]!.report.strategies.map((s) => s.strategyId)).toEqual(defaultRuntimeConfig().strategies.map((s) => s.id));
  }, 180_000);

  it('replay --json on the real sample folder: the figures and the ledger hash of an in-process replay', async () => {
    const rep = await runScript('replay.ts', ['samples/polymarket-btc-5m-books', '--json'], env);
    expect(rep.code, rep.stderr).toBe(0);
    const r = JSON.parse(rep.stdout) as { ledgerHash: string; events: number; trades: number; pnlUsd: number; attribution: string };
    const inProcess = await runReplay({ source: await importParquetBooks('samples/polymarket-btc-5m-books/market_data'), config: defaultRuntimeConfig() });
    expect(r.ledgerHash).toBe(inProcess.ledgerHash);
    expect(r.events).toBe(11_260);
    expect(r.trades).toBe(inProcess.trades);
    expect(r.attribution).toContain('CronosVirus00');
  }, 180_000);

  it('bad flags exit 2, an unknown session exits 1, each with a clear message', async () => {
    const bad = await runScript('replay.ts', ['samples/polymarket-btc-5m-books', '--speed', 'fast'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--speed must be a number/);
    const none = await runScript('replay.ts', [], env);
    expect(none.code).toBe(2);
    const unknown = await runScript('replay.ts', ['no-such-session'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no-such-session/);
    const csv = await runScript('backtest.ts', ['tests/fixtures/replay/seed001/sample.csv'], env);
    expect(csv.code).toBe(1);
    expect(csv.stderr).toMatch(/--markets/);
    const grid = await runScript('sweep.ts', ['--grid', '{"d_min":[-1]}', 'samples/polymarket-btc-5m-books'], env);
    expect(grid.code).toBe(2);
    expect(grid.stderr).toMatch(/d_min|dMin/);
  }, 120_000);

  it('sweep writes its results under DATA_DIR/sweeps by default, and where --out says (creating its folder)', async () => {
    const args = ['--grid', '{"d_min":[3,8]}', '--markets', 'tests/fixtures/replay/seed001/markets.json', 'tests/fixtures/replay/seed001/sample.csv', '--workers', '1', '--json'];
    const byDefault = await runScript('sweep.ts', args, env);
    expect(byDefault.code, byDefault.stderr).toBe(0);
    const files = (JSON.parse(byDefault.stdout) as { files: string[] }).files;
    expect(files).toHaveLength(2);
    for (const f of files) {
      expect(f.startsWith(join(dataDir, 'sweeps', 'sweep-')), f).toBe(true);
      expect(existsSync(f), f).toBe(true);
    }
    expect(readdirSync(join(dataDir, 'sweeps')).sort()).toEqual(files.map((f) => f.slice(join(dataDir, 'sweeps').length + 1)).sort());
    const out = join(dataDir, 'elsewhere', 'nested', 'run1');
    const given = await runScript('sweep.ts', [...args, '--out', out], env);
    expect(given.code, given.stderr).toBe(0);
    expect((JSON.parse(given.stdout) as { files: string[] }).files).toEqual([`${out}.csv`, `${out}.json`]);
    expect(existsSync(`${out}.csv`) && existsSync(`${out}.json`)).toBe(true);
  }, 120_000);

  it('record --venue sim records the embedded simulator without trading and indexes the session', async () => {
    const rec = await runScript('record.ts', ['--venue', 'sim', '--minutes', '0.12'], env);
    expect(rec.code, rec.stderr).toBe(0);
    const list = await runScript('sessions.ts', ['--json'], env);
    const s = (JSON.parse(list.stdout) as { sessions: { id: string; format: string; frames: number; sources: string[]; open: boolean }[] }).sessions.find((x) => x.format === 'recording');
    expect(s).toBeDefined();
    expect(s!.open).toBe(false);
    expect(s!.frames).toBeGreaterThan(10);
    expect(s!.sources).toEqual(expect.arrayContaining(['clob-market', 'spot']));
    // Without trading: the run left no order in the journal.
    const store = openStore(join(dataDir, 'updown.sqlite'));
    try {
      expect(store.db.prepare('SELECT COUNT(*) AS n FROM orders').get()).toEqual({ n: 0 });
    } finally {
      store.close();
    }
    const rep = await runScript('replay.ts', [s!.id, '--json'], env);
    expect(rep.code, rep.stderr).toBe(0);
    expect((JSON.parse(rep.stdout) as { events: number }).events).toBe(s!.frames);
  }, 120_000);
});
