/**
 * RFC 7396 JSON merge patch, plus the safety check every patch from outside passes first.
 *
 * mergePatch(target, patch): objects merge key by key, `null` deletes a key, anything else (arrays included)
 * replaces. Inputs are never mutated; the result shares no objects with them.
 *
 * checkPatch(patch): refuses what must never reach a merge or a schema, each with the path that carries it:
 * prototype keys (`__proto__`, `constructor`, `prototype`), non-finite numbers, values JSON cannot carry, nesting
 * deeper than MAX_DEPTH, strings longer than MAX_STRING, arrays longer than MAX_ITEMS, more than MAX_NODES values.
 */
import type { ConfigIssue } from '../../lib/schemas/config-api';

export type JsonObject = Record<string, unknown>;

export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 12;
const MAX_STRING = 4_096;
const MAX_ITEMS = 256;
const MAX_NODES = 5_000;
const MAX_ISSUES = 50;

export function isPlainObject(v: unknown): v is JsonObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A deep copy of a JSON value (plain objects, arrays, primitives). */
export function cloneJson<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => cloneJson(x)) as T;
  if (isPlainObject(v)) {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) define(out, k, cloneJson(x));
    return out as T;
  }
  return v;
}

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return cloneJson(patch);
  const out: JsonObject = isPlainObject(target) ? cloneJson(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (FORBIDDEN_KEYS.has(k)) throw new Error(`merge patch: refused key '${k}'`);
    if (v === null) delete out[k];
    else define(out, k, mergePatch(out[k], v));
  }
  return out;
}

/**
 * The object without empty objects (recursively; arrays kept as they are). A config layer holds overrides only, and
 * an empty object overrides nothing: RFC 7396 leaves `{"a":{}}` behind when a patch deletes a key that was never
 * there (`{"a":{"b":null}}`), which would otherwise count as a changed layer.
 */
export function pruneEmptyObjects(v: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) {
    if (isPlainObject(x)) {
      const inner = pruneEmptyObjects(x as JsonObject);
      if (Object.keys(inner).length > 0) define(out, k, inner);
    } else define(out, k, x);
  }
  return out;
}

/** Problems that make a patch unsafe to merge; paths are dotted from the root of the patch (prefix optional). */
export function checkPatch(patch: unknown, prefix = ''): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  let nodes = 0;
  const add = (path: string, rule: string, message: string) => {
    if (issues.length < MAX_ISSUES) issues.push({ path: path || '(root)', rule: `patch.${rule}`, message });
  };
  const walk = (v: unknown, path: string, depth: number): void => {
    if (issues.length >= MAX_ISSUES) return;
    if (++nodes > MAX_NODES) {
      if (nodes === MAX_NODES + 1) add(path, 'too_large', `more than ${MAX_NODES} values in one patch`);
      return;
    }
    if (depth > MAX_DEPTH) return add(path, 'too_deep', `nested deeper than ${MAX_DEPTH} levels`);
    if (v === null || typeof v === 'boolean') return;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) add(path, 'not_finite', `${String(v)} is not a finite number`);
      return;
    }
    if (typeof v === 'string') {
      if (v.length > MAX_STRING) add(path, 'too_long', `string longer than ${MAX_STRING} characters`);
      return;
    }
    if (Array.isArray(v)) {
      if (v.length > MAX_ITEMS) return add(path, 'too_many_items', `array longer than ${MAX_ITEMS} items`);
      v.forEach((x, i) => walk(x, join(path, String(i)), depth + 1));
      return;
    }
    if (isPlainObject(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (FORBIDDEN_KEYS.has(k)) add(join(path, k), 'forbidden_key', `key '${k}' is not allowed`);
        else walk(x, join(path, k), depth + 1);
      }
      return;
    }
    add(path, 'not_json', `a ${typeof v} is not a JSON value`);
  };
  walk(patch, prefix, 0);
  return issues;
}

/** The smallest merge patch that turns `from` into `to` (objects recursed, everything else replaced). */
export function createMergePatch(from: unknown, to: unknown): unknown {
  if (!isPlainObject(from) || !isPlainObject(to)) return cloneJson(to);
  const out: JsonObject = {};
  for (const k of Object.keys(from)) if (!Object.hasOwn(to, k)) out[k] = null;
  for (const [k, v] of Object.entries(to)) {
    if (!Object.hasOwn(from, k)) define(out, k, cloneJson(v));
    else if (isPlainObject(from[k]) && isPlainObject(v)) {
      const sub = createMergePatch(from[k], v) as JsonObject;
      if (Object.keys(sub).length > 0) define(out, k, sub);
    } else if (!jsonEqual(from[k], v)) define(out, k, cloneJson(v));
  }
  return out;
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

function join(path: string, key: string): string {
  return path ? `${path}.${pathKey(key)}` : pathKey(key);
}

/** A key as a path segment: quoted as JSON when it is empty or holds a dot, whitespace or a control character. */
export function pathKey(key: string): string {
  return key === '' || /[.\s\p{Cc}"]/u.test(key) ? JSON.stringify(key) : key;
}

/** Own data property, never a prototype setter (even for a key that slipped past the checks). */
function define(o: JsonObject, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}
