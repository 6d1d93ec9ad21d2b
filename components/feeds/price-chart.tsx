'use client';
/**
 * One asset's USD price over the window: its Chainlink reference (as streamed), TWAP-60 and spot, one point per
 * second. A missing value (no update within the carry time, i.e. a stale series) is a gap in its line. The y-axis
 * ticks carry as many decimals as the visible range needs (BTC in whole dollars, an XRP range in cents).
 */
import { memo, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { PricePoint } from '../../lib/schemas/feeds';
import { Empty, formatAssetUsd } from '../dashboard/numbers';
import { CHART_HEIGHT, ChartBox, chartMargin, gridStroke, timeXAxisProps, tooltipStyle, yLabel } from './chart-parts';
import { priceTickDecimals } from './feed-assets';
import { formatTick, seriesColor, type TimeDomain } from './time-axis';

/** Lowest and highest price of any series in the rows (null when there is none). */
function priceRange(points: readonly PricePoint[]): { lo: number; hi: number } | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of points) {
    for (const v of [p.refUsd, p.twapUsd, p.spotUsd]) {
      if (v === null) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? { lo, hi } : null;
}

function PriceChartImpl({ points, domain, asset }: { points: PricePoint[]; domain: TimeDomain; asset: string }) {
  const range = useMemo(() => priceRange(points), [points]);
  if (!range) return <Empty testId={`price-chart-empty-${asset}`}>No {asset.toUpperCase()} reference, TWAP or spot price in the last 30 minutes.</Empty>;
  const dp = priceTickDecimals(range.hi - range.lo);
  const tick = (v: number) => v.toLocaleString('en-US', { minimumFractionDigits: dp, maximumFractionDigits: dp });
  return (
    <ChartBox testId={`price-chart-${asset}`} points={points.length}>
      <LineChart responsive style={{ width: '100%', height: CHART_HEIGHT }} data={points} margin={chartMargin}>
        <CartesianGrid stroke={gridStroke} strokeDasharray="3 3" />
        <XAxis {...timeXAxisProps(domain)} />
        <YAxis domain={['auto', 'auto']} tickFormatter={tick} stroke="#64748b" fontSize={11} width={76} label={yLabel('USD')} />
        <Tooltip contentStyle={tooltipStyle} labelFormatter={(v) => `${formatTick(Number(v), false)} UTC`} formatter={(v, name) => [typeof v === 'number' ? `$${formatAssetUsd(v)}` : '—', name]} />
        <Line name="Chainlink" dataKey="refUsd" stroke={seriesColor.ref} strokeWidth={1.5} dot={false} isAnimationActive={false} connectNulls={false} />
        <Line name="TWAP-60" dataKey="twapUsd" stroke={seriesColor.twap} strokeWidth={1.5} dot={false} isAnimationActive={false} connectNulls={false} />
        <Line name="spot" dataKey="spotUsd" stroke={seriesColor.spot} strokeWidth={1} dot={false} isAnimationActive={false} connectNulls={false} />
      </LineChart>
    </ChartBox>
  );
}

export const PriceChart = memo(PriceChartImpl);
