'use client';
/**
 * The Feeds page: the series filter, one reference row per asset (its own price, age and stale state), then one price
 * panel per asset (latest reference / TWAP-60 / spot and their divergence, a price chart and a divergence chart, each
 * from that asset's own rows), msgs/s per feed, the staleness timeline and the per-feed table. The first snapshot
 * comes from the server, live events are laid over it (use-feeds.ts); every chart shares one UTC time axis.
 *
 * The series filter narrows the per-asset rows and panels to the assets of the series in scope (feed-assets.ts); the
 * connections carry every asset, so the feed rate, timeline and table are not per series. Last, the external signal
 * sources the strategies read (putCallRatio, fearGreed: external-signals.tsx), not per series either.
 */
import { Card } from '../ui/card';
import { SeriesFilter, useSeriesFilter } from '../ui/series-filter';
import { Empty } from '../dashboard/numbers';
import { AssetFeeds } from './asset-feeds';
import { AssetReferences } from './asset-references';
import { Legend } from './chart-parts';
import { assetsInView } from './feed-assets';
import { ExternalSignals } from './external-signals';
import { FeedTable } from './feed-table';
import { RateChart } from './rate-chart';
import { StatusTimeline } from './status-timeline';
import { feedColor, feedLabel, timeDomain } from './time-axis';
import { useFeeds } from './use-feeds';
import type { FeedsSnapshot } from '../../lib/schemas/feeds';

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
    return <p className="text-slate-400" data-testid="feeds-loading">Loading…</p>;
  }
  const domain = timeDomain(data);
  const shown = assetsInView(data.assets, filter.scope, filter.options);
  return (
    <div className="space-y-4" data-testid="feeds-view" data-seq={data.seq} data-assets={shown.map((a) => a.asset).join(',')}>
      {isError && (
        <p role="alert" className="text-sm text-red-400" data-testid="feeds-refresh-error">
          Could not refresh the snapshot ({error instanceof Error ? error.message : String(error)}); showing live events over the last one.
        </p>
      )}
      <SeriesFilter filter={filter} counts={filter.scoped ? `${shown.length} of ${data.assets.length} assets · ${filter.label}` : undefined} />
      <AssetReferences filter={filter} />
      {shown.length === 0 ? (
        <Empty testId="asset-feeds-empty">
          {data.assets.length === 0 ? 'No reference, TWAP or spot price in the last 30 minutes (is the bot running?).' : `No asset of ${filter.label} has a price in the last 30 minutes.`}
        </Empty>
      ) : (
        shown.map((a) => <AssetFeeds key={a.asset} a={a} domain={domain} nowMs={data.nowMs} />)
      )}
      <div className="grid gap-4 xl:grid-cols-2">
        <Card title="Messages per second" testId="rate-card">
          <Legend items={data.feeds.map((f) => ({ label: feedLabel[f.feed] ?? f.feed, color: feedColor[f.feed] ?? '#94a3b8' }))} />
          <RateChart feeds={data.feeds} domain={domain} />
        </Card>
        <Card title="Feed status timeline" testId="timeline-card">
          <StatusTimeline feeds={data.feeds} domain={domain} />
        </Card>
      </div>
      <Card title="Feeds" testId="feed-table-card">
        <FeedTable feeds={data.feeds} />
      </Card>
      <Card title="External signals" testId="external-signals-card">
        <ExternalSignals rows={data.externalSignals} nowMs={data.nowMs} />
      </Card>
    </div>
  );
}
