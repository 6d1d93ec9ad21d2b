/**
 * The sweep's task (run in worker threads by bot/replay/sweep-pool.ts): one grid point = the base config with the
 * point's strategy parameters, replayed over every session of the sweep, reported as one backtest. Returns the
 * calibration metrics (seed 001's columns, in our units): trades, win rate, EV error, max drawdown, trade frequency,
 * PnL after fees, fees, fill ratio, and the ledger hash (so a sweep result can be reproduced with `npm run replay`).
 *
 * Sessions are opened once per worker and kept (a worker runs many points over the same sessions); an in-memory
 * import (Parquet, seed-001 CSV) is shared by every point, a recording is streamed from disk each time. A Parquet
 * session can be imported once by the parent instead (`prepareSweepShared`, runSweep's `shared`): the workers then
 * replay the very frames the import produced, and do not each spend the import's time at start.
 */
import type { RuntimeConfig } from '../lib/schemas/config';
import { buildBacktestReport } from './replay/backtest-report';
import type { LedgerEntry } from './replay/ledger-types';
import type { SessionSource } from './replay/session';
import { openSweepSession, sharedSource, type SweepShared } from './replay/sweep-shared';
import { applyPoint, type GridPoint } from './replay/sweep-grid';
import { runReplay } from './replay-run';


export interface SweepTaskOptions {
  config: RuntimeConfig;
  dataDir?: string;
  markets?: string;
  /** Session ids resolved to directories by the parent (workers do not open the store). */
  resolved?: Record<string, string>;
  /** Only these strategy instances run (the swept ones by default); the others are left out of the replay. */
  only?: string[];
}

const sessions = new Map<string, Promise<SessionSource>>();

function sessionOf(ref: string, o: SweepTaskOptions, shared?: SweepShared): Promise<SessionSource> {
  let s = sessions.get(ref);
  if (!s) {
    const given = shared?.sessions[ref];
    s = given ? Promise.resolve(sharedSource(given)) : openSweepSession(ref, o);
    sessions.set(ref, s);
  }
  return s;
}

export function sweepConfig(base: RuntimeConfig, point: GridPoint, only?: readonly string[]): RuntimeConfig {
  const cfg = applyPoint(base, point);
  if (!only?.length) return cfg;
  return { ...cfg, strategies: cfg.strategies.filter((s) => only.includes(s.id)) };
}

export default async function sweepTask(job: { point: GridPoint; sessions: readonly string[]; options: SweepTaskOptions; shared?: unknown }): Promise<Record<string, number | string>> {
  const config = sweepConfig(job.options.config, job.point, job.options.only);
  const ledger: LedgerEntry[] = [];
  let spanMs = 0;
  let events = 0;
  const hashes: string[] = [];
  for (const ref of job.sessions) {
    const source = await sessionOf(ref, job.options, job.shared as SweepShared | undefined);
    const r = await runReplay({ source, config });
    ledger.push(...r.ledger);
    spanMs += r.endMs - r.startMs;
    events += r.events;
    hashes.push(r.ledgerHash.slice(0, 16));
  }
  const instances = config.strategies.map((s) => ({ id: s.id, type: s.type }));
  const t = buildBacktestReport(ledger, { startMs: 0, endMs: spanMs }, instances).totals;
  return {
    trades: t.trades,
    win_rate: t.winRate,
    ev_error: t.evErrorMeanUsd,
    ev_error_abs: t.evErrorMeanAbsUsd,
    max_drawdown: t.maxDrawdownUsd,
    trades_per_hour: t.tradesPerHour,
    pnl_usd: t.pnlUsd,
    fees_usd: t.feesUsd,
    fill_ratio: t.fillRatio,
    events,
    ledger: hashes.join(','),
  };
}
