/**
 * Window series (asset x window length) and the slug / title / window maths of the Up/Down markets.
 *
 * Invariants:
 * - A window starts at an epoch multiple of its length. The slug follows the series' scheme: `updown` (default) =
 *   `<asset>-updown-<label>-<startSec>` (5m, 15m, 4h); `hourly-et` = `<name>-up-or-down-<month>-<day>-<h><am|pm>-et`
 *   (et-hourly.ts), named by the ET wall-clock hour of the start.
 * - Titles are in US Eastern time ("Bitcoin Up or Down - October 5, 7:00PM-7:15PM ET"; hourly "... - December 1, 3PM
 *   ET"); the slug is the key.
 * - A series settles by its `settlement` source: `twap60` (default: reference TWAP-60 at end vs start) or
 *   `spot-candle` (the asset's spot at the end vs at the start: the Binance 1h candle's close vs open).
 * - Asset and window length are data, never constants: adding a series is a config change (simSeriesFor).
 */
import { hourlySlug, hourlySlugName, hourlyTitle, parseHourlySlug } from './et-hourly';

export type SlugScheme = 'updown' | 'hourly-et';
export type SettlementSource = 'twap60' | 'spot-candle';

export interface SeriesSpec {
  asset: string;
  assetName: string;
  durationSec: number;
  label: string;
  seriesId: string;
  seriesSlug: string;
  /** How window slugs are made (default 'updown'). */
  slugScheme?: SlugScheme;
  /** What settles a window (default 'twap60'). */
  settlement?: SettlementSource;
  /** Gamma `series.recurrence` (default: the label). */
  recurrence?: string;
}

export const DEFAULT_SERIES: readonly SeriesSpec[] = [
  { asset: 'btc', assetName: 'Bitcoin', durationSec: 300, label: '5m', seriesId: '10684', seriesSlug: 'btc-up-or-down-5m' },
  { asset: 'btc', assetName: 'Bitcoin', durationSec: 900, label: '15m', seriesId: '10192', seriesSlug: 'btc-up-or-down-15m' },
];

export const settlementOf = (s: SeriesSpec): SettlementSource => s.settlement ?? 'twap60';
export const recurrenceOf = (s: SeriesSpec): string => s.recurrence ?? s.label;

/** Is this one of the default series (its crowds keep the simulator's original random stream)? */
export function isDefaultSeries(s: SeriesSpec): boolean {
  return DEFAULT_SERIES.some((d) => d.asset === s.asset && d.label === s.label && d.durationSec === s.durationSec) && (s.slugScheme ?? 'updown') === 'updown';
}

export function windowSlug(s: SeriesSpec, startSec: number): string {
  if (s.slugScheme === 'hourly-et') return hourlySlug(s.assetName, startSec * 1000);
  return `${s.asset}-updown-${s.label}-${startSec}`;
}

/** Window start (s) containing tMs. */
export function windowStartSec(s: SeriesSpec, tMs: number): number {
  const t = Math.floor(tMs / 1000);
  return t - (((t % s.durationSec) + s.durationSec) % s.durationSec);
}

/**
 * Parse a slug into its series and start, or undefined if it is not one of ours / misaligned. Hourly slugs carry no
 * year: they resolve to the window nearest `nearMs` (required for them).
 */
export function parseSlug(series: readonly SeriesSpec[], slug: string, nearMs?: number): { spec: SeriesSpec; startSec: number } | undefined {
  const m = /^([a-z0-9]+)-updown-([0-9a-z]+)-([0-9]{1,12})$/.exec(slug);
  if (m) {
    const spec = series.find((s) => s.asset === m[1] && s.label === m[2] && (s.slugScheme ?? 'updown') === 'updown');
    if (!spec) return undefined;
    const startSec = Number(m[3]);
    if (startSec % spec.durationSec !== 0) return undefined;
    return { spec, startSec };
  }
  if (nearMs === undefined) return undefined;
  for (const spec of series) {
    if (spec.slugScheme !== 'hourly-et') continue;
    const startMs = parseHourlySlug(slug, hourlySlugName(spec.assetName), nearMs);
    if (startMs === undefined || startMs % (spec.durationSec * 1000) !== 0) continue;
    if (windowSlug(spec, startMs / 1000) === slug) return { spec, startSec: startMs / 1000 };
  }
  return undefined;
}

