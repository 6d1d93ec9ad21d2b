'use client';
/**
 * useBook(query): the Book page's data for one series (`query`: the canonical `series=&asset=&kind=` string of
 * book-query.ts). GET /api/book is refetched every REFETCH_MS (about 2 Hz: the ladders are read whole from the live
 * books, so a fresh snapshot is simpler and exact, and each refetch is one re-render) and parsed with
 * `bookSnapshotSchema`. After the first answer only the new history points are asked for (`sinceMs`) and merged
 * (book-merge.ts); a new instance, series, window or token set fetches the whole snapshot again.
 *
 * Invariants: at most one fetch in flight per query and at most 1000 / REFETCH_MS re-renders per second; a response
 * that fails the schema is an error shown in place (the last good snapshot stays on screen).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { bookSnapshotSchema, type BookSnapshot } from '../../lib/schemas/book';
import { apiCall } from '../live/api-client';
import { mergeBook, nextSinceMs } from './book-merge';

export const REFETCH_MS = 500;
export const bookKey = (query: string) => ['book', query] as const;

async function fetchBook(query: string, sinceMs?: number): Promise<BookSnapshot> {
  const q = new URLSearchParams(query);
  if (sinceMs !== undefined) q.set('sinceMs', String(sinceMs));
  const qs = q.toString();
  return bookSnapshotSchema.parse(await apiCall(`/api/book${qs ? `?${qs}` : ''}`));
}

/** `initial`: the server's snapshot for `initialQuery` (used while the page still asks for that). */
export function useBook(query: string, initial: BookSnapshot | null, initialQuery: string) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: bookKey(query),
    queryFn: async () => {
      const prev = qc.getQueryData<BookSnapshot>(bookKey(query));
      const since = nextSinceMs(prev);
      if (since === undefined) return fetchBook(query);
      return mergeBook(prev, await fetchBook(query, since)) ?? fetchBook(query);
    },
    initialData: initial && query === initialQuery ? initial : undefined,
    initialDataUpdatedAt: 0,
    refetchInterval: REFETCH_MS,
    staleTime: 0,
    retry: 1,
  });
}
