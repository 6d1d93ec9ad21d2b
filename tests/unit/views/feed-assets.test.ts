/**
 * The Feeds page's choice of asset panels (components/feeds/feed-assets.ts): every priced asset when unfiltered, in
 * the config's asset order then the others; with a series filter, the assets of the series in scope (plus the asset the
 * filter names); and the price-axis decimals growing as the visible range shrinks.
 */
import { describe, expect, it } from 'vitest';
import { assetsInView, priceTickDecimals } from '../../../components/feeds/feed-assets';
import { NO_SCOPE, type SeriesOption } from '../../../components/ui/series-scope';
import type { AssetPrices } from '../../../lib/schemas/feeds';

const priced = (asset: string): AssetPrices => ({ asset, symbols: { ref: `${asset}usd`, spot: null }, latest: { ref: null, twap: null, spot: null }, points: [] });
const option = (asset: string, windowSec: number, kind: string): SeriesOption => ({ key: `${asset}-${windowSec}`, asset, kind, windowSec, enabled: true, slugPrefix: `${asset}-updown-${kind}-`, slugSuffix: '' });
const OPTIONS = [option('eth', 300, '5m'), option('btc', 300, '5m'), option('btc', 3_600, '1h')];
const names = (xs: AssetPrices[]) => xs.map((a) => a.asset);

describe('assetsInView', () => {
  const snapshot = [priced('btc'), priced('sol'), priced('eth')]; // sol: priced, no configured series

  it('shows every priced asset when not filtered: configured ones in config order, then the rest', () => {
    expect(names(assetsInView(snapshot, NO_SCOPE, OPTIONS))).toEqual(['eth', 'btc', 'sol']);
    expect(names(assetsInView(snapshot, NO_SCOPE, []))).toEqual(['btc', 'sol', 'eth']);
  });

  it('narrows to the assets of the series in scope', () => {
    expect(names(assetsInView(snapshot, { ...NO_SCOPE, asset: 'eth' }, OPTIONS))).toEqual(['eth']);
    expect(names(assetsInView(snapshot, { ...NO_SCOPE, kind: '1h' }, OPTIONS))).toEqual(['btc']);
    expect(names(assetsInView(snapshot, { ...NO_SCOPE, kind: '5m' }, OPTIONS))).toEqual(['eth', 'btc']);
    expect(names(assetsInView(snapshot, { ...NO_SCOPE, series: 'eth-300' }, OPTIONS))).toEqual(['eth']);
    // The asset a filter names shows even with no configured series of it; a length nobody trades shows nothing.
    expect(names(assetsInView(snapshot, { ...NO_SCOPE, asset: 'sol' }, OPTIONS))).toEqual(['sol']);
    expect(names(assetsInView(snapshot, { ...NO_SCOPE, kind: '4h' }, OPTIONS))).toEqual([]);
  });
});

describe('priceTickDecimals', () => {
  it('uses more decimals as the visible price range narrows', () => {
    const spans = [250, 20, 5, 0.5, 0.05, 0.005, 0.0005];
    const dps = spans.map(priceTickDecimals);
    expect(dps).toEqual([0, 0, 0, 1, 2, 3, 4]);
    // Adjacent ticks of a range split in five still read differently at those decimals, at BTC, ETH and XRP levels.
    for (const level of [97_123.37, 3_412.58, 0.5231]) {
      for (const span of spans) {
        const dp = priceTickDecimals(span);
        expect((level + span / 5).toFixed(dp), `${level} + ${span}/5`).not.toBe(level.toFixed(dp));
      }
    }
    expect(priceTickDecimals(0)).toBe(2);
  });
});
