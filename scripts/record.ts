/**
 * `npm run record [-- --venue polymarket|sim] [--minutes N]`: record market data without trading.
 *
 * Runs the market-data side of the runtime (catalog, market socket, reference and spot feeds) in paper mode with
 * every strategy switched off, and records every raw frame into <DATA_DIR>/recordings/<session> (DATA_DIR default
 * ./data/live, like `npm start`), indexed for `npm run sessions` / `npm run replay`. The reference feed (PolyBolt)
 * needs CLOB API credentials (POLY_API_* or the ones `npm run keys` stored); without them only books and spot are
 * recorded, and it says so. Stops on Ctrl-C (or after --minutes) and closes the session cleanly.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LiveClock } from '../bot/clock';
import { readCredentials } from '../bot/config/server-env';
import { CredsStore } from '../bot/execution/creds-store';
import { createRuntime } from '../bot/runtime';
import { openStore } from '../bot/store';
import { runtimeConfigSchema } from '../lib/schemas/config';
import { DATA_DIR, parseFlags, positiveNumber, runMain, UsageError } from './replay-common';

const USAGE = 'usage: npm run record [-- --venue polymarket|sim] [--minutes N]';

runMain(async () => {
  const { values } = parseFlags(process.argv.slice(2), { venue: { type: 'string' }, minutes: { type: 'string' } }, USAGE);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const venue = values.venue ?? process.env.VENUE ?? 'polymarket';
  if (venue !== 'polymarket' && venue !== 'sim') throw new UsageError(`--venue must be polymarket or sim (got "${venue}")\n${USAGE}`);
  const minutes = positiveNumber('minutes', values.minutes, USAGE);
  mkdirSync(DATA_DIR, { recursive: true });
  const store = openStore(join(DATA_DIR, 'updown.sqlite'));
  const base = runtimeConfigSchema.parse({ mode: 'paper', venue });
  const config = { ...base, strategies: base.strategies.map((s) => ({ ...s, params: { ...s.params, enabled: false } })) };
  const creds = readCredentials(process.env);
  const runtime = createRuntime({
    instanceId: 'recorder', version: 'record', config, clock: new LiveClock(), store, dataDir: DATA_DIR,
    ...(creds.key ? { credentials: creds.key } : {}), ...(creds.api ? { apiCredentials: creds.api } : {}), credsStore: new CredsStore(DATA_DIR),
  });
  runtime.bus.on('runtime.notice', (e) => console.log(`${e.severity}: ${e.title}${e.detail ? ` (${e.detail})` : ''}`));
  const state = await runtime.start('npm run record');
  if (state !== 'running') throw new Error(`could not start: ${runtime.status().lastError ?? state}`);
  console.log(`recording ${venue} market data into ${join(DATA_DIR, 'recordings')} (no strategy trades). Ctrl-C stops.`);
  const wall = new LiveClock();
  const show = () => {
    const s = runtime.recorder?.stats;
    if (s) console.log(`${s.sessionId ?? '?'}: ${s.frames.toLocaleString('en-US')} frames, ${(s.bytes / 1e6).toFixed(1)} MB on disk, ${s.segments} segment(s)${s.dropped ? `, ${s.dropped} dropped` : ''}`);
  };
  const timer = wall.every(10_000, 'record-progress', show);
  await new Promise<void>((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
    if (minutes !== undefined) wall.after(minutes * 60_000, 'record-stop', () => done());
  });
  timer();
  await runtime.dispose('npm run record stopped');
  show();
  store.close();
  return 0;
});
