/**
 * Dotted paths for people (the CLI): `risk.maxUsdPerTrade`, `strategies.hammer.params.dMin` (a list item by its id,
 * `series.btc-300.enabled` by asset-windowSec, or by index: `strategies.1.params.dMin`), resolved against a config
 * to document segments, and turned into the JSON merge patch that sets one value (a list is sent whole, with the one
 * item changed, since merge patches replace arrays).
 */
import { cloneJson, FORBIDDEN_KEYS, isPlainObject, type JsonObject } from './merge-patch';

export type Segments = (string | number)[];

export function resolvePath(config: unknown, path: string): Segments {
  const parts = path.trim() === '' ? [] : path.trim().split('.');
  const out: Segments = [];
  let cur: unknown = config;
  for (const seg of parts) {
    if (seg === '' || FORBIDDEN_KEYS.has(seg)) throw new Error(`bad path '${path}'`);
    if (Array.isArray(cur)) {
      let idx = cur.findIndex((it) => isPlainObject(it) && (it.id === seg || `${String(it.asset)}-${String(it.windowSec)}` === seg));
      if (idx < 0 && /^\d+$/.test(seg) && Number(seg) < cur.length) idx = Number(seg);
      if (idx < 0) throw new Error(`no item '${seg}' in ${out.join('.') || '(root)'}`);
      out.push(idx);
      cur = cur[idx];
    } else if (isPlainObject(cur) || cur === undefined) {
      out.push(seg);
      cur = isPlainObject(cur) && Object.hasOwn(cur, seg) ? cur[seg] : undefined;
    } else throw new Error(`${out.join('.')} holds a value, not an object`);
  }
  return out;
}

export function patchForPath(config: unknown, segs: Segments, value: unknown): JsonObject {
  if (segs.length === 0 || typeof segs[0] !== 'string') throw new Error('set needs a field path');
  const root: JsonObject = {};
  let patchCur = root;
  let cfgCur: unknown = config;
  for (let i = 0; i < segs.length; i++) {
    const seg = String(segs[i]);
    if (i === segs.length - 1) {
      patchCur[seg] = value;
      return root;
    }
    const next = isPlainObject(cfgCur) ? cfgCur[seg] : undefined;
    if (Array.isArray(next)) {
      const copy = cloneJson(next);
      setIn(copy, segs.slice(i + 1), value);
      patchCur[seg] = copy;
      return root;
    }
    const sub: JsonObject = {};
    patchCur[seg] = sub;
    patchCur = sub;
    cfgCur = next;
  }
  return root;
}

function setIn(target: unknown, segs: Segments, value: unknown): void {
  let cur = target as Record<string | number, unknown>;
  segs.forEach((seg, i) => {
    if (i === segs.length - 1) {
      cur[seg] = value;
      return;
    }
    const next = cur[seg];
    if (typeof next !== 'object' || next === null) cur[seg] = {};
    cur = cur[seg] as Record<string | number, unknown>;
  });
}
