'use client';
/**
 * The Audit page: every operator action and every automatic safety action, newest first, with time (UTC), actor,
 * action, source and a one-line summary; a row opens its detail (the config diff as a table, then the stored JSON).
 * Filters: an action prefix (with the usual families offered) and an actor (asked of the server), and the series filter
 * (URL; over the entries fetched: those about a series in scope, see audit-series.ts); refreshed when an audited event
 * arrives.
 */
import { Fragment, useState } from 'react';
import { auditLimits, type AuditEntryView, type AuditResponse } from '../../lib/schemas/audit';
import { Empty } from '../dashboard/numbers';
import { Card } from '../ui/card';
import { countsText, SeriesFilter, useSeriesFilter } from '../ui/series-filter';
import { auditEntryInScope } from './audit-series';
import { useAudit } from './use-audit';

const FAMILIES = ['config.', 'killswitch.', 'arming.', 'runtime.'] as const;

const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

function tone(action: string): string {
  if (action.includes('refused') || action.includes('rejected')) return 'text-red-300';
  if (action.startsWith('killswitch.')) return 'text-amber-300';
  if (action.startsWith('config.')) return 'text-sky-300';
  if (action.startsWith('arming.')) return 'text-rose-300';
  return 'text-slate-300';
}

function Detail({ e }: { e: AuditEntryView }) {
  return (
    <div className="space-y-2 py-2" data-testid="audit-detail">
      {e.diff && e.diff.length > 0 && (
        <div className="overflow-x-auto">
          <table className="min-w-[420px] text-left text-xs" data-testid="audit-diff">
            <thead className="text-slate-500">
              <tr>
                <th className="pr-4 font-normal">field</th>
                <th className="pr-4 font-normal">from</th>
                <th className="pr-4 font-normal">to</th>
                <th className="font-normal">applies</th>
              </tr>
            </thead>
            <tbody className="font-mono">
              {e.diff.map((c) => (
                <tr key={c.path} className="border-t border-slate-800" data-testid="audit-diff-row">
                  <td className="py-0.5 pr-4 text-slate-200">{c.path}</td>
                  <td className="pr-4 text-red-300 line-through decoration-red-400/50">{c.from ?? '—'}</td>
                  <td className="pr-4 text-emerald-300">{c.to ?? '—'}</td>
                  <td className="font-sans text-slate-400">{c.hot === undefined ? '' : c.hot ? 'hot' : 'on restart'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <pre className="max-h-64 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-950/60 p-2 font-mono text-xs text-slate-400">{JSON.stringify(e.detail, null, 2)}</pre>
    </div>
  );
}

export function AuditView({ initial = null }: { initial?: AuditResponse | null }) {
  const [action, setAction] = useState('');
  const [actor, setActor] = useState('');
  const [open, setOpen] = useState<number | null>(null);
  const [filters, setFilters] = useState({ action: '', actor: '', limit: auditLimits.default as number });
  const { data, error, isError, isLoading, filterError } = useAudit(filters, initial);
  const series = useSeriesFilter();
  const entries = data ? (series.scoped ? data.entries.filter((e) => auditEntryInScope(e, series.scope, series.options)) : data.entries) : [];
  const set = (a: string, b: string) => setFilters((f) => ({ ...f, action: a.trim(), actor: b.trim() }));

  return (
    <div className="flex flex-col gap-4" data-testid="audit-page">
      <h1 className="text-xl font-semibold">Audit</h1>
      <Card title="Filters" testId="audit-filters">
        <div className="flex flex-wrap items-end gap-3 text-sm">
          <label className="flex flex-col gap-1">
            <span className="text-xs text-slate-500">action starts with</span>
            <input
              data-testid="filter-action"
              list="audit-families"
              value={action}
              onChange={(ev) => {
                setAction(ev.target.value);
                set(ev.target.value, actor);
              }}
              placeholder="config."
              className="w-44 rounded-md border border-slate-700 bg-slate-950 px-2 py-1 font-mono text-slate-100"
            />
            <datalist id="audit-families">
              {FAMILIES.map((f) => (
                <option key={f} value={f} />
              ))}
            </datalist>
          </label>
          <label className="flex flex-col gap-1">
            <span className="text-xs text-slate-500">actor contains</span>
            <input
              data-testid="filter-actor"
              value={actor}
              onChange={(ev) => {
                setActor(ev.target.value);
                set(action, ev.target.value);
              }}
              placeholder="operator"
              className="w-44 rounded-md border border-slate-700 bg-slate-950 px-2 py-1 font-mono text-slate-100"
            />
          </label>
          <div className="flex flex-wrap gap-1">
            {FAMILIES.map((f) => (
              <button
                key={f}
                type="button"
                onClick={() => {
                  const next = action === f ? '' : f;
                  setAction(next);
                  set(next, actor);
                }}
                className={`rounded-full px-2 py-0.5 text-xs ring-1 ring-inset ${action === f ? 'bg-sky-500/20 text-sky-200 ring-sky-500/40' : 'text-slate-400 ring-slate-700 hover:text-slate-200'}`}
                data-testid={`family-${f.slice(0, -1)}`}
              >
                {f.slice(0, -1)}
              </button>
            ))}
          </div>
        </div>
        <SeriesFilter filter={series} className="mt-3" counts={data ? countsText(series, entries.length, data.entries.length, 'entries (those about no series hidden)') : undefined} />
        {filterError && (
          <p className="mt-2 text-sm text-red-300" data-testid="filter-error">
            {filterError}
          </p>
        )}
      </Card>
      <Card
        title="Actions"
        testId="audit-card"
        actions={data ? <span className="text-xs text-slate-500" data-testid="audit-count">{entries.length} shown{data.more ? ' · more match (raise the limit)' : ''}</span> : undefined}
      >
        {isLoading ? (
          <p className="py-6 text-center text-sm text-slate-500" data-testid="audit-loading">Loading the audit trail…</p>
        ) : isError ? (
          <p className="rounded-md border border-red-900 bg-red-950/40 px-3 py-3 text-sm text-red-300" data-testid="audit-error">
            Could not load the audit trail: {error instanceof Error ? error.message : 'unknown error'}
          </p>
        ) : !data || entries.length === 0 ? (
          <Empty testId="audit-empty">{filters.action || filters.actor || series.scoped ? 'No action matches these filters.' : 'No action recorded yet.'}</Empty>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full min-w-[760px] table-fixed text-left text-sm" data-testid="audit-table">
              <thead className="text-xs text-slate-500">
                <tr>
                  <th className="w-40 py-1 font-normal">time (UTC)</th>
                  <th className="w-32 font-normal">actor</th>
                  <th className="w-44 font-normal">action</th>
                  <th className="w-32 font-normal">source</th>
                  <th className="font-normal">summary</th>
                </tr>
              </thead>
              <tbody className="text-xs">
                {entries.map((e) => (
                  <Fragment key={e.id}>
                    <tr
                      className="cursor-pointer border-t border-slate-800 hover:bg-slate-800/40"
                      onClick={() => setOpen(open === e.id ? null : e.id)}
                      data-testid="audit-row"
                      data-id={e.id}
                      data-action={e.action}
                      aria-expanded={open === e.id}
                    >
                      <td className="whitespace-nowrap py-1 font-mono tabular-nums text-slate-400" data-testid="audit-time">{when(e.tsMs)}</td>
                      <td className="truncate" data-testid="audit-actor" title={e.actor}>{e.actor}</td>
                      <td className={`truncate font-mono ${tone(e.action)}`} data-testid="audit-action" title={e.action}>{e.action}</td>
                      <td className="truncate text-slate-400" data-testid="audit-source" title={e.source}>{e.source}</td>
                      <td className="truncate text-slate-300" data-testid="audit-summary" title={e.summary}>
                        <span className="mr-1 text-slate-500">{open === e.id ? '▾' : '▸'}</span>
                        {e.summary || '—'}
                      </td>
                    </tr>
                    {open === e.id && (
                      <tr>
                        <td colSpan={5}>
                          <Detail e={e} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}
