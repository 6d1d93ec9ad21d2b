/**
 * Bounded per-window state: strategies keep one state object per window slug and drop it on
 * `window.closed`; this cap (oldest first) guarantees a bound even if a close is never delivered.
 */
export const MAX_WINDOW_STATES = 64;

export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max = MAX_WINDOW_STATES): V {
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value as K);
  return value;
}
