/**
 * `npm run doctor`: go/no-go preflight for the configuration `npm start` would run (same environment: TRADING_MODE,
 * VENUE (default polymarket), DATA_DIR (default ./data/live), GAMMA_URL / CLOB_URL / ... endpoint overrides,
 * POLY_* credentials, REFERENCE_FEED, SIM_CLOCK). One marker line per stage and a SUMMARY line:
 *
 *   [ OK ] clock skew: +0.2 s vs venue
 *   [FAIL] allowance: pUSD allowance for CTF Exchange V2 0xE111… is 0 — fix: …
 *   SUMMARY: NO-GO (allowance)
 *
 * Flags: --heartbeat (send one heartbeat: only when no bot runs with this key), --json (the report as JSON after the
 * lines), --help. Exit code 0 GO, 1 NO-GO, 2 bad flags or environment. VENUE=sim without endpoint variables starts an
 * embedded simulator. Secrets are never printed.
 */
import { resolve } from 'node:path';
import { LiveClock, ScaledClock, type Clock } from '../bot/clock';
import { CredsStore } from '../bot/execution';
import { runDoctor } from '../bot/doctor';
import { readCredentials, readEndpointOverrides, readServerEnv } from '../bot/config/server-env';
import { runtimeConfigSchema } from '../lib/schemas/config';
import { ENDPOINT_ENV, POLYMARKET_ENDPOINTS, type VenueEndpoints } from '../bot/core';

const USAGE = 'usage: npm run doctor [-- --heartbeat] [-- --json]';
const FLAGS = new Set(['--heartbeat', '--json', '--help', '-h']);

function badUsage(lines: string[]): number {
  for (const l of lines) console.error(`npm run doctor: ${l}`);
  console.error(USAGE);
  return 2;
}

async function main(argv: string[]): Promise<number> {
  const bad = argv.filter((a) => !FLAGS.has(a)).map((a) => `unknown flag ${a} (known: --heartbeat, --json, --help)`);
  if (bad.length) return badUsage(bad);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const source = { ...process.env, VENUE: process.env.VENUE || 'polymarket', DATA_DIR: process.env.DATA_DIR || './data/live' };
  let env: ReturnType<typeof readServerEnv>;
  let overrides: ReturnType<typeof readEndpointOverrides>;
  let creds: ReturnType<typeof readCredentials>;
  try {
    env = readServerEnv(source);
    overrides = readEndpointOverrides(source);
    creds = readCredentials(source);
  } catch (err) {
    return badUsage([err instanceof Error ? err.message : String(err)]);
  }
  const config = runtimeConfigSchema.parse({ mode: env.TRADING_MODE, venue: env.VENUE, sim: { seed: env.SIM_SEED, speed: env.SIM_SPEED } });
  const clock: Clock = env.SIM_CLOCK
    ? new ScaledClock(env.SIM_CLOCK.startMs, env.SIM_CLOCK.speed, env.SIM_CLOCK.realStartMs)
    : env.VENUE === 'sim' && env.SIM_SPEED !== 1
      ? new ScaledClock(Date.now(), env.SIM_SPEED)
      : new LiveClock();
  let endpoints: VenueEndpoints | undefined;
  if (Object.keys(overrides).length > 0) {
    const byKey = Object.fromEntries(Object.entries(ENDPOINT_ENV).flatMap(([k, name]) => (overrides[name as keyof typeof overrides] ? [[k, overrides[name as keyof typeof overrides]]] : [])));
    endpoints = { ...POLYMARKET_ENDPOINTS, ...byKey };
  }
  const series = config.series.filter((s) => s.enabled);
  const kinds = series.flatMap((s) => (s.windowSec === 300 ? ['5m' as const] : s.windowSec === 900 ? ['15m' as const] : []));
  console.log(`[ .. ] checking ${env.TRADING_MODE} trading on ${endpoints ? 'the configured endpoints' : env.VENUE === 'sim' ? 'an embedded simulator' : 'Polymarket'} (data dir ${env.DATA_DIR})…`);
  const result = await runDoctor({
    mode: env.TRADING_MODE,
    venue: env.VENUE,
    clock,
    ...(endpoints ? { endpoints } : {}),
    simSeed: env.SIM_SEED,
    ...(creds.key ? { envKey: creds.key } : {}),
    ...(creds.api ? { envApi: creds.api } : {}),
    credsStore: new CredsStore(resolve(env.DATA_DIR)),
    ...(env.REFERENCE_FEED === 'rtds' ? { referenceOverride: 'rtds' as const } : {}),
    heartbeat: argv.includes('--heartbeat'),
    asset: 'btc',
    kinds: kinds.length ? kinds : ['5m', '15m'],
    maxUsdPerTrade: config.risk.maxUsdPerTrade,
  });
  for (const l of result.lines) console.log(l);
  if (argv.includes('--json')) console.log(JSON.stringify(result.report, null, 2));
  return result.exitCode;
}

// The clocks' timers are unref'd: keep the process alive while checks wait on them (exit is explicit below).
setInterval(() => {}, 1 << 30);
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`npm run doctor: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
