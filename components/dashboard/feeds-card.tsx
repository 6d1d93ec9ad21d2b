'use client';
/** Feed health: one row per feed (state, last-message age, msgs/s, reconnects, bad frames, stale flag). */
import { memo } from 'react';
import { formatAge } from '../../lib/format';
import type { FeedRow, TradingSnapshot } from '../../lib/schemas/trading';
import { Card } from '../ui/card';

const label: Record<FeedRow['feed'], string> = { 'clob-market': 'CLOB market', 'clob-user': 'CLOB user', polybolt: 'PolyBolt ref', rtds: 'RTDS ref', spot: 'Spot' };

function dot(f: FeedRow, tradingUp: boolean): string {
  if (!f.used || !tradingUp) return 'bg-slate-700';
  if (f.stale) return 'bg-red-500';
  if (f.state === 'open') return 'bg-emerald-400';
  return 'bg-amber-400';
}

function FeedsCardImpl({ feeds, degraded, tradingUp }: { feeds: FeedRow[]; degraded: TradingSnapshot['degraded']; tradingUp: boolean }) {
  return (
    <Card title="Feeds" testId="feeds-card">
      <table className="w-full table-fixed text-left text-sm">
        <thead className="text-xs text-slate-500">
          <tr>
            <th className="w-[35%] py-1 pr-2 font-normal">feed</th>
            <th className="w-[20%] font-normal">state</th>
            <th className="w-[17%] pl-1 text-right font-normal">last msg</th>
            <th className="w-[13%] pl-1 text-right font-normal">msg/s</th>
            <th className="w-[15%] pl-1 text-right font-normal" title="reconnects">reconn</th>
          </tr>
        </thead>
        <tbody className="font-mono text-xs tabular-nums">
          {feeds.map((f) => (
            <tr key={f.feed} className="border-t border-slate-800" data-testid={`feed-row-${f.feed}`} data-stale={f.used && f.stale ? 'true' : 'false'}>
              <td className="truncate py-1.5 pr-2 font-sans text-sm text-slate-200" title={label[f.feed]}>
                <span className={`mr-2 inline-block h-2 w-2 rounded-full align-middle ${dot(f, tradingUp)}`} />
                {label[f.feed]}
              </td>
              {f.note ? (
                <td colSpan={4} className="truncate font-sans text-xs text-red-300" title={f.note} data-testid={`feed-state-${f.feed}`}>
                  {f.note}
                </td>
              ) : f.used ? (
                <>
                  <td className="truncate" data-testid={`feed-state-${f.feed}`}>
                    {f.state}
                    {f.stale && tradingUp && <span className="ml-1 rounded bg-red-500/20 px-1 font-sans text-[10px] font-semibold text-red-300">stale</span>}
                  </td>
                  <td className="truncate pl-1 text-right">{formatAge(f.lastMsgAgeMs)}</td>
                  <td className="truncate pl-1 text-right">{f.msgsPerSec.toFixed(1)}</td>
                  <td className="pl-1 text-right" title={f.badFrames ? `${f.badFrames} bad frames` : undefined}>
                    {f.reconnects}
                    {f.badFrames > 0 && <span className="ml-1 text-amber-300">!</span>}
                  </td>
                </>
              ) : (
                <td colSpan={4} className="font-sans text-slate-500" data-testid={`feed-state-${f.feed}`}>
                  not used in paper mode
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-2 border-t border-slate-800 pt-2 text-xs text-slate-400" data-testid="feeds-degraded">
        degraded mode:{' '}
        {degraded.degraded ? (
          <span className="font-semibold text-red-300">on, new orders {degraded.ordersAllowed ? 'allowed' : 'blocked'}</span>
        ) : (
          <span className="text-slate-300">off</span>
        )}
      </p>
    </Card>
  );
}

export const FeedsCard = memo(FeedsCardImpl);
