/**
 * `npm run sim`: start the simulator alone on 127.0.0.1 and print the exact lines that point a console (or any
 * client) at it: the endpoint variables, the shared clock when SIM_SPEED != 1, and a throwaway signing key that
 * only this simulator knows (written to a 0600 file in a temp directory, never printed itself).
 * Env: SIM_SEED (default 'updown-sim'), SIM_SPEED (time multiplier, default 1), SIM_PORT_BASE (fixed ports
 * base..base+7 instead of free ports), SIM_DIALECT (real | tidy). Ctrl-C closes every server.
 * World flags (cli-args.ts): `npm run sim -- --assets btc,eth --series btc:5m,btc:15m,eth:5m,eth:15m,btc:1h
 * --correlation 0.8` (or SIM_ASSETS / SIM_SERIES / SIM_CORRELATION); a bad value exits 2 with the reason.
 */
import { Wallet } from '@ethersproject/wallet';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LiveClock, ScaledClock } from '../clock';
import { CliError, parseWorldFlags, type WorldFlags } from './cli-args';
import type { SimServerName } from './options';
import { simEndpoints, startSim } from './start-sim';

const ENV_NAMES = { gamma: 'GAMMA_URL', clob: 'CLOB_URL', marketWs: 'MARKET_WS_URL', userWs: 'USER_WS_URL', polybolt: 'POLYBOLT_URL', rtds: 'RTDS_URL', spot: 'SPOT_URL', geoblock: 'GEOBLOCK_URL' } as const;

function fail(msg: string): never {
  console.error(`npm run sim: ${msg}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const speed = Number(process.env.SIM_SPEED ?? '1');
  if (!(speed > 0 && speed <= 1000)) fail(`SIM_SPEED must be a number in (0, 1000], got ${process.env.SIM_SPEED}`);
  const dialect = process.env.SIM_DIALECT ?? 'real';
  if (dialect !== 'real' && dialect !== 'tidy') fail(`SIM_DIALECT must be real or tidy, got ${dialect}`);
  const base = process.env.SIM_PORT_BASE ? Number(process.env.SIM_PORT_BASE) : undefined;
  if (base !== undefined && !(Number.isInteger(base) && base > 0 && base < 65_000)) fail(`SIM_PORT_BASE must be a port number, got ${process.env.SIM_PORT_BASE}`);
  let world: WorldFlags;
  try {
    world = parseWorldFlags(process.argv.slice(2), process.env);
  } catch (e) {
    if (e instanceof CliError) fail(e.message);
    throw e;
  }
  const clock = speed === 1 ? new LiveClock() : new ScaledClock(new LiveClock().nowMs(), speed);
  const names: SimServerName[] = ['gamma', 'clob', 'ws', 'polybolt', 'rtds', 'spot', 'control', 'external'];
  const ports = base ? Object.fromEntries(names.map((n, i) => [n, base + i])) : undefined;
  let sim: Awaited<ReturnType<typeof startSim>>;
  try {
    sim = await startSim({ clock, seed: process.env.SIM_SEED ?? 'updown-sim', dialect, ...world, ...(ports ? { ports } : {}) });
  } catch (e) {
    // Bad world options (series, assets, correlation matrix) are RangeErrors with the reason.
    if (e instanceof RangeError) fail(e.message);
    throw e;
  }

  // A throwaway wallet for this simulator only (it starts with simulated pUSD); its key goes to a 0600 file.
  const dir = mkdtempSync(join(tmpdir(), 'updown-sim-'));
  const keyFile = join(dir, 'sim-wallet.key');
  writeFileSync(keyFile, `${Wallet.createRandom().privateKey}\n`, { mode: 0o600 });

  const ep = simEndpoints(sim.urls);
  const lines = [
    ...Object.entries(ENV_NAMES).map(([k, name]) => `export ${name}=${ep[k as keyof typeof ep]}`),
    ...(clock instanceof ScaledClock ? [`export SIM_CLOCK=${clock.anchor()}`] : []),
    `export POLY_PRIVATE_KEY_FILE=${keyFile}`,
  ];
  const series = sim.model.series.map((s) => ({ slug: s.seriesSlug, id: s.seriesId, asset: s.asset, windowSec: s.durationSec }));
  console.log(JSON.stringify({ simulator: 'up/down console', speed, dialect, assets: sim.model.world.models.map((m) => m.asset), series, urls: sim.urls }, null, 2));
  console.log('\n# Paste these lines into the shell that runs `npm start` to trade against this simulator');
  console.log('# (paper by default; TRADING_MODE=live trades live here with the throwaway key):');
  console.log(lines.join('\n'));
  console.log('# control / fault API:', sim.urls.control);
  const stop = () => {
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Keep the process alive: the clocks' timers are unref'd.
  setInterval(() => {}, 1 << 30);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
