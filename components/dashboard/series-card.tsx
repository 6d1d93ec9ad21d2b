'use client';
/**
 * One series on the dashboard's grid, compact enough that several sit side by side and one still reads at 390 px:
 * asset and window length, lifecycle state, countdown to the window's end, price to beat against the live price that
 * settles it (the asset's Chainlink reference, or its spot price for an hourly spot-candle series) with the distance,
 * both books' tops (Up and Down: bid and ask with sizes), the last resolved window's winner and the next window.
 *
 * Invariants: every figure comes from the series' own asset (never another asset's reference); test ids carry the
 * series key (`series-*-btc-300`), so several assets with the same window length never collide.
 */
import { memo, type ReactNode } from 'react';
import { distanceToBeat, formatBps, formatClock, formatProb, formatShares, probDigits } from '../../lib/format';
import type { AssetView, BookTop, SeriesView, WindowView } from '../../lib/schemas/trading';
import { Badge, type Tone } from '../ui/badge';
import { Countdown } from './countdown';
import { formatAssetUsd } from './numbers';

const stateTone: Record<NonNullable<WindowView['state']>, Tone> = { discovered: 'info', open: 'ok', closing: 'warn', closed: 'neutral', resolved: 'neutral' };

function Figure({ label, children, sub, testId, hint }: { label: string; children: ReactNode; sub?: ReactNode; testId: string; hint?: string }) {
  return (
    <div className="min-w-0" title={hint}>
      <div className="truncate text-[11px] text-slate-500">{label}</div>
      <div data-testid={testId} className="truncate font-mono text-sm tabular-nums text-slate-100">
        {children}
      </div>
      {sub !== undefined && <div className="truncate text-[11px] tabular-nums text-slate-400">{sub}</div>}
    </div>
  );
}

function BookRow({ label, top, k, side, dp }: { label: string; top: BookTop | null; k: string; side: 'up' | 'down'; dp: 2 | 3 }) {
  const tone = side === 'up' ? 'text-emerald-300' : 'text-rose-300';
  const size = (v: number | null | undefined) => (v != null ? formatShares(Math.round(v)) : '');
  return (
    <tr className="border-t border-slate-800/70">
      <td className={`py-0.5 pr-2 font-sans text-xs font-semibold uppercase ${tone}`}>{label}</td>
      <td className="py-0.5 text-right text-slate-500">{size(top?.bidSize)}</td>
      <td className="py-0.5 text-right" data-testid={`series-${side}-bid-${k}`}>
        {formatProb(top?.bestBid, dp)}
      </td>
      <td className="py-0.5 text-right" data-testid={`series-${side}-ask-${k}`}>
        {formatProb(top?.bestAsk, dp)}
      </td>
      <td className="py-0.5 text-right text-slate-500">{size(top?.askSize)}</td>
    </tr>
  );
}

/** The price a window of this series settles against, with its label and whether it can be trusted now. */
function livePrice(s: SeriesView, a: AssetView | undefined): { label: string; price: number | null; tsMs: number | null; stale: boolean } {
  if (s.settlement === 'spot-candle') return { label: 'spot', price: a?.spot?.priceUsd ?? null, tsMs: a?.spot?.tsMs ?? null, stale: false };
  return { label: 'Chainlink', price: a?.live?.priceUsd ?? null, tsMs: a?.live?.tsMs ?? null, stale: a?.stale ?? true };
}

