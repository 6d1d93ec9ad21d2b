'use client';
/**
 * One asset's divergence over the window, in USD or in basis points: spot − reference (bps of the reference) and
 * reference − TWAP-60 (bps of the TWAP), with the zero line. Both operands are always the same asset's (the snapshot
 * keeps each asset's rows apart). USD amounts of an asset priced under 100 USD take 4 decimals.
 */
import { memo } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { PricePoint } from '../../lib/schemas/feeds';
import { Empty } from '../dashboard/numbers';
import { CHART_HEIGHT, ChartBox, chartMargin, gridStroke, timeXAxisProps, tooltipStyle, yLabel } from './chart-parts';
import { formatTick, seriesColor, type TimeDomain } from './time-axis';

export type DivergenceUnit = 'usd' | 'bps';

const keys = { usd: { spotRef: 'spotRefUsd', refTwap: 'refTwapUsd' }, bps: { spotRef: 'spotRefBps', refTwap: 'refTwapBps' } } as const;

/** `+$12.30`, `−0.85 bps`, `—`; `scaleUsd`: the asset's price level (under 100 USD, USD amounts get 4 decimals). */
export function formatDivergence(v: number | null | undefined, unit: DivergenceUnit, scaleUsd?: number | null): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const sign = v > 0 ? '+' : v < 0 ? '−' : '';
  const usdDp = scaleUsd != null && Math.abs(scaleUsd) < 100 ? 4 : 2;
  return unit === 'usd' ? `${sign}$${Math.abs(v).toFixed(usdDp)}` : `${sign}${Math.abs(v).toFixed(2)} bps`;
}

/** Axis ticks: whole numbers without decimals, others with what they need (at most 2). */
const tick = (unit: DivergenceUnit) => (v: number) => {
  const a = Math.abs(v);
  const s = Number.isInteger(a) ? a.toFixed(0) : String(Number(a.toFixed(2)));
  return `${v < 0 ? '−' : ''}${unit === 'usd' ? '$' : ''}${s}`;
};

function DivergenceChartImpl({ points, domain, unit, asset, scaleUsd }: { points: PricePoint[]; domain: TimeDomain; unit: DivergenceUnit; asset: string; scaleUsd: number | null }) {
  const k = keys[unit];
  const any = points.some((p) => p[k.spotRef] !== null || p[k.refTwap] !== null);
  if (!any) return <Empty testId={`divergence-empty-${asset}`}>No {asset.toUpperCase()} divergence yet: it needs the reference and spot (or TWAP) at the same time.</Empty>;
  return (
    <ChartBox testId={`divergence-chart-${asset}`} points={points.length}>
      <LineChart responsive style={{ width: '100%', height: CHART_HEIGHT }} data={points} margin={chartMargin}>
        <CartesianGrid stroke={gridStroke} strokeDasharray="3 3" />
        <XAxis {...timeXAxisProps(domain)} />
        <YAxis domain={['auto', 'auto']} tickFormatter={tick(unit)} stroke="#64748b" fontSize={11} width={60} label={yLabel(unit === 'usd' ? 'USD' : 'bps')} />
        <ReferenceLine y={0} stroke="#475569" />
        <Tooltip contentStyle={tooltipStyle} labelFormatter={(v) => `${formatTick(Number(v), false)} UTC`} formatter={(v, name) => [typeof v === 'number' ? formatDivergence(v, unit, scaleUsd) : '—', name]} />
        <Line name="spot − ref" dataKey={k.spotRef} stroke={seriesColor.spotRef} strokeWidth={1.5} dot={false} isAnimationActive={false} connectNulls={false} />
        <Line name="ref − TWAP" dataKey={k.refTwap} stroke={seriesColor.refTwap} strokeWidth={1.5} dot={false} isAnimationActive={false} connectNulls={false} />
      </LineChart>
    </ChartBox>
  );
}

export const DivergenceChart = memo(DivergenceChartImpl);
