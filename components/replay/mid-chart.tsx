'use client';
/**
 * The Up token's mid over the whole replayed session (Recharts 3 line chart), with a vertical line at the cursor.
 * Built once the replay is ready from frames sampled every ~10 s (at most MAX_POINTS, fetched a few at a time with
 * limit=0 so no ledger travels). At each sample the Up token of the window that has started last is used (among the
 * windows the series filter keeps: the Up books of each sample are kept, so a new filter redraws without refetching);
 * a sample without a two-sided Up book is a gap.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { formatClock } from '../../lib/format';
import { apiCall } from '../live/api-client';
import { Empty } from '../dashboard/numbers';
import { type FrameBook, replayFrameSchema } from './replay-frame';

export const MAX_POINTS = 400;
const SAMPLE_EVERY_MS = 10_000;
const PARALLEL = 4;

export interface MidPoint {
  t: number;
  mid: number | null;
}

/** Window start (epoch ms) from a `<asset>-updown-<len>-<epoch s>` slug, or null. */
function windowStartMs(slug: string | null): number | null {
  const m = slug ? /-(\d{9,11})$/.exec(slug) : null;
  return m ? Number(m[1]) * 1000 : null;
}

/** Mid of the Up token of the latest-started window at t (null when that book is one-sided or missing); `keep`: which windows count. */
export function upMidAt(books: readonly FrameBook[], t: number, keep: (slug: string | null) => boolean = () => true): number | null {
  let best: FrameBook | null = null;
  let bestStart = -Infinity;
  for (const b of books) {
    if (b.outcome !== 'up' || !keep(b.slug)) continue;
    const start = windowStartMs(b.slug) ?? -Infinity;
    if (start <= t && start >= bestStart) {
      best = b;
      bestStart = start;
    }
  }
  if (!best || best.bestBid === null || best.bestAsk === null) return null;
  return (best.bestBid + best.bestAsk) / 2;
}

export function sampleTimes(startMs: number, endMs: number): number[] {
  const step = Math.max(SAMPLE_EVERY_MS, Math.ceil((endMs - startMs) / (MAX_POINTS - 1)));
  const out: number[] = [];
  for (let t = startMs; t < endMs && out.length < MAX_POINTS - 1; t += step) out.push(t);
  out.push(endMs);
  return out;
}

interface UpSample {
  t: number;
  ups: FrameBook[];
}

async function loadSeries(startMs: number, endMs: number): Promise<UpSample[]> {
  const times = sampleTimes(startMs, endMs);
  const points: UpSample[] = new Array<UpSample>(times.length);
  let next = 0;
  const worker = async () => {
    while (next < times.length) {
      const i = next++;
      const t = times[i]!;
      const f = replayFrameSchema.parse(await apiCall(`/api/replay/frame?t=${t}&limit=0`));
      points[i] = { t, ups: f.books.filter((b) => b.outcome === 'up') };
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return points;
}

export function MidChart({ sessionId, startMs, endMs, ready, cursorMs, keep }: { sessionId: string; startMs: number; endMs: number; ready: boolean; cursorMs: number; keep?: (slug: string | null) => boolean }) {
  const samples = useQuery({
    queryKey: ['replay-mid-series', sessionId, startMs, endMs],
    queryFn: () => loadSeries(startMs, endMs),
    enabled: ready,
    staleTime: Infinity,
  });
  const data = useMemo(() => samples.data?.map((s): MidPoint => ({ t: s.t, mid: upMidAt(s.ups, s.t, keep) })), [samples.data, keep]);
  if (!ready) return <Empty testId="chart-waiting">The chart is drawn once the replay is computed.</Empty>;
  if (samples.isPending) return <p className="py-8 text-center text-sm text-slate-500">Loading chart…</p>;
  if (samples.isError)
    return (
      <p className="py-8 text-center text-sm text-red-400" data-testid="chart-error">
        Could not load the chart: {samples.error.message}
      </p>
    );
  if (!data || !data.some((p) => p.mid !== null)) return <Empty testId="chart-empty">No two-sided Up book {keep ? 'of the filtered series ' : ''}in this session.</Empty>;
  return (
    <div data-testid="mid-chart" data-points={data.length}>
      <LineChart responsive style={{ width: '100%', height: 260 }} data={data} margin={{ top: 8, right: 16, bottom: 20, left: 0 }}>
        <CartesianGrid stroke="#1e293b" strokeDasharray="3 3" />
        <XAxis
          dataKey="t"
          type="number"
          domain={[startMs, endMs]}
          tickFormatter={(v: number) => formatClock(v)}
          stroke="#64748b"
          fontSize={11}
          label={{ value: 'time (UTC)', position: 'insideBottom', offset: -12, fill: '#64748b', fontSize: 11 }}
        />
        <YAxis
          domain={[0, 1]}
          ticks={[0, 0.25, 0.5, 0.75, 1]}
          stroke="#64748b"
          fontSize={11}
          width={60}
          label={{ value: 'probability', angle: -90, position: 'insideLeft', offset: 10, fill: '#64748b', fontSize: 11, style: { textAnchor: 'middle' } }}
        />
        <Tooltip
          contentStyle={{ background: '#0f172a', border: '1px solid #334155', fontSize: 12 }}
          labelFormatter={(v) => `${formatClock(Number(v))} UTC`}
          formatter={(v) => [typeof v === 'number' ? v.toFixed(3) : '—', 'Up mid']}
        />
        <Line type="stepAfter" dataKey="mid" stroke="#22c55e" strokeWidth={1.5} dot={false} isAnimationActive={false} connectNulls={false} />
        <ReferenceLine x={cursorMs} stroke="#38bdf8" strokeDasharray="4 2" ifOverflow="hidden" />
      </LineChart>
    </div>
  );
}
