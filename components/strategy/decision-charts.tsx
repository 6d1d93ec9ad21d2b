'use client';
/**
 * The Strategy page's charts (Recharts 3) over one series' (asset × window length) samples: p_hat versus ask for Up and Down
 * (probability 0–1), EV of buying Up / Down (¢ per share, after fees) and z (standard deviations, dimensionless),
 * against time (UTC). "Window" shows the latest window's evaluations, "30 min" the whole kept series with a gap
 * between windows (lines never join two windows).
 *
 * Invariants: at most strategyViewLimits.pointsPerSeries points per chart; no animation; units on every axis.
 */
import { memo, useMemo, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { formatClock } from '../../lib/format';
import { windowLabel } from '../ui/window-label';
import { seriesKeyLabel } from '../../lib/schemas/series';
import type { DecisionSeries, SeriesPoint } from '../../lib/schemas/strategy-view';
import { Empty } from '../dashboard/numbers';
import { Card } from '../ui/card';

type Range = 'window' | '30m';
type Row = Omit<SeriesPoint, 'windowSlug'> & { windowSlug: string | null };

const GAP_MS = 5_000;
export const axis = { stroke: '#64748b', fontSize: 11 } as const;
const tooltipStyle = { background: '#0f172a', border: '1px solid #334155', fontSize: 12 } as const;
const gapRow = (tMs: number): Row => ({ tMs, windowSlug: null, pHat: null, z: null, upPHat: null, upAsk: null, upEv: null, downPHat: null, downAsk: null, downEv: null });
const cents = (v: number | null) => (v === null ? null : Math.round(v * 10_000) / 100);

/** Chart rows: the latest window only, or everything with a null row wherever the window changes or time jumps. */
export function chartRows(points: readonly SeriesPoint[], range: Range): Row[] {
  const last = points[points.length - 1];
  if (!last) return [];
  if (range === 'window') return points.filter((p) => p.windowSlug === last.windowSlug);
  const out: Row[] = [];
  let prev: SeriesPoint | undefined;
  for (const p of points) {
    if (prev && (p.windowSlug !== prev.windowSlug || p.tMs - prev.tMs > GAP_MS)) out.push(gapRow(prev.tMs + 1));
    out.push(p);
    prev = p;
  }
  return out;
}

/** The time (UTC) x axis of the Strategy page's charts, over rows with `tMs` (a lone point gets ±1 s). */
export function timeAxis(rows: readonly { tMs: number }[]) {
  const lo = rows[0]?.tMs ?? 0;
  const hi = rows[rows.length - 1]?.tMs ?? 0;
  const pad = hi - lo < 2_000 ? 1_000 : 0;
  return (
    <XAxis
      dataKey="tMs"
      type="number"
      domain={[lo - pad, hi + pad]}
      tickFormatter={(v: number) => formatClock(v)}
      {...axis}
      minTickGap={24}
      height={36}
      label={{ value: 'time (UTC)', position: 'insideBottom', offset: 0, fill: '#64748b', fontSize: 11 }}
    />
  );
}

/** A y domain and ticks that always include 0 on a round step (EV and z are read against zero). */
export function zeroTicks(values: readonly (number | null)[]): { domain: [number, number]; ticks: number[] } {
  let lo = 0;
  let hi = 0;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const raw = (hi - lo) / 4 || 1;
  const step = [0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200, 500].find((x) => x >= raw) ?? Math.ceil(raw / 1000) * 1000;
  const a = Math.floor(lo / step) * step;
  const b = Math.max(Math.ceil(hi / step) * step, a + step);
  const ticks: number[] = [];
  for (let t = a; t <= b + step / 2; t += step) ticks.push(Number(t.toFixed(6)));
  return { domain: [a, b], ticks };
}
const tick1 = (v: number) => String(Number(v.toFixed(1)));
const yLabel = (value: string) => ({ value, angle: -90, position: 'insideLeft' as const, offset: 12, fill: '#64748b', fontSize: 11, style: { textAnchor: 'middle' as const } });
const lineProps = { dot: false, isAnimationActive: false, connectNulls: false, strokeWidth: 1.5 } as const;
const margin = { top: 8, right: 12, bottom: 4, left: 4 };
const CHART_H = 230;

function ProbChart({ rows }: { rows: Row[] }) {
  return (
    <LineChart responsive style={{ width: '100%', height: CHART_H }} data={rows} margin={margin}>
      <CartesianGrid stroke="#1e293b" strokeDasharray="3 3" />
      {timeAxis(rows)}
      <YAxis domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} {...axis} width={56} label={yLabel('probability')} />
      <Tooltip contentStyle={tooltipStyle} labelFormatter={(v) => `${formatClock(Number(v))} UTC`} formatter={(v, n) => [typeof v === 'number' ? v.toFixed(3) : '—', n]} />
      <Legend wrapperStyle={{ fontSize: 11 }} />
      <Line dataKey="upPHat" name="Up p̂" stroke="#22c55e" {...lineProps} />
      <Line dataKey="upAsk" name="Up ask" stroke="#86efac" strokeDasharray="4 3" {...lineProps} type="stepAfter" />
      <Line dataKey="downPHat" name="Down p̂" stroke="#f43f5e" {...lineProps} />
      <Line dataKey="downAsk" name="Down ask" stroke="#fda4af" strokeDasharray="4 3" {...lineProps} type="stepAfter" />
    </LineChart>
  );
}

