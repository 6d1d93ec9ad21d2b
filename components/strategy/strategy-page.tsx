'use client';
/**
 * The Strategy page's client root: a picker of the strategy instances (configured first, then any seen only in this
 * runtime's events), and for the picked one its latest decision, its signals (why each quote or trade) and learning
 * updates, p̂ / ask / EV / z charts, the decision log and its own orders, fills, positions and PnL. The picked id lives in the URL (?id=) so a reload or a link keeps it.
 *
 * The series filter (URL) narrows the decisions, charts, orders, fills and positions to its series (by window slug);
 * the PnL line stays the instance's total over every series.
 *
 * Invariants: loading, empty and error states in place; live updates at most 10 renders/s (use-strategy-view.ts).
 */
import { useState } from 'react';
import { formatClock, formatProb } from '../../lib/format';
import { windowLabel } from '../ui/window-label';
import type { DecisionRow, StrategyDetail, StrategyInstanceRow, StrategyView } from '../../lib/schemas/strategy-view';
import { ApiCallError } from '../live/api-client';
import { Empty } from '../dashboard/numbers';
import { Badge } from '../ui/badge';
import { Card } from '../ui/card';
import { countsText, SeriesFilter, useSeriesFilter } from '../ui/series-filter';
import { DecisionCharts } from './decision-charts';
import { DecisionTable, outcomeText } from './decision-table';
import { LearningCard } from './learning-card';
import { SignalsCard } from './signals-card';
import { StrategyTrades } from './strategy-trades';
import { useStrategyView } from './use-strategy-view';

const HINTS: Record<string, string> = {
  hammer: 'No evaluations with figures yet: the hammer evaluates p̂, ask and EV in the last seconds of each window (hammerSecs).',
};
const hintFor = (type: string | null) =>
  (type && HINTS[type]) ?? `No p̂ / ask / EV figures from this instance${type ? ` (${type})` : ''}: its decision records carry entries, exits and reasons only.`;

function Picker({ instances, current, onPick }: { instances: StrategyInstanceRow[]; current: string | undefined; onPick: (id: string) => void }) {
  return (
    <nav className="flex flex-wrap gap-2" aria-label="strategy instances" data-testid="instance-picker">
      {instances.map((i) => (
        <button
          key={i.id}
          type="button"
          data-testid={`instance-${i.id}`}
          aria-pressed={i.id === current}
          onClick={() => onPick(i.id)}
          className={`rounded-lg border px-3 py-1.5 text-left text-sm ${i.id === current ? 'border-sky-500/60 bg-sky-500/10 text-slate-100' : 'border-slate-800 bg-slate-900/60 text-slate-300 hover:border-slate-600'}`}
        >
          <span className="font-medium">{i.id}</span>
          <span className="ml-2 text-xs text-slate-500">{i.type ?? '?'}</span>
          <span className="ml-2 font-mono text-xs tabular-nums text-slate-400">{i.decisions}</span>
          {i.enabled === false && <span className="ml-2 text-xs text-amber-300">disabled</span>}
          {!i.configured && <span className="ml-2 text-xs text-slate-500">not configured</span>}
        </button>
      ))}
    </nav>
  );
}

function LatestDecision({ d }: { d: DecisionRow | undefined }) {
  if (!d) return <Card title="Latest decision" testId="latest-decision"><Empty testId="latest-empty">No decision yet.</Empty></Card>;
  const r = d.record;
  const o = outcomeText(d);
  const ev = (v: number | undefined) => (v === undefined ? '—' : `${(v * 100).toFixed(1)} ¢`);
  return (
    <Card title="Latest decision" testId="latest-decision">
      <div className="flex flex-wrap items-baseline gap-x-6 gap-y-2" data-seq={d.seq}>
        <Badge tone={r.action === 'traded' ? 'ok' : r.action === 'skipped' ? 'warn' : 'neutral'} testId="latest-action">{r.action}</Badge>
        <span className="font-mono text-sm" data-testid="latest-reason">{r.reason}</span>
        <span className="text-sm text-slate-400" title={r.windowSlug} data-testid="latest-window">{windowLabel(r.windowSlug)}</span>
        <span className="font-mono text-sm tabular-nums text-slate-400">{formatClock(r.atMs)} UTC</span>
        <span className={`font-mono text-sm ${o.tone}`}>{o.text}</span>
        <span className="font-mono text-sm tabular-nums">p̂ Up {formatProb(r.pHat ?? r.up?.pHat, 3)}</span>
        <span className="font-mono text-sm tabular-nums">EV U {ev(r.up?.ev)} · D {ev(r.down?.ev)}</span>
        <span className="font-mono text-sm tabular-nums">z {r.z === undefined ? '—' : r.z.toFixed(2)}</span>
      </div>
    </Card>
  );
}

