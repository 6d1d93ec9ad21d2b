/**
 * GET /api/book[?series=<key>|asset=&kind=][&sinceMs=<epoch ms>]: the Book page's snapshot from the runtime's read model
 * (`runtime.views.book`, bot/views/book-timeline.ts). The query is parsed with `bookQuerySchema`; a bad value is a
 * 400 with the offending field. Also `bookSnapshotFor`, the same snapshot for the page's server render.
 */
import 'server-only';
import { bookQuerySchema, type BookQuery, type BookSnapshot } from '../schemas/book';
import { ApiProblem, withApi } from './api';
import { getRuntimeHolder } from './runtime-registry';

/** Parse the query string (unknown parameters are ignored); throws a 400 ApiProblem naming the bad fields. */
export function parseBookQuery(params: URLSearchParams): BookQuery {
  const raw: Record<string, string> = {};
  for (const key of ['series', 'asset', 'kind', 'sinceMs'] as const) {
    const v = params.get(key);
    if (v !== null) raw[key] = v;
  }
  const parsed = bookQuerySchema.safeParse(raw);
  if (!parsed.success) {
    throw new ApiProblem(
      'bad_request',
      'bad query: give series=<asset>-<windowSec> (btc-300) or asset=<asset> and / or kind=<5m|15m|1h|…>, and optionally sinceMs=<epoch ms>',
      parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(query)', message: i.message })),
    );
  }
  return parsed.data;
}

export const bookRoute = withApi({ mutating: false }, ({ req, holder }): BookSnapshot => holder.runtime.views.book.snapshot(parseBookQuery(new URL(req.url).searchParams)));

/** The first snapshot for the server-rendered page (null when the runtime is not reachable). */
export function bookSnapshotFor(query: Omit<BookQuery, 'sinceMs'>): BookSnapshot | null {
  try {
    return getRuntimeHolder().runtime.views.book.snapshot(query);
  } catch {
    return null;
  }
}
