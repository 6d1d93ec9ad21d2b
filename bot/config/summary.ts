/**
 * Small helpers over change lists and patches: a bounded diff summary for events and the audit trail (at most 50
 * entries, values as JSON cut to 200 characters), the leaf paths a patch sets, and removing those paths from another
 * patch (a profile or a file edit takes over fields the operator had set in the console).
 */
import type { ConfigChange } from '../../lib/schemas/config-api';
import { cloneJson, isPlainObject, type JsonObject } from './merge-patch';

const MAX_ENTRIES = 50;
const MAX_VALUE = 200;

export interface DiffSummaryEntry {
  path: string;
  from?: string;
  to?: string;
  hot: boolean;
}

export function summarizeDiff(diff: readonly ConfigChange[]): DiffSummaryEntry[] {
  return diff.slice(0, MAX_ENTRIES).map((c) => ({
    path: c.path,
    ...(c.from !== undefined ? { from: short(c.from) } : {}),
    ...(c.to !== undefined ? { to: short(c.to) } : {}),
    hot: c.hot,
  }));
}

function short(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE - 1)}…` : s;
}

/** Dotted paths of the values a patch sets (objects recursed; arrays, scalars and nulls are leaves). */
export function leafPaths(patch: JsonObject, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(patch)) {
    const p = prefix ? `${prefix}.${k}` : k;
    if (isPlainObject(v) && Object.keys(v).length > 0) out.push(...leafPaths(v, p));
    else out.push(p);
  }
  return out;
}

/** `layer` without the paths `patch` sets (empty objects left behind are dropped). */
export function removePaths(layer: JsonObject, patch: JsonObject): JsonObject {
  const out = cloneJson(layer);
  for (const [k, v] of Object.entries(patch)) {
    if (!Object.hasOwn(out, k)) continue;
    const cur = out[k];
    if (isPlainObject(v) && isPlainObject(cur)) {
      const sub = removePaths(cur, v);
      if (Object.keys(sub).length === 0) delete out[k];
      else out[k] = sub;
    } else delete out[k];
  }
  return out;
}

/** A patch that sets each dotted path (to true): the shape removePaths() takes. */
export function pathsToPatch(paths: readonly string[]): JsonObject {
  const root: JsonObject = {};
  for (const p of paths) {
    const segs = p.split('.');
    let cur = root;
    segs.forEach((seg, i) => {
      if (i === segs.length - 1) cur[seg] = true;
      else {
        if (!isPlainObject(cur[seg])) cur[seg] = {};
        cur = cur[seg] as JsonObject;
      }
    });
  }
  return root;
}
