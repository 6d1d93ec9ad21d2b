/**
 * Window maths for crypto Up/Down markets: which window contains a time, its slug, its boundaries.
 *
 * Invariants:
 * - A window starts at an epoch multiple of its length (300 s for 5m, 900 s for 15m, 3600 s for hourly…).
 * - Slugs follow the series' scheme (bot/core/series.ts): `btc-updown-15m-<startSec>` (protocol reference §1.2), or
 *   the hourly `bitcoin-up-or-down-december-1-3pm-et` (the opening hour on the US Eastern wall clock). An hourly slug
 *   has no year: parsing one needs a time near it (`nearMs`), and the window is the one closest to it.
 * - A `listing` series has no known scheme: its windows carry a provisional key of the `updown` form until the
 *   venue's listing names the market (the record keeps the venue's slug).
 * - startMs <= t < endMs for the window returned by windowAt(t). Never derive a window from titles (DST).
 */
import { assetName, defaultSlugScheme, seriesKeyOf, windowSecOf, type Asset, type SeriesDef, type SlugScheme, type WindowKind } from '../core/series';
export type { Asset, WindowKind };

export interface MarketWindow {
  asset: Asset;
  kind: WindowKind;
  startMs: number;
  endMs: number;
  slug: string;
  /** How the slug was made (default: the venue's scheme for the window length). */
  scheme?: SlugScheme;
  /** Gamma series id (listing discovery). */
  seriesId?: string;
}

/** Window length (ms) of a kind label; throws on a label that is not `<n>m|h|d`. */
export function windowLengthMs(kind: WindowKind): number {
  const sec = windowSecOf(kind);
  if (!Number.isFinite(sec)) throw new RangeError(`window kind ${kind} is not <n>m, <n>h or <n>d`);
  return sec * 1000;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const etParts = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', hour12: false });

function etWallClock(ms: number): { year: number; month: number; day: number; hour: number } {
  const p: Record<string, string> = {};
  for (const x of etParts.formatToParts(new Date(ms))) p[x.type] = x.value;
  return { year: Number(p.year), month: Number(p.month), day: Number(p.day), hour: Number(p.hour) % 24 };
}

/** `bitcoin-up-or-down-december-1-3pm-et`: the hourly scheme, the opening hour on the ET wall clock. */
export function hourlySlug(asset: Asset, startMs: number): string {
  const { month, day, hour } = etWallClock(startMs);
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  return `${assetName(asset).toLowerCase()}-up-or-down-${MONTHS[month - 1]}-${day}-${h12}${hour < 12 ? 'am' : 'pm'}-et`;
}

export function slugFor(asset: Asset, kind: WindowKind, startMs: number, scheme: SlugScheme = defaultSlugScheme(windowSecOf(kind))): string {
  const len = windowLengthMs(kind);
  if (startMs % len !== 0) throw new RangeError(`window start ${startMs} is not aligned to ${kind}`);
  if (scheme === 'hourly-et') return hourlySlug(asset, startMs);
  return `${asset}-updown-${kind}-${startMs / 1000}`;
}

export function windowStarting(asset: Asset, kind: WindowKind, startMs: number, series?: Pick<SeriesDef, 'slugScheme' | 'seriesId'>): MarketWindow {
  const scheme = series?.slugScheme ?? defaultSlugScheme(windowSecOf(kind));
  return {
    asset, kind, startMs, endMs: startMs + windowLengthMs(kind), slug: slugFor(asset, kind, startMs, scheme),
    ...(series ? { scheme } : {}),
    ...(series?.seriesId ? { seriesId: series.seriesId } : {}),
  };
}

/** The window that contains tMs (of a series, when given: its slug scheme and series id). */
export function windowAt(asset: Asset, kind: WindowKind, tMs: number, series?: Pick<SeriesDef, 'slugScheme' | 'seriesId'>): MarketWindow {
  const len = windowLengthMs(kind);
  return windowStarting(asset, kind, Math.floor(tMs / len) * len, series);
}

/** The window of a series that contains tMs. */
export function seriesWindowAt(s: SeriesDef, tMs: number): MarketWindow {
  return windowAt(s.asset, s.kind, tMs, s);
}

/** The window after `w` (same series). */
export function nextWindow(w: MarketWindow): MarketWindow {
  return windowStarting(w.asset, w.kind, w.endMs, w.scheme ? { slugScheme: w.scheme, ...(w.seriesId ? { seriesId: w.seriesId } : {}) } : undefined);
}

/** `btc-300`: the series key of a window. */
export function seriesKeyOfWindow(w: Pick<MarketWindow, 'asset' | 'kind'>): string {
  return seriesKeyOf({ asset: w.asset, windowSec: windowSecOf(w.kind) });
}

const UPDOWN_RE = /^([a-z]{2,10})-updown-([1-9][0-9]{0,3}[mhd])-(\d{1,12})$/;
const HOURLY_RE = /^([a-z]+)-up-or-down-([a-z]+)-([1-9][0-9]?)-([1-9][0-2]?)(am|pm)-et$/;
const ASSET_BY_NAME = new Map(['btc', 'eth', 'sol', 'xrp', 'doge', 'bnb', 'hype'].map((a) => [assetName(a).toLowerCase(), a]));

/**
 * Parse a slug back into its window; undefined when it is not an aligned Up/Down slug. Hourly slugs carry no year:
 * without `nearMs` they do not parse; with it the window is the one of that ET wall-clock hour closest to nearMs.
 */
export function parseSlug(slug: string, nearMs?: number): MarketWindow | undefined {
  const m = UPDOWN_RE.exec(slug);
  if (m) {
    const kind = m[2]!;
    const len = windowSecOf(kind) * 1000;
    const startMs = Number(m[3]) * 1000;
    if (!Number.isSafeInteger(startMs) || !(len > 0) || startMs % len !== 0) return undefined;
    return windowStarting(m[1]!, kind, startMs, { slugScheme: 'updown' });
  }
  const h = HOURLY_RE.exec(slug);
  if (!h || nearMs === undefined) return undefined;
  const asset = ASSET_BY_NAME.get(h[1]!);
  const month = MONTHS.indexOf(h[2]!) + 1;
  if (!asset || month === 0) return undefined;
  const h12 = Number(h[4]);
  if (h12 > 12) return undefined;
  const hour = (h12 % 12) + (h[5] === 'pm' ? 12 : 0);
  const day = Number(h[3]);
  const year = etWallClock(nearMs).year;
  let best: number | undefined;
  for (const y of [year - 1, year, year + 1]) {
    // ET is UTC−4 or UTC−5: of the two candidate instants, the one whose ET wall clock matches is the window start.
    for (const off of [4, 5]) {
      const t = Date.UTC(y, month - 1, day, hour + off);
      const w = etWallClock(t);
      if (w.year !== y || w.month !== month || w.day !== day || w.hour !== hour) continue;
      if (best === undefined || Math.abs(t - nearMs) < Math.abs(best - nearMs)) best = t;
    }
  }
  return best === undefined ? undefined : windowStarting(asset, '1h', best, { slugScheme: 'hourly-et' });
}

/** Seconds left in the window at tMs (0 after the end). */
export function secondsLeft(w: MarketWindow, tMs: number): number {
  return Math.max(0, (w.endMs - tMs) / 1000);
}
