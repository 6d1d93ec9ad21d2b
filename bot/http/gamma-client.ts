/**
 * Gamma lookups for the bot: event by slug (404 = not listed yet). Parsed with the shared protocol schema.
 * Invariants: never throws; `not_found` is distinct from errors so the catalog can retry politely.
 */
import { GammaEvent } from '../protocol';
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
}
