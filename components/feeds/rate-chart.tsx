'use client';
/**
 * Messages per second per feed over the window (one sample per 5 s, from `feed.health`). Feeds report at their own
 * times, so a row holds one feed's sample and each line connects its feed's samples across the others' rows.
 */
import { memo, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { FeedTimelineRow } from '../../lib/schemas/feeds';
import { Empty } from '../dashboard/numbers';
import { CHART_HEIGHT, ChartBox, chartMargin, gridStroke, timeXAxisProps, tooltipStyle, yLabel } from './chart-parts';
import { feedColor, feedLabel, formatTick, type TimeDomain } from './time-axis';

type RateRow = { tMs: number } & Partial<Record<FeedTimelineRow['feed'], number>>;

/** One row per sample time with each feed's msgs/s (missing where that feed had no sample). */
export function rateRows(feeds: readonly FeedTimelineRow[]): RateRow[] {
  const byT = new Map<number, RateRow>();
  for (const f of feeds) {
    for (const r of f.rate) {
      const row = byT.get(r.tMs) ?? { tMs: r.tMs };
      row[f.feed] = r.msgsPerSec;
      byT.set(r.tMs, row);
    }
  }
  return [...byT.values()].sort((a, b) => a.tMs - b.tMs);
}

function RateChartImpl({ feeds, domain }: { feeds: FeedTimelineRow[]; domain: TimeDomain }) {
  const rows = useMemo(() => rateRows(feeds), [feeds]);
  if (rows.length === 0) return <Empty testId="rate-chart-empty">No feed health reported yet.</Empty>;
  return (
    <ChartBox testId="rate-chart" points={rows.length}>
      <LineChart responsive style={{ width: '100%', height: CHART_HEIGHT }} data={rows} margin={chartMargin}>
        <CartesianGrid stroke={gridStroke} strokeDasharray="3 3" />
        <XAxis {...timeXAxisProps(domain)} />
        <YAxis domain={[0, 'auto']} allowDecimals={false} stroke="#64748b" fontSize={11} width={60} label={yLabel('msgs/s')} />
        <Tooltip contentStyle={tooltipStyle} labelFormatter={(v) => `${formatTick(Number(v), false)} UTC`} formatter={(v, name) => [typeof v === 'number' ? `${v.toFixed(1)} msgs/s` : '—', name]} />
        {feeds.map((f) => (
          <Line key={f.feed} name={feedLabel[f.feed] ?? f.feed} dataKey={f.feed} stroke={feedColor[f.feed] ?? '#94a3b8'} strokeWidth={1.5} dot={false} isAnimationActive={false} connectNulls />
        ))}
      </LineChart>
    </ChartBox>
  );
}

export const RateChart = memo(RateChartImpl);
