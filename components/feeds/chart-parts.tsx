'use client';
/**
 * Shared pieces of the Feeds page's Recharts 3 charts: the UTC time x-axis props (same domain and ticks on every
 * chart), a y-axis label, the dark tooltip style, a small legend and the chart frame height.
 */
import type { ReactNode } from 'react';
import { formatTick, ticksAreMinutes, timeTicks, type TimeDomain } from './time-axis';

export const CHART_HEIGHT = 220;
export const chartMargin = { top: 8, right: 12, bottom: 22, left: 4 };
export const gridStroke = '#1e293b';
export const tooltipStyle = { background: '#0f172a', border: '1px solid #334155', fontSize: 12 };

export function timeXAxisProps(d: TimeDomain) {
  const ticks = timeTicks(d);
  const minutes = ticksAreMinutes(ticks);
  return {
    dataKey: 'tMs',
    type: 'number' as const,
    domain: [d.startMs, d.endMs],
    allowDataOverflow: true,
    ticks,
    minTickGap: 12,
    tickFormatter: (v: number) => formatTick(v, minutes),
    stroke: '#64748b',
    fontSize: 11,
    label: { value: 'time (UTC)', position: 'insideBottom' as const, offset: -14, fill: '#64748b', fontSize: 11 },
  };
}

export function yLabel(value: string) {
  return { value, angle: -90, position: 'insideLeft' as const, offset: 12, fill: '#64748b', fontSize: 11, style: { textAnchor: 'middle' as const } };
}

export function Legend({ items }: { items: readonly { label: string; color: string }[] }) {
  return (
    <div className="mb-2 flex flex-wrap justify-end gap-x-3 gap-y-1 text-xs text-slate-400">
      {items.map((i) => (
        <span key={i.label} className="inline-flex items-center gap-1 whitespace-nowrap">
          <span className="inline-block h-0.5 w-3 rounded" style={{ background: i.color }} />
          {i.label}
        </span>
      ))}
    </div>
  );
}

export function ChartBox({ children, testId, points }: { children: ReactNode; testId: string; points: number }) {
  return (
    <div data-testid={testId} data-points={points} className="w-full min-w-0">
      {children}
    </div>
  );
}
