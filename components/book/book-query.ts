/**
 * Which series the Book page asks GET /api/book for, from the page's URL (pure; the server page and the browser use
 * the same function, so the server's first snapshot is the one the browser would ask for): the series filter's scope
 * (`series=<key>`, `asset=`, `kind=`; components/ui/series-scope.ts) and, from older links, `series=5m` (a bare
 * window length, read as `kind`).
 *
 * Invariants: only validated values are sent; the query string is canonical (fixed parameter order), so it can key
 * the page's cache.
 */
import { scopeFromParams } from '../ui/series-scope';

export interface BookSeriesQuery {
  series?: string;
  asset?: string;
  kind?: string;
}

type Params = { get(name: string): string | null };

export function bookSeriesQueryOf(params: Params): BookSeriesQuery {
  const scope = scopeFromParams(params);
  const raw = params.get('series');
  const legacyKind = raw !== null && /^[1-9][0-9]{0,3}[mhd]$/.test(raw) ? raw : null;
  const kind = scope.kind ?? legacyKind;
  return { ...(scope.series ? { series: scope.series } : {}), ...(scope.asset ? { asset: scope.asset } : {}), ...(kind ? { kind } : {}) };
}

/** `series=…&asset=…&kind=…` (only the parts given, always in this order). */
export function bookQueryString(q: BookSeriesQuery): string {
  const p = new URLSearchParams();
  if (q.series) p.set('series', q.series);
  if (q.asset) p.set('asset', q.asset);
  if (q.kind) p.set('kind', q.kind);
  return p.toString();
}
