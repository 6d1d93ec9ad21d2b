/**
 * `npm run sweep -- --grid '{"d_min":[3,5,8],"hammer_secs":[10,15]}' <session...> [--set hammer.dMin=3,5,8]...
 *  [--strategy id] [--metric pnl_usd] [--workers N] [--config file] [--markets json] [--out prefix] [--json]`
 *
 * Calibration: every point of a parameter grid is replayed over the sessions (the full runtime on a simulated clock,
 * as `npm run backtest`), in worker threads, with a progress bar. Grid keys are config fields of the target strategy
 * instance (`dMin`, `hammer.dMin`) or seed 001's keys (watch_return_threshold, hammer_secs, d_min, max_entry_price,
 * fee_bps), validated before any work. Results: a table, and <out>.csv / <out>.json (default
 * <DATA_DIR>/sweeps/sweep-<time>; the folder is created) with
 * the robust ranges (per parameter, the values in the top 20 % by --metric). Ctrl-C cancels (workers terminated).
 * Only the swept strategy instance trades (--all runs every enabled instance). Exit 0 done, 1 failed, 2 bad flags.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { SingleBar, Presets } from 'cli-progress';
import { loadReplayConfig } from '../bot/replay/replay-config';
import { sweepReport, toCsv } from '../bot/replay/robust-ranges';
import { expandGrid, gridFromFlags, parseGrid } from '../bot/replay/sweep-grid';
import { defaultSweepBundleDir } from '../bot/replay/sweep-bundle';
import { runSweep, SweepAbortError, type SweepBundleEvent } from '../bot/replay/sweep-pool';
import { prepareSweepShared } from '../bot/replay/sweep-shared';
import { DATA_DIR, IMPORT_CACHE_DIR, lookupSessionId, parseFlags, positiveNumber, reportCacheEvent, runMain, UsageError } from './replay-common';

const USAGE = `usage: npm run sweep -- --grid '{"d_min":[3,5,8]}' <session...> [--set key=v1,v2]... [--strategy id] [--metric pnl_usd]
       [--workers N] [--config file] [--markets json] [--out prefix] [--all] [--json]`;
const LOWER_IS_BETTER = new Set(['max_drawdown', 'ev_error_abs', 'fees_usd']);
const TASK = fileURLToPath(new URL('../bot/sweep-task.ts', import.meta.url));

function reportBundleEvent(e: SweepBundleEvent): void {
  if (e.kind === 'failed') process.stderr.write(`sweep: the workers' code could not be bundled (${e.reason}); they load the TypeScript through tsx\n`);
}

runMain(async () => {
  const { values, positionals } = parseFlags(process.argv.slice(2), {
    grid: { type: 'string' }, set: { type: 'string', multiple: true }, strategy: { type: 'string' }, metric: { type: 'string' },
    workers: { type: 'string' }, config: { type: 'string' }, markets: { type: 'string' }, out: { type: 'string' }, all: { type: 'boolean' }, json: { type: 'boolean' },
  }, USAGE);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError(`expected at least one session\n${USAGE}`);
  if (!values.grid && !values.set) throw new UsageError(`a grid is needed: --grid '{...}' or --set key=v1,v2\n${USAGE}`);
  const config = loadReplayConfig(values.config ? { file: values.config } : {});
  let raw: Record<string, unknown> = {};
  if (values.grid) {
    try {
      raw = JSON.parse(values.grid) as Record<string, unknown>;
    } catch (err) {
      throw new UsageError(`--grid is not valid JSON (${err instanceof Error ? err.message : String(err)})\n${USAGE}`);
    }
  }
  if (values.set) raw = { ...raw, ...gridFromFlags(values.set) };
  let grid;
  try {
    grid = parseGrid(raw, { config, ...(values.strategy ? { strategy: values.strategy } : {}) });
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
  const points = expandGrid(grid);
  const metric = values.metric ?? 'pnl_usd';
  const workersFlag = positiveNumber('workers', values.workers, USAGE);
  const workers = Math.max(1, Math.min(points.length, Math.floor(workersFlag ?? Math.max(1, availableParallelism()))));
  const resolved: Record<string, string> = {};
  for (const ref of positionals) {
    const dir = lookupSessionId(ref);
    if (dir) resolved[ref] = dir;
  }
  const targets = [...new Set(points.flatMap((p) => Object.keys(p.params).map((k) => k.split('.')[0]!)))];
  const bar = values.json || !process.stderr.isTTY ? undefined : new SingleBar({ format: 'sweep [{bar}] {value}/{total} points | {eta_formatted} left | last: {last}', hideCursor: true }, Presets.shades_classic);
  bar?.start(points.length, 0, { last: '-' });
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  const t0 = Date.now();
  let result;
  try {
    const taskOptions = { config, dataDir: DATA_DIR, importCacheDir: IMPORT_CACHE_DIR, resolved, ...(values.markets ? { markets: values.markets } : {}), ...(values.all ? {} : { only: targets }) };
    result = await runSweep({
      points, sessions: positionals, workers, task: TASK, signal: abort.signal, taskOptions,
      // Costly in-memory imports (the real sample) run once, here, while the workers start (called once they are spawned).
      shared: () => prepareSweepShared(positionals, taskOptions, reportCacheEvent),
      // The workers load one bundle of their code (built once per code change) instead of compiling it through tsx.
      bundle: { dir: defaultSweepBundleDir(), onEvent: reportBundleEvent },
      onProgress: (done, total, row) => {
        if (bar) bar.update(done, { last: row.error ? 'error' : `${metric}=${String(row.metrics[metric] ?? '?')}` });
        else process.stderr.write(`sweep ${done}/${total}\n`);
      },
    });
  } catch (err) {
    bar?.stop();
    if (err instanceof SweepAbortError) {
      process.stderr.write(`sweep cancelled after ${err.done}/${err.total} points\n`);
      return 130;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
  }
  bar?.stop();
  const report = sweepReport(result.rows, { metric, higherIsBetter: !LOWER_IS_BETTER.has(metric), tieBreakers: [{ metric: 'win_rate', higherIsBetter: true }, { metric: 'ev_error_abs', higherIsBetter: false }] });
  // Beside the data, not in whatever directory the command ran from.
  const prefix = values.out ?? join(DATA_DIR, 'sweeps', `sweep-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(dirname(prefix), { recursive: true });
  writeFileSync(`${prefix}.csv`, toCsv(result.rows));
  writeFileSync(`${prefix}.json`, JSON.stringify(report, null, 2));
  const secs = (Date.now() - t0) / 1000;
  const events = result.rows.reduce((s, r) => s + (typeof r.metrics.events === 'number' ? r.metrics.events : 0), 0);
  if (values.json) {
    console.log(JSON.stringify({ points: points.length, workers, seconds: secs, eventsPerSec: Math.round(events / secs), files: [`${prefix}.csv`, `${prefix}.json`], ...report }));
    return 0;
  }
  const keys = Object.keys(points[0]?.params ?? {});
  const cols = [...keys, 'trades', 'win_rate', 'ev_error', 'max_drawdown', 'trades_per_hour', 'pnl_usd'];
  const fmt = (v: unknown) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : String(v ?? ''));
  const width = cols.map((c) => Math.max(10, c.length + 2));
  console.log(cols.map((c, i) => c.padStart(width[i]!)).join(''));
  for (const row of report.robustRanges.top.map((i) => result.rows[i]!).slice(0, 20)) {
    console.log(cols.map((c, i) => fmt(c in row.params ? row.params[c] : row.metrics[c]).padStart(width[i]!)).join('') + (row.error ? `  error: ${row.error}` : ''));
  }
  console.log(`\nrobust ranges (top ${Math.round(report.robustRanges.topFraction * 100)} % by ${metric}, ${report.robustRanges.ranked} runs ranked):`);
  for (const [k, r] of Object.entries(report.robustRanges.ranges)) console.log(`  ${k}: ${r.min ?? '-'} .. ${r.max ?? '-'}  (values ${r.values.join(', ')})`);
  const failed = result.rows.filter((r) => r.error).length;
  console.log(`\n${points.length} points x ${positionals.length} session(s) in ${secs.toFixed(1)} s with ${workers} worker(s), ${Math.round(events / secs).toLocaleString('en-US')} events/s${failed ? `, ${failed} failed` : ''}`);
  console.log(`results: ${prefix}.csv, ${prefix}.json`);
  return 0;
});
