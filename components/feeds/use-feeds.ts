'use client';
/**
 * useFeeds(initial): the Feeds page's data. The first snapshot (rendered on the server, then GET /api/feeds parsed
 * with `feedsSnapshotSchema`) with the live bus events laid over it by the same fold the server runs
 * (`foldFeedEvent`), so the page keeps drawing without polling.
 *
 * Not `useCoalescedEvents`: that hook folds events from a fixed `init`, while this state must be re-seeded whenever a
 * fresh snapshot arrives (first load, a new server instance, an SSE resync). Live events are therefore also kept in a
 * bounded buffer, and a new snapshot is seeded with the buffered events newer than its `seq`.
 *
 * Invariants: React state is updated at most once per FLUSH_MS (components/live/coalescer.ts); the buffer holds at
 * most MAX_BUFFER events; an event is folded only when its seq is newer than the state's; every list stays bounded
 * by the fold itself.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { BotEvent } from '../../lib/schemas/events';
import { feedsSnapshotSchema, foldFeedEvent, isFeedsEvent, type FeedsSnapshot } from '../../lib/schemas/feeds';
import { apiCall } from '../live/api-client';
import { useBotEvents } from '../live/bot-events';
import { createCoalescer } from '../live/coalescer';

export const feedsKey = ['feeds'] as const;
const FLUSH_MS = 250;
const MAX_BUFFER = 3_000;

async function fetchFeeds(): Promise<FeedsSnapshot> {
  return feedsSnapshotSchema.parse(await apiCall('/api/feeds'));
}

/** `snapshot` with the buffered events newer than it folded in. */
export function seedFeeds(snapshot: FeedsSnapshot, buffered: readonly BotEvent[]): FeedsSnapshot {
  let s = snapshot;
  for (const e of buffered) if (e.seq > s.seq) s = foldFeedEvent(s, e) ?? s;
  return s;
}

export function useFeeds(initial: FeedsSnapshot | null) {
  const qc = useQueryClient();
  const { subscribe, instanceId } = useBotEvents();
  const query = useQuery({ queryKey: feedsKey, queryFn: fetchFeeds, initialData: initial ?? undefined, initialDataUpdatedAt: 0, staleTime: Infinity, retry: 1 });
  const buffer = useRef<BotEvent[]>([]);
  const [live, setLive] = useState<FeedsSnapshot | undefined>(undefined);
  const [coalescer] = useState(() => createCoalescer<FeedsSnapshot | undefined>({ initial: undefined, intervalMs: FLUSH_MS, onFlush: setLive }));

  useEffect(() => {
    coalescer.resume();
    const unsubscribe = subscribe((e) => {
      if (!isFeedsEvent(e)) return;
      const buf = buffer.current;
      // A seq going back means a new server instance: nothing buffered from the old one may be replayed.
      if (buf.length > 0 && e.seq <= buf[buf.length - 1]!.seq) buf.length = 0;
      buf.push(e);
      if (buf.length > MAX_BUFFER) buf.splice(0, buf.length - MAX_BUFFER);
      coalescer.update((s) => (s && e.seq > s.seq ? foldFeedEvent(s, e) : undefined));
    });
    return () => {
      unsubscribe();
      coalescer.pause();
    };
  }, [subscribe, coalescer]);

  // Once the stream says hello (and on every new server instance) take a fresh snapshot: the buffer covers from then.
  useEffect(() => {
    if (instanceId) void qc.invalidateQueries({ queryKey: feedsKey });
  }, [instanceId, qc]);

  const snapshot = query.data;
  useEffect(() => {
    if (!snapshot) return;
    coalescer.update(() => seedFeeds(snapshot, buffer.current));
    coalescer.flush();
    buffer.current = buffer.current.filter((e) => e.seq > snapshot.seq);
  }, [snapshot, coalescer]);

  return { data: live ?? snapshot, error: query.error, isError: query.isError, isFetching: query.isFetching };
}
