/**
 * Which assets' price panels the Feeds page shows, in which order (pure, browser-safe, unit-tested): every asset the
 * snapshot prices when the page is not filtered; with a series filter, the assets of the series in scope (and the
 * asset the filter names, even when no configured series of it is listed). Order: the running config's asset order
 * (the filter chips' order), then assets priced but not configured, in the snapshot's order.
 *
 * Also the decimals of a price axis: as many as the visible range needs to tell its ticks apart.
 */
import type { AssetPrices } from '../../lib/schemas/feeds';
import { facets, isScoped, scopedOptions, type SeriesOption, type SeriesScope } from '../ui/series-scope';

export function assetsInView(assets: readonly AssetPrices[], scope: SeriesScope, options: readonly SeriesOption[]): AssetPrices[] {
  let shown = [...assets];
  if (isScoped(scope)) {
    const wanted = new Set(scopedOptions(scope, options).map((o) => o.asset));
    if (scope.asset) wanted.add(scope.asset);
    shown = shown.filter((a) => wanted.has(a.asset));
  }
  const order = facets(options).assets;
  const rank = (a: AssetPrices) => {
    const i = order.indexOf(a.asset);
    return i < 0 ? order.length + assets.indexOf(a) : i;
  };
  return shown.sort((x, y) => rank(x) - rank(y));
}

/**
 * Decimals for price-axis ticks over a visible range of `spanUsd`: enough to tell apart ticks about a quarter of the
 * range apart (whole dollars for BTC's or ETH's moves of a few dollars and more, cents for XRP's).
 */
export function priceTickDecimals(spanUsd: number): number {
  if (!(spanUsd > 0)) return 2;
  const step = spanUsd / 4;
  if (step >= 1) return 0;
  if (step >= 0.1) return 1;
  if (step >= 0.01) return 2;
  if (step >= 0.001) return 3;
  return 4;
}