function EvChart({ rows }: { rows: Row[] }) {
  const data = useMemo(() => rows.map((r) => ({ tMs: r.tMs, up: cents(r.upEv), down: cents(r.downEv) })), [rows]);
  const y = useMemo(() => zeroTicks(data.flatMap((r) => [r.up, r.down])), [data]);
  if (!data.some((r) => r.up !== null || r.down !== null)) return <Empty testId="ev-chart-empty">No EV in this range: EV needs an ask on the window&apos;s book to buy at.</Empty>;
  return (
    <LineChart responsive style={{ width: '100%', height: CHART_H }} data={data} margin={margin}>
      <CartesianGrid stroke="#1e293b" strokeDasharray="3 3" />
      {timeAxis(rows)}
      <YAxis domain={y.domain} ticks={y.ticks} tickFormatter={tick1} {...axis} width={56} label={yLabel('EV (¢ / share)')} />
      <Tooltip contentStyle={tooltipStyle} labelFormatter={(v) => `${formatClock(Number(v))} UTC`} formatter={(v, n) => [typeof v === 'number' ? `${v.toFixed(2)} ¢` : '—', n]} />
      <Legend wrapperStyle={{ fontSize: 11 }} />
      <ReferenceLine y={0} stroke="#475569" />
      <Line dataKey="up" name="EV buy Up" stroke="#22c55e" {...lineProps} />
      <Line dataKey="down" name="EV buy Down" stroke="#f43f5e" {...lineProps} />
    </LineChart>
  );
}

function ZChart({ rows }: { rows: Row[] }) {
  const y = useMemo(() => zeroTicks(rows.map((r) => r.z)), [rows]);
  return (
    <LineChart responsive style={{ width: '100%', height: CHART_H }} data={rows} margin={margin}>
      <CartesianGrid stroke="#1e293b" strokeDasharray="3 3" />
      {timeAxis(rows)}
      <YAxis domain={y.domain} ticks={y.ticks} tickFormatter={tick1} {...axis} width={56} label={yLabel('z (σ)')} />
      <Tooltip contentStyle={tooltipStyle} labelFormatter={(v) => `${formatClock(Number(v))} UTC`} formatter={(v) => [typeof v === 'number' ? v.toFixed(2) : '—', 'z']} />
      <ReferenceLine y={0} stroke="#475569" />
      <Line dataKey="z" name="z" stroke="#38bdf8" {...lineProps} />
    </LineChart>
  );
}

function Toggle<T extends string>({ value, options, onChange, label }: { value: T; options: readonly (readonly [T, string])[]; onChange: (v: T) => void; label: string }) {
  return (
    <div className="flex flex-wrap gap-1" role="group" aria-label={label}>
      {options.map(([v, text]) => (
        <button
          key={v}
          type="button"
          aria-pressed={v === value}
          onClick={() => onChange(v)}
          className={`rounded px-2 py-0.5 text-xs ${v === value ? 'bg-slate-700 text-slate-100' : 'bg-slate-800/60 text-slate-400 hover:text-slate-200'}`}
        >
          {text}
        </button>
      ))}
    </div>
  );
}

function DecisionChartsImpl({ series, emptyHint }: { series: DecisionSeries[]; emptyHint: string }) {
  const withData = series.filter((s) => s.points.length > 0);
  const latest = withData.reduce<DecisionSeries | undefined>((a, s) => (!a || s.points[s.points.length - 1]!.tMs > a.points[a.points.length - 1]!.tMs ? s : a), undefined);
  const [picked, setPicked] = useState<string | null>(null);
  const [range, setRange] = useState<Range>('window');
  const active = withData.find((s) => s.key === picked) ?? latest;
  const rows = useMemo(() => (active ? chartRows(active.points, range) : []), [active, range]);
  const lastSlug = active?.points[active.points.length - 1]?.windowSlug;

  const controls = active && (
    <div className="flex flex-wrap items-center gap-2">
      {withData.length > 1 && <Toggle label="series" value={active.key} options={withData.map((s) => [s.key, seriesKeyLabel(s.key)] as const)} onChange={setPicked} />}
      <Toggle label="range" value={range} options={[['window', 'window'], ['30m', '30 min']] as const} onChange={setRange} />
    </div>
  );
  if (!active) return <Card title="p̂ versus ask, EV, z" testId="charts-card"><Empty testId="charts-empty">{emptyHint}</Empty></Card>;
  const sub = range === 'window' && lastSlug ? `window ${windowLabel(lastSlug)}` : 'last 30 min';
  return (
    <div className="flex flex-col gap-2" data-testid="decision-charts" data-points={rows.length} data-series={active.key}>
      <div className="flex flex-wrap items-center justify-between gap-2 text-xs text-slate-400">
        <span>
          {seriesKeyLabel(active.key)} · {sub} · {rows.filter((r) => r.windowSlug !== null).length} points (≤ 1/s)
        </span>
        {controls}
      </div>
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-3">
        <Card title="p̂ versus ask" testId="prob-chart">
          <ProbChart rows={rows} />
        </Card>
        <Card title="EV trend (after fees)" testId="ev-chart">
          <EvChart rows={rows} />
        </Card>
        <Card title="z-score (dimensionless)" testId="z-chart">
          <ZChart rows={rows} />
        </Card>
      </div>
    </div>
  );
}

export const DecisionCharts = memo(DecisionChartsImpl);
