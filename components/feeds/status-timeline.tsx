'use client';
/**
 * The staleness timeline: one horizontal band per feed over the window, coloured by status (open, stale,
 * connecting, backoff, closed, idle; empty where nothing was reported), with a tick at every reconnect, and a UTC
 * time axis shared with the charts. Plain positioned divs (no chart library): bands are intervals, not a series.
 */
import { memo } from 'react';
import type { FeedInterval, FeedStatus, FeedTimelineRow } from '../../lib/schemas/feeds';
import { formatAge } from '../../lib/format';
import { Empty } from '../dashboard/numbers';
import { feedLabel, formatTick, ticksAreMinutes, timeTicks, type TimeDomain } from './time-axis';

export const statusColor: Record<FeedStatus, string> = {
  open: 'bg-emerald-500/80',
  stale: 'bg-red-500/90',
  connecting: 'bg-sky-500/80',
  backoff: 'bg-amber-500/90',
  closed: 'bg-slate-500/70',
  idle: 'bg-slate-700',
};

/** Left offset and width in % of the domain (clipped to it; at least a sliver so a short spell is visible). */
function place(i: FeedInterval, d: TimeDomain): { left: number; width: number } | null {
  const span = d.endMs - d.startMs;
  const a = Math.max(i.startMs, d.startMs);
  const b = Math.min(i.endMs, d.endMs);
  if (b < a) return null;
  const left = ((a - d.startMs) / span) * 100;
  return { left, width: Math.min(100 - left, Math.max(0.4, ((b - a) / span) * 100)) };
}

function Track({ f, domain }: { f: FeedTimelineRow; domain: TimeDomain }) {
  const span = domain.endMs - domain.startMs;
  return (
    <div className="relative h-4 flex-1 overflow-hidden rounded-sm bg-slate-800/40" data-testid={`timeline-track-${f.feed}`} data-intervals={f.intervals.length}>
      {f.intervals.map((i) => {
        const p = place(i, domain);
        if (!p) return null;
        return (
          <div
            key={`${i.startMs}-${i.status}`}
            className={`absolute inset-y-0 ${statusColor[i.status]}`}
            style={{ left: `${p.left}%`, width: `${p.width}%` }}
            title={`${i.status} ${formatTick(i.startMs, false)}–${formatTick(i.endMs, false)} UTC (${formatAge(i.endMs - i.startMs)})`}
          />
        );
      })}
      {f.reconnectTimesMs
        .filter((t) => t >= domain.startMs && t <= domain.endMs)
        .map((t, k) => (
          <div key={`r${t}-${k}`} className="absolute inset-y-0 w-0.5 bg-white" style={{ left: `${((t - domain.startMs) / span) * 100}%` }} title={`reconnect ${formatTick(t, false)} UTC`} />
        ))}
    </div>
  );
}

function StatusTimelineImpl({ feeds, domain }: { feeds: FeedTimelineRow[]; domain: TimeDomain }) {
  if (feeds.length === 0) return <Empty testId="timeline-empty">No feed has reported yet.</Empty>;
  const ticks = timeTicks(domain, 5);
  const minutes = ticksAreMinutes(ticks);
  const span = domain.endMs - domain.startMs;
  return (
    <div data-testid="status-timeline">
      <div className="space-y-1.5">
        {feeds.map((f) => (
          <div key={f.feed} className="flex items-center gap-2">
            <span className="w-24 shrink-0 truncate text-xs text-slate-300" title={feedLabel[f.feed] ?? f.feed}>
              {feedLabel[f.feed] ?? f.feed}
            </span>
            <Track f={f} domain={domain} />
          </div>
        ))}
      </div>
      <div className="flex gap-2">
        <span className="w-24 shrink-0" />
        <div className="relative h-5 flex-1 text-[11px] tabular-nums text-slate-500">
          {ticks.map((t, k) => {
            const left = ((t - domain.startMs) / span) * 100;
            // Keep the first and last labels inside the track.
            const shift = left < 8 ? '0%' : left > 92 ? '-100%' : '-50%';
            return (
              <span key={t} className={`absolute top-1 whitespace-nowrap ${k % 2 === 1 ? 'max-sm:hidden' : ''}`} style={{ left: `${left}%`, transform: `translateX(${shift})` }}>
                {formatTick(t, minutes)}
              </span>
            );
          })}
        </div>
      </div>
      <div className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-400">
        <span className="text-slate-500">time (UTC) ·</span>
        {(Object.keys(statusColor) as FeedStatus[]).map((s) => (
          <span key={s} className="inline-flex items-center gap-1">
            <span className={`inline-block h-2.5 w-2.5 rounded-sm ${statusColor[s]}`} />
            {s}
          </span>
        ))}
        <span className="inline-flex items-center gap-1">
          <span className="inline-block h-2.5 w-0.5 bg-white" />
          reconnect
        </span>
      </div>
    </div>
  );
}

export const StatusTimeline = memo(StatusTimelineImpl);
