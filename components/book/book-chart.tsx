'use client';
/**
 * Mid (probability) or spread (cents) of the window's Up and Down tokens over time (Recharts 3 line chart; x axis in
 * UTC from the window's start, or the first sample when the bot started later, to the snapshot's time), from the
 * sampled top-of-book history (one point per second at most), the last sample carried forward to now. A second
 * without a two-sided book is a gap. Re-rendered only when the points or the second change (signature check).
 */
import { memo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { formatClock } from '../../lib/format';
import type { BookPoint, BookSide } from '../../lib/schemas/book';
import { Empty } from '../dashboard/numbers';

export type BookMetric = 'mid' | 'spread';

interface Row {
  t: number;
  up: number | null;
  down: number | null;
}

const LOOK = {
  mid: { unit: 'mid (probability)', scale: 1, digits: 3 },
  spread: { unit: 'spread (¢)', scale: 100, digits: 1 },
} as const;

/**
 * Up and Down points on one time axis (value scaled to the chart's unit), each side's last sample carried forward to
 * `nowMs` (a point is the state at the end of its second and holds until the next one).
 */
export function chartRows(sides: readonly BookSide[], metric: BookMetric, nowMs: number): Row[] {
  const rows = new Map<number, Row>();
  const scale = LOOK[metric].scale;
  const value = (p: BookPoint) => (p[metric] === null ? null : Math.round(p[metric]! * scale * 1e4) / 1e4);
  for (const s of sides) {
    for (const p of s.points) {
      const row = rows.get(p.tMs) ?? { t: p.tMs, up: null, down: null };
      row[s.outcome] = value(p);
      rows.set(p.tMs, row);
    }
  }
  const nowT = Math.floor(nowMs / 1000) * 1000;
  const last = rows.size > 0 ? Math.max(...rows.keys()) : -Infinity;
  if (rows.size > 0 && nowT > last) {
    const row: Row = { t: nowT, up: null, down: null };
    for (const s of sides) {
      const p = s.points[s.points.length - 1];
      if (p) row[s.outcome] = value(p);
    }
    rows.set(nowT, row);
  }
  return [...rows.values()].sort((a, b) => a.t - b.t);
}

/** Round tops of the spread axis (cents) and their tick steps. */
const SPREAD_AXES: ReadonlyArray<readonly [number, number]> = [[0.5, 0.1], [1, 0.25], [2, 0.5], [3, 0.5], [5, 1], [10, 2], [20, 5], [50, 10], [100, 25]];

/** The spread axis: 0 to a round top above the largest spread shown, round ticks. */
export function spreadAxis(rows: readonly Row[]): { domain: [number, number]; ticks: number[] } {
  let max = 0;
  for (const r of rows) max = Math.max(max, r.up ?? 0, r.down ?? 0);
  const [top, step] = SPREAD_AXES.find(([t]) => t >= max * 1.1) ?? [100, 25];
  const ticks: number[] = [];
  for (let i = 0; i * step <= top + 1e-9; i++) ticks.push(Math.round(i * step * 100) / 100);
  return { domain: [0, top], ticks };
}

const TICK_STEPS_MS = [5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 180_000, 300_000, 600_000];

/** About five round ticks over [fromMs, toMs]. */
export function timeTicks(fromMs: number, toMs: number): { ticks: number[]; withSeconds: boolean } {
  const step = TICK_STEPS_MS.find((s) => (toMs - fromMs) / s <= 6) ?? 900_000;
  const out: number[] = [];
  for (let t = Math.ceil(fromMs / step) * step; t <= toMs; t += step) out.push(t);
  return { ticks: out, withSeconds: step < 60_000 };
}

function signature(sides: readonly BookSide[], nowMs: number): string {
  return sides.map((s) => {
    const last = s.points[s.points.length - 1];
    return `${s.tokenId}:${s.points.length}:${last?.tMs}:${last?.mid}:${last?.spread}`;
  }).join('|') + `@${Math.floor(nowMs / 1000)}`;
}

interface Props {
  sides: readonly BookSide[];
  metric: BookMetric;
  /** The window's start (the chart starts at the later of it and the first sample). */
  startMs: number;
  /** Server time of the snapshot (the chart ends there, at least MIN_SPAN_MS after its start). */
  nowMs: number;
}

const MIN_SPAN_MS = 30_000;

function BookChartImpl({ sides, metric, startMs, nowMs }: Props) {
  const look = LOOK[metric];
  const rows = chartRows(sides, metric, nowMs);
  if (!rows.some((r) => r.up !== null || r.down !== null)) return <Empty testId={`book-${metric}-chart-empty`}>No two-sided book in this window yet.</Empty>;
  const fromMs = Math.max(startMs, rows[0]!.t);
  const toMs = Math.max(rows[rows.length - 1]!.t, fromMs + MIN_SPAN_MS);
  const { ticks, withSeconds } = timeTicks(fromMs, toMs);
  const y = metric === 'mid' ? { domain: [0, 1], ticks: [0, 0.25, 0.5, 0.75, 1] } : spreadAxis(rows);
  return (
    <div className="w-full min-w-0 overflow-hidden" data-testid={`book-${metric}-chart`} data-points={rows.length}>
      <LineChart responsive style={{ width: '100%', height: 240 }} data={rows} margin={{ top: 8, right: 12, bottom: 20, left: 0 }}>
        <CartesianGrid stroke="#1e293b" strokeDasharray="3 3" />
        <XAxis
          dataKey="t"
          type="number"
          domain={[fromMs, toMs]}
          ticks={ticks}
          tickFormatter={(v: number) => (withSeconds ? formatClock(v) : formatClock(v).slice(0, 5))}
          stroke="#64748b"
          fontSize={11}
          label={{ value: 'time (UTC)', position: 'insideBottom', offset: -12, fill: '#64748b', fontSize: 11 }}
        />
        <YAxis
          domain={y.domain}
          ticks={y.ticks}
          allowDecimals
          stroke="#64748b"
          fontSize={11}
          width={56}
          label={{ value: look.unit, angle: -90, position: 'insideLeft', offset: 10, fill: '#64748b', fontSize: 11, style: { textAnchor: 'middle' } }}
        />
        <Tooltip
          contentStyle={{ background: '#0f172a', border: '1px solid #334155', fontSize: 12 }}
          labelFormatter={(v) => `${formatClock(Number(v))} UTC`}
          formatter={(v, name) => [typeof v === 'number' ? `${v.toFixed(look.digits)}${metric === 'spread' ? '¢' : ''}` : '—', name]}
        />
        <Legend verticalAlign="top" height={24} iconType="plainline" wrapperStyle={{ fontSize: 12 }} />
        {/* Down wide and under, Up thin on top: both stay visible where they coincide (mirrored books). */}
        <Line name="Down" type="stepAfter" dataKey="down" stroke="#fb7185" strokeOpacity={0.8} strokeWidth={3} dot={rows.length === 1} isAnimationActive={false} connectNulls={false} />
        <Line name="Up" type="stepAfter" dataKey="up" stroke="#34d399" strokeWidth={1.5} dot={rows.length === 1} isAnimationActive={false} connectNulls={false} />
      </LineChart>
    </div>
  );
}

export const BookChart = memo(BookChartImpl, (a, b) => a.metric === b.metric && a.startMs === b.startMs && signature(a.sides, a.nowMs) === signature(b.sides, b.nowMs));
