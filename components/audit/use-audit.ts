'use client';
/**
 * useAudit(filters): GET /api/audit with the filters (validated in the browser with the server's auditQuerySchema,
 * so a bad filter shows its error without a request), refetched soon after the events that come with an audited
 * action (config.changed, killswitch.changed, arming.changed, runtime.state) and every POLL_MS.
 *
 * Invariants: event-triggered refetches are at least REFETCH_MIN_MS apart; a filter typed in is applied after
 * DEBOUNCE_MS of quiet (one request per pause, not per key).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { auditQuerySchema, auditResponseSchema, type AuditResponse } from '../../lib/schemas/audit';
import type { BotEvent } from '../../lib/schemas/events';
import { apiCall } from '../live/api-client';
import { useBotEvents } from '../live/bot-events';

export const auditKey = ['audit'] as const;
const POLL_MS = 15_000;
const REFETCH_MIN_MS = 500;
const DEBOUNCE_MS = 300;
const REFETCH_ON: ReadonlySet<BotEvent['type']> = new Set<BotEvent['type']>(['config.changed', 'killswitch.changed', 'arming.changed', 'runtime.state']);

export interface AuditFilters {
  action: string;
  actor: string;
  limit: number;
}

/** `initial`: the server-rendered first answer for the default filters (no action, no actor, the default limit). */
export function useAudit(filters: AuditFilters, initial: AuditResponse | null = null) {
  const qc = useQueryClient();
  const { subscribe } = useBotEvents();
  const [applied, setApplied] = useState(filters);
  useEffect(() => {
    const t = setTimeout(() => setApplied(filters), DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [filters]);

  const parsed = auditQuerySchema.safeParse({ limit: applied.limit, ...(applied.action ? { action: applied.action } : {}), ...(applied.actor ? { actor: applied.actor } : {}) });
  const params = new URLSearchParams({ limit: String(applied.limit) });
  if (applied.action) params.set('action', applied.action);
  if (applied.actor) params.set('actor', applied.actor);
  const query = useQuery({
    queryKey: [...auditKey, params.toString()],
    queryFn: async () => auditResponseSchema.parse(await apiCall(`/api/audit?${params.toString()}`)),
    enabled: parsed.success,
    refetchInterval: POLL_MS,
    staleTime: 1_000,
    ...(initial && !applied.action && !applied.actor && applied.limit === initial.limit ? { initialData: initial, initialDataUpdatedAt: 0 } : {}),
  });

  useEffect(() => {
    let last = 0;
    let pending: ReturnType<typeof setTimeout> | undefined;
    const refetch = () => {
      pending = undefined;
      last = Date.now();
      void qc.invalidateQueries({ queryKey: auditKey });
    };
    const unsubscribe = subscribe((e) => {
      if (REFETCH_ON.has(e.type) && !pending) pending = setTimeout(refetch, Math.max(0, last + REFETCH_MIN_MS - Date.now()));
    });
    return () => {
      unsubscribe();
      if (pending) clearTimeout(pending);
    };
  }, [subscribe, qc]);

  const filterError = parsed.success ? null : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  return { data: query.data, error: query.error, isError: query.isError, isLoading: parsed.success && query.isLoading, filterError };
}
