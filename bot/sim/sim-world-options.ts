/**
 * Resolve and check the simulated world's options: which assets walk (in which order), their correlation matrix,
 * and that every series is well-formed and priced by a simulated asset.
 *
 * Invariants:
 * - World order puts btc first when simulated (its walk keeps the single-asset random stream); the correlation matrix,
 *   given in the caller's asset order, is reordered with it.
 * - Without `assets`: the series' assets, BTC's walk from the shared `price` options (start price, vol), the others
 *   from simAssetsFor; with no series at all, BTC alone.
 * - Every problem throws a RangeError whose message names the option and the offending value.
 */
import { z } from 'zod';
import { correlationMatrix, permute, type CorrelationInput } from './correlation';
import type { PriceModelOptions } from './price-model';
import type { SeriesSpec } from './series';
import { AssetCode, checkAssets, simAssetsFor, type SimAsset } from './sim-assets';

/** Correlation used between every pair of assets when the caller gives none (BTC/ETH-like). */
export const DEFAULT_CORRELATION = 0.8;

const SeriesSchema = z.strictObject({
  asset: AssetCode,
  assetName: z.string().min(1).max(40),
  durationSec: z.number().int().min(60).multipleOf(60),
  label: z.string().regex(/^[0-9a-z]{1,8}$/, 'label must be lower-case letters/digits, e.g. "15m"'),
  seriesId: z.string().min(1).max(40),
  seriesSlug: z.string().regex(/^[a-z0-9-]{1,80}$/, 'series slug must be lower-case letters, digits and dashes'),
  slugScheme: z.enum(['updown', 'hourly-et']).optional(),
  settlement: z.enum(['twap60', 'spot-candle']).optional(),
  recurrence: z.string().min(1).max(20).optional(),
});

export function checkSeries(series: readonly SeriesSpec[]): void {
  const seen = new Map<string, string>();
  const unique = (kind: string, key: string, slug: string) => {
    const k = `${kind}:${key}`;
    const prev = seen.get(k);
    if (prev !== undefined) throw new RangeError(`invalid series: ${slug} and ${prev} have the same ${kind} (${key})`);
    seen.set(k, slug);
  };
  series.forEach((s, i) => {
    const r = SeriesSchema.safeParse(s);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new RangeError(`invalid series [${i}]${issue.path.length ? ` ${issue.path.join('.')}` : ''}: ${issue.message}`);
    }
    if (s.slugScheme === 'hourly-et' && s.durationSec !== 3_600) throw new RangeError(`invalid series ${s.seriesSlug}: the hourly slug scheme needs a 3600 s window (got ${s.durationSec})`);
    unique('asset and window length', `${s.asset} ${s.durationSec}s`, s.seriesSlug);
    unique('series id', s.seriesId, s.seriesSlug);
    unique('series slug', s.seriesSlug, s.seriesSlug);
    if ((s.slugScheme ?? 'updown') === 'updown') unique('updown slug prefix', `${s.asset}-updown-${s.label}`, s.seriesSlug);
  });
}

export interface ResolvedWorld {
  assets: SimAsset[];
  correlation: number[][];
}

export function resolveWorld(o: { series: readonly SeriesSpec[]; price: PriceModelOptions; assets?: readonly SimAsset[]; correlation?: CorrelationInput }): ResolvedWorld {
  checkSeries(o.series);
  const given = o.assets ? checkAssets(o.assets) : deriveAssets(o.series, o.price);
  const codes = new Set(given.map((a) => a.asset));
  for (const s of o.series) {
    if (!codes.has(s.asset)) throw new RangeError(`invalid series ${s.seriesSlug}: its asset ${s.asset} is not simulated (assets: ${[...codes].join(', ')})`);
  }
  const matrix = correlationMatrix(given.length, o.correlation ?? DEFAULT_CORRELATION);
  const btc = given.findIndex((a) => a.asset === 'btc');
  const order = btc > 0 ? [btc, ...given.map((_, i) => i).filter((i) => i !== btc)] : given.map((_, i) => i);
  return { assets: order.map((i) => given[i]!), correlation: permute(matrix, order) };
}

function deriveAssets(series: readonly SeriesSpec[], price: PriceModelOptions): SimAsset[] {
  const names = new Map<string, string>();
  for (const s of series) if (!names.has(s.asset)) names.set(s.asset, s.assetName);
  if (names.size === 0) names.set('btc', 'Bitcoin');
  return [...names].map(([code, name]) => {
    const a = { ...simAssetsFor([code])[0]!, name };
    return code === 'btc' ? { ...a, startPrice: price.startPrice, annualVol: price.annualVol, ...(price.decimals !== undefined ? { decimals: price.decimals } : {}) } : a;
  });
}
