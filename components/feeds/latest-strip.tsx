'use client';
/**
 * The latest values: Chainlink reference, TWAP-60 and spot (with the bus time of each), and the divergence of the
 * newest one-second row (spot − ref, ref − TWAP) in USD and bps. A price older than the carry time shows its age.
 */
import { memo } from 'react';
import { formatAge, formatBtcUsd, formatClock } from '../../lib/format';
import { feedsTiming, type FeedsSnapshot, type LatestPrice } from '../../lib/schemas/feeds';
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
        {formatBtcUsd(p?.priceUsd)}
      </div>
      <div className={`text-xs tabular-nums ${old ? 'text-red-300' : 'text-slate-500'}`} data-testid={`${testId}-asof`}>
        {p ? `${formatClock(p.tsMs)} UTC${old ? ` · ${formatAge(nowMs - p.tsMs)} old` : ''}` : 'none yet'}
      </div>
    </div>
  );
}

function Div({ label, usd, bps, testId }: { label: string; usd: number | null; bps: number | null; testId: string }) {
  return (
    <div className="min-w-0">
      <div className="text-xs text-slate-500">{label}</div>
      <div className="font-mono text-lg tabular-nums text-slate-100" data-testid={`${testId}-usd`}>
        {formatDivergence(usd, 'usd')}
      </div>
      <div className="font-mono text-xs tabular-nums text-slate-400" data-testid={`${testId}-bps`}>
        {formatDivergence(bps, 'bps')}
      </div>
    </div>
  );
}

function LatestStripImpl({ data }: { data: FeedsSnapshot }) {
  const row = data.points.at(-1) ?? null;
  return (
    <section data-testid="feeds-latest" data-row-ms={row?.tMs ?? ''} className="grid grid-cols-2 gap-x-6 gap-y-3 rounded-xl border border-slate-800 bg-slate-900/60 px-4 py-3 sm:grid-cols-3 lg:grid-cols-5">
      <Price label="Chainlink" p={data.latest.ref} nowMs={data.nowMs} color={seriesColor.ref} testId="latest-ref" />
      <Price label="TWAP-60" p={data.latest.twap} nowMs={data.nowMs} color={seriesColor.twap} testId="latest-twap" />
      <Price label="spot" p={data.latest.spot} nowMs={data.nowMs} color={seriesColor.spot} testId="latest-spot" />
      <Div label="spot − ref" usd={row?.spotRefUsd ?? null} bps={row?.spotRefBps ?? null} testId="latest-spot-ref" />
      <Div label="ref − TWAP" usd={row?.refTwapUsd ?? null} bps={row?.refTwapBps ?? null} testId="latest-ref-twap" />
    </section>
  );
}

export const LatestStrip = memo(LatestStripImpl);
