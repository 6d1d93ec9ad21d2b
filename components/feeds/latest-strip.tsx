'use client';
/**
 * One asset's latest values: its Chainlink reference, TWAP-60 and spot (with the bus time of each), and the divergence
 * of its newest one-second row (spot − ref, ref − TWAP) in USD and bps. A price older than the carry time shows its
 * age. Prices take the decimals their size needs (formatAssetUsd: BTC and ETH 2, XRP 4).
 */
import { memo } from 'react';
import { formatAge, formatClock } from '../../lib/format';
import { feedsTiming, type AssetPrices, type LatestPrice } from '../../lib/schemas/feeds';
import { formatAssetUsd } from '../dashboard/numbers';
import { formatDivergence } from './divergence-chart';
import { seriesColor } from './time-axis';

function Price({ label, p, nowMs, color, testId }: { label: string; p: LatestPrice | null; nowMs: number; color: string; testId: string }) {
  const old = p !== null && nowMs - p.tsMs > feedsTiming.carryMs;
  return (
    <div className="min-w-0">
      <div className="flex items-center gap-1.5 text-xs text-slate-500">
        <span className="inline-block h-2 w-2 rounded-full" style={{ background: color }} />
        {label} <span className="text-slate-600">USD</span>
      </div>
      <div data-testid={testId} className="font-mono text-lg tabular-nums text-slate-100">
        {formatAssetUsd(p?.priceUsd)}
      </div>
      <div className={`text-xs tabular-nums ${old ? 'text-red-300' : 'text-slate-500'}`} data-testid={`${testId}-asof`}>
        {p ? `${formatClock(p.tsMs)} UTC${old ? ` · ${formatAge(nowMs - p.tsMs)} old` : ''}` : 'none yet'}
      </div>
    </div>
  );
}

function Div({ label, usd, bps, scaleUsd, testId }: { label: string; usd: number | null; bps: number | null; scaleUsd: number | null; testId: string }) {
  return (
    <div className="min-w-0">
      <div className="text-xs text-slate-500">{label}</div>
      <div className="font-mono text-lg tabular-nums text-slate-100" data-testid={`${testId}-usd`}>
        {formatDivergence(usd, 'usd', scaleUsd)}
      </div>
      <div className="font-mono text-xs tabular-nums text-slate-400" data-testid={`${testId}-bps`}>
        {formatDivergence(bps, 'bps')}
      </div>
    </div>
  );
}

function LatestStripImpl({ a, nowMs }: { a: AssetPrices; nowMs: number }) {
  const row = a.points.at(-1) ?? null;
  const scale = a.latest.ref?.priceUsd ?? a.latest.spot?.priceUsd ?? null;
  const id = (name: string) => `latest-${name}-${a.asset}`;
  return (
    <div data-testid={id('strip')} data-row-ms={row?.tMs ?? ''} className="grid grid-cols-2 gap-x-6 gap-y-3 sm:grid-cols-3 lg:grid-cols-5">
      <Price label="Chainlink" p={a.latest.ref} nowMs={nowMs} color={seriesColor.ref} testId={id('ref')} />
      <Price label="TWAP-60" p={a.latest.twap} nowMs={nowMs} color={seriesColor.twap} testId={id('twap')} />
      <Price label="spot" p={a.latest.spot} nowMs={nowMs} color={seriesColor.spot} testId={id('spot')} />
      <Div label="spot − ref" usd={row?.spotRefUsd ?? null} bps={row?.spotRefBps ?? null} scaleUsd={scale} testId={id('spot-ref')} />
      <Div label="ref − TWAP" usd={row?.refTwapUsd ?? null} bps={row?.refTwapBps ?? null} scaleUsd={scale} testId={id('ref-twap')} />
    </div>
  );
}

export const LatestStrip = memo(LatestStripImpl);
