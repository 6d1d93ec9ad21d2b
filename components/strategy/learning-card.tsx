'use client';
/**
 * The Strategy page's "Learning" card (issue 14): the instance's learning-engine updates, newest first — when, how
 * many settled trades the step used, each signal's weight before → after with its hit rate, the config version the
 * step wrote, and why.
 *
 * Invariants: rendered only when the instance has updates (the page hides it otherwise); at most
 * signalViewLimits.learning rows (the read model's bound); the table scrolls inside its card (nothing clipped at
 * 390 px); numbers tabular.
 */
import { memo } from 'react';
import { formatClock } from '../../lib/format';
import type { LearningRow } from '../../lib/schemas/strategy-signals';
import { Card } from '../ui/card';
import { fmtPct, fmtWeight } from './signal-format';

function WeightChanges({ row }: { row: LearningRow }) {
  const u = row.update;
  const ids = [...new Set([...Object.keys(u.before), ...Object.keys(u.after)])];
  return (
    <div className="flex flex-wrap gap-x-3 gap-y-0.5">
      {ids.map((id) => {
        const b = u.before[id];
        const a = u.after[id];
        const tone = a === undefined || b === undefined || a === b ? 'text-slate-400' : a > b ? 'text-emerald-400' : 'text-red-400';
        return (
          <span key={id} className="whitespace-nowrap" data-testid="weight-change" data-id={id}>
            <span className="font-sans text-slate-400">{id}</span>{' '}
            <span data-cell="before">{fmtWeight(b)}</span> → <span className={tone} data-cell="after">{fmtWeight(a)}</span>
            <span className="text-slate-500"> ({fmtPct(u.accuracy[id])} hit)</span>
          </span>
        );
      })}
    </div>
  );
}

function LearningCardImpl({ rows }: { rows: readonly LearningRow[] }) {
  return (
    <Card title="Learning" testId="learning-card">
      <div className="max-h-[24rem] overflow-auto">
        <table className="w-full min-w-[720px] text-left text-sm" data-testid="learning-table">
          <thead className="sticky top-0 bg-slate-900 text-xs text-slate-500">
            <tr>
              <th className="py-1 font-normal">time (UTC)</th>
              <th className="text-right font-normal">trades</th>
              <th className="pl-3 font-normal">weight before → after (hit rate)</th>
              <th className="text-right font-normal">config v</th>
              <th className="pl-3 font-normal">reason</th>
            </tr>
          </thead>
          <tbody className="font-mono text-xs tabular-nums">
            {rows.map((r) => (
              <tr key={r.seq} className="border-t border-slate-800 align-top [&>td]:py-1" data-testid="learning-row" data-seq={r.seq}>
                <td className="whitespace-nowrap pr-2">{formatClock(r.tsMs)}</td>
                <td className="pr-2 text-right" data-cell="trades">{r.update.trades}</td>
                <td className="pl-3 pr-2"><WeightChanges row={r} /></td>
                <td className="pr-2 text-right" data-cell="config-version">{r.update.configVersion ?? '—'}</td>
                <td className="max-w-[20rem] pl-3 font-sans" data-cell="reason">{r.update.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

export const LearningCard = memo(LearningCardImpl);
