/**
 * `npm run doctor` as a child process (tsx scripts/doctor.ts): with VENUE=sim and no endpoint variables it starts an
 * embedded simulator, prints one marker line per stage and `SUMMARY: GO`, and exits 0; unknown flags exit 2 with
 * one message per flag.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScript } from '../../helpers/run-script';

const doctor = (args: string[], env: Record<string, string>) => runScript('doctor.ts', args, env);

describe('npm run doctor (CLI)', () => {
  it('prints GO against an embedded simulator: a marker line per stage, the SUMMARY line, exit 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'updown-doctor-'));
    const r = await doctor([], { VENUE: 'sim', DATA_DIR: dataDir });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const markers = lines.filter((l) => /^\[( OK |WARN|FAIL|SKIP)\] /.test(l));
    expect(markers.length).toBeGreaterThanOrEqual(14);
    expect(markers.filter((l) => l.startsWith('[FAIL]'))).toEqual([]);
    for (const title of ['endpoint gamma', 'endpoint clob', 'endpoint market-ws', 'clock skew', 'geoblock', 'api credentials', 'closed-only', 'pUSD balance', 'allowance', 'ctf approval', 'heartbeat', 'reference feed', 'current windows', 'books']) {
      expect(r.stdout, title).toMatch(new RegExp(`^\\[ OK \\] ${title}: `, 'm'));
    }
    expect(lines.at(-1)).toMatch(/^SUMMARY: GO \(\d+ ok\)$/);
  }, 60_000);

  it('exits 2 with one message per unknown flag', async () => {
    const r = await doctor(['--bogus', '--frob'], { VENUE: 'sim' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown flag --bogus/);
    expect(r.stderr).toMatch(/unknown flag --frob/);
    expect(r.stdout).toBe('');
  }, 30_000);
});
