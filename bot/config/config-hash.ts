/**
 * Stable JSON (object keys sorted at every level, arrays in order) and the config hash: sha256 of it, hex.
 * Two configs with the same content have the same hash whatever order their keys were written in.
 */
import { createHash } from 'node:crypto';

export function stableStringify(v: unknown): string {
  if (v === undefined) return 'null';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => stableStringify(x)).join(',')}]`;
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(obj[k])}`).join(',')}}`;
}

export function hashConfig(config: unknown): string {
  return createHash('sha256').update(stableStringify(config)).digest('hex');
}
