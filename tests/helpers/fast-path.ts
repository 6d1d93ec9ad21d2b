/**
 * A fast path held against its schema: for every input the fast path accepts, the schema accepts it too and gives the
 * same output. Returns how many inputs the fast path accepted (callers bound it, so the check is never vacuous).
 */
import { expect } from 'vitest';

interface Schema {
  safeParse(v: unknown): { success: boolean; data?: unknown };
}

export function expectFastPathEqualsSchema(inputs: readonly unknown[], fast: (v: unknown) => unknown, schema: Schema): number {
  let accepted = 0;
  for (const v of inputs) {
    const f = fast(v);
    if (!f) continue;
    accepted++;
    const z = schema.safeParse(v);
    expect(z.success, JSON.stringify(v).slice(0, 200)).toBe(true);
    expect(f).toEqual(z.data);
  }
  return accepted;
}
