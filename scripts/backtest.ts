/**
 * `npm run backtest -- <session...> [--config file] [--set path=value]... [--markets json] [--json] [--csv file]
 *  [--windows]`
 *
 * Replays each session (see `npm run replay`) and reports per strategy and per window: trades, win rate, EV error
 * (predicted vs realised), max drawdown, trade frequency, PnL after fees, fees, fill ratio. With several sessions a
 * combined report follows (the sessions' ledgers one after another, their hours added). --json prints the reports
 * as JSON; --csv <file> writes the per-strategy CSV (and <file>.windows.csv). Exit 0 done, 1 failed, 2 bad flags.
 */
import { writeFileSync } from 'node:fs';
import { buildBacktestReport } from '../bot/replay/backtest-report';
import { MarkoutTracker, mergeMarkouts, type MarkoutSums } from '../bot/replay/backtest-markout';
import { loadReplayConfig } from '../bot/replay/replay-config';
import { reportToCsv, reportToJson, reportToTerminal } from '../bot/replay/report-format';
import type { LedgerEntry } from '../bot/replay/ledger-types';
import { runReplay } from '../bot/replay-run';
import { parseFlags, resolveSession, runMain, UsageError } from './replay-common';

const USAGE = 'usage: npm run backtest -- <session...> [--config file] [--set path=value]... [--markets json] [--json] [--csv file] [--windows]';

runMain(async () => {
  const { values, positionals } = parseFlags(process.argv.slice(2), {
    config: { type: 'string' }, set: { type: 'string', multiple: true }, markets: { type: 'string' }, json: { type: 'boolean' },
    csv: { type: 'string' }, windows: { type: 'boolean' },
  }, USAGE);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError(`expected at least one session\n${USAGE}`);
  const config = loadReplayConfig({ ...(values.config ? { file: values.config } : {}), ...(values.set ? { set: values.set } : {}) });
  const instances = config.strategies.map((s) => ({ id: s.id, type: s.type }));
  const reports = [];
  const all: LedgerEntry[] = [];
  let spanMs = 0;
  const markouts: Record<string, MarkoutSums>[] = [];
  for (const ref of positionals) {
    const source = await resolveSession(ref, values.markets);
    const tracker = new MarkoutTracker();
    const r = await runReplay({ source, config, onRuntime: (rt) => void tracker.attach(rt.bus) });
    markouts.push(tracker.result());
    const report = buildBacktestReport(r.ledger, { startMs: r.startMs, endMs: r.endMs }, instances, tracker.result());
    reports.push({ session: r.sessionId, ledgerHash: r.ledgerHash, events: r.events, strategies: r.strategies, report });
    all.push(...r.ledger);
    spanMs += r.endMs - r.startMs;
  }
  const combined = reports.length > 1 ? buildBacktestReport(all, { startMs: 0, endMs: spanMs }, instances, mergeMarkouts(...markouts)) : undefined;
  if (values.csv) {
    const target = combined ?? reports[0]!.report;
    writeFileSync(values.csv, reportToCsv(target, 'strategies'));
    writeFileSync(`${values.csv}.windows.csv`, reportToCsv(target, 'windows'));
  }
  if (values.json) {
    const sessions = reports.map((x) => ({ session: x.session, ledgerHash: x.ledgerHash, events: x.events, strategies: x.strategies, report: JSON.parse(reportToJson(x.report)) as unknown }));
    console.log(JSON.stringify({ sessions, ...(combined ? { combined: JSON.parse(reportToJson(combined)) as unknown } : {}) }));
    return 0;
  }
  for (const x of reports) {
    console.log(`\n== ${x.session}: ${x.events.toLocaleString('en-US')} frames, ledger ${x.ledgerHash.slice(0, 16)}`);
    for (const s of x.strategies) if (s.enabled && !s.canRun) console.log(`   ${s.id}: cannot run (${s.reason})`);
    console.log(reportToTerminal(x.report, { windows: values.windows ?? false }));
  }
  if (combined) {
    console.log(`\n== combined: ${reports.length} sessions, ${(spanMs / 3_600_000).toFixed(2)} h`);
    console.log(reportToTerminal(combined));
  }
  if (values.csv) console.log(`\nCSV written to ${values.csv} and ${values.csv}.windows.csv`);
  return 0;
});