const etDate = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', month: 'long', day: 'numeric' });
const etTime = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: 'numeric', minute: '2-digit', hour12: true });

function etClock(ms: number): string {
  return etTime.format(new Date(ms)).replace(' ', '').replace('\u202f', '');
}

export function windowTitle(s: SeriesSpec, startSec: number): string {
  const a = startSec * 1000;
  if (s.slugScheme === 'hourly-et') return hourlyTitle(s.assetName, a);
  const b = (startSec + s.durationSec) * 1000;
  return `${s.assetName} Up or Down - ${etDate.format(new Date(a))}, ${etClock(a)}-${etClock(b)} ET`;
}

/** Gamma series title as the venue spells it ("BTC Up or Down 15m", "BTC Up or Down Hourly"). */
export function seriesTitle(s: SeriesSpec): string {
  const r = recurrenceOf(s);
  return `${s.asset.toUpperCase()} Up or Down ${r === 'hourly' ? 'Hourly' : r}`;
}

export function isoFromMs(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/**
 * Gamma series ids by `<asset>-<windowSec>`. btc/eth 5m and 15m: protocol reference §1.1 (observed). sol/xrp 15m:
 * the ids public bots use (not verified against the venue). btc hourly: seen once, in a public bot's test data
 * (unverified). Everything else gets a placeholder (placeholderSeriesId): see bot/sim/README.md.
 */
export const SIM_SERIES_IDS: Readonly<Record<string, string>> = {
  'btc-300': '10684', 'btc-900': '10192', 'eth-300': '10683', 'eth-900': '10191', 'sol-900': '10423', 'xrp-900': '10422', 'btc-3600': '10114',
};

/** A clearly-marked placeholder series id: 9 digits starting `99` (real ids are 5 digits), stable per series. */
export function placeholderSeriesId(asset: string, windowSec: number): string {
  let h = 2166136261;
  for (const c of `${asset}-${windowSec}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return `99${String(h % 10_000_000).padStart(7, '0')}`;
}

/** Hourly series slugs that do not follow `<asset>-up-or-down-hourly` (observed). */
const HOURLY_SERIES_SLUG: Readonly<Record<string, string>> = { sol: 'solana-up-or-down-hourly' };

function labelOf(windowSec: number): string {
  if (!Number.isInteger(windowSec) || windowSec < 60 || windowSec % 60 !== 0) throw new RangeError(`window length ${windowSec} s is not a whole number of minutes`);
  if (windowSec % 86_400 === 0) return `${windowSec / 86_400}d`;
  if (windowSec % 3_600 === 0) return `${windowSec / 3_600}h`;
  return `${windowSec / 60}m`;
}

/**
 * Sim series for a runtime's configured series: 3600 s -> the hourly scheme (settled on the spot candle); every other
 * length -> `<asset>-updown-<label>-<epoch>` settled on the reference TWAP-60. `seriesId` overrides the id (the runtime
 * passes the one it discovers with); `assetName` overrides the display name (default: simAssetName).
 */
export function simSeriesFor(list: readonly { asset: string; windowSec: number; seriesId?: string; assetName?: string }[]): SeriesSpec[] {
  return list.map((x) => {
    const label = labelOf(x.windowSec);
    const key = `${x.asset}-${x.windowSec}`;
    const base = { asset: x.asset, assetName: x.assetName ?? simAssetName(x.asset), durationSec: x.windowSec, label, seriesId: x.seriesId ?? SIM_SERIES_IDS[key] ?? placeholderSeriesId(x.asset, x.windowSec) };
    if (x.windowSec === 3_600) {
      return { ...base, seriesSlug: HOURLY_SERIES_SLUG[x.asset] ?? `${x.asset}-up-or-down-hourly`, slugScheme: 'hourly-et', settlement: 'spot-candle', recurrence: 'hourly' } satisfies SeriesSpec;
    }
    return { ...base, seriesSlug: `${x.asset}-up-or-down-${label}` } satisfies SeriesSpec;
  });
}

/** Display names Polymarket uses in titles and hourly slugs. */
const ASSET_NAMES: Readonly<Record<string, string>> = { btc: 'Bitcoin', eth: 'Ethereum', sol: 'Solana', xrp: 'XRP', doge: 'Dogecoin', bnb: 'BNB', hype: 'Hyperliquid' };

export function simAssetName(asset: string): string {
  return ASSET_NAMES[asset] ?? asset.toUpperCase();
}
