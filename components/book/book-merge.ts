/**
 * Incremental Book snapshots: the page asks GET /api/book with `sinceMs` (the start of the last second that was still
 * open at the previous snapshot) and lays the new points over the ones it has. Pure functions (no React).
 *
 * Invariants: a partial snapshot is merged only onto one of the same runtime instance, series, window and tokens (else
 * `mergeBook` returns null and the caller fetches the whole snapshot); points before `sinceMs` are kept, points from
 * `sinceMs` on are replaced by the server's; each side keeps at most `bookLimits.maxPointsPerToken` points.
 */
import { bookLimits, type BookSnapshot } from '../../lib/schemas/book';

/** The `sinceMs` for the next request after `prev`: every point before the second `prev` was taken in is final. */
export function nextSinceMs(prev: BookSnapshot | undefined): number | undefined {
  if (!prev) return undefined;
  return Math.floor(prev.nowMs / prev.limits.sampleMs) * prev.limits.sampleMs;
}

/** `next` (sent with `sinceMs = next.sinceMs`) laid over `prev`; null when it cannot be merged (fetch it whole). */
export function mergeBook(prev: BookSnapshot | undefined, next: BookSnapshot): BookSnapshot | null {
  if (next.sinceMs === null) return next;
  if (!prev || prev.instanceId !== next.instanceId || prev.series !== next.series || prev.window.slug !== next.window.slug) return null;
  const since = next.sinceMs;
  const sides = next.sides.map((side, i) => {
    const old = prev.sides[i];
    if (!old || old.tokenId !== side.tokenId) return null;
    const kept = old.points.filter((p) => p.tMs < since);
    const points = kept.concat(side.points);
    return { ...side, points: points.length > bookLimits.maxPointsPerToken ? points.slice(points.length - bookLimits.maxPointsPerToken) : points };
  });
  if (sides.some((s) => s === null)) return null;
  return { ...next, sides: sides as BookSnapshot['sides'] };
}