/** The detail narrowed to the rows whose window passes `match` (the same object when nothing is filtered). */
export function scopeDetail(d: StrategyDetail, match: (slug: string) => boolean, scoped: boolean): StrategyDetail {
  if (!scoped) return d;
  return {
    ...d,
    decisions: d.decisions.filter((x) => match(x.record.windowSlug)),
    series: d.series.map((x) => ({ ...x, points: x.points.filter((p) => match(p.windowSlug)) })).filter((x) => x.points.length > 0),
    orders: d.orders.filter((x) => match(x.windowSlug)),
    fills: d.fills.filter((x) => match(x.windowSlug)),
    positions: d.positions.filter((x) => match(x.windowSlug)),
  };
}

/** The current URL with `id` set (every other parameter, the series filter included, kept). */
function urlWithId(id: string | null): string {
  const p = new URLSearchParams(window.location.search);
  if (id) p.set('id', id);
  else p.delete('id');
  const q = p.toString();
  return `/strategy${q ? `?${q}` : ''}`;
}

export function StrategyPage({ initialId, initial = null }: { initialId: string | null; initial?: StrategyView | null }) {
  const [id, setId] = useState<string | null>(initialId);
  const { data, error, isLoading } = useStrategyView(id, id === initialId ? initial : null);
  const filter = useSeriesFilter();
  const pick = (next: string) => {
    setId(next);
    window.history.replaceState(null, '', urlWithId(next));
  };
  if (isLoading) return <p className="py-8 text-center text-sm text-slate-500" data-testid="strategy-loading">Loading strategies…</p>;
  if (error && !data) {
    const msg = error instanceof ApiCallError ? error.message : String(error);
    return (
      <div className="flex flex-col gap-3" data-testid="strategy-page">
        <p className="rounded-md border border-red-900 bg-red-950/40 px-3 py-2 text-sm text-red-300" data-testid="strategy-error">Could not load the strategy view: {msg}</p>
        {id && <button type="button" className="self-start text-sm text-sky-300 underline" onClick={() => { setId(null); window.history.replaceState(null, '', urlWithId(null)); }}>show the first instance instead</button>}
      </div>
    );
  }
  if (!data) return null;
  const full = data.strategy;
  const d = full ? scopeDetail(full, filter.matchSlug, filter.scoped) : null;
  return (
    <div className="flex flex-col gap-4" data-testid="strategy-page" data-strategy={d?.id ?? ''}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-lg font-semibold">Strategy{d ? `: ${d.id}` : ''}</h1>
        {error && <span className="text-xs text-amber-300">refresh failed, showing the last data: {error.message}</span>}
      </div>
      {data.instances.length === 0 ? <Empty testId="no-instances">No strategy instances are configured.</Empty> : <Picker instances={data.instances} current={d?.id} onPick={pick} />}
      <SeriesFilter filter={filter} counts={full && d ? countsText(filter, d.decisions.length, full.decisions.length, 'decisions') : undefined} />
      {d && (
        <>
          <LatestDecision d={d.decisions[0]} />
          <SignalsCard key={`s-${d.id}`} signals={d.signals} />
          {d.learning && d.learning.length > 0 && <LearningCard rows={d.learning} />}
          <DecisionCharts key={d.id} series={d.series} emptyHint={hintFor(d.type)} />
          <DecisionTable key={`t-${d.id}`} detail={d} />
          <StrategyTrades detail={d} sinceMs={data.sinceMs} />
        </>
      )}
    </div>
  );
}
