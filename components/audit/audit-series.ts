/**
 * Which series an audit entry is about (pure, browser-safe): a config diff path `series.<key>…` (a series added,
 * removed or switched), or a value in its stored detail that is a series key or a window slug of a configured series
 * (matched by series-scope.ts). An entry about no series (the kill switch, a restart) has none.
 *
 * Invariants: the detail walk is bounded (depth MAX_DEPTH, at most MAX_STRINGS strings); a key the config no longer
 * lists is still reported (its asset read from the key, its window length unknown).
 */
import { inScope, seriesOfSlug, type SeriesOption, type SeriesScope } from '../ui/series-scope';
import type { AuditEntryView } from '../../lib/schemas/audit';

const MAX_DEPTH = 4;
const MAX_STRINGS = 200;
const KEY_RE = /^([a-z]{2,10})-([1-9][0-9]{1,5})$/;
const PATH_RE = /^series\.([a-z]{2,10}-[1-9][0-9]{1,5})(?:\.|$)/;

/** Series keys the entry is about. */
export function auditSeriesKeys(e: Pick<AuditEntryView, 'diff' | 'detail'>, options: readonly SeriesOption[]): Set<string> {
  const keys = new Set<string>();
  for (const d of e.diff ?? []) {
    const m = PATH_RE.exec(d.path);
    if (m) keys.add(m[1]!);
  }
  let budget = MAX_STRINGS;
  const walk = (v: unknown, depth: number) => {
    if (budget <= 0 || depth > MAX_DEPTH) return;
    if (typeof v === 'string') {
      budget--;
      if (KEY_RE.test(v)) keys.add(v);
      else {
        const o = seriesOfSlug(v, options);
        if (o) keys.add(o.key);
      }
    } else if (Array.isArray(v)) for (const x of v) walk(x, depth + 1);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x, depth + 1);
  };
  walk(e.detail, 0);
  return keys;
}

/** Is the entry about a series in the scope? */
export function auditEntryInScope(e: Pick<AuditEntryView, 'diff' | 'detail'>, scope: SeriesScope, options: readonly SeriesOption[]): boolean {
  for (const key of auditSeriesKeys(e, options)) {
    const o = options.find((x) => x.key === key);
    if (o ? inScope(scope, o) : scope.kind === null && inScope(scope, { key, asset: KEY_RE.exec(key)![1]!, kind: '' })) return true;
  }
  return false;
}
