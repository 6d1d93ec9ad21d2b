'use client';
/**
 * useTrading(): GET /api/trading through TanStack Query (parsed with tradingSnapshotSchema, refetched every few
 * seconds and soon after order / fill / position / window / lifecycle events), with the live bus events laid over
 * it between refetches (see trading-live.ts), and an estimate of the server clock for the countdowns.
 *
 * Invariants: the overlay is flushed into React state at most every FLUSH_MS (bounded re-rendering under a busy
 * stream); event-triggered refetches are throttled to one per REFETCH_MIN_MS.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { tradingSnapshotSchema, type TradingSnapshot } from '../../lib/schemas/trading';
import { apiCall } from './api-client';
import { useBotEvents } from './bot-events';
import { applyEvent, createOverlay, mergeTrading, nextAnchor, REFETCH_ON, serverNowAt, type ClockAnchor } from './trading-live';

export const tradingKey = ['trading'] as const;
const REFETCH_MS = 3_000;
const FLUSH_MS = 250;
const REFETCH_MIN_MS = 500;

interface Fetched {
  snapshot: TradingSnapshot;
  anchor: ClockAnchor;
}

async function fetchTrading(): Promise<Fetched> {
  const t0 = Date.now();
  const snapshot = tradingSnapshotSchema.parse(await apiCall('/api/trading'));
  const t1 = Date.now();
  return { snapshot, anchor: { serverMs: snapshot.nowMs, clientMs: (t0 + t1) / 2, rate: snapshot.clockRate } };
}

export function useTrading() {
  const qc = useQueryClient();
  const { subscribe, instanceId } = useBotEvents();
  const query = useQuery({ queryKey: tradingKey, queryFn: fetchTrading, refetchInterval: REFETCH_MS, staleTime: 1_000 });
  const overlay = useRef(createOverlay());
  const [version, setVersion] = useState(0);
  const anchor = useRef<ClockAnchor | null>(null);

  if (query.data) anchor.current = nextAnchor(anchor.current, query.data.anchor);

  useEffect(() => {
    if (overlay.current.instanceId !== instanceId) overlay.current = createOverlay(instanceId);
  }, [instanceId]);

  useEffect(() => {
    let dirty = false;
    let lastRefetch = 0;
    let pending: ReturnType<typeof setTimeout> | undefined;
    const refetch = () => {
      pending = undefined;
      lastRefetch = Date.now();
      void qc.invalidateQueries({ queryKey: tradingKey });
    };
    const unsubscribe = subscribe((e) => {
      if (applyEvent(overlay.current, e)) dirty = true;
      if (REFETCH_ON.has(e.type) && !pending) pending = setTimeout(refetch, Math.max(0, lastRefetch + REFETCH_MIN_MS - Date.now()));
    });
    const flush = setInterval(() => {
      if (!dirty) return;
      dirty = false;
      setVersion((v) => v + 1);
    }, FLUSH_MS);
    return () => {
      unsubscribe();
      clearInterval(flush);
      if (pending) clearTimeout(pending);
    };
  }, [subscribe, qc]);

  const snapshot = query.data?.snapshot;
  // `version` marks overlay changes (the overlay lives in a ref).
  const data = useMemo(() => (snapshot && version >= 0 ? mergeTrading(snapshot, overlay.current) : undefined), [snapshot, version]);
  const serverNow = useCallback(() => (anchor.current ? serverNowAt(anchor.current, Date.now()) : Date.now()), []);
  return { data, error: query.error, isError: query.isError, isLoading: query.isLoading, serverNow };
}
