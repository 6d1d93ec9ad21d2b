'use client';
/**
 * Heatmap of the sweep's first two parameters: a CSS grid, rows = values of the first parameter, columns = values
 * of the second, each cell coloured by the chosen metric (red worst → green best; the scale flips for lower-is-better
 * metrics) with the value printed in it, axis labels on both sides. With more parameters a cell shows the best run
 * among those sharing its two values. Fewer than two parameters: an explanation instead of a chart.
 *
 * Invariants: one cell per (row value, column value) pair; a pair no run covers, or whose metric is not a number,
 * is a grey cell printing "—"; colours come from the finite values only (all equal → one mid colour).
 */
import { axisValues, formatMetric, formatParam, type GridValue, lowerIsBetter, numeric, type SweepRun } from './sweep-result';

const same = (a: GridValue | undefined, b: GridValue) => a !== undefined && typeof a === typeof b && a === b;

/** The best finite metric among the runs at (rv, cv), or null. */
function cellValue(runs: readonly SweepRun[], rowKey: string, colKey: string, rv: GridValue, cv: GridValue, metric: string): number | null {
  let best: number | null = null;
  for (const r of runs) {
    if (r.error || !same(r.params[rowKey], rv) || !same(r.params[colKey], cv)) continue;
    const v = numeric(r.metrics[metric]);
    if (v === null) continue;
    if (best === null || (lowerIsBetter.has(metric) ? v < best : v > best)) best = v;
  }
  return best;
}

/** 0 worst .. 1 best → a red-to-green background. */
function colour(score: number): string {
  const hue = Math.round(score * 130); // 0 red, 130 green
  return `hsl(${hue} 55% 28%)`;
}

const short = (k: string) => (k.includes('.') ? k.slice(k.indexOf('.') + 1) : k);

export function SweepHeatmap({ runs, params, metric }: { runs: readonly SweepRun[]; params: readonly string[]; metric: string }) {
  if (params.length < 2)
    return (
      <p className="rounded-md border border-dashed border-slate-800 px-3 py-4 text-center text-sm text-slate-500" data-testid="heatmap-explain">
        The heatmap needs two parameters: this sweep varied {params.length === 1 ? <span className="font-mono">{params[0]}</span> : 'no parameter'} only. The table above has every run.
      </p>
    );
  const [rowKey, colKey] = params as [string, string];
  const rowVals = axisValues(runs, rowKey);
  const colVals = axisValues(runs, colKey);
  const cells = rowVals.map((rv) => colVals.map((cv) => cellValue(runs, rowKey, colKey, rv, cv, metric)));
  const finite = cells.flat().filter((v): v is number => v !== null);
  const lo = finite.length ? Math.min(...finite) : 0;
  const hi = finite.length ? Math.max(...finite) : 0;
  const score = (v: number) => {
    const s = hi === lo ? 0.5 : (v - lo) / (hi - lo);
    return lowerIsBetter.has(metric) ? 1 - s : s;
  };
  return (
    <div className="flex flex-col gap-2" data-testid="heatmap">
      <p className="text-xs text-slate-500">
        rows <span className="font-mono text-slate-300">{rowKey}</span> · columns <span className="font-mono text-slate-300">{colKey}</span> · colour and value: <span className="font-mono text-slate-300">{metric}</span>
        {params.length > 2 && ' (best over the other parameters)'}
      </p>
      <div className="overflow-x-auto">
        <div className="grid w-max min-w-full gap-1 text-xs" style={{ gridTemplateColumns: `auto repeat(${colVals.length}, minmax(4.5rem, 1fr))` }}>
          <div className="flex items-end justify-end px-1 pb-1 text-[10px] leading-tight text-slate-500" title={`${rowKey} ↓ / ${colKey} →`}>
            {short(rowKey)} ↓<br />
            {short(colKey)} →
          </div>
          {colVals.map((cv) => (
            <div key={`c:${String(cv)}`} className="px-1 pb-1 text-center font-mono tabular-nums text-slate-400" data-testid="heatmap-col-label">
              {formatParam(cv)}
            </div>
          ))}
          {rowVals.map((rv, i) => [
            <div key={`r:${String(rv)}`} className="flex items-center justify-end px-2 font-mono tabular-nums text-slate-400" data-testid="heatmap-row-label">
              {formatParam(rv)}
            </div>,
            ...colVals.map((cv, j) => {
              const v = cells[i]![j]!;
              return (
                <div
                  key={`${String(rv)}|${String(cv)}`}
                  data-testid="heatmap-cell"
                  data-row={String(rv)}
                  data-col={String(cv)}
                  data-value={v ?? ''}
                  title={`${rowKey}=${String(rv)}, ${colKey}=${String(cv)}: ${metric} ${formatMetric(metric, v)}`}
                  className="flex h-12 items-center justify-center rounded px-1 text-center font-mono tabular-nums text-slate-100"
                  style={{ background: v === null ? 'rgb(30 41 59)' : colour(score(v)) }}
                >
                  {formatMetric(metric, v)}
                </div>
              );
            }),
          ])}
        </div>
      </div>
    </div>
  );
}
