'use client';
/**
 * The calibration page's form: a session (GET /api/sessions), grid rows `parameter = v1, v2, ...` (pre-filled with
 * a 3 × 2 grid of the time-bucket strategy, which trades on the bundled sample: the hammer needs a reference price
 * the sample lacks), the metric to rank by, and Start / Cancel. Starting and cancelling are the parent's job; this
 * leaf only builds the request and reports it.
 *
 * With a series filter, only sessions that recorded a market of its series are offered (a session that lists no
 * markets stays).
 *
 * Invariants: the grid is checked here for shape only (keys, at least one value each); the server validates every
 * value with the strategy's schema and answers field errors, shown under the form.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { type SessionEntry, sessionEntrySchema, type SweepRequest } from '../../lib/schemas/replay-api';
import { apiCall } from '../live/api-client';
import { Button } from '../ui/button';
import type { SeriesFilterState } from '../ui/series-filter';
import { type GridRow, gridOf, rankMetrics, type RankMetric } from './sweep-result';

const sessionsResponseSchema = sessionEntrySchema.array();
const MAX_ROWS = 6;

export const DEFAULT_GRID: readonly GridRow[] = [
  { key: 'time-bucket.entryBidThreshold', values: '0.55,0.6,0.65' },
  { key: 'time-bucket.slOffset', values: '0.1,0.2' },
];

const input = 'min-w-0 rounded-md border border-slate-700 bg-slate-900 px-2 py-1.5 text-sm';

export function SweepForm({ onStart, onCancel, starting, running, canceling, error, filter }: { onStart: (req: SweepRequest) => void; onCancel: () => void; starting: boolean; running: boolean; canceling: boolean; error: string | null; filter?: Pick<SeriesFilterState, 'scoped' | 'matchSlug' | 'label'> }) {
  const sessions = useQuery({
    queryKey: ['replay-sessions'],
    queryFn: async (): Promise<SessionEntry[]> => sessionsResponseSchema.parse((await apiCall<{ sessions: unknown }>('/api/sessions')).sessions),
  });
  const [picked, setPicked] = useState('');
  const [rows, setRows] = useState<GridRow[]>(() => DEFAULT_GRID.map((r) => ({ ...r })));
  const [metric, setMetric] = useState<RankMetric>('pnl_usd');
  const [formError, setFormError] = useState<string | null>(null);
  const all = sessions.data ?? [];
  const list = filter?.scoped ? all.filter((s) => s.markets.length === 0 || s.markets.some((m) => filter.matchSlug(m))) : all;
  const ref = (list.some((s) => s.ref === picked) ? picked : '') || list[0]?.ref || '';

  const setRow = (i: number, patch: Partial<GridRow>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const start = () => {
    const g = gridOf(rows);
    if ('error' in g) return setFormError(g.error);
    setFormError(null);
    onStart({ sessions: [ref], grid: g.grid, metric });
  };

  return (
    <div className="flex flex-col gap-3" data-testid="sweep-form">
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor="calib-session" className="w-16 text-xs text-slate-500">
          session
        </label>
        {sessions.isPending ? (
          <span className="text-sm text-slate-500" data-testid="sessions-loading">Loading sessions…</span>
        ) : sessions.isError ? (
          <span className="text-sm text-red-400" data-testid="sessions-error">Could not list sessions: {sessions.error.message}</span>
        ) : list.length === 0 ? (
          <span className="text-sm text-slate-500" data-testid="sessions-empty">
            {all.length > 0 && filter ? <>No session recorded a market of {filter.label}.</> : <>No sessions: record one with <code className="font-mono">npm run record</code>.</>}
          </span>
        ) : (
          <select id="calib-session" data-testid="session-select" value={ref} onChange={(e) => setPicked(e.target.value)} className={`${input} max-w-full flex-1 sm:max-w-xl`}>
            {list.map((s) => (
              <option key={s.ref} value={s.ref}>
                {s.kind === 'sample' ? 'sample: ' : ''}
                {s.id}
              </option>
            ))}
          </select>
        )}
      </div>
      <fieldset className="flex flex-col gap-2" data-testid="grid-rows">
        <legend className="mb-1 text-xs text-slate-500">grid: parameter = comma-separated values (instance.field or a seed-001 key)</legend>
        {rows.map((r, i) => (
          <div key={i} className="flex flex-wrap items-center gap-2" data-testid="grid-row">
            <input aria-label={`parameter ${i + 1}`} data-testid={`grid-key-${i}`} value={r.key} onChange={(e) => setRow(i, { key: e.target.value })} placeholder="time-bucket.slOffset" className={`${input} w-full font-mono sm:w-72`} />
            <span className="hidden text-slate-500 sm:inline">=</span>
            <input aria-label={`values ${i + 1}`} data-testid={`grid-values-${i}`} value={r.values} onChange={(e) => setRow(i, { values: e.target.value })} placeholder="0.1,0.2" className={`${input} flex-1 font-mono`} />
            <button type="button" onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))} disabled={rows.length <= 1} className="rounded px-2 py-1 text-xs text-slate-400 hover:text-red-300 disabled:opacity-40" aria-label={`remove row ${i + 1}`}>
              remove
            </button>
          </div>
        ))}
        <div>
          <button type="button" onClick={() => setRows((rs) => [...rs, { key: '', values: '' }])} disabled={rows.length >= MAX_ROWS} className="rounded px-2 py-1 text-xs text-sky-300 hover:text-sky-200 disabled:opacity-40" data-testid="grid-add">
            + add parameter
          </button>
        </div>
      </fieldset>
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor="calib-metric" className="w-16 text-xs text-slate-500">
          rank by
        </label>
        <select id="calib-metric" data-testid="metric-select" value={metric} onChange={(e) => setMetric(e.target.value as RankMetric)} className={input}>
          {rankMetrics.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
        <div className="ml-auto flex gap-2">
          <Button variant="primary" busy={starting} disabled={!ref || running} onClick={start} data-testid="btn-sweep-start">
            Start sweep
          </Button>
          <Button variant="secondary" busy={canceling} disabled={!running} onClick={onCancel} data-testid="btn-sweep-cancel">
            Cancel
          </Button>
        </div>
      </div>
      {(formError ?? error) && (
        <p className="text-sm text-red-400" data-testid="start-error">
          {formError ?? error}
        </p>
      )}
    </div>
  );
}
