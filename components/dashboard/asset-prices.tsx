'use client';
/**
 * The reference strip: one row per asset with its Chainlink reference (as streamed), the TWAP-60 that settles its
 * windows, spot and spot − reference, and how old its reference is, ticking in the browser. An asset's reference is
 * STALE when the server says so or when no point arrived within the feed gate's bound (staleAfterMs): its series then
 * take no new orders, while the other assets' series trade on.
 *
 * Invariants: each row reads one asset only; the age re-renders only its own cell (at most 4 times a second).
 */
import { memo } from 'react';
import { useServerNow } from '../ui/use-server-now';
import { formatAge, formatClock } from '../../lib/format';
import type { AssetView } from '../../lib/schemas/trading';
import { formatAssetUsd } from './numbers';

function Item({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <span className="whitespace-nowrap">
      <span className="text-slate-500">{label} </span>
      <span data-testid={testId} className="font-mono tabular-nums text-slate-100">
        {value}
      </span>
    </span>
  );
}

/** Age of the asset's last reference point on the server clock, and the stale flag, ticking. */
function RefAge({ a, serverNow }: { a: AssetView; serverNow: () => number }) {
  const now = useServerNow(serverNow);
  const age = a.refRecvMs === null ? null : Math.max(0, now - a.refRecvMs);
  const stale = a.stale || age === null || age > a.staleAfterMs;
  return (
    <span className={`ml-auto whitespace-nowrap text-xs sm:order-last ${stale ? 'font-semibold text-red-300' : 'text-slate-500'}`} data-testid={`asset-age-${a.asset}`} data-stale={stale ? 'true' : 'false'}>
      {stale ? 'reference STALE · ' : 'reference age '}
      <span className="font-mono tabular-nums">{age === null ? 'none yet' : formatAge(age)}</span>
      {a.live && <span className="hidden text-slate-500 sm:inline"> · {formatClock(a.live.tsMs)} UTC</span>}
    </span>
  );
}

function AssetPricesImpl({ assets, serverNow }: { assets: AssetView[]; serverNow: () => number }) {
  if (assets.length === 0) return null;
  return (
    <div data-testid="reference-bar" className="divide-y divide-slate-800 rounded-xl border border-slate-800 bg-slate-900/60 px-4 text-sm">
      {assets.map((a) => {
        const div = a.live && a.spot ? a.spot.priceUsd - a.live.priceUsd : null;
        const scale = a.live?.priceUsd ?? a.spot?.priceUsd ?? null;
        return (
          <div key={a.asset} className="flex flex-wrap items-center gap-x-5 gap-y-0.5 py-1.5" data-testid={`asset-ref-${a.asset}`}>
            <span className="w-20 shrink-0 text-xs font-semibold uppercase tracking-wide text-slate-400">{a.asset} / USD</span>
            <RefAge a={a} serverNow={serverNow} />
            <div className="grid w-full grid-cols-2 gap-x-4 gap-y-0.5 sm:flex sm:w-auto sm:flex-wrap sm:gap-x-5">
              <Item label="Chainlink" value={formatAssetUsd(a.live?.priceUsd)} testId={`asset-live-${a.asset}`} />
              <Item label="TWAP-60" value={formatAssetUsd(a.twap?.priceUsd)} testId={`asset-twap-${a.asset}`} />
              <Item label="spot" value={formatAssetUsd(a.spot?.priceUsd)} testId={`asset-spot-${a.asset}`} />
              <Item label="spot − ref" value={div === null ? '—' : `${div >= 0 ? '+' : '−'}${formatAssetUsd(Math.abs(div), scale)}`} />
            </div>
          </div>
        );
      })}
    </div>
  );
}

export const AssetPrices = memo(AssetPricesImpl);
