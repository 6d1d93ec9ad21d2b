'use client';
/**
 * The Feeds page: the series filter, one reference row per asset (its own price, age and stale state), latest
 * reference / TWAP-60 / spot and their divergence, price and divergence (USD, bps) charts, msgs/s per feed, the
 * staleness timeline and the per-feed table. The first snapshot comes from the server, live events are laid over it
 * (use-feeds.ts); every chart shares one UTC time axis. The series filter narrows the per-asset rows (the connections
 * carry every asset, so the feed rows and charts are not per series).
 */
import { Card } from '../ui/card';
import { SeriesFilter, useSeriesFilter } from '../ui/series-filter';
import { AssetReferences } from './asset-references';
import { Legend } from './chart-parts';
import { DivergenceChart } from './divergence-chart';
import { FeedTable } from './feed-table';
import { LatestStrip } from './latest-strip';
import { PriceChart } from './price-chart';
import { RateChart } from './rate-chart';
import { StatusTimeline } from './status-timeline';
import { feedColor, feedLabel, seriesColor, timeDomain } from './time-axis';
import { useFeeds } from './use-feeds';
import type { FeedsSnapshot } from '../../lib/schemas/feeds';

const priceLegend = [
  { label: 'Chainlink', color: seriesColor.ref },
  { label: 'TWAP-60', color: seriesColor.twap },
  { label: 'spot', color: seriesColor.spot },
];
const divLegend = [
  { label: 'spot − ref', color: seriesColor.spotRef },
  { label: 'ref − TWAP', color: seriesColor.refTwap },
];

export function FeedsView({ initial }: { initial: FeedsSnapshot | null }) {
  const { data, isError, error } = useFeeds(initial);
  const filter = useSeriesFilter();
  if (!data) {
    if (isError) {
      return (
        <div role="alert" data-testid="feeds-error" className="rounded-lg border border-red-800 bg-red-950/40 p-4 text-red-200">
          Cannot load the feeds: {error instanceof Error ? error.message : String(error)}
        </div>
      );
    }
    return <p className="text-slate-400">Loading…</p>;
  }
  const domain = timeDomain(data);
  return (
    <div className="space-y-4" data-testid="feeds-view" data-seq={data.seq}>
      {isError && (
        <p role="alert" className="text-sm text-red-400" data-testid="feeds-refresh-error">
          Could not refresh the snapshot ({error instanceof Error ? error.message : String(error)}); showing live events over the last one.
        </p>
      )}
      <SeriesFilter filter={filter} />
      <AssetReferences filter={filter} />
      <LatestStrip data={data} />
      <div className="grid gap-4 xl:grid-cols-2">
        <Card title="BTC / USD · last 30 min" testId="price-card">
          <Legend items={priceLegend} />
          <PriceChart points={data.points} domain={domain} />
        </Card>
        <Card title="Divergence · USD" testId="divergence-usd-card">
          <Legend items={divLegend} />
          <DivergenceChart points={data.points} domain={domain} unit="usd" />
        </Card>
        <Card title="Divergence · bps" testId="divergence-bps-card">
          <Legend items={divLegend} />
          <DivergenceChart points={data.points} domain={domain} unit="bps" />
        </Card>
        <Card title="Messages per second" testId="rate-card">
          <Legend items={data.feeds.map((f) => ({ label: feedLabel[f.feed] ?? f.feed, color: feedColor[f.feed] ?? '#94a3b8' }))} />
          <RateChart feeds={data.feeds} domain={domain} />
        </Card>
      </div>
      <Card title="Feed status timeline" testId="timeline-card">
        <StatusTimeline feeds={data.feeds} domain={domain} />
      </Card>
      <Card title="Feeds" testId="feed-table-card">
        <FeedTable feeds={data.feeds} />
      </Card>
    </div>
  );
}
