'use client';
/**
 * One asset's price panel on the Feeds page: its latest reference / TWAP-60 / spot and divergence, its price chart
 * and its divergence chart (USD or bps, switchable), all from that asset's own rows of the feeds snapshot, on the
 * page's shared time axis. The header names the feed symbols the prices came from (`btcusd` reference, `btcusdt` spot).
 *
 * Invariants: reads one asset only (never another asset's price); bounded by the snapshot (≤ feedsLimits.points rows);
 * the charts re-render only when this asset's rows change (the fold keeps the other assets' objects as they were).
 */
import { memo, useState, type ReactNode } from 'react';
import type { AssetPrices } from '../../lib/schemas/feeds';
import { assetName } from '../../lib/schemas/series';
import { Legend } from './chart-parts';
import { DivergenceChart, type DivergenceUnit } from './divergence-chart';
import { LatestStrip } from './latest-strip';
import { PriceChart } from './price-chart';
import { seriesColor, type TimeDomain } from './time-axis';

const priceLegend = [
  { label: 'Chainlink', color: seriesColor.ref },
  { label: 'TWAP-60', color: seriesColor.twap },
  { label: 'spot', color: seriesColor.spot },
];
const divLegend = [
  { label: 'spot − ref', color: seriesColor.spotRef },
  { label: 'ref − TWAP', color: seriesColor.refTwap },
];

function UnitToggle({ value, onChange, asset }: { value: DivergenceUnit; onChange: (u: DivergenceUnit) => void; asset: string }) {
  return (
    <div className="flex gap-1" role="group" aria-label={`${asset.toUpperCase()} divergence unit`}>
      {(['bps', 'usd'] as const).map((u) => (
        <button
          key={u}
          type="button"
          aria-pressed={u === value}
          data-testid={`divergence-unit-${asset}-${u}`}
          onClick={() => onChange(u)}
          className={`rounded px-2 py-0.5 text-xs ${u === value ? 'bg-slate-700 text-slate-100' : 'bg-slate-800/60 text-slate-400 hover:text-slate-200'}`}
        >
          {u === 'usd' ? 'USD' : 'bps'}
        </button>
      ))}
    </div>
  );
}

function ChartTitle({ children, right }: { children: string; right?: ReactNode }) {
  return (
    <div className="mb-1 flex flex-wrap items-center justify-between gap-2">
      <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-400">{children}</h3>
      {right}
    </div>
  );
}

function AssetFeedsImpl({ a, domain, nowMs }: { a: AssetPrices; domain: TimeDomain; nowMs: number }) {
  const [unit, setUnit] = useState<DivergenceUnit>('bps');
  const ticker = a.asset.toUpperCase();
  const symbols = [a.symbols.ref, a.symbols.spot].filter((x): x is string => x !== null).join(' · ');
  return (
    <section data-testid={`asset-feeds-${a.asset}`} data-asset={a.asset} className="space-y-4 rounded-xl border border-slate-800 bg-slate-900/60 p-4 shadow-sm">
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
        <h2 className="text-sm font-semibold uppercase tracking-wide text-slate-300">
          {ticker} / USD <span className="font-normal normal-case text-slate-500">{assetName(a.asset)} · last 30 min</span>
        </h2>
        {symbols && <span className="font-mono text-xs text-slate-500" data-testid={`asset-symbols-${a.asset}`}>{symbols}</span>}
      </div>
      <LatestStrip a={a} nowMs={nowMs} />
      <div className="grid gap-4 xl:grid-cols-2">
        <div className="min-w-0" data-testid={`price-card-${a.asset}`}>
          <ChartTitle>{`${ticker} price · USD`}</ChartTitle>
          <Legend items={priceLegend} />
          <PriceChart points={a.points} domain={domain} asset={a.asset} />
        </div>
        <div className="min-w-0" data-testid={`divergence-card-${a.asset}`} data-unit={unit}>
          <ChartTitle right={<UnitToggle value={unit} onChange={setUnit} asset={a.asset} />}>{`${ticker} divergence · ${unit === 'usd' ? 'USD' : 'bps'}`}</ChartTitle>
          <Legend items={divLegend} />
          <DivergenceChart points={a.points} domain={domain} unit={unit} asset={a.asset} scaleUsd={a.latest.ref?.priceUsd ?? null} />
        </div>
      </div>
    </section>
  );
}

export const AssetFeeds = memo(AssetFeedsImpl);
