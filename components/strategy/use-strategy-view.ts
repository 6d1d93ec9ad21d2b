'use client';
/**
 * useStrategyView(id): GET /api/strategy[?id=] through TanStack Query (parsed with strategyViewSchema, refetched every
 * few seconds and, throttled, soon after order / fill / resolution events), with the live `strategy.decision` events
 * and `strategy.signal` / `learning.update` events laid over it between refetches (strategy-live.ts, signal-live.ts)
 * through useCoalescedEvents (at most 10 renders/s each).
 *
 * Invariants: one refetch per REFETCH_MIN_MS at most from events; a response that fails the schema is an error, never
 * half a page; the overlay only adds decisions newer than the response's seq.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import { strategyViewSchema, type StrategyView } from '../../lib/schemas/strategy-view';
import { apiCall } from '../live/api-client';
import { useCoalescedEvents } from '../live/use-coalesced';
import { initialSignalLive, mergeSignals, reduceSignalLive } from './signal-live';
import { initialLive, mergeLive, reduceLive } from './strategy-live';

const REFETCH_MS = 4_000;
const REFETCH_MIN_MS = 1_000;

export const strategyKey = (id: string | null) => ['strategy', id ?? ''] as const;

async function fetchView(id: string | null): Promise<StrategyView> {
  return strategyViewSchema.parse(await apiCall(id ? `/api/strategy?id=${encodeURIComponent(id)}` : '/api/strategy'));
}

/** `initial`: the server-rendered first snapshot for `id` (shown at once, replaced by the first fetch). */
export function useStrategyView(id: string | null, initial: StrategyView | null = null) {
  const qc = useQueryClient();
  const query = useQuery({ queryKey: strategyKey(id), queryFn: () => fetchView(id), refetchInterval: REFETCH_MS, staleTime: 1_000, initialData: initial ?? undefined, initialDataUpdatedAt: 0 });
  const live = useCoalescedEvents(initialLive, reduceLive, 10);
  const liveSignals = useCoalescedEvents(initialSignalLive, reduceSignalLive, 10);
  const lastRefetch = useRef(0);

  useEffect(() => {
    if (live.activity === 0) return;
    const wait = Math.max(0, lastRefetch.current + REFETCH_MIN_MS - Date.now());
    const t = setTimeout(() => {
      lastRefetch.current = Date.now();
      void qc.invalidateQueries({ queryKey: ['strategy'] });
    }, wait);
    return () => clearTimeout(t);
  }, [live.activity, qc]);

  const view = query.data;
  // Signals merged on their own, so the signals chart's data changes only with them (≤ 10/s), not with decisions.
  const sig = useMemo(() => (view?.strategy ? mergeSignals(view.strategy, view.seq, liveSignals.events) : null), [view, liveSignals.events]);
  const data = useMemo(
    () => (view?.strategy && sig ? { ...view, strategy: { ...mergeLive(view.strategy, view.seq, live.decisions), signals: sig.signals, learning: sig.learning } } : view),
    [view, live.decisions, sig],
  );
  return { data, error: query.error, isError: query.isError, isLoading: query.isLoading, isFetching: query.isFetching };
}
