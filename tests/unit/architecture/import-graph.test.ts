/**
 * Architecture guard, part of `npm test`: the import graph has no cycles (a cycle is reported with every file in
 * it), the graph reader itself finds a cycle when there is one, and the composition root is imported only by the
 * server glue (lib/server) — no component imports the root.
 */
import { describe, expect, it } from 'vitest';
import { cycles, importGraph } from './import-graph';

describe('import graph', () => {
  const g = importGraph();

  it('reads the whole source tree', () => {
    expect(g.size).toBeGreaterThan(200);
    expect(g.get('bot/runtime.ts')?.length).toBeGreaterThan(5);
  });

  it('has no import cycles', () => {
    expect(cycles(g)).toEqual([]);
  });

  it('detects a cycle when one exists (the check can fail)', () => {
    const toy = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['d.ts']],
      ['e.ts', ['a.ts']],
    ]);
    expect(cycles(toy)).toEqual([['a.ts', 'b.ts', 'c.ts'], ['d.ts']]);
  });

  it('nothing but the process entry points (lib/server, scripts/) and the replay composition imports the composition root', () => {
    const importers = [...g].filter(([, deps]) => deps.includes('bot/runtime.ts')).map(([f]) => f);
    expect(importers.filter((f) => !f.startsWith('lib/server/') && !f.startsWith('scripts/') && f !== 'bot/replay-run.ts')).toEqual([]);
  });
});
