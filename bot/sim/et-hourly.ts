/**
 * US Eastern wall clock maths for the hourly Up/Down scheme: `bitcoin-up-or-down-december-1-3pm-et` slugs and
 * "Bitcoin Up or Down - December 1, 3PM ET" titles, named by the ET wall-clock hour in which the window opens.
 *
 * Invariants:
 * - The ET wall clock comes from Intl (America/New_York), so daylight saving follows the tz database: a window is
 *   named by the ET hour of its start (EDT in summer, EST in winter). ET offsets are whole hours, so every hourly
 *   window (aligned to a UTC hour) opens on a whole ET hour.
 * - Month in lower-case English, day without zero padding, hour 1-12 with am/pm, no year (the venue's scheme).
 * - The fall-back hour repeats (1 AM ET twice): the first window keeps the plain slug, the second gets `-2` appended
 *   (the venue's behaviour for that hour is undocumented; the sim needs every slug to name one window).
 * - `parseHourlySlug` is the inverse of `hourlySlug` within a year of the reference time (the window closest to it).
 */
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const etParts = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', hour12: false });

export interface EtWallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
}

export function etWallClock(ms: number): EtWallClock {
  const p: Record<string, string> = {};
  for (const x of etParts.formatToParts(new Date(ms))) p[x.type] = x.value;
  return { year: Number(p.year), month: Number(p.month), day: Number(p.day), hour: Number(p.hour) % 24 };
}

const sameHour = (a: EtWallClock, b: EtWallClock) => a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour;

/** Is this hour-aligned instant the second occurrence of a repeated ET wall-clock hour (DST fall-back)? */
export function isRepeatedEtHour(startMs: number): boolean {
  return sameHour(etWallClock(startMs), etWallClock(startMs - 3_600_000));
}

function h12(hour: number): { h: number; ampm: 'am' | 'pm' } {
  return { h: hour % 12 === 0 ? 12 : hour % 12, ampm: hour < 12 ? 'am' : 'pm' };
}

/** Slug prefix of an asset's display name: "Bitcoin" -> "bitcoin", "XRP" -> "xrp". */
export function hourlySlugName(assetName: string): string {
  return assetName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

export function hourlySlug(assetName: string, startMs: number): string {
  const w = etWallClock(startMs);
  const { h, ampm } = h12(w.hour);
  const base = `${hourlySlugName(assetName)}-up-or-down-${MONTHS[w.month - 1]}-${w.day}-${h}${ampm}-et`;
  return isRepeatedEtHour(startMs) ? `${base}-2` : base;
}

/** "Bitcoin Up or Down - December 1, 3PM ET" (the repeated fall-back hour is titled the same: slugs tell them apart). */
export function hourlyTitle(assetName: string, startMs: number): string {
  const w = etWallClock(startMs);
  const { h, ampm } = h12(w.hour);
  const month = MONTHS[w.month - 1]!;
  return `${assetName} Up or Down - ${month[0]!.toUpperCase()}${month.slice(1)} ${w.day}, ${h}${ampm.toUpperCase()} ET`;
}

const HOURLY_RE = /^([a-z0-9-]+?)-up-or-down-([a-z]+)-([1-9][0-9]?)-(1[0-2]|[1-9])(am|pm)-et(-2)?$/;

/**
 * The window start (ms) an hourly slug names, for the given asset slug name, nearest to `nearMs`; undefined when the
 * slug is not of this asset or names no ET hour (e.g. 2 AM on the spring-forward day).
 */
export function parseHourlySlug(slug: string, assetSlugName: string, nearMs: number): number | undefined {
  const m = HOURLY_RE.exec(slug);
  if (!m || m[1] !== assetSlugName) return undefined;
  const month = MONTHS.indexOf(m[2]!) + 1;
  if (month === 0) return undefined;
  const hour = (Number(m[4]) % 12) + (m[5] === 'pm' ? 12 : 0);
  const day = Number(m[3]);
  const second = m[6] !== undefined;
  const year = etWallClock(nearMs).year;
  let best: number | undefined;
  for (const y of [year - 1, year, year + 1]) {
    // ET is UTC-4 (EDT) or UTC-5 (EST): the candidates whose ET wall clock matches, earliest first.
    const hits = [4, 5].map((off) => Date.UTC(y, month - 1, day, hour + off)).filter((t) => sameHour(etWallClock(t), { year: y, month, day, hour }));
    const t = second ? (hits.length === 2 ? hits[1] : undefined) : hits[0];
    if (t !== undefined && (best === undefined || Math.abs(t - nearMs) < Math.abs(best - nearMs))) best = t;
  }
  return best;
}
