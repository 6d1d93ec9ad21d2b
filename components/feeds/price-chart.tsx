'use client';
/**
 * BTC/USD over the window: Chainlink reference (as streamed), its TWAP-60 and spot, one point per second. A missing
 * value (no update within the carry time, i.e. a stale series) is a gap in its line.
 */
import { memo } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { PricePoint } from '../../lib/schemas/feeds';
import { Empty } from '../dashboard/numbers';
import { CHART_HEIGHT, ChartBox, chartMargin, gridStroke, timeXAxisProps, tooltipStyle, yLabel } from './chart-parts';
import { formatTick, seriesColor, type TimeDomain } from './time-axis';

const usd0 = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 0 });
const usd2 = (v: number) => v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });


function PriceChartImpl({ points, domain }: { points: PricePoint[]; domain: TimeDomain }) {
  if (!points.some((p) => p.refUsd !== null || p.twapUsd !== null || p.spotUsd !== null)) return <Empty testId="price-chart-empty">No reference, TWAP or spot price in the last 30 minutes (is the bot running?).</Empty>;
  return (
    <ChartBox testId="price-chart" points={points.length}>
      <LineChart responsive style={{ width: '100%', height: CHART_HEIGHT }} data={points} margin={chartMargin}>
        <CartesianGrid stroke={gridStroke} strokeDasharray="3 3" />
        <XAxis {...timeXAxisProps(domain)} />
        <YAxis domain={['auto', 'auto']} tickFormatter={usd0} stroke="#64748b" fontSize={11} width={76} label={yLabel('USD')} />
        <Tooltip contentStyle={tooltipStyle} labelFormatter={(v) => `${formatTick(Number(v), false)} UTC`} formatter={(v, name) => [typeof v === 'number' ? `$${usd2(v)}` : '—', name]} />
        <Line name="Chainlink" dataKey="refUsd" stroke={seriesColor.ref} strokeWidth={1.5} dot={false} isAnimationActive={false} connectNulls={false} />
        <Line name="TWAP-60" dataKey="twapUsd" stroke={seriesColor.twap} strokeWidth={1.5} dot={false} isAnimationActive={false} connectNulls={false} />
        <Line name="spot" dataKey="spotUsd" stroke={seriesColor.spot} strokeWidth={1} dot={false} isAnimationActive={false} connectNulls={false} />
      </LineChart>
    </ChartBox>
  );
}

export const PriceChart = memo(PriceChartImpl);
