'use client';
/** Per feed: status, msgs/s, bad frames, reconnects (counter and the last time), last-message age, last report. */
import { memo } from 'react';
import { formatAge, formatClock } from '../../lib/format';
import type { FeedStatus, FeedTimelineRow } from '../../lib/schemas/feeds';
import { Empty } from '../dashboard/numbers';
import { feedLabel } from './time-axis';

const statusText: Record<FeedStatus, string> = {
  open: 'text-emerald-300',
  stale: 'text-red-300',
  connecting: 'text-sky-300',
  backoff: 'text-amber-300',
  closed: 'text-slate-400',
  idle: 'text-slate-500',
};

function FeedTableImpl({ feeds }: { feeds: FeedTimelineRow[] }) {
  if (feeds.length === 0) return <Empty testId="feed-table-empty">No feed has reported yet.</Empty>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[640px] text-left text-sm" data-testid="feed-table">
        <thead className="whitespace-nowrap text-xs text-slate-500">
          <tr>
            <th className="py-1 pr-2 font-normal">feed</th>
            <th className="px-2 font-normal">status</th>
            <th className="px-2 text-right font-normal">msgs/s</th>
            <th className="px-2 text-right font-normal">bad frames</th>
            <th className="px-2 text-right font-normal">reconnects</th>
            <th className="px-2 text-right font-normal">last reconnect (UTC)</th>
            <th className="px-2 text-right font-normal">last msg age</th>
            <th className="pl-2 text-right font-normal">reported (UTC)</th>
          </tr>
        </thead>
        <tbody className="font-mono text-xs tabular-nums">
          {feeds.map((f) => {
            const last = f.reconnectTimesMs.at(-1);
            return (
              <tr key={f.feed} className="border-t border-slate-800" data-testid={`feed-${f.feed}`}>
                <td className="whitespace-nowrap py-1.5 pr-2 font-sans text-sm text-slate-200">{feedLabel[f.feed] ?? f.feed}</td>
                <td className={`px-2 ${statusText[f.status]}`} data-testid={`feed-${f.feed}-status`}>
                  {f.status}
                </td>
                <td className="px-2 text-right" data-testid={`feed-${f.feed}-rate`}>
                  {f.msgsPerSec.toFixed(1)}
                </td>
                <td className={`px-2 text-right ${f.badFrames > 0 ? 'text-amber-300' : ''}`} data-testid={`feed-${f.feed}-bad`}>
                  {f.badFrames}
                </td>
                <td className="px-2 text-right" data-testid={`feed-${f.feed}-reconnects`}>
                  {f.reconnects}
                </td>
                <td className="px-2 text-right" title={f.reconnectTimesMs.map((t) => formatClock(t)).join(', ')}>
                  {last === undefined ? '—' : formatClock(last)}
                </td>
                <td className="px-2 text-right">{formatAge(f.lastMsgAgeMs)}</td>
                <td className="pl-2 text-right">{formatClock(f.reportedMs)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export const FeedTable = memo(FeedTableImpl);
