/**
 * The sweep task of the strategy-additions bench (run in worker threads by bot/replay/sweep-pool.ts): one point = one
 * arm (a runtime config with a single strategy instance), replayed over that arm's sessions with a MarkoutTracker on
 * the replay's bus, reported as one backtest: PnL after fees, fees, max drawdown, fill ratio, markout at 30 s, trades,
 * fills and the ledger hashes (so both arms can be checked for identical ledgers).
 *
 * Sessions are replayed one after another: each session's ledger is shifted to start where the previous one ended
 * (synthetic sessions share a start time), so the drawdown curve runs through them in order. A Parquet session may come
 * imported once by the parent (`shared`, prepareSweepShared); recordings stream from disk.
 */
import type { RuntimeConfig } from '../../lib/schemas/config';
import { MarkoutTracker, mergeMarkouts, type MarkoutSums } from '../../bot/replay/backtest-markout';
import { buildBacktestReport } from '../../bot/replay/backtest-report';
import type { LedgerEntry } from '../../bot/replay/ledger-types';
import type { SessionSource } from '../../bot/replay/session';
import { openSweepSession, sharedSource, type SweepShared } from '../../bot/replay/sweep-shared';
import type { GridPoint } from '../../bot/replay/sweep-grid';
import { runReplay } from '../../bot/replay-run';

export interface ArmTaskOptions {
  /** One entry per point (`point.params.arm` indexes it). */
  arms: { config: RuntimeConfig; sessions: string[] }[];
}

const opened = new Map<string, Promise<SessionSource>>();

function sessionOf(ref: string, shared: SweepShared | undefined): Promise<SessionSource> {
  let s = opened.get(ref);
  if (!s) {
    const given = shared?.sessions[ref];
    s = given ? Promise.resolve(sharedSource(given)) : openSweepSession(ref, {});
    opened.set(ref, s);
  }
  return s;
}

export default async function strategyAdditionsTask(job: { point: GridPoint; options: ArmTaskOptions; shared?: unknown }): Promise<Record<string, number | string>> {
  const arm = job.options.arms[Number(job.point.params.arm)];
  if (!arm) throw new Error(`no arm ${String(job.point.params.arm)}`);
  const ledger: LedgerEntry[] = [];
  const markouts: Record<string, MarkoutSums>[] = [];
  const hashes: string[] = [];
  let spanMs = 0;
  let events = 0;
  for (const ref of arm.sessions) {
    const tracker = new MarkoutTracker();
    const r = await runReplay({ source: await sessionOf(ref, job.shared as SweepShared | undefined), config: arm.config, onRuntime: (rt) => void tracker.attach(rt.bus) });
    const shift = spanMs - r.startMs;
    for (const e of r.ledger) ledger.push({ ...e, tsMs: e.tsMs + shift });
    markouts.push(tracker.result());
    hashes.push(r.ledgerHash.slice(0, 16));
    spanMs += r.endMs - r.startMs;
    events += r.events;
  }
  const instances = arm.config.strategies.map((s) => ({ id: s.id, type: s.type }));
  const t = buildBacktestReport(ledger, { startMs: 0, endMs: spanMs }, instances, mergeMarkouts(...markouts)).totals;
  return {
    pnl_usd: t.pnlUsd,
    fees_usd: t.feesUsd,
    max_drawdown: t.maxDrawdownUsd,
    fill_ratio: t.fillRatio,
    ...(t.markout30s !== null && t.markout30s !== undefined ? { markout_30s: t.markout30s } : {}),
    trades: t.trades,
    fills: t.fills,
    events,
    ledgers: hashes.join(','),
  };
}
