/**
 * `npm run replay -- <session> [--speed N] [--config file] [--set path=value]... [--markets json] [--chunk N] [--json]`
 *
 * Replays a recorded session through the very strategy, risk, tracker and paper fill-model code that trades,
 * on a simulated clock, and prints the run's figures: ledger hash, events, events/s, trades, PnL after fees.
 * <session> is a session id (`npm run sessions`), a recording directory, the real sample's folder
 * (samples/polymarket-btc-5m-books) or a seed-001 CSV with --markets <json>. --speed paces simulated time against
 * the wall clock (60 = a minute per second; default: as fast as possible). Exit 0 done, 1 failed, 2 bad flags.
 */
import { loadReplayConfig } from '../bot/replay/replay-config';
import { runReplay } from '../bot/replay-run';
import { parseFlags, positiveNumber, resolveSession, runMain, UsageError } from './replay-common';

const USAGE = 'usage: npm run replay -- <session> [--speed N] [--config file] [--set path=value]... [--markets json] [--chunk N] [--json]';

runMain(async () => {
  const { values, positionals } = parseFlags(process.argv.slice(2), {
    speed: { type: 'string' }, config: { type: 'string' }, set: { type: 'string', multiple: true }, markets: { type: 'string' },
    chunk: { type: 'string' }, json: { type: 'boolean' },
  }, USAGE);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`expected exactly one session (got ${positionals.length})\n${USAGE}`);
  const speed = values.speed === 'max' ? 0 : positiveNumber('speed', values.speed, USAGE);
  const chunk = positiveNumber('chunk', values.chunk, USAGE);
  if (chunk !== undefined && (!Number.isInteger(chunk) || chunk < 1)) throw new UsageError(`--chunk must be a whole number >= 1\n${USAGE}`);
  const config = loadReplayConfig({ ...(values.config ? { file: values.config } : {}), ...(values.set ? { set: values.set } : {}) });
  const source = await resolveSession(positionals[0]!, values.markets);
  const r = await runReplay({ source, config, ...(speed ? { speed } : {}), ...(chunk ? { chunkSize: chunk } : {}) });
  const { ledger: _ledger, ...summary } = r;
  if (values.json) {
    console.log(JSON.stringify(summary));
    return 0;
  }
  const m = source.manifest;
  console.log(`session   ${r.sessionId} (${r.format}), ${new Date(r.startMs).toISOString()} .. ${new Date(r.endMs).toISOString()}, ${m.markets.length} markets`);
  if (r.attribution) console.log(`data      ${r.attribution}`);
  console.log(`replayed  ${r.events.toLocaleString('en-US')} frames in ${(r.wallMs / 1000).toFixed(2)} s (${r.eventsPerSec.toLocaleString('en-US')} frames/s), reference: ${r.reference}`);
  console.log(`trades    ${r.trades} fills, PnL after fees ${r.pnlUsd.toFixed(2)} USD (fees ${r.feesUsd.toFixed(2)} USD), open positions at the end: ${r.openPositions}`);
  console.log(`ledger    ${r.ledgerHash} (${r.ledgerEntries} entries)`);
  for (const s of r.strategies) console.log(`strategy  ${s.id.padEnd(18)} ${!s.enabled ? 'disabled' : s.canRun ? 'ran' : `cannot run: ${s.reason}`}`);
  for (const n of r.notes) console.log(`note      ${n}`);
  if (r.invalidFrames) console.log(`warning   ${r.invalidFrames} invalid frame(s) were skipped`);
  return 0;
});
