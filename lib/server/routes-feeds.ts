/**
 * GET /api/feeds: the Feeds page's snapshot from the runtime's read model (`runtime.views.feeds`), read-only; also
 * the first snapshot the page renders on the server. Shaped by `feedsSnapshotSchema` (lib/schemas/feeds.ts), which
 * the browser parses it with.
 */
import 'server-only';
import type { FeedsSnapshot } from '../schemas/feeds';
import { withApi } from './api';
import { getRuntimeHolder } from './runtime-registry';

export const feedsRoute = withApi({ mutating: false }, ({ holder }): FeedsSnapshot => holder.runtime.views.feeds.snapshot());

/** The snapshot for the page's server render (null when the runtime cannot be reached: the browser then fetches). */
export function feedsSnapshotNow(): FeedsSnapshot | null {
  try {
    return getRuntimeHolder().runtime.views.feeds.snapshot();
  } catch {
    return null;
  }
}
