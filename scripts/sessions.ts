/**
 * `npm run sessions [-- --json]`: the recorded sessions in the data directory's index (DATA_DIR, default
 * ./data/live), newest first: id, format, time range, frames, size, markets, sources. The real sample in the
 * repository (samples/polymarket-btc-5m-books) is not indexed: replay it by its path.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../bot/store';
import { DATA_DIR, parseFlags, runMain } from './replay-common';

const USAGE = 'usage: npm run sessions [-- --json] [--limit N]';

runMain(async () => {
  const { values } = parseFlags(process.argv.slice(2), { json: { type: 'boolean' }, limit: { type: 'string' } }, USAGE);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const file = join(DATA_DIR, 'updown.sqlite');
  const rows = existsSync(file)
    ? (() => {
        const store = openStore(file);
        try {
          return store.recordings.list({ limit: Number(values.limit ?? 200) || 200 });
        } finally {
          store.close();
        }
      })()
    : [];
  if (values.json) {
    console.log(JSON.stringify({ dataDir: DATA_DIR, sessions: rows }));
    return 0;
  }
  if (rows.length === 0) {
    console.log(`no recorded sessions in ${DATA_DIR} (npm start / npm run demo / npm run record record by default; npm run synth makes synthetic days)`);
    console.log('the real sample replays by path: npm run replay -- samples/polymarket-btc-5m-books');
    return 0;
  }
  const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
  console.log(['id'.padEnd(34), 'format'.padEnd(11), 'from (UTC)'.padEnd(19), 'to (UTC)'.padEnd(19), 'frames'.padStart(11), 'MB'.padStart(8), 'markets'.padStart(8), ' sources'].join(' '));
  for (const r of rows) {
    console.log([
      r.id.padEnd(34), r.format.padEnd(11), iso(r.startMs), iso(r.endMs), r.frames.toLocaleString('en-US').padStart(11),
      (r.bytes / 1e6).toFixed(1).padStart(8), String(r.markets.length).padStart(8), ` ${r.sources.join(',')}${r.open ? ' (recording)' : ''}`,
    ].join(' '));
  }
  return 0;
});
