/**
 * Window series (asset x window length) and the slug / title / window maths of the Up/Down markets.
 *
 * Invariants:
 * - A window starts at an epoch multiple of its length; slug = `<asset>-updown-<label>-<startSec>`.
 * - Titles are in US Eastern time ("Bitcoin Up or Down - October 5, 7:00PM-7:15PM ET"); the slug epoch is the key.
 * - Asset and window length are data, never constants: adding a series is a config change.
 */
export interface SeriesSpec {
  asset: string;
  assetName: string;
  durationSec: number;
  label: string;
  seriesId: string;
  seriesSlug: string;
}

export const DEFAULT_SERIES: readonly SeriesSpec[] = [
  { asset: 'btc', assetName: 'Bitcoin', durationSec: 300, label: '5m', seriesId: '10684', seriesSlug: 'btc-up-or-down-5m' },
  { asset: 'btc', assetName: 'Bitcoin', durationSec: 900, label: '15m', seriesId: '10192', seriesSlug: 'btc-up-or-down-15m' },
];

export function windowSlug(s: SeriesSpec, startSec: number): string {
  return `${s.asset}-updown-${s.label}-${startSec}`;
}

/** Window start (s) containing tMs. */
export function windowStartSec(s: SeriesSpec, tMs: number): number {
  const t = Math.floor(tMs / 1000);
  return t - (((t % s.durationSec) + s.durationSec) % s.durationSec);
}

/** Parse a slug into its series and start, or undefined if it is not one of ours / misaligned. */
export function parseSlug(series: readonly SeriesSpec[], slug: string): { spec: SeriesSpec; startSec: number } | undefined {
  const m = /^([a-z0-9]+)-updown-([0-9a-z]+)-([0-9]{1,12})$/.exec(slug);
  if (!m) return undefined;
  const spec = series.find((s) => s.asset === m[1] && s.label === m[2]);
  if (!spec) return undefined;
  const startSec = Number(m[3]);
  if (startSec % spec.durationSec !== 0) return undefined;
  return { spec, startSec };
}

const etDate = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', month: 'long', day: 'numeric' });
const etTime = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: 'numeric', minute: '2-digit', hour12: true });

function etClock(ms: number): string {
  return etTime.format(new Date(ms)).replace(' ', '').replace('\u202f', '');
}

export function windowTitle(s: SeriesSpec, startSec: number): string {
  const a = startSec * 1000;
  const b = (startSec + s.durationSec) * 1000;
  return `${s.assetName} Up or Down - ${etDate.format(new Date(a))}, ${etClock(a)}-${etClock(b)} ET`;
}

export function isoFromMs(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
