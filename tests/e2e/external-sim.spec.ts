/**
 * The simulator as its own process (`npm run sim`, accelerated) and a console started against it through the
 * endpoint variables it prints (VENUE=polymarket, the way `npm start` runs): the console discovers the windows
 * from the simulator's Gamma, derives API credentials from the printed throwaway key, reads the reference over
 * PolyBolt and paper-trades – the same path as on Polymarket, with only URLs changed.
 */
import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tradingSnapshotSchema } from '../../lib/schemas/trading';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Start `npm run sim` (tsx bot/sim/cli.ts) and collect the `export NAME=value` lines it prints. */
async function startSimProcess(speed: number): Promise<{ child: ChildProcess; env: Record<string, string> }> {
  const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'bot/sim/cli.ts'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'production', SIM_SPEED: String(speed), SIM_SEED: 'external-e2e' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  await expect.poll(() => /export POLY_PRIVATE_KEY_FILE=/.test(out), { timeout: 30_000 }).toBe(true);
  const env: Record<string, string> = {};
  for (const m of out.matchAll(/^export ([A-Z_]+)=(\S+)$/gm)) env[m[1]!] = m[2]!;
  return { child, env };
}

test('npm run sim in its own process + a console on its printed endpoint lines: windows found, reference live, paper fills', async () => {
  test.setTimeout(150_000);
  const sim = await startSimProcess(30);
  let console: ChildProcess | undefined;
  try {
    expect(Object.keys(sim.env).sort()).toEqual(['CLOB_URL', 'GAMMA_URL', 'GEOBLOCK_URL', 'MARKET_WS_URL', 'POLYBOLT_URL', 'POLY_PRIVATE_KEY_FILE', 'RTDS_URL', 'SIM_CLOCK', 'SPOT_URL', 'USER_WS_URL']);
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'updown-external-'));
    console = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1', '-p', String(port)], {
      env: { ...process.env, ...sim.env, VENUE: 'polymarket', TRADING_MODE: 'paper', DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: '1', LOG_LEVEL: 'warn', UPDOWN_ENABLE_TEST_ROUTES: '0' },
      stdio: 'ignore',
    });
    const base = `http://127.0.0.1:${port}`;
    await expect.poll(async () => (await fetch(`${base}/api/health`).then((r) => r.json()).catch(() => ({}))).state, { timeout: 40_000 }).toBe('running');
    const status = await fetch(`${base}/api/status`).then((r) => r.json());
    expect(status.venue).toBe('polymarket');
    const snap = async () => tradingSnapshotSchema.parse(await fetch(`${base}/api/trading`).then((r) => r.json()));
    // Windows come from the simulator's Gamma, the reference from its PolyBolt (credentials derived from the key).
    await expect.poll(async () => (await snap()).series.filter((x) => x.current.state !== null).length, { timeout: 30_000 }).toBe(2);
    await expect.poll(async () => (await snap()).assets.some((a) => a.asset === 'btc' && a.twap !== null), { timeout: 30_000 }).toBe(true);
    // And the bot trades: paper fills at the simulator's book (30x: a 5-minute window lasts 10 s).
    await expect.poll(async () => (await snap()).fills.length, { timeout: 90_000, intervals: [1_000] }).toBeGreaterThan(0);
    const s = await snap();
    for (const f of s.fills) expect(f.price).toBeGreaterThan(0);
    expect(s.alerts.filter((a) => a.kind === 'runtime.notice' && a.severity === 'danger')).toEqual([]);
  } finally {
    console?.kill('SIGTERM');
    sim.child.kill('SIGTERM');
  }
});
