'use client';
/**
 * useOrders(): GET /api/orders through TanStack Query (parsed with ordersResponseSchema; polled every POLL_MS for the
 * marks), the order / fill events laid over it as they arrive (orders-live.ts) and a refetch soon after each burst.
 *
 * Invariants: the overlay is folded outside React and flushed into React state by a coalescer at most every FLUSH_MS
 * (≤ 10 renders/s however busy the stream); event-triggered refetches are at least REFETCH_MIN_MS apart.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ordersResponseSchema, type OrdersResponse } from '../../lib/schemas/orders';
import { apiCall } from '../live/api-client';
import { useBotEvents } from '../live/bot-events';
import { createCoalescer } from '../live/coalescer';
import { applyOrdersEvent, createOrdersOverlay, mergeOrders, ORDERS_REFETCH_ON } from './orders-live';

/** Order / position events seen on this page, and the time of the newest. */
export interface LiveCount {
  events: number;
  lastEventMs: number | null;
}

export const ordersKey = ['orders'] as const;
const POLL_MS = 5_000;
const FLUSH_MS = 100;
const REFETCH_MIN_MS = 1_000;

/** `initial`: the server-rendered first snapshot (shown at once, replaced by the first fetch). */
export function useOrders(initial: OrdersResponse | null = null) {
  const qc = useQueryClient();
  const { subscribe, instanceId } = useBotEvents();
  const query = useQuery({ queryKey: ordersKey, queryFn: async () => ordersResponseSchema.parse(await apiCall('/api/orders')), refetchInterval: POLL_MS, staleTime: 1_000, initialData: initial ?? undefined, initialDataUpdatedAt: 0 });
  const overlay = useRef(createOrdersOverlay());
  const [version, setVersion] = useState(0);
  const [live, setLive] = useState<LiveCount>({ events: 0, lastEventMs: null });

  useEffect(() => {
    if (overlay.current.instanceId !== instanceId) overlay.current = createOrdersOverlay(instanceId);
  }, [instanceId]);

  useEffect(() => {
    let lastRefetch = 0;
    let pending: ReturnType<typeof setTimeout> | undefined;
    const refetch = () => {
      pending = undefined;
      lastRefetch = Date.now();
      void qc.invalidateQueries({ queryKey: ordersKey });
    };
    const coalescer = createCoalescer<LiveCount>({
      initial: { events: 0, lastEventMs: null },
      intervalMs: FLUSH_MS,
      onFlush: (c) => {
        setVersion((v) => v + 1);
        setLive(c);
      },
    });
    const unsubscribe = subscribe((e) => {
      if (applyOrdersEvent(overlay.current, e)) coalescer.update((c) => ({ events: c.events + 1, lastEventMs: e.tsEventMs }));
      if (ORDERS_REFETCH_ON.has(e.type) && !pending) pending = setTimeout(refetch, Math.max(0, lastRefetch + REFETCH_MIN_MS - Date.now()));
    });
    return () => {
      unsubscribe();
      coalescer.pause();
      if (pending) clearTimeout(pending);
    };
  }, [subscribe, qc]);

  const answer = query.data;
  // `version` marks overlay changes (the overlay lives in a ref).
  const data = useMemo(() => (answer && version >= 0 ? mergeOrders(answer, overlay.current) : undefined), [answer, version]);
  return { data, error: query.error, isError: query.isError, isLoading: query.isLoading, isFetching: query.isFetching, live };
}
