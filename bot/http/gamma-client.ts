/**
 * Gamma lookups for the bot: event by slug (404 = not listed yet), and a series' events through the keyset listing
 * (`/events/keyset?series_id=`, protocol reference §1.1: bounded by `start_time_min`, paged by `after_cursor`).
 * Parsed with the shared protocol schema.
 * Invariants: never throws; `not_found` is distinct from errors so the catalog can retry politely; a listing reads at
 * most `maxPages` pages.
 */
import { GammaEvent, GammaKeysetResponse } from '../protocol';
import { getJson, type FetchFn } from './clob-public';

export type GammaLookup =
  | { kind: 'found'; event: GammaEvent }
  | { kind: 'not_found' }
  | { kind: 'error'; reason: string; retryAfterMs?: number };

export class GammaClient {
  constructor(
    private readonly host: string,
    private readonly fetchFn: FetchFn = fetch,
  ) {}

  async eventBySlug(slug: string): Promise<GammaLookup> {
    const r = await getJson(this.fetchFn, `${this.host}/events/slug/${encodeURIComponent(slug)}`, GammaEvent);
    if (r.ok) return { kind: 'found', event: r.value };
    if (r.status === 404) return { kind: 'not_found' };
    return { kind: 'error', reason: `HTTP ${r.status}: ${r.reason}`, ...(r.retryAfterMs !== undefined ? { retryAfterMs: r.retryAfterMs } : {}) };
  }

  /**
   * The series' event whose window starts at startMs (Gamma's `startTime` / the event's `eventStartTime`), read from
   * the keyset listing from that start on; `not_found` when the listing has no such event (yet).
   */
  async seriesEventStarting(seriesId: string, startMs: number, maxPages = 3): Promise<GammaLookup> {
    const iso = new Date(startMs).toISOString().replace('.000Z', 'Z');
    let cursor: string | undefined;
    for (let page = 0; page < maxPages; page++) {
      const q = new URLSearchParams({ series_id: seriesId, closed: 'false', limit: '100', start_time_min: iso, order: 'startTime', ascending: 'true' });
      if (cursor) q.set('after_cursor', cursor);
      const r = await getJson(this.fetchFn, `${this.host}/events/keyset?${q.toString()}`, GammaKeysetResponse);
      if (!r.ok) return { kind: 'error', reason: `keyset HTTP ${r.status}: ${r.reason}`, ...(r.retryAfterMs !== undefined ? { retryAfterMs: r.retryAfterMs } : {}) };
      const hit = r.value.events.find((e) => eventStartMs(e) === startMs);
      if (hit) return { kind: 'found', event: hit };
      cursor = r.value.next_cursor ?? undefined;
      if (!cursor || r.value.events.length === 0) break;
    }
    return { kind: 'not_found' };
  }
}

/** When an event's window opens: `eventStartTime` of its market, else the event's `startTime`. */
export function eventStartMs(e: GammaEvent): number | undefined {
  const iso = e.markets[0]?.eventStartTime ?? e.startTime;
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(t) ? t : undefined;
}
