/**
 * One backtest job, as `npm run backtest -- <session...> --json` does it, inside the server: each session is
 * opened and replayed in turn (runReplay at full speed: the driver yields to the event loop at every new frame time,
 * so the server keeps answering) and reported per strategy and per window; several sessions also get a combined
 * report (their ledgers one after another, their hours added).
 *
 * Progress is per-mille of each session's time range (done / total with total = 1000 × sessions). Cancel through
 * the AbortSignal (the replay driver checks it between frames). The result is the CLI's --json shape; ledgers are
 * dropped as soon as the combined report is built. `summary` is the few figures `job.finished` carries.
 */
import 'server-only';
import { buildBacktestReport } from '../../bot/replay/backtest-report';
import { MarkoutTracker, mergeMarkouts, type MarkoutSums } from '../../bot/replay/backtest-markout';
import type { LedgerEntry } from '../../bot/replay/ledger-types';
import { reportToJson } from '../../bot/replay/report-format';
import type { SessionSource } from '../../bot/replay/session';
import { runReplay } from '../../bot/replay-run';
import type { RuntimeConfig } from '../schemas/config';
import type { Summary } from '../schemas/events';

export interface BacktestJobOptions {
  sessions: readonly string[];
  open: (ref: string) => Promise<SessionSource>;
  config: RuntimeConfig;
  signal: AbortSignal;
  onProgress: (done: number, total: number) => void;
}

export interface BacktestJobResult {
  result: { sessions: unknown[]; combined?: unknown };
  summary: Summary;
}

export async function runBacktestJob(o: BacktestJobOptions): Promise<BacktestJobResult> {
  const instances = o.config.strategies.map((s) => ({ id: s.id, type: s.type }));
  const total = 1_000 * o.sessions.length;
  const sessions: unknown[] = [];
  const all: LedgerEntry[] = [];
  let spanMs = 0;
  let events = 0;
  let last: ReturnType<typeof buildBacktestReport> | undefined;
  const markouts: Record<string, MarkoutSums>[] = [];
  for (const [i, ref] of o.sessions.entries()) {
    o.signal.throwIfAborted();
    const source = await o.open(ref);
    const m = source.manifest;
    const span = Math.max(1, m.endMs - m.startMs);
    o.onProgress(i * 1_000, total);
    const tracker = new MarkoutTracker();
    const r = await runReplay({
      source, config: o.config, signal: o.signal, onRuntime: (rt) => void tracker.attach(rt.bus), progressEvery: Math.max(500, Math.floor(m.frames / 100)),
      onProgress: (p) => o.onProgress(i * 1_000 + Math.min(999, Math.max(0, Math.floor((1_000 * (p.tsMs - m.startMs)) / span))), total),
    });
    markouts.push(tracker.result());
    const report = buildBacktestReport(r.ledger, { startMs: r.startMs, endMs: r.endMs }, instances, tracker.result());
    sessions.push({ session: r.sessionId, ref, ledgerHash: r.ledgerHash, events: r.events, strategies: r.strategies, ...(r.attribution ? { attribution: r.attribution } : {}), report: JSON.parse(reportToJson(report)) as unknown });
    if (o.sessions.length > 1) all.push(...r.ledger);
    spanMs += r.endMs - r.startMs;
    events += r.events;
    last = report;
    o.onProgress((i + 1) * 1_000, total);
  }
  const combined = o.sessions.length > 1 ? buildBacktestReport(all, { startMs: 0, endMs: spanMs }, instances, mergeMarkouts(...markouts)) : undefined;
  all.length = 0;
  const t = (combined ?? last)!.totals;
  return {
    result: { sessions, ...(combined ? { combined: JSON.parse(reportToJson(combined)) as unknown } : {}) },
    summary: {
      sessions: o.sessions.length, events, trades: t.trades, winRate: round(t.winRate), pnlUsd: round(t.pnlUsd), feesUsd: round(t.feesUsd),
      maxDrawdownUsd: round(t.maxDrawdownUsd), fillRatio: round(t.fillRatio), openAtEnd: t.openAtEnd,
    },
  };
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
