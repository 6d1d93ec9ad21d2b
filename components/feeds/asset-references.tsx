'use client';
/**
 * The Feeds page's per-asset reference table: one row per asset the running config trades, with its Chainlink
 * reference (as streamed), TWAP-60, spot, spot − reference (USD and bps), how old its reference is (ticking on the
 * server clock) and whether the feed gate calls it stale (its series then take no new orders; other assets' do).
 * Data: the dashboard's trading snapshot with live prices laid over it (useTrading), narrowed by the series filter.
 *
 * Invariants: each row reads one asset's own figures only; the age cells re-render at most 4 times a second; the
 * table scrolls inside its card (nothing clipped at 390 px).
 */
import { useServerNow } from '../ui/use-server-now';
import { formatAge, formatBps, formatClock } from '../../lib/format';
import type { AssetView } from '../../lib/schemas/trading';
import { Empty, formatAssetUsd } from '../dashboard/numbers';
import { useTrading } from '../live/use-trading';
import { Card } from '../ui/card';
import type { SeriesFilterState } from '../ui/series-filter';
import { inScope } from '../ui/series-scope';


function Row({ a, now, seriesCount }: { a: AssetView; now: number; seriesCount: number }) {
  const age = a.refRecvMs === null ? null : Math.max(0, now - a.refRecvMs);
  const stale = a.stale || age === null || age > a.staleAfterMs;
  const div = a.live && a.spot ? a.spot.priceUsd - a.live.priceUsd : null;
  const scale = a.live?.priceUsd ?? null;
  return (
    <tr className="border-t border-slate-800" data-testid={`asset-row-${a.asset}`} data-stale={stale ? 'true' : 'false'}>
      <td className="whitespace-nowrap py-1.5 pr-2 font-sans text-sm font-semibold uppercase text-slate-200">
        {a.asset} <span className="font-normal normal-case text-slate-500">/ USD · {seriesCount} series</span>
      </td>
      <td className="px-2 text-right" data-testid={`asset-row-live-${a.asset}`}>{formatAssetUsd(a.live?.priceUsd)}</td>
      <td className="px-2 text-right">{formatAssetUsd(a.twap?.priceUsd)}</td>
      <td className="px-2 text-right">{formatAssetUsd(a.spot?.priceUsd)}</td>
      <td className="px-2 text-right">
        {div === null ? '—' : `${div >= 0 ? '+' : '−'}${formatAssetUsd(Math.abs(div), scale)}`}
        <span className="ml-1 text-slate-500">{div === null || !scale ? '' : formatBps((div / scale) * 10_000)}</span>
      </td>
      <td className={`px-2 text-right ${stale ? 'text-red-300' : ''}`} data-testid={`asset-row-age-${a.asset}`}>
        {age === null ? 'none yet' : formatAge(age)}
      </td>
      <td className="px-2 text-right text-slate-400">{a.live ? formatClock(a.live.tsMs) : '—'}</td>
      <td className={`pl-2 font-sans ${stale ? 'font-semibold text-red-300' : 'text-emerald-300'}`} data-testid={`asset-row-state-${a.asset}`}>
        {stale ? 'STALE' : 'fresh'}
      </td>
    </tr>
  );
}

export function AssetReferences({ filter }: { filter: SeriesFilterState }) {
  const t = useTrading();
  const now = useServerNow(t.serverNow);
  const d = t.data;
  const series = d ? d.series.filter((s) => inScope(filter.scope, s)) : [];
  const assets = d ? d.assets.filter((a) => !filter.scoped || series.some((s) => s.asset === a.asset) || a.asset === filter.scope.asset) : [];
  const bound = assets[0]?.staleAfterMs;
  return (
    <Card title="References per asset" testId="asset-references" actions={bound ? <span className="text-xs text-slate-500">stale after {formatAge(bound)} without a point</span> : undefined}>
      {!d ? (
        t.isError ? (
          <p className="text-sm text-red-400" data-testid="asset-references-error">Could not read the references: {String(t.error?.message ?? t.error)}</p>
        ) : (
          <p className="text-sm text-slate-500" data-testid="asset-references-loading">Loading…</p>
        )
      ) : assets.length === 0 ? (
        <Empty testId="asset-references-empty">No asset matches {filter.label}.</Empty>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full min-w-[720px] text-left text-sm" data-testid="asset-references-table">
            <thead className="whitespace-nowrap text-xs text-slate-500">
              <tr>
                <th className="py-1 pr-2 font-normal">asset</th>
                <th className="px-2 text-right font-normal">Chainlink USD</th>
                <th className="px-2 text-right font-normal">TWAP-60 USD</th>
                <th className="px-2 text-right font-normal">spot USD</th>
                <th className="px-2 text-right font-normal">spot − ref</th>
                <th className="px-2 text-right font-normal">ref age</th>
                <th className="px-2 text-right font-normal">ref time (UTC)</th>
                <th className="pl-2 font-normal">state</th>
              </tr>
            </thead>
            <tbody className="font-mono text-xs tabular-nums">
              {assets.map((a) => (
                <Row key={a.asset} a={a} now={now} seriesCount={d.series.filter((s) => s.asset === a.asset).length} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
