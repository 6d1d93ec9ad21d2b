/**
 * Series vocabulary shared by the bot and the browser (pure, no bot/ import, safe in a client bundle): a window kind
 * is a length label (`5m`, `15m`, `1h`, `4h`, `1d`), never a closed list; assets are lower-case tickers (`btc`,
 * `eth`); a series key is `<asset>-<windowSec>` (`btc-300`). bot/core/series.ts re-exports these helpers and adds
 * the series definitions; bot/markets/slug.ts makes and parses slugs against a clock.
 *
 * Invariants:
 * - windowSecOf / kindOf are inverse on every length they accept (kindOf picks the largest unit that divides it).
 * - Slug schemes read here: `updown` = `<asset>-updown-<kind>-<startSec>` (5m, 15m, 4h) and `hourly-et` =
 *   `<asset name>-up-or-down-<month>-<day>-<hour><am|pm>-et` (hourly; no year, so no start time without a clock).
 *   Any other text is not a series slug (undefined), never guessed from a title.
 * - An asset name the venue uses in hourly slugs maps back to its ticker through ASSET_NAMES; an unknown name stands
 *   for itself (`cardano` → asset `cardano`), so a new asset reads consistently before anyone lists it.
 */
import { z } from 'zod';

export const windowKindSchema = z.string().regex(/^[1-9][0-9]{0,3}[mhd]$/, 'a window length label such as 5m, 15m, 1h or 4h');
export const assetSchema = z.string().regex(/^[a-z]{2,10}$/, 'lower-case asset symbol, e.g. btc');

const UNIT_SEC: Record<string, number> = { m: 60, h: 3_600, d: 86_400 };

/** Window length (s) of a kind label; NaN when the label is not `<n>m|h|d`. */
export function windowSecOf(kind: string): number {
  const m = /^([1-9][0-9]{0,3})([mhd])$/.exec(kind);
  return m ? Number(m[1]) * UNIT_SEC[m[2]!]! : NaN;
}

/** The kind label of a window length: the largest unit that divides it (300 → 5m, 3600 → 1h, 14400 → 4h). */
export function kindOf(windowSec: number): string {
  if (!Number.isInteger(windowSec) || windowSec < 60 || windowSec % 60 !== 0) throw new RangeError(`window length ${windowSec} s is not a whole number of minutes`);
  if (windowSec % 86_400 === 0) return `${windowSec / 86_400}d`;
  if (windowSec % 3_600 === 0) return `${windowSec / 3_600}h`;
  return `${windowSec / 60}m`;
}

/** `<asset>-<windowSec>` (`btc-300`): config paths `series.<key>` and every per-series map use it. */
export function seriesKeyOf(s: { asset: string; windowSec: number }): string {
  return `${s.asset}-${s.windowSec}`;
}

/** The asset and window length of a series key (undefined when it is not `<asset>-<windowSec>`). */
export function seriesKeyParts(key: string): { asset: string; windowSec: number } | undefined {
  const m = /^([a-z]{2,10})-([1-9][0-9]{1,5})$/.exec(key);
  return m ? { asset: m[1]!, windowSec: Number(m[2]) } : undefined;
}

/** `btc-300` → `BTC 5m`, `eth-3600` → `ETH 1h`; a key of another form unchanged. */
export function seriesKeyLabel(key: string): string {
  const p = seriesKeyParts(key);
  return p && p.windowSec % 60 === 0 ? `${p.asset.toUpperCase()} ${kindOf(p.windowSec)}` : key;
}

/** Display names used by Polymarket's titles and hourly slugs. */
export const ASSET_NAMES: Readonly<Record<string, string>> = { btc: 'Bitcoin', eth: 'Ethereum', sol: 'Solana', xrp: 'XRP', doge: 'Dogecoin', bnb: 'BNB', hype: 'Hyperliquid' };

const ASSET_BY_NAME: ReadonlyMap<string, string> = new Map(Object.entries(ASSET_NAMES).map(([asset, name]) => [name.toLowerCase(), asset]));

/** `btc` → `Bitcoin` (an unknown ticker upper-cased). */
export function assetName(asset: string): string {
  return ASSET_NAMES[asset] ?? asset.toUpperCase();
}

/** The ticker of a name as hourly slugs spell it (`bitcoin` → `btc`); an unknown name is its own ticker. */
export function assetOfName(name: string): string {
  const lower = name.toLowerCase();
  return ASSET_BY_NAME.get(lower) ?? lower;
}

/** The asset a feed symbol prices (`ethusd` → `eth`, `ETH/USD` → `eth`, `solusdt` → `sol`). */
export function assetOfSymbol(symbol: string): string {
  return symbol.toLowerCase().replace(/[/_-]?usdt?$/, '');
}

export const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'] as const;

/** What a series slug says by itself (no clock): its series, and its start (updown) or ET wall-clock hour (hourly). */
export type SlugParts =
  | { scheme: 'updown'; asset: string; kind: string; windowSec: number; startSec: number }
  | { scheme: 'hourly-et'; asset: string; kind: '1h'; windowSec: 3_600; month: number; day: number; hour: number };

const UPDOWN_RE = /^([a-z]{2,10})-updown-([1-9][0-9]{0,3}[mhd])-(\d{1,12})$/;
const HOURLY_RE = /^([a-z]{2,20})-up-or-down-([a-z]+)-([1-9]|[12][0-9]|3[01])-(1[0-2]|[1-9])(am|pm)-et$/;

/**
 * Parse a slug of a known scheme: `btc-updown-15m-1795242600` → updown btc 15m starting at that second;
 * `ethereum-up-or-down-december-1-3pm-et` → hourly eth, month 12, day 1, hour 15 (ET). Undefined for anything else
 * (an updown start not aligned to its length included).
 */
export function parseSeriesSlug(slug: string): SlugParts | undefined {
  const u = UPDOWN_RE.exec(slug);
  if (u) {
    const windowSec = windowSecOf(u[2]!);
    const startSec = Number(u[3]);
    if (!(windowSec > 0) || startSec % windowSec !== 0) return undefined;
    return { scheme: 'updown', asset: u[1]!, kind: u[2]!, windowSec, startSec };
  }
  const h = HOURLY_RE.exec(slug);
  if (!h) return undefined;
  const month = MONTH_NAMES.indexOf(h[2]! as (typeof MONTH_NAMES)[number]) + 1;
  const asset = assetOfName(h[1]!);
  if (month === 0 || !assetSchema.safeParse(asset).success) return undefined;
  const hour = (Number(h[4]) % 12) + (h[5] === 'pm' ? 12 : 0);
  return { scheme: 'hourly-et', asset, kind: '1h', windowSec: 3_600, month, day: Number(h[3]), hour };
}

/** The series key of a window slug (`btc-updown-5m-…` → `btc-300`, `bitcoin-up-or-down-…-et` → `btc-3600`). */
export function seriesKeyOfSlug(slug: string): string | undefined {
  const p = parseSeriesSlug(slug);
  return p ? seriesKeyOf(p) : undefined;
}
