/**
 * `npm run bench` as the package script runs it: every benchmark module loads (imports resolve, `server-only` included)
 * and lists its benchmarks, without running them or writing results. Catches a bench broken by a change elsewhere,
 * since the benchmarks themselves are not part of `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('npm run bench -- --list', () => {
  it('loads every benchmark module and lists the known benchmarks', () => {
    const r = spawnSync('npm', ['run', '--silent', 'bench', '--', '--list'], { cwd: join(__dirname, '..', '..', '..'), encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    const ids = r.stdout.trim().split('\n').map((l) => l.split('\t')[0]);
    expect(ids).toEqual(expect.arrayContaining(['bus-dispatch', 'sse-fanout', 'E1', 'sim-ws']));
  }, 60_000);
});
