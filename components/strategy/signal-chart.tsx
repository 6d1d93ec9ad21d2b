'use client';
/**
 * The Signals card's chart (Recharts 3): each signal's signed reading (direction × strength, +1 = fully for Up,
 * −1 = fully for Down) over time (UTC) for one strategy instance, from the bounded history (≤ signalViewLimits.history
 * points, one per second at most).
 *
 * Invariants: at most MAX_LINES lines (the latest record's signals first); no animation; units on both axes; the data
 * only changes when the signals do (the page coalesces them to ≤ 10 updates/s); an empty history shows a note, never an
 * empty frame.
 */
import { memo, useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, YAxis } from 'recharts';
import { formatClock } from '../../lib/format';
import type { SignalPoint } from '../../lib/schemas/strategy-signals';
import { Empty } from '../dashboard/numbers';
import { axis, timeAxis } from './decision-charts';

const MAX_LINES = 10;
const COLORS = ['#38bdf8', '#22c55e', '#f43f5e', '#f59e0b', '#a78bfa', '#2dd4bf', '#f472b6', '#facc15', '#94a3b8', '#fb923c'];
const tooltipStyle = { background: '#0f172a', border: '1px solid #334155', fontSize: 12 } as const;

/** The signal ids to draw: those of `preferred` (the latest record's order) first, then any others seen, capped. */
export function chartSignalIds(history: readonly SignalPoint[], preferred: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const p of history) for (const k of Object.keys(p.values)) seen.add(k);
  const out = preferred.filter((k) => seen.has(k));
  for (const k of seen) if (!out.includes(k)) out.push(k);
  return out.slice(0, MAX_LINES);
}

function SignalChartImpl({ history, preferred }: { history: readonly SignalPoint[]; preferred: readonly string[] }) {
  const ids = useMemo(() => chartSignalIds(history, preferred), [history, preferred]);
  if (ids.length === 0) return <Empty testId="signal-chart-empty">No directional readings yet: the chart plots each signal&apos;s direction × strength.</Empty>;
  const dot = history.length < 3;
  return (
    <div data-testid="signal-chart" data-points={history.length} data-lines={ids.length}>
      <LineChart responsive style={{ width: '100%', height: 240 }} data={history as SignalPoint[]} margin={{ top: 8, right: 12, bottom: 4, left: 4 }}>
        <CartesianGrid stroke="#1e293b" strokeDasharray="3 3" />
        {timeAxis(history)}
        <YAxis
          domain={[-1, 1]}
          ticks={[-1, -0.5, 0, 0.5, 1]}
          {...axis}
          width={56}
          label={{ value: 'direction × strength', angle: -90, position: 'insideLeft', offset: 12, fill: '#64748b', fontSize: 11, style: { textAnchor: 'middle' } }}
        />
        <Tooltip
          contentStyle={tooltipStyle}
          labelFormatter={(v) => `${formatClock(Number(v))} UTC`}
          formatter={(v, n) => [typeof v === 'number' ? `${v > 0 ? '+' : ''}${v.toFixed(2)} (${v > 0 ? 'Up' : v < 0 ? 'Down' : 'neutral'})` : '—', n]}
        />
        <Legend wrapperStyle={{ fontSize: 11 }} />
        <ReferenceLine y={0} stroke="#475569" />
        {ids.map((id, i) => (
          <Line
            key={id}
            name={id}
            dataKey={(p: SignalPoint) => p.values[id] ?? null}
            stroke={COLORS[i % COLORS.length]}
            dot={dot}
            isAnimationActive={false}
            connectNulls={false}
            strokeWidth={1.5}
            type="stepAfter"
          />
        ))}
      </LineChart>
      <p className="mt-1 text-xs text-slate-500">+1 = fully for Up · −1 = fully for Down · last {history.length} points (≤ 1/s)</p>
    </div>
  );
}

export const SignalChart = memo(SignalChartImpl);
