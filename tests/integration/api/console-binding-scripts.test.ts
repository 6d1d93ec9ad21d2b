/**
 * `npm run demo` and `npm start` (scripts/demo.mjs, scripts/start.mjs) refuse a non-loopback HOST without
 * CONSOLE_TOKEN: exit 1 with the reason, before building or starting anything (no Next build needed to check it).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function run(script: string, env: Record<string, string>) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'CONSOLE_TOKEN' && k !== 'HOST'));
  return spawnSync(process.execPath, [join(process.cwd(), 'scripts', script)], { env: { ...base, PORT: '1', ...env } as unknown as NodeJS.ProcessEnv, encoding: 'utf8', timeout: 20_000 });
}

describe('console binding refusal in the npm scripts', () => {
  for (const script of ['demo.mjs', 'start.mjs']) {
    it(`${script}: HOST=0.0.0.0 without CONSOLE_TOKEN exits 1 with the reason, building and starting nothing`, () => {
      const r = run(script, { HOST: '0.0.0.0' });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/refused to start: HOST=0\.0\.0\.0 is not a loopback address and CONSOLE_TOKEN is not set/);
      expect(r.stderr).toMatch(/Set CONSOLE_TOKEN/);
      expect(r.stdout).not.toMatch(/building|Up\/Down Console/);
    });
  }

  it('an empty CONSOLE_TOKEN counts as none', () => {
    const r = run('demo.mjs', { HOST: '192.168.1.5', CONSOLE_TOKEN: '' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/HOST=192\.168\.1\.5 is not a loopback address/);
  });
});
