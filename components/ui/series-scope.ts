/**
 * The console's series filter as data (pure, browser-safe, unit-tested): which series a page shows, read from and
 * written to the URL (`?asset=eth`, `?kind=15m`, `?series=eth-900`), and which series a row belongs to.
 *
 * A row is placed by its window slug, matched against the running config's series (their `slugPrefix` / `slugSuffix`
 * from the trading snapshot, made by the bot's own slug schemes), so the browser never re-derives slug maths; a row
 * with its own `asset` / `kind` fields is placed by those.
 *
 * Invariants: no filter = everything passes (rows of unknown series too); with a filter, a row passes only when its
 * series is known and matches every part given (`series` = exactly that key; `asset`, `kind` = that asset / length);
 * the URL keeps every other parameter as it was; values are validated (a malformed one is ignored, never trusted).
 */

/** One configured series as the filter sees it (a subset of the trading snapshot's series view). */
export interface SeriesOption {
  key: string;
  asset: string;
  kind: string;
  windowSec: number;
  enabled: boolean;
  slugPrefix: string;
  slugSuffix: string;
}

/** The series options of a trading snapshot's series list (only the fields the filter needs). */
export function optionsOf(series: readonly SeriesOption[]): SeriesOption[] {
  return series.map(({ key, asset, kind, windowSec, enabled, slugPrefix, slugSuffix }) => ({ key, asset, kind, windowSec, enabled, slugPrefix, slugSuffix }));
}

/** What the page is narrowed to (null: any). */
export interface SeriesScope {
  asset: string | null;
  kind: string | null;
  series: string | null;
}

export const NO_SCOPE: SeriesScope = { asset: null, kind: null, series: null };

const ASSET_RE = /^[a-z]{2,10}$/;
const KIND_RE = /^[1-9][0-9]{0,3}[mhd]$/;
const KEY_RE = /^[a-z]{2,10}-[1-9][0-9]{1,5}$/;

type Params = { get(name: string): string | null };

/** The scope a URL's query names (malformed values dropped). */
export function scopeFromParams(params: Params): SeriesScope {
  const pick = (name: string, re: RegExp) => {
    const v = params.get(name);
    return v !== null && re.test(v) ? v : null;
  };
  return { asset: pick('asset', ASSET_RE), kind: pick('kind', KIND_RE), series: pick('series', KEY_RE) };
}

/** `query` (a query string without `?`) with the scope written into it; every other parameter kept in place. */
export function scopeToQuery(query: string, scope: SeriesScope): string {
  const p = new URLSearchParams(query);
  for (const name of ['asset', 'kind', 'series'] as const) {
    const v = scope[name];
    if (v) p.set(name, v);
    else p.delete(name);
  }
  return p.toString();
}

export function isScoped(scope: SeriesScope): boolean {
  return scope.asset !== null || scope.kind !== null || scope.series !== null;
}

/** Does a series (asset, kind, key) fall in the scope? */
export function inScope(scope: SeriesScope, s: Pick<SeriesOption, 'asset' | 'kind'> & { key?: string }): boolean {
  if (scope.series !== null && s.key !== scope.series) return false;
  if (scope.asset !== null && s.asset !== scope.asset) return false;
  if (scope.kind !== null && s.kind !== scope.kind) return false;
  return true;
}

/** The configured series a window slug belongs to (undefined: none of them). */
export function seriesOfSlug(slug: string, options: readonly SeriesOption[]): SeriesOption | undefined {
  let best: SeriesOption | undefined;
  for (const o of options) {
    if (!slug.startsWith(o.slugPrefix) || !slug.endsWith(o.slugSuffix) || slug.length <= o.slugPrefix.length + o.slugSuffix.length) continue;
    if (!best || o.slugPrefix.length > best.slugPrefix.length) best = o;
  }
  return best;
}

/** A predicate over window slugs for this scope (everything passes when the scope is empty). */
export function slugMatcher(scope: SeriesScope, options: readonly SeriesOption[]): (slug: string | null | undefined) => boolean {
  if (!isScoped(scope)) return () => true;
  const cache = new Map<string, boolean>();
  return (slug) => {
    if (!slug) return false;
    let v = cache.get(slug);
    if (v === undefined) {
      const o = seriesOfSlug(slug, options);
      v = o !== undefined && inScope(scope, o);
      if (cache.size < 5_000) cache.set(slug, v);
    }
    return v;
  };
}

/** The options that fall in the scope, in their order. */
export function scopedOptions(scope: SeriesScope, options: readonly SeriesOption[]): SeriesOption[] {
  return options.filter((o) => inScope(scope, o));
}

/** Distinct assets and kinds of the options (first-seen order for assets, shortest window first for kinds). */
export function facets(options: readonly SeriesOption[]): { assets: string[]; kinds: string[] } {
  const assets = [...new Set(options.map((o) => o.asset))];
  const secOf = new Map(options.map((o) => [o.kind, o.windowSec]));
  const kinds = [...secOf.keys()].sort((a, b) => secOf.get(a)! - secOf.get(b)!);
  return { assets, kinds };
}

/** A short label: `ETH 15m`, `ETH · all lengths`, `all assets · 5m`, `all series`. */
export function scopeLabel(scope: SeriesScope, options: readonly SeriesOption[] = []): string {
  if (scope.series !== null) {
    const o = options.find((x) => x.key === scope.series);
    return o ? seriesLabel(o) : scope.series;
  }
  if (!isScoped(scope)) return 'all series';
  return `${scope.asset ? scope.asset.toUpperCase() : 'all assets'} · ${scope.kind ?? 'all lengths'}`;
}

export function seriesLabel(o: Pick<SeriesOption, 'asset' | 'kind'>): string {
  return `${o.asset.toUpperCase()} ${o.kind}`;
}
