'use client';
/**
 * The what-if's two backtests side by side: for the current and the edited config, their progress while they run,
 * then trades, win rate, PnL after fees, fees and max drawdown, in total and per strategy (the edited column also
 * says how far it is from the current one).
 */
import { formatSignedUsd, formatUsd } from '../../lib/format';
import { headlineReport, type BacktestFigures, type BacktestJob } from '../../lib/schemas/config-what-if';
import { SignedUsd } from '../dashboard/numbers';

type Row = { key: string; label: string; current?: BacktestFigures | undefined; edited?: BacktestFigures | undefined };

const pct = (v: number | null | undefined, base: number) => (base > 0 && v !== null && v !== undefined ? `${(v * 100).toFixed(1)}%` : '—');

export function BacktestCompare({ current, edited }: { current: BacktestJob | undefined; edited: BacktestJob | undefined }) {
  const rc = current?.result ? headlineReport(current.result) : undefined;
  const re = edited?.result ? headlineReport(edited.result) : undefined;
  const ids = [...new Set([...(rc?.strategies ?? []), ...(re?.strategies ?? [])].map((s) => s.strategyId))];
  const rows: Row[] = [
    { key: 'total', label: 'All strategies', current: rc?.totals, edited: re?.totals },
    ...ids.map((id) => ({ key: id, label: id, current: rc?.strategies.find((s) => s.strategyId === id), edited: re?.strategies.find((s) => s.strategyId === id) })),
  ];
  return (
    <div className="flex flex-col gap-3" data-testid="what-if-compare">
      <div className="grid gap-3 sm:grid-cols-2">
        <JobHead label="Current config" job={current} testId="what-if-current" />
        <JobHead label="Edited config" job={edited} testId="what-if-edited" />
      </div>
      {(rc || re) && (
        <div className="overflow-x-auto">
          <table className="w-full min-w-[720px] text-sm" data-testid="what-if-table">
            <thead className="text-xs text-slate-500">
              <tr>
                <th className="py-1 pr-2 text-left font-medium">Strategy</th>
                <th className="px-2 text-left font-medium">Config</th>
                <th className="px-2 text-right font-medium">Trades</th>
                <th className="px-2 text-right font-medium">Win rate (%)</th>
                <th className="px-2 text-right font-medium">PnL after fees (USD)</th>
                <th className="px-2 text-right font-medium">Δ PnL (USD)</th>
                <th className="px-2 text-right font-medium">Fees (USD)</th>
                <th className="pl-2 text-right font-medium">Max drawdown (USD)</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <FigureRows key={r.key} row={r} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function FigureRows({ row }: { row: Row }) {
  const cells = (f: BacktestFigures | undefined, which: 'current' | 'edited') => (
    <tr className={which === 'current' ? 'border-t border-slate-800' : ''} data-testid={`what-if-row-${which}`} data-strategy={row.key}>
      {which === 'current' ? (
        <td rowSpan={2} className="whitespace-nowrap py-1 pr-2 align-top font-mono text-slate-200">
          {row.label}
        </td>
      ) : null}
      <td className={`px-2 text-xs ${which === 'edited' ? 'text-sky-300' : 'text-slate-400'}`}>{which}</td>
      <td className="px-2 text-right font-mono tabular-nums" data-testid="trades">{f ? f.trades : '—'}</td>
      <td className="px-2 text-right font-mono tabular-nums">{f ? pct(f.winRate, f.resolvedTrades) : '—'}</td>
      <td className="px-2 text-right" data-testid="pnl">
        {f ? <SignedUsd value={f.pnlUsd} /> : '—'}
      </td>
      <td className="px-2 text-right font-mono tabular-nums text-slate-400">
        {which === 'edited' && f && row.current && f.pnlUsd !== null && row.current.pnlUsd !== null ? formatSignedUsd(f.pnlUsd - row.current.pnlUsd) : ''}
      </td>
      <td className="px-2 text-right font-mono tabular-nums">{f && f.feesUsd !== null ? formatUsd(f.feesUsd) : '—'}</td>
      <td className="pl-2 text-right font-mono tabular-nums">{f && f.maxDrawdownUsd !== null ? formatUsd(f.maxDrawdownUsd) : '—'}</td>
    </tr>
  );
  return (
    <>
      {cells(row.current, 'current')}
      {cells(row.edited, 'edited')}
    </>
  );
}

function JobHead({ label, job, testId }: { label: string; job: BacktestJob | undefined; testId: string }) {
  const rep = job?.result ? headlineReport(job.result) : undefined;
  const { done = 0, total = 1 } = job?.progress ?? {};
  const pctDone = total > 0 ? Math.min(100, (done / total) * 100) : 0;
  return (
    <div className="rounded-lg border border-slate-800 bg-slate-950/40 p-3" data-testid={testId} data-status={job?.status ?? 'loading'}>
      <div className="flex items-baseline justify-between gap-2">
        <span className="text-sm font-semibold text-slate-200">{label}</span>
        <span className="font-mono text-xs text-slate-400">{job?.status ?? 'loading…'}</span>
      </div>
      {job?.status === 'running' && (
        <div className="mt-2 h-1.5 overflow-hidden rounded bg-slate-800" role="progressbar" aria-valuenow={done} aria-valuemax={total}>
          <div className="h-full bg-sky-500 transition-[width] duration-300" style={{ width: `${pctDone}%` }} />
        </div>
      )}
      {job?.error && <p className="mt-2 text-xs text-red-400">{job.error}</p>}
      {rep && (
        <dl className="mt-2 grid grid-cols-3 gap-2 text-xs">
          <Fig label="Trades" value={String(rep.totals.trades)} testId={`${testId}-trades`} />
          <Fig label="Win rate" value={pct(rep.totals.winRate, rep.totals.resolvedTrades)} />
          <div>
            <dt className="text-slate-500">PnL after fees</dt>
            <dd className="text-base" data-testid={`${testId}-pnl`}>
              <SignedUsd value={rep.totals.pnlUsd} />
            </dd>
          </div>
          <Fig label="Fees" value={rep.totals.feesUsd !== null ? formatUsd(rep.totals.feesUsd) : '—'} />
          <Fig label="Max drawdown" value={rep.totals.maxDrawdownUsd !== null ? formatUsd(rep.totals.maxDrawdownUsd) : '—'} />
          <Fig label="Open at end" value={String(rep.totals.openAtEnd)} />
        </dl>
      )}
    </div>
  );
}

function Fig({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div>
      <dt className="text-slate-500">{label}</dt>
      <dd className="font-mono text-base tabular-nums text-slate-100" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}
