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
 */
export type Asset = string;
export type WindowKind = string;
export type SlugScheme = 'updown' | 'hourly-et' | 'listing';

const UNIT_SEC: Record<string, number> = { m: 60, h: 3_600, d: 86_400 };

/** Window length (s) of a kind label; NaN when the label is not `<n>m|h|d`. */
export function windowSecOf(kind: WindowKind): number {
  const m = /^([1-9][0-9]{0,3})([mhd])$/.exec(kind);
  return m ? Number(m[1]) * UNIT_SEC[m[2]!]! : NaN;
}

/** The kind label of a window length: the largest unit that divides it (300 → 5m, 3600 → 1h, 14400 → 4h). */
export function kindOf(windowSec: number): WindowKind {
  if (!Number.isInteger(windowSec) || windowSec < 60 || windowSec % 60 !== 0) throw new RangeError(`window length ${windowSec} s is not a whole number of minutes`);
  if (windowSec % 86_400 === 0) return `${windowSec / 86_400}d`;
  if (windowSec % 3_600 === 0) return `${windowSec / 3_600}h`;
  return `${windowSec / 60}m`;
}

/** Display names used by Polymarket's titles and hourly slugs. */
export const ASSET_NAMES: Record<string, string> = { btc: 'Bitcoin', eth: 'Ethereum', sol: 'Solana', xrp: 'XRP', doge: 'Dogecoin', bnb: 'BNB', hype: 'Hyperliquid' };

export function assetName(asset: Asset): string {
  return ASSET_NAMES[asset] ?? asset.toUpperCase();
}

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

export function seriesKeyOf(s: { asset: string; windowSec: number }): string {
  return `${s.asset}-${s.windowSec}`;
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

/** The asset a feed symbol prices (`ethusd` → `eth`, `ETH/USD` → `eth`, `solusdt` → `sol`). */
export function assetOfSymbol(symbol: string): Asset {
  return symbol.toLowerCase().replace(/[/_-]?usdt?$/, '');
}