function SeriesCardImpl({ series, asset, serverNow, tradingUp }: { series: SeriesView; asset: AssetView | undefined; serverNow: () => number; tradingUp: boolean }) {
  const w = series.current;
  const k = series.key;
  const live = livePrice(series, asset);
  const d = distanceToBeat(live.price, w.priceToBeatUsd);
  const dTone = !d ? 'text-slate-400' : d.usd >= 0 ? 'text-emerald-400' : 'text-red-400';
  const last = series.lastResolved;
  const dp = probDigits(w.tickSize, [w.up?.bestBid, w.up?.bestAsk, w.down?.bestBid, w.down?.bestAsk]);
  const ptbHint = series.settlement === 'spot-candle' ? 'the venue\'s price to beat: the 1 h spot candle\'s open' : 'TWAP-60 at the window start; not captured when the bot was not running at the start';
  return (
    <section
      data-testid={`series-card-${k}`}
      data-series={k}
      data-asset={series.asset}
      data-kind={series.kind}
      data-enabled={series.enabled ? 'true' : 'false'}
      className={`min-w-0 rounded-xl border bg-slate-900/60 p-3 shadow-sm ${series.enabled ? 'border-slate-800' : 'border-dashed border-slate-700 opacity-70'}`}
    >
      <div className="flex items-start justify-between gap-2">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-1.5">
            <h3 className="font-semibold tracking-wide text-slate-100" data-testid={`series-label-${k}`}>
              {series.asset.toUpperCase()} <span className="text-sky-300">{series.kind}</span>
            </h3>
            <Badge tone={w.state ? stateTone[w.state] : 'neutral'} testId={`series-state-${k}`}>
              {w.state ?? (tradingUp ? 'discovering…' : 'bot stopped')}
            </Badge>
            {!series.enabled && <Badge tone="warn" testId={`series-off-${k}`}>switched off</Badge>}
          </div>
          <div className="truncate font-mono text-[11px] text-slate-500" data-testid={`series-slug-${k}`} title={w.slug}>
            {w.slug}
          </div>
        </div>
        <div className="shrink-0 text-right">
          <Countdown endMs={w.endMs} serverNow={serverNow} testId={`series-countdown-${k}`} className="text-xl font-semibold" />
          <div className="text-[11px] tabular-nums text-slate-500">
            {formatClock(w.startMs).slice(0, 5)}–{formatClock(w.endMs).slice(0, 5)} UTC
          </div>
        </div>
      </div>
      <div className="mt-2 grid grid-cols-3 gap-2">
        <Figure label="to beat" testId={`series-ptb-${k}`} hint={ptbHint} sub={w.priceToBeatUsd == null ? (w.state ? 'not captured' : '') : (w.priceToBeatSource ?? '')}>
          {w.priceToBeatUsd != null ? formatAssetUsd(w.priceToBeatUsd) : <span className="text-slate-500">—</span>}
        </Figure>
        <Figure
          label={live.label}
          testId={`series-ref-${k}`}
          sub={live.stale ? <span className="font-semibold text-red-300">STALE</span> : live.tsMs !== null ? formatClock(live.tsMs) : 'none yet'}
        >
          <span className={live.stale ? 'text-red-300' : ''}>{formatAssetUsd(live.price)}</span>
        </Figure>
        <Figure
          label="distance"
          testId={`series-distance-${k}`}
          hint={`${live.label} minus price to beat (Up wins at or above it)`}
          sub={d ? <span className={`font-mono ${dTone}`} data-testid={`series-distance-bps-${k}`}>{formatBps(d.bps)}</span> : ''}
        >
          {d ? (
            <span className={dTone}>
              {d.usd >= 0 ? '+' : '−'}
              {formatAssetUsd(Math.abs(d.usd), live.price)}
            </span>
          ) : (
            <span className="text-slate-500">—</span>
          )}
        </Figure>
      </div>
      <table className="mt-2 w-full table-fixed font-mono text-xs tabular-nums">
        <thead className="font-sans text-[11px] text-slate-500">
          <tr>
            <th className="w-12 text-left font-normal">book</th>
            <th className="text-right font-normal">size</th>
            <th className="text-right font-normal">bid</th>
            <th className="text-right font-normal">ask</th>
            <th className="text-right font-normal">size</th>
          </tr>
        </thead>
        <tbody>
          <BookRow label="Up" top={w.up} k={k} side="up" dp={dp} />
          <BookRow label="Down" top={w.down} k={k} side="down" dp={dp} />
        </tbody>
      </table>
      <div className="mt-2 flex flex-wrap items-center justify-between gap-x-3 gap-y-0.5 border-t border-slate-800 pt-1.5 text-[11px] text-slate-400">
        <span data-testid={`series-last-${k}`} title={last?.slug}>
          last:{' '}
          {last ? (
            <>
              <span className={`font-semibold ${last.winner === 'up' ? 'text-emerald-300' : 'text-rose-300'}`} data-testid={`series-winner-${k}`}>
                {last.winner.toUpperCase()}
              </span>{' '}
              <span className="font-mono text-slate-500">{formatClock(last.endMs).slice(0, 5)}</span>
            </>
          ) : (
            <span className="text-slate-500">none yet</span>
          )}
        </span>
        {series.next && (
          <span title={series.next.slug} className="truncate">
            next {formatClock(series.next.startMs).slice(0, 5)}: {series.next.state ?? 'pending'}
          </span>
        )}
      </div>
    </section>
  );
}

export const SeriesCard = memo(SeriesCardImpl);

