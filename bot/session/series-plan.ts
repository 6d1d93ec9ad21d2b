/**
 * Series plan: which series a start trades, from the config's series list.
 *
 * - Every configured series (switched on or off) is tracked, so that a series switched off keeps its windows (its
 *   positions can still exit) and switching it on again takes effect at once; `enabled` are the ones that may open
 *   new exposure now.
 * - Any asset and any whole-minute window length; the same asset/length twice is refused with the reason; at least
 *   one series must be enabled.
 * - `assets`: every asset of the list, the primary (first enabled series' asset) first.
 * Pure.
 */
import type { SeriesConfig } from '../../lib/schemas/config';
import { seriesDef, seriesKeyOf, type Asset, type SeriesDef, type WindowKind } from '../core/series';

export interface SeriesPlan {
  /** Every configured series, in config order. */
  series: SeriesDef[];
  /** The ones that may open new exposure. */
  enabled: SeriesDef[];
  assets: Asset[];
  /** The primary asset: the first enabled series'. */
  asset: Asset;
  /** Window kinds of the primary asset (single-asset views: preflight, doctor). */
  kinds: WindowKind[];
  enabledKinds: WindowKind[];
}

export function planSeries(list: readonly SeriesConfig[]): SeriesPlan {
  const seen = new Set<string>();
  const series: SeriesDef[] = [];
  for (const s of list) {
    const key = seriesKeyOf(s);
    if (seen.has(key)) throw new Error(`series ${key} is listed twice`);
    seen.add(key);
    series.push(seriesDef(s));
  }
  const enabledKeys = new Set(list.filter((s) => s.enabled).map(seriesKeyOf));
  const enabled = series.filter((s) => enabledKeys.has(s.key));
  if (enabled.length === 0) throw new Error('no series is enabled: enable at least one (series.<asset>-<windowSec>.enabled)');
  const asset = enabled[0]!.asset;
  const assets = [asset, ...new Set(series.map((s) => s.asset).filter((a) => a !== asset))];
  const kindsOf = (l: readonly SeriesDef[]) => l.filter((s) => s.asset === asset).map((s) => s.kind);
  return { series, enabled, assets, asset, kinds: kindsOf(series), enabledKinds: kindsOf(enabled) };
}

export { seriesKeyOfWindow } from '../markets/slug';
