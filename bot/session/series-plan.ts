/**
 * Series plan: which asset and windows a start trades, from the config's series list.
 *
 * - Exactly one asset among the enabled series (one asset per runtime for now); an enabled series with a window
 *   length other than 5m (300 s) or 15m (900 s) is refused with the reason.
 * - `kinds`: every window kind configured for that asset, switched on or off, so that a series switched off stays
 *   tracked (its positions can still exit) and switching it on again takes effect at once.
 * - `enabledKinds`: the ones that may open new exposure now.
 * Pure.
 */
import type { SeriesConfig } from '../../lib/schemas/config';
import type { Asset, WindowKind } from '../core';

const KIND_BY_SEC: Record<number, WindowKind> = { 300: '5m', 900: '15m' };
const SEC_BY_KIND: Record<WindowKind, number> = { '5m': 300, '15m': 900 };
const ASSETS: readonly Asset[] = ['btc', 'eth', 'sol', 'xrp'];

export interface SeriesPlan {
  asset: Asset;
  kinds: WindowKind[];
  enabledKinds: WindowKind[];
}

export function planSeries(series: readonly SeriesConfig[]): SeriesPlan {
  const enabled = series.filter((s) => s.enabled);
  const assets = [...new Set(enabled.map((s) => s.asset))];
  if (assets.length !== 1) throw new Error(`exactly one asset per runtime is supported for now (enabled series: ${assets.join(', ') || 'none'})`);
  const asset = assets[0]! as Asset;
  if (!ASSETS.includes(asset)) throw new Error(`asset ${asset} is not supported (${ASSETS.join(', ')})`);
  for (const s of enabled) {
    if (!KIND_BY_SEC[s.windowSec]) throw new Error(`window length ${s.windowSec} s is not supported yet (5m = 300, 15m = 900)`);
  }
  const kindsOf = (list: readonly SeriesConfig[]) => [...new Set(list.filter((s) => s.asset === asset && KIND_BY_SEC[s.windowSec]).map((s) => KIND_BY_SEC[s.windowSec]!))];
  return { asset, kinds: kindsOf(series), enabledKinds: kindsOf(enabled) };
}

/** `btc-300`: the series key of a window (the config's `series.<asset>-<windowSec>` paths use it). */
export function seriesKeyOfWindow(w: { asset: string; kind: WindowKind }): string {
  return `${w.asset}-${SEC_BY_KIND[w.kind]}`;
}
