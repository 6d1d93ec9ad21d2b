'use client';
/**
 * The series filter every console page takes: asset and window-length chips (plus the exact series when a link names
 * one), backed by the URL (`?asset=`, `?kind=`, `?series=`; series-scope.ts) so a link or a reload reproduces the view.
 * The choices are the running config's series, from the trading snapshot: the console layout renders the first list on
 * the server (`SeriesOptionsProvider initial`), then GET /api/trading is re-read every REFRESH_MS and soon after a
 * `config.changed` event (a series added or removed while running).
 *
 * Invariants: the URL is the only state (no copy that could drift); writing it keeps every other parameter and does not
 * reload the page (history.replaceState, which Next's router follows); the first render uses the server's list, so
 * server and client render the same chips (no hydration mismatch).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { usePathname, useSearchParams } from 'next/navigation';
import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { tradingSnapshotSchema } from '../../lib/schemas/trading';
import { apiCall } from '../live/api-client';
import { useBotEvents } from '../live/bot-events';
import { facets, inScope, isScoped, optionsOf, scopeFromParams, scopeLabel, scopeToQuery, seriesLabel, slugMatcher, type SeriesOption, type SeriesScope } from './series-scope';

export const seriesOptionsKey = ['series-options'] as const;
const REFRESH_MS = 30_000;

const OptionsContext = createContext<SeriesOption[]>([]);

export function SeriesOptionsProvider({ initial, children }: { initial: SeriesOption[]; children: ReactNode }) {
  const qc = useQueryClient();
  const { subscribe } = useBotEvents();
  const q = useQuery({
    queryKey: seriesOptionsKey,
    queryFn: async () => optionsOf(tradingSnapshotSchema.parse(await apiCall('/api/trading')).series),
    initialData: initial,
    initialDataUpdatedAt: 0,
    refetchInterval: REFRESH_MS,
    staleTime: 5_000,
  });
  useEffect(() => {
    let t: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = subscribe((e) => {
      if (e.type !== 'config.changed' || t) return;
      t = setTimeout(() => {
        t = undefined;
        void qc.invalidateQueries({ queryKey: seriesOptionsKey });
      }, 300);
    });
    return () => {
      unsubscribe();
      if (t) clearTimeout(t);
    };
  }, [subscribe, qc]);
  return <OptionsContext.Provider value={q.data}>{children}</OptionsContext.Provider>;
}

export interface SeriesFilterState {
  scope: SeriesScope;
  options: SeriesOption[];
  /** The options in scope. */
  inScope: SeriesOption[];
  scoped: boolean;
  label: string;
  /** Does a row with this window slug pass the filter? */
  matchSlug: (slug: string | null | undefined) => boolean;
  setScope: (next: SeriesScope) => void;
}

/** The page's series filter: the scope in the URL, the configured series, and a slug predicate. */
export function useSeriesFilter(): SeriesFilterState {
  const params = useSearchParams();
  const pathname = usePathname();
  const options = useContext(OptionsContext);
  const query = params.toString();
  const scope = useMemo(() => scopeFromParams(new URLSearchParams(query)), [query]);
  const setScope = useCallback(
    (next: SeriesScope) => {
      const q = scopeToQuery(window.location.search.replace(/^\?/, ''), next);
      window.history.replaceState(null, '', `${pathname}${q ? `?${q}` : ''}${window.location.hash}`);
    },
    [pathname],
  );
  return useMemo(
    () => ({
      scope,
      options,
      inScope: options.filter((o) => inScope(scope, o)),
      scoped: isScoped(scope),
      label: scopeLabel(scope, options),
      matchSlug: slugMatcher(scope, options),
      setScope,
    }),
    [scope, options, setScope],
  );
}

function Chip({ pressed, onClick, testId, children, title }: { pressed: boolean; onClick: () => void; testId: string; children: ReactNode; title?: string }) {
  return (
    <button
      type="button"
      data-testid={testId}
      aria-pressed={pressed}
      onClick={onClick}
      title={title}
      className={`rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ring-inset ${pressed ? 'bg-sky-600/30 text-sky-100 ring-sky-500/60' : 'bg-slate-800/70 text-slate-300 ring-slate-700 hover:text-slate-100'}`}
    >
      {children}
    </button>
  );
}

/**
 * Asset chips and window-length chips (and the exact series, when the URL names one, as a removable chip: choosing an
 * asset or a length replaces it). `counts`: optional "n of m" text after the chips (what the page lists under the filter).
 */
export function SeriesFilter({ filter, counts, className = '' }: { filter: SeriesFilterState; counts?: string; className?: string }) {
  const { scope, options, setScope } = filter;
  const f = facets(options);
  // A value in the URL that the config no longer lists still shows (pressed), so it can be cleared.
  const assets = scope.asset && !f.assets.includes(scope.asset) ? [...f.assets, scope.asset] : f.assets;
  const kinds = scope.kind && !f.kinds.includes(scope.kind) ? [...f.kinds, scope.kind] : f.kinds;
  const exact = scope.series !== null ? options.find((o) => o.key === scope.series) : undefined;
  return (
    <div className={`flex flex-wrap items-center gap-x-3 gap-y-1.5 ${className}`} data-testid="series-filter" data-scope={`${scope.asset ?? ''}|${scope.kind ?? ''}|${scope.series ?? ''}`}>
      <div className="flex flex-wrap items-center gap-1" role="group" aria-label="Asset">
        <span className="mr-0.5 text-xs text-slate-500">asset</span>
        <Chip pressed={scope.asset === null} onClick={() => setScope({ ...scope, asset: null, series: null })} testId="sf-asset-all">
          all
        </Chip>
        {assets.map((a) => (
          <Chip key={a} pressed={scope.asset === a} onClick={() => setScope({ ...scope, asset: scope.asset === a ? null : a, series: null })} testId={`sf-asset-${a}`}>
            {a.toUpperCase()}
          </Chip>
        ))}
      </div>
      <div className="flex flex-wrap items-center gap-1" role="group" aria-label="Window length">
        <span className="mr-0.5 text-xs text-slate-500">window</span>
        <Chip pressed={scope.kind === null} onClick={() => setScope({ ...scope, kind: null, series: null })} testId="sf-kind-all">
          all
        </Chip>
        {kinds.map((k) => (
          <Chip key={k} pressed={scope.kind === k} onClick={() => setScope({ ...scope, kind: scope.kind === k ? null : k, series: null })} testId={`sf-kind-${k}`}>
            {k}
          </Chip>
        ))}
      </div>
      {scope.series !== null && (
        <Chip pressed onClick={() => setScope({ ...scope, series: null })} testId="sf-series" title="show more than this one series">
          {exact ? seriesLabel(exact) : scope.series} ✕
        </Chip>
      )}
      {counts && (
        <span className="text-xs tabular-nums text-slate-500" data-testid="series-filter-counts">
          {counts}
        </span>
      )}
    </div>
  );
}

/** "3 of 12 rows · ETH 15m" when filtered, else undefined. */
export function countsText(filter: SeriesFilterState, shown: number, total: number, noun = 'rows'): string | undefined {
  if (!filter.scoped) return undefined;
  return `${shown} of ${total} ${noun} · ${filter.label}`;
}
