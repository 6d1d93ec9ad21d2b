/**
 * Series vocabulary: an Up/Down series is an asset and a window length, plus how its windows are found (slug
 * scheme, Gamma series id) and which reference and spot symbols price it. Slug maths: bot/markets/slug.ts.
 *
 * Invariants:
 * - A window kind is a label that carries its length: `5m`, `15m`, `1h`, `4h`, `1d` (windowSecOf / kindOf are
 *   inverse on every length this module accepts). Nothing assumes a closed set of kinds or assets.
 * - Windows start at epoch multiples of their length (5m, 15m, hourly: whole hours, ET offsets are whole hours).
 * - The slug scheme is per series: `updown` = `<asset>-updown-<kind>-<startSec>` (5m, 15m, 4h), `hourly-et` =
 *   `<asset name>-up-or-down-<month>-<day>-<hour><am|pm>-et` (hourly); `listing` = no known scheme: windows are found
 *   through Gamma's series listing by their start time only.
 * - A series key is `<asset>-<windowSec>` (`btc-300`): config paths `series.<key>` and every per-series map use it.
 * - The pure vocabulary (kind labels, asset names, symbols, series keys) is lib/schemas/series.ts, re-exported here.
 */
import { kindOf, seriesKeyOf } from '../../lib/schemas/series';

export type Asset = string;
export type WindowKind = string;
export type SlugScheme = 'updown' | 'hourly-et' | 'listing';

// The pure helpers live in lib/schemas/series.ts (the browser reads the same ones); re-exported under their names.
export { ASSET_NAMES, assetName, assetOfSymbol, kindOf, seriesKeyOf, windowSecOf } from '../../lib/schemas/series';

/** Gamma series ids seen on the venue (protocol reference §1.1; observed, not documented constants). */
export const KNOWN_SERIES_IDS: Record<string, string> = { 'btc-300': '10684', 'btc-900': '10192', 'eth-300': '10683', 'eth-900': '10191' };

/** The slug scheme Polymarket uses for a window length (hourly differs; others fall back to the listing). */
export function defaultSlugScheme(windowSec: number): SlugScheme {
  if (windowSec === 300 || windowSec === 900 || windowSec === 14_400) return 'updown';
  if (windowSec === 3_600) return 'hourly-et';
  return 'listing';
}

export interface SeriesDef {
  /** `<asset>-<windowSec>`. */
  key: string;
  asset: Asset;
  kind: WindowKind;
  windowSec: number;
  slugScheme: SlugScheme;
  /** Gamma series id: discovery through `/events/keyset?series_id=` (the fallback, and the only way for `listing`). */
  seriesId?: string;
  /** PolyBolt `price.crypto` / `price.crypto.twap` symbol (`btcusd`). */
  referenceSymbol: string;
  /** Binance stream symbol (`btcusdt`). */
  spotSymbol: string;
  /**
   * What settles a window: `twap60` = the reference TWAP-60 at the end vs the start (5m, 15m, 4h; §7.1); `spot-candle`
   * = the asset's Binance 1 h candle close vs open (hourly). The price to beat of a spot-candle window is the venue's
   * (Gamma `eventMetadata.priceToBeat`), never the reference TWAP.
   */
  settlement: 'twap60' | 'spot-candle';
}

/** A series from its configured fields; every optional field takes the venue's default for that asset and length. */
export function seriesDef(s: { asset: string; windowSec: number; seriesId?: string | undefined; slugScheme?: SlugScheme | undefined; referenceSymbol?: string | undefined; spotSymbol?: string | undefined }): SeriesDef {
  const key = seriesKeyOf(s);
  const seriesId = s.seriesId ?? KNOWN_SERIES_IDS[key];
  return {
    key,
    asset: s.asset,
    kind: kindOf(s.windowSec),
    windowSec: s.windowSec,
    slugScheme: s.slugScheme ?? defaultSlugScheme(s.windowSec),
    ...(seriesId ? { seriesId } : {}),
    referenceSymbol: s.referenceSymbol ?? `${s.asset}usd`,
    spotSymbol: s.spotSymbol ?? `${s.asset}usdt`,
    settlement: s.windowSec === 3_600 ? 'spot-candle' : 'twap60',
  };
}
