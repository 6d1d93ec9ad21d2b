'use client';
/**
 * Equity curve (Recharts 3): cumulative realised PnL in USD over time (UTC), a step at each fill fee / sell and at each
 * settlement (window end), extended flat to now, and a dot at now for realised + unrealised (open shares at the bid).
 * At most ordersLimits.equityPoints points come from the server; the chart re-renders only when the answer changes.
 */
import { memo } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceDot, Tooltip, XAxis, YAxis } from 'recharts';
import { formatClock, formatSignedUsd } from '../../lib/format';
import type { EquityCurve } from '../../lib/schemas/orders';
import { Empty } from '../dashboard/numbers';

function EquityChartImpl({ equity, nowMs }: { equity: EquityCurve; nowMs: number }) {
  if (equity.points.length === 0) return <Empty testId="equity-empty">No realised PnL yet: the curve starts with the first fill.</Empty>;
  const last = equity.points[equity.points.length - 1]!;
  const data = [...equity.points, ...(nowMs > last.tsMs ? [{ tsMs: nowMs, realizedUsd: last.realizedUsd }] : [])];
  const withOpen = equity.unrealizedUsd === null ? null : equity.realizedUsd + equity.unrealizedUsd;
  const values = [...data.map((p) => p.realizedUsd), ...(withOpen === null ? [] : [withOpen]), 0];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = Math.max(0.05, (hi - lo) * 0.1);
  // Minutes when the curve spans a while, seconds when it is young.
  const tick = data[data.length - 1]!.tsMs - data[0]!.tsMs >= 1_800_000 ? (v: number) => formatClock(v).slice(0, 5) : (v: number) => formatClock(v);
  return (
    <div data-testid="equity-chart" data-points={equity.points.length} data-last={last.realizedUsd}>
      <LineChart responsive style={{ width: '100%', height: 240 }} data={data} margin={{ top: 8, right: 16, bottom: 20, left: 8 }}>
        <CartesianGrid stroke="#1e293b" strokeDasharray="3 3" />
        <XAxis
          dataKey="tsMs"
          type="number"
          domain={['dataMin', 'dataMax']}
          tickFormatter={tick}
          stroke="#64748b"
          fontSize={11}
          minTickGap={24}
          label={{ value: 'time (UTC)', position: 'insideBottom', offset: -12, fill: '#64748b', fontSize: 11 }}
        />
        <YAxis
          domain={[lo - pad, hi + pad]}
          tickFormatter={(v: number) => v.toFixed(2)}
          stroke="#64748b"
          fontSize={11}
          width={64}
          label={{ value: 'PnL (USD)', angle: -90, position: 'insideLeft', offset: 4, fill: '#64748b', fontSize: 11, style: { textAnchor: 'middle' } }}
        />
        <Tooltip
          contentStyle={{ background: '#0f172a', border: '1px solid #334155', fontSize: 12 }}
          labelFormatter={(v) => `${formatClock(Number(v))} UTC`}
          formatter={(v) => [typeof v === 'number' ? formatSignedUsd(v) : '—', 'realised']}
        />
        <Line type="stepAfter" dataKey="realizedUsd" stroke="#38bdf8" strokeWidth={1.5} dot={false} isAnimationActive={false} />
        {withOpen !== null && nowMs >= data[0]!.tsMs && <ReferenceDot x={data[data.length - 1]!.tsMs} y={withOpen} r={4} fill="#f59e0b" stroke="none" ifOverflow="extendDomain" />}
      </LineChart>
      <p className="mt-1 flex flex-wrap gap-x-4 text-xs text-slate-500">
        <span><span className="mr-1 inline-block h-0.5 w-3 bg-sky-400 align-middle" />realised, cumulative</span>
        {withOpen !== null && <span><span className="mr-1 inline-block h-2 w-2 rounded-full bg-amber-500 align-middle" />now incl. unrealised ({formatSignedUsd(withOpen)})</span>}
      </p>
    </div>
  );
}

export const EquityChart = memo(EquityChartImpl);
