'use client';
/**
 * The sweep's runs as a sortable table: one row per grid point, the parameters then the metric columns. Clicking a
 * header sorts by it (a metric first by its better direction: descending, or ascending for lower-is-better ones),
 * clicking it again flips the direction. Rows not yet sorted keep point order.
 *
 * Invariants: values that are not finite numbers sort last in either direction; ties keep point order; numbers are
 * right-aligned with tabular figures; every cell carries its raw value in data-value (for tests and copy).
 */
import { useMemo, useState } from 'react';
import { formatMetric, formatParam, lowerIsBetter, metricColumns, numeric, type SweepRun } from './sweep-result';

type SortKey = { col: string; kind: 'param' | 'metric'; dir: 'asc' | 'desc' };

function cellValue(r: SweepRun, s: SortKey): unknown {
  return s.kind === 'param' ? r.params[s.col] : r.metrics[s.col];
}

function compare(a: unknown, b: unknown): number {
  const x = numeric(a);
  const y = numeric(b);
  if (x !== null && y !== null) return x - y;
  if (x !== null || y !== null) return 0; // handled by the caller (non-numbers last)
  return String(a ?? '').localeCompare(String(b ?? ''));
}

export function sortRuns(runs: readonly SweepRun[], s: SortKey | null): SweepRun[] {
  const rows = [...runs].sort((a, b) => a.index - b.index);
  if (!s) return rows;
  return rows.sort((a, b) => {
    const x = cellValue(a, s);
    const y = cellValue(b, s);
    const xMissing = s.kind === 'metric' && numeric(x) === null;
    const yMissing = s.kind === 'metric' && numeric(y) === null;
    if (xMissing !== yMissing) return xMissing ? 1 : -1;
    const c = compare(x, y);
    return (s.dir === 'asc' ? c : -c) || a.index - b.index;
  });
}

export function ResultsTable({ runs, params, best }: { runs: readonly SweepRun[]; params: readonly string[]; best: ReadonlySet<number> }) {
  const [sort, setSort] = useState<SortKey | null>(null);
  const rows = useMemo(() => sortRuns(runs, sort), [runs, sort]);
  const click = (col: string, kind: SortKey['kind']) =>
    setSort((s) => (s && s.col === col ? { ...s, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { col, kind, dir: kind === 'metric' && !lowerIsBetter.has(col) ? 'desc' : 'asc' }));
  const header = (col: string, kind: SortKey['kind'], label: string) => {
    const active = sort?.col === col;
    // The arrow sits on the side away from the values, so right-aligned headers line up with their numbers.
    const arrow = <span className={`inline-block w-3 text-center text-[10px] ${kind === 'metric' ? 'mr-0.5' : 'ml-0.5'}`}>{active ? (sort.dir === 'asc' ? '▲' : '▼') : ''}</span>;
    return (
      <th key={`${kind}:${col}`} scope="col" aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'} className={`px-2 py-1.5 font-medium ${kind === 'metric' ? 'text-right' : 'text-left'}`}>
        <button type="button" onClick={() => click(col, kind)} data-testid={`sort-${col}`} className={`whitespace-nowrap hover:text-slate-100 ${active ? 'text-sky-300' : ''}`} title={col}>
          {kind === 'metric' && arrow}
          {label}
          {kind === 'param' && arrow}
        </button>
      </th>
    );
  };
  return (
    <div className="overflow-x-auto" data-testid="results-table-wrap">
      <p className="mb-1 text-xs text-slate-500 md:hidden">Scroll sideways for every column; tap a header to sort.</p>
      <table className="w-full text-sm" data-testid="results-table" data-sort={sort ? `${sort.col}:${sort.dir}` : ''}>
        <thead className="border-b border-slate-800 text-xs text-slate-400">
          <tr>
            <th scope="col" className="px-2 py-1.5 text-right font-medium">#</th>
            {params.map((p) => header(p, 'param', p.includes('.') ? p.slice(p.indexOf('.') + 1) : p))}
            {metricColumns.map((m) => header(m, 'metric', m))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.index} data-testid="result-row" data-index={r.index} className={`border-b border-slate-800/60 ${best.has(r.index) ? 'bg-emerald-950/30' : ''}`}>
              <td className="px-2 py-1 text-right font-mono tabular-nums text-slate-500">{r.index}</td>
              {params.map((p) => (
                <td key={p} data-testid={`param-${p}`} data-value={String(r.params[p] ?? '')} className="px-2 py-1 font-mono tabular-nums">
                  {formatParam(r.params[p])}
                </td>
              ))}
              {r.error ? (
                <td colSpan={metricColumns.length} className="px-2 py-1 text-red-400" data-testid="run-error">
                  {r.error}
                </td>
              ) : (
                metricColumns.map((m) => (
                  <td key={m} data-testid={`metric-${m}`} data-value={numeric(r.metrics[m]) ?? ''} className="whitespace-nowrap px-2 py-1 text-right font-mono tabular-nums">
                    {formatMetric(m, r.metrics[m])}
                  </td>
                ))
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
