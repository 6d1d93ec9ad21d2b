/**
 * Gamma `GET /events/keyset?series_id=<id>` (reference §1.1): a series' events in pages of at most `limit` (<= 100),
 * each a full event object (`series`, `tags`, `markets`, `eventStartTime`, `endDate`), for every slug scheme.
 *
 * - `closed=false` (default): unresolved windows, oldest start first, from the previous window up to the listing
 *   horizon; `closed=true`: resolved windows, newest first, back to the oldest still held.
 * - Bounds (ISO date-times): `start_time_min` / `start_time_max` on the window start, `end_date_min` /
 *   `end_date_max` on its end. A malformed bound is refused (400); `offset` is refused (422) like the venue.
 * - `next_cursor` is opaque (base64url of the last start and direction); `after_cursor` continues after it; a cursor
 *   that does not decode, or belongs to the other direction or series, is refused (400). The last page says
 *   `next_cursor: null`: a cursor is given only when at least one more event qualifies, so walking the cursors
 *   lists every qualifying event exactly once.
 * Invariant: windows that ended before the simulator existed (never opened, never settled) are not listed as open.
 */
import { err, json, type Res } from './http-kit';
import type { SimMarket } from './market';
import type { SimModel } from './model';
import { type SeriesSpec, windowSlug, windowStartSec } from './series';

interface Cursor {
  v: 1;
  /** Series id. */
  id: string;
  /** Last listed start (s). */
  s: number;
  /** Direction: closed listing (newest first). */
  c: boolean;
}

const encode = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');

function decode(text: string): Cursor | undefined {
  try {
    const v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (v.v !== 1 || typeof v.id !== 'string' || typeof v.c !== 'boolean' || !Number.isSafeInteger(v.s)) return undefined;
    return v as Cursor;
  } catch {
    return undefined;
  }
}

/** An ISO bound in seconds (UTC when it names no zone), undefined when absent, NaN when malformed. */
function bound(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:\d{2})?)?$/.exec(v);
  if (!m) return NaN;
  const iso = m[2] === undefined ? `${m[1]}T00:00:00Z` : `${m[1]}T${m[2]}${m[3] ?? 'Z'}`;
  return Date.parse(iso) / 1000;
}

export function keysetPage(model: SimModel, q: URLSearchParams, render: (m: SimMarket) => unknown): Res {
  if (q.has('offset')) return err(422, 'offset is not supported on keyset pagination; use after_cursor');
  const seriesId = q.get('series_id');
  const spec = model.series.find((s) => s.seriesId === seriesId);
  const limit = Math.min(100, Math.max(1, Number(q.get('limit') ?? '20') || 20));
  const b = { startMin: bound(q, 'start_time_min'), startMax: bound(q, 'start_time_max'), endMin: bound(q, 'end_date_min'), endMax: bound(q, 'end_date_max') };
  for (const [k, v] of Object.entries(b)) if (v !== undefined && !Number.isFinite(v)) return err(400, `invalid ${k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}: expected an ISO date-time`);
  if (!spec) return json(200, { events: [], next_cursor: null });
  const closed = q.get('closed') === 'true';
  const now = model.clock.nowMs();
  const dur = spec.durationSec;
  const raw = q.get('after_cursor');
  const cursor = raw ? decode(raw) : undefined;
  if (raw && (!cursor || cursor.c !== closed || cursor.id !== spec.seriesId || cursor.s % dur !== 0)) return err(400, 'invalid cursor');

  const inBounds = (s: number) =>
    (b.startMin === undefined || s >= b.startMin) && (b.startMax === undefined || s <= b.startMax) && (b.endMin === undefined || s + dur >= b.endMin) && (b.endMax === undefined || s + dur <= b.endMax);
  const step = closed ? -dur : dur;
  let s = cursor ? cursor.s + step : windowStartSec(spec, now) - dur;
  if (!closed) {
    // Jump straight to the first start the lower bounds allow (never before the previous window).
    const lo = Math.max(b.startMin ?? -Infinity, (b.endMin ?? -Infinity) - dur);
    if (Number.isFinite(lo) && lo > s) s = Math.ceil(lo / dur) * dur;
  }
  // The next qualifying window at or after s in the listing direction (undefined: the listing ends).
  const nextFrom = (from: number): number | undefined => {
    for (let t = from; ; t += step) {
      if (closed) {
        const m = model.registry.slug(windowSlug(spec, t));
        if (!m || (b.startMin !== undefined && t < b.startMin) || (b.endMin !== undefined && t + dur < b.endMin)) return undefined;
        if (m.status === 'resolved' && inBounds(t)) return t;
        continue;
      }
      if (!model.isListed(spec, t, now) || (b.startMax !== undefined && t > b.startMax) || (b.endMax !== undefined && t + dur > b.endMax)) return undefined;
      if (openListed(model, spec, t, now) && inBounds(t)) return t;
    }
  };
  const events: unknown[] = [];
  let last: number | undefined;
  for (let t = nextFrom(s); t !== undefined && events.length < limit; t = nextFrom(t + step)) {
    events.push(render(model.registry.slug(windowSlug(spec, t)) ?? model.market(spec, t)));
    last = t;
  }
  const more = last !== undefined && events.length === limit && nextFrom(last + step) !== undefined;
  return json(200, { events, next_cursor: more ? encode({ v: 1, id: spec.seriesId, s: last!, c: closed }) : null });
}

/** Is the window of start s listed as not closed: held and unresolved, or not yet ended (materialised on demand)? */
function openListed(model: SimModel, spec: SeriesSpec, s: number, nowMs: number): boolean {
  const m = model.registry.slug(windowSlug(spec, s));
  if (m) return m.status !== 'resolved';
  return (s + spec.durationSec) * 1000 > nowMs;
}
