'use client';
/**
 * The decision log of one strategy instance, newest first: time, window, action, reason, outcome, p̂, ask, EV and z,
 * filtered by action. "outcome" says what came of the window: for a traded window the side taken and whether it won
 * once the window resolved; otherwise the winner when known, or the side the record favoured.
 *
 * Invariants: at most MAX_ROWS rows rendered (the rest is counted); numbers right-aligned and tabular; the table
 * scrolls inside its card (nothing clipped at 390 px).
 */
import { memo, useState } from 'react';
import { formatClock, formatProb } from '../../lib/format';
import { windowLabel } from '../ui/window-label';
import type { DecisionAction } from '../../lib/schemas/events';
import type { DecisionRow, StrategyDetail } from '../../lib/schemas/strategy-view';
import { Empty } from '../dashboard/numbers';
import { Card } from '../ui/card';

const MAX_ROWS = 200;
type Filter = 'all' | DecisionAction;
const actionTone: Record<DecisionAction, string> = { traded: 'text-emerald-300', skipped: 'text-amber-300', evaluated: 'text-slate-400' };

export function outcomeText(d: DecisionRow): { text: string; tone: string } {
  const r = d.record;
  if (r.action === 'traded' && r.outcome) {
    if (!d.winner) return { text: `${r.outcome.toUpperCase()} · open`, tone: 'text-slate-300' };
    return d.winner === r.outcome ? { text: `${r.outcome.toUpperCase()} · won`, tone: 'text-emerald-400' } : { text: `${r.outcome.toUpperCase()} · lost`, tone: 'text-red-400' };
  }
  if (d.winner) return { text: `${d.winner.toUpperCase()} won`, tone: 'text-slate-400' };
  return { text: r.outcome ? r.outcome.toUpperCase() : '—', tone: 'text-slate-400' };
}

const f2 = (v: number | undefined, digits = 2) => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits));
const cents = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(1)}`);

function DecisionTableImpl({ detail }: { detail: StrategyDetail }) {
  const [filter, setFilter] = useState<Filter>('all');
  const rows = filter === 'all' ? detail.decisions : detail.decisions.filter((d) => d.record.action === filter);
  const shown = rows.slice(0, MAX_ROWS);
  const kept = (a: DecisionAction) => detail.decisions.filter((d) => d.record.action === a).length;
  const filters: [Filter, string][] = [
    ['all', `all ${detail.decisions.length}`],
    ['traded', `traded ${kept('traded')}`],
    ['skipped', `skipped ${kept('skipped')}`],
    ['evaluated', `evaluated ${kept('evaluated')}`],
  ];
  const actions = (
    <div className="flex flex-wrap justify-end gap-1" role="group" aria-label="filter by action">
      {filters.map(([f, label]) => (
        <button
          key={f}
          type="button"
          data-testid={`filter-${f}`}
          aria-pressed={f === filter}
          onClick={() => setFilter(f)}
          className={`rounded px-2 py-0.5 text-xs tabular-nums ${f === filter ? 'bg-slate-700 text-slate-100' : 'bg-slate-800/60 text-slate-400 hover:text-slate-200'}`}
        >
          {label}
        </button>
      ))}
    </div>
  );
  return (
    <Card title="Decision log" actions={actions} testId="decision-log">
      {shown.length === 0 ? (
        <Empty testId="decisions-empty">
          {detail.decisions.length === 0 ? 'No decisions yet: each window of the series gets one traded / skipped record when it closes.' : `No ${filter} decisions among the kept ones.`}
        </Empty>
      ) : (
        <div className="max-h-[28rem] overflow-auto">
          <table className="w-full min-w-[860px] text-left text-sm" data-testid="decision-table">
            <thead className="sticky top-0 bg-slate-900 text-xs text-slate-500">
              <tr>
                <th className="py-1 font-normal">time (UTC)</th>
                <th className="font-normal">window</th>
                <th className="font-normal">action</th>
                <th className="font-normal">reason</th>
                <th className="font-normal">outcome</th>
                <th className="text-right font-normal">p̂ Up</th>
                <th className="text-right font-normal" title="best ask Up / Down (probability)">ask U / D</th>
                <th className="text-right font-normal" title="EV of buying Up / Down after fees, ¢ per share">EV U / D (¢)</th>
                <th className="pr-1 text-right font-normal">z</th>
              </tr>
            </thead>
            <tbody className="font-mono text-xs tabular-nums">
              {shown.map((d) => {
                const r = d.record;
                const o = outcomeText(d);
                return (
                  <tr key={d.seq} className="border-t border-slate-800" data-seq={d.seq} data-action={r.action}>
                    <td className="whitespace-nowrap py-1 pr-2">{formatClock(r.atMs)}</td>
                    <td className="whitespace-nowrap pr-2" title={r.windowSlug}>{windowLabel(r.windowSlug)}</td>
                    <td className={`pr-2 font-sans ${actionTone[r.action]}`}>{r.action}</td>
                    <td className="max-w-[16rem] truncate pr-2 font-sans" title={r.reason}>{r.reason}</td>
                    <td className={`whitespace-nowrap pr-2 ${o.tone}`}>{o.text}</td>
                    <td className="text-right">{formatProb(r.pHat ?? r.up?.pHat, 3)}</td>
                    <td className="whitespace-nowrap pl-2 text-right">
                      {formatProb(r.up?.ask)} / {formatProb(r.down?.ask)}
                    </td>
                    <td className="whitespace-nowrap pl-2 text-right">
                      {cents(r.up?.ev)} / {cents(r.down?.ev)}
                    </td>
                    <td className="pl-2 pr-1 text-right">{f2(r.z)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {rows.length > shown.length && <p className="mt-1 text-xs text-slate-500">showing the newest {shown.length} of {rows.length}</p>}
        </div>
      )}
    </Card>
  );
}

export const DecisionTable = memo(DecisionTableImpl);
