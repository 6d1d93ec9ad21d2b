'use client';
/**
 * One series' current window: slug, lifecycle state, countdown to the end, price to beat, the Chainlink reference
 * and the distance between them (USD and bps), best bid/ask of Up and Down, the last resolved window's winner and
 * the next window once discovered.
 */
import { memo, type ReactNode } from 'react';
import { distanceToBeat, formatBps, formatBtcUsd, formatClock, formatProb, formatShares, probDigits, shortSlug } from '../../lib/format';
import type { BookTop, ReferenceView, SeriesView, WindowView } from '../../lib/schemas/trading';
import { Badge, type Tone } from '../ui/badge';
import { Card } from '../ui/card';
import { Countdown } from './countdown';

const stateTone: Record<NonNullable<WindowView['state']>, Tone> = { discovered: 'info', open: 'ok', closing: 'warn', closed: 'neutral', resolved: 'neutral' };

function Metric({ label, children, sub, testId, hint }: { label: string; children: ReactNode; sub?: ReactNode; testId?: string; hint?: string }) {
  return (
    <div className="min-w-0" title={hint}>
      <div className="text-xs text-slate-500">{label}</div>
      <div data-testid={testId} className="truncate font-mono text-base tabular-nums text-slate-100">
        {children}
      </div>
      {sub !== undefined && <div className="truncate text-xs tabular-nums text-slate-400">{sub}</div>}
    </div>
  );
}

function BookRow({ label, top, kind, side, dp }: { label: string; top: BookTop | null; kind: string; side: 'up' | 'down'; dp: 2 | 3 }) {
  const tone = side === 'up' ? 'text-emerald-300' : 'text-rose-300';
  return (
    <tr className="border-t border-slate-800/70">
      <td className={`py-1 pr-2 font-sans text-xs font-semibold uppercase ${tone}`}>{label}</td>
      <td className="py-1 text-right" data-testid={`window-${side}-bid-${kind}`}>
        {formatProb(top?.bestBid, dp)}
      </td>
      <td className="py-1 text-right text-slate-500">{top?.bidSize != null ? formatShares(Math.round(top.bidSize)) : ''}</td>
      <td className="py-1 text-right" data-testid={`window-${side}-ask-${kind}`}>
        {formatProb(top?.bestAsk, dp)}
      </td>
      <td className="py-1 text-right text-slate-500">{top?.askSize != null ? formatShares(Math.round(top.askSize)) : ''}</td>
    </tr>
  );
}

function WindowCardImpl({ series, reference, refStale, serverNow, tradingUp }: { series: SeriesView; reference: ReferenceView; refStale: boolean; serverNow: () => number; tradingUp: boolean }) {
  const w = series.current;
  const k = series.kind;
  const d = distanceToBeat(reference.live?.priceUsd, w.priceToBeatUsd);
  const dTone = !d ? 'text-slate-400' : d.usd >= 0 ? 'text-emerald-400' : 'text-red-400';
  const last = series.lastResolved;
  const dp = probDigits(w.tickSize, [w.up?.bestBid, w.up?.bestAsk, w.down?.bestBid, w.down?.bestAsk]);
  return (
    <Card
      title={`${k} window`}
      testId={`window-${k}`}
      actions={
        <Badge tone={w.state ? stateTone[w.state] : 'neutral'} testId={`window-state-${k}`}>
          {w.state ?? (tradingUp ? 'discovering…' : 'bot stopped')}
        </Badge>
      }
    >
      <div className="flex items-end justify-between gap-3">
        <div className="min-w-0">
          <div className="truncate font-mono text-xs text-slate-400" data-testid={`window-slug-${k}`} title={w.slug}>
            {w.slug}
          </div>
          <div className="text-xs text-slate-500">
            {formatClock(w.startMs)} → {formatClock(w.endMs)} UTC
          </div>
        </div>
        <div className="shrink-0 text-right">
          <div className="text-xs text-slate-500">ends in</div>
          <Countdown endMs={w.endMs} serverNow={serverNow} testId={`window-countdown-${k}`} className="text-2xl font-semibold" />
        </div>
      </div>
      <div className="mt-3 grid grid-cols-3 gap-3">
        <Metric
          label="Price to beat"
          testId={`window-ptb-${k}`}
          sub={w.priceToBeatUsd != null ? `TWAP-60 at ${formatClock(w.startMs).slice(0, 5)}` : w.state ? 'bot started late' : ''}
          hint={w.priceToBeatSource ? `TWAP-60 at the window start (source: ${w.priceToBeatSource})` : 'the TWAP-60 at the window start; not captured when the bot was not running at the start'}
        >
          {w.priceToBeatUsd != null ? formatBtcUsd(w.priceToBeatUsd) : <span className="text-slate-500">{w.state ? 'not captured' : '—'}</span>}
        </Metric>
        <Metric
          label="Chainlink"
          testId={`window-ref-${k}`}
          sub={reference.live ? <span className={refStale ? 'font-semibold text-red-300' : ''}>{refStale ? 'STALE ' : 'as of '}
              {formatClock(reference.live.tsMs)}</span> : 'no reference yet'}
        >
          <span className={refStale ? 'text-red-300' : ''}>{formatBtcUsd(reference.live?.priceUsd)}</span>
        </Metric>
        <Metric
          label="Distance"
          testId={`window-distance-${k}`}
          sub={d ? <span className={`font-mono ${dTone}`} data-testid={`window-distance-bps-${k}`}>{formatBps(d.bps)}</span> : ''}
          hint="Chainlink minus price to beat (Up wins when the end TWAP is at or above it)"
        >
          {d ? (
            <span className={dTone}>
              {d.usd >= 0 ? '+' : '−'}
              {formatBtcUsd(Math.abs(d.usd))}
            </span>
          ) : (
            <span className="text-slate-500">—</span>
          )}
        </Metric>
      </div>
      <table className="mt-3 w-full font-mono text-sm tabular-nums">
        <thead className="font-sans text-xs text-slate-500">
          <tr>
            <th className="w-16 text-left font-normal">book</th>
            <th className="text-right font-normal">bid</th>
            <th className="text-right font-normal">size</th>
            <th className="text-right font-normal">ask</th>
            <th className="text-right font-normal">size</th>
          </tr>
        </thead>
        <tbody>
          <BookRow label="Up" top={w.up} kind={k} side="up" dp={dp} />
          <BookRow label="Down" top={w.down} kind={k} side="down" dp={dp} />
        </tbody>
      </table>
      <div className="mt-3 flex flex-wrap items-center justify-between gap-x-3 gap-y-1 border-t border-slate-800 pt-2 text-xs text-slate-400">
        <span data-testid={`window-last-resolved-${k}`} title={last?.slug}>
          last resolved:{' '}
          {last ? (
            <>
              <span className="font-mono">{shortSlug(last.slug)}</span>{' '}
              <span className={`font-semibold ${last.winner === 'up' ? 'text-emerald-300' : 'text-rose-300'}`}>{last.winner.toUpperCase()}</span>
            </>
          ) : (
            <span className="text-slate-500">none yet</span>
          )}
        </span>
        {series.next && (
          <span title={series.next.slug}>
            next: <span className="font-mono">{shortSlug(series.next.slug)}</span> ({series.next.state ?? 'pending'})
          </span>
        )}
      </div>
    </Card>
  );
}

export const WindowCard = memo(WindowCardImpl);
