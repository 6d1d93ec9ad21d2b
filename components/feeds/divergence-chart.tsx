'use client';
/**
 * Divergence over the window, in USD or in basis points: spot − reference (bps of the reference) and
 * reference − TWAP-60 (bps of the TWAP), with the zero line.
 */
import { memo } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { PricePoint } from '../../lib/schemas/feeds';
import { Empty } from '../dashboard/numbers';
import { CHART_HEIGHT, ChartBox, chartMargin, gridStroke, timeXAxisProps, tooltipStyle, yLabel } from './chart-parts';
import { formatTick, seriesColor, type TimeDomain } from './time-axis';

export type DivergenceUnit = 'usd' | 'bps';

const keys = { usd: { spotRef: 'spotRefUsd', refTwap: 'refTwapUsd' }, bps: { spotRef: 'spotRefBps', refTwap: 'refTwapBps' } } as const;

export function formatDivergence(v: number | null | undefined, unit: DivergenceUnit): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const sign = v > 0 ? '+' : v < 0 ? '−' : '';
  return unit === 'usd' ? `${sign}$${Math.abs(v).toFixed(2)}` : `${sign}${Math.abs(v).toFixed(2)} bps`;
}

/** Axis ticks: whole numbers without decimals, others with what they need (at most 2). */
const tick = (unit: DivergenceUnit) => (v: number) => {
  const a = Math.abs(v);
  const s = Number.isInteger(a) ? a.toFixed(0) : String(Number(a.toFixed(2)));
  return `${v < 0 ? '−' : ''}${unit === 'usd' ? '$' : ''}${s}`;
};

function DivergenceChartImpl({ points, domain, unit }: { points: PricePoint[]; domain: TimeDomain; unit: DivergenceUnit }) {
  const k = keys[unit];
  const any = points.some((p) => p[k.spotRef] !== null || p[k.refTwap] !== null);
  if (!any) return <Empty testId={`divergence-${unit}-empty`}>No divergence yet: it needs the reference and spot (or TWAP) at the same time.</Empty>;
  return (
    <ChartBox testId={`divergence-${unit}-chart`} points={points.length}>
      <LineChart responsive style={{ width: '100%', height: CHART_HEIGHT }} data={points} margin={chartMargin}>
        <CartesianGrid stroke={gridStroke} strokeDasharray="3 3" />
        <XAxis {...timeXAxisProps(domain)} />
        <YAxis domain={['auto', 'auto']} tickFormatter={tick(unit)} stroke="#64748b" fontSize={11} width={60} label={yLabel(unit === 'usd' ? 'USD' : 'bps')} />
        <ReferenceLine y={0} stroke="#475569" />
        <Tooltip contentStyle={tooltipStyle} labelFormatter={(v) => `${formatTick(Number(v), false)} UTC`} formatter={(v, name) => [typeof v === 'number' ? formatDivergence(v, unit) : '—', name]} />
        <Line name="spot − ref" dataKey={k.spotRef} stroke={seriesColor.spotRef} strokeWidth={1.5} dot={false} isAnimationActive={false} connectNulls={false} />
        <Line name="ref − TWAP" dataKey={k.refTwap} stroke={seriesColor.refTwap} strokeWidth={1.5} dot={false} isAnimationActive={false} connectNulls={false} />
      </LineChart>
    </ChartBox>
  );
}

export const DivergenceChart = memo(DivergenceChartImpl);
