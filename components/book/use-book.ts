'use client';
/**
 * useBook(series): the Book page's data. GET /api/book is refetched every REFETCH_MS (about 2 Hz: the ladders are read
 * whole from the live books, so a fresh snapshot is simpler and exact, and each refetch is one re-render) and parsed
 * with `bookSnapshotSchema`. After the first answer only the new history points are asked for (`sinceMs`) and merged
 * (book-merge.ts); a new instance, window or token set fetches the whole snapshot again.
 *
 * Invariants: at most one fetch in flight per series and at most 1000 / REFETCH_MS re-renders per second; a response
 * that fails the schema is an error shown in place (the last good snapshot stays on screen).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { bookSnapshotSchema, type BookSeriesKind, type BookSnapshot } from '../../lib/schemas/book';
import { apiCall } from '../live/api-client';
import { mergeBook, nextSinceMs } from './book-merge';

export const REFETCH_MS = 500;
export const bookKey = (series: BookSeriesKind) => ['book', series] as const;

async function fetchBook(series: BookSeriesKind, sinceMs?: number): Promise<BookSnapshot> {
  const q = new URLSearchParams({ series });
  if (sinceMs !== undefined) q.set('sinceMs', String(sinceMs));
  return bookSnapshotSchema.parse(await apiCall(`/api/book?${q.toString()}`));
}

export function useBook(series: BookSeriesKind, initial: BookSnapshot | null) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: bookKey(series),
    queryFn: async () => {
      const prev = qc.getQueryData<BookSnapshot>(bookKey(series));
      const since = nextSinceMs(prev);
      if (since === undefined) return fetchBook(series);
      return mergeBook(prev, await fetchBook(series, since)) ?? fetchBook(series);
    },
    initialData: initial && initial.series === series ? initial : undefined,
    initialDataUpdatedAt: 0,
    refetchInterval: REFETCH_MS,
    staleTime: 0,
    retry: 1,
  });
}
