/**
 * `npm start` arguments (scripts/start-args.mjs): `--arm` only with TRADING_MODE=live, unknown arguments refused,
 * and the server always gets ARM_AT_START explicitly (a variable left in the shell never arms anything). The refusal
 * is also checked on the real script as a child process (it exits before building or starting anything).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readServerEnv } from '../../../bot/config/server-env';
import { parseStartArgs } from '../../../scripts/start-args.mjs';

describe('parseStartArgs', () => {
  it('no arguments: no arm, ARM_AT_START=0 for the server even when the shell has ARM_AT_START=1', () => {
    expect(parseStartArgs([], {})).toEqual({ ok: true, arm: false, help: false, serverEnv: { ARM_AT_START: '0' } });
    expect(parseStartArgs([], { TRADING_MODE: 'live', ARM_AT_START: '1' })).toMatchObject({ ok: true, arm: false, serverEnv: { ARM_AT_START: '0' } });
  });

  it('--arm with TRADING_MODE=live: ARM_AT_START=1', () => {
    expect(parseStartArgs(['--arm'], { TRADING_MODE: 'live' })).toEqual({ ok: true, arm: true, help: false, serverEnv: { ARM_AT_START: '1' } });
  });

  it('--arm without TRADING_MODE=live is refused (exit 2) and says why', () => {
    for (const env of [{}, { TRADING_MODE: 'paper' }, { TRADING_MODE: 'LIVE' }, { TRADING_MODE: '' }]) {
      const r = parseStartArgs(['--arm'], env);
      expect(r.ok, JSON.stringify(env)).toBe(false);
      if (!r.ok) {
        expect(r.exitCode).toBe(2);
        expect(r.message).toMatch(/--arm arms live trading, but TRADING_MODE is/);
        expect(r.message).toMatch(/TRADING_MODE=live/);
      }
    }
  });

  it('unknown arguments are refused with the usage; --help is not an error', () => {
    const r = parseStartArgs(['--amr'], { TRADING_MODE: 'live' });
    expect(r).toMatchObject({ ok: false, exitCode: 2 });
    expect(r.ok ? '' : r.message).toMatch(/unknown argument "--amr"[\s\S]*usage: npm start \[-- --arm\]/);
    expect(parseStartArgs(['--help'], {})).toMatchObject({ ok: true, help: true, arm: false });
  });

  it('the server reads ARM_AT_START (default off)', () => {
    const read = (env: Record<string, string>) => readServerEnv(env as NodeJS.ProcessEnv);
    expect(read({}).ARM_AT_START).toBe(false);
    expect(read({ ARM_AT_START: '1' }).ARM_AT_START).toBe(true);
    expect(read({ ARM_AT_START: '0' }).ARM_AT_START).toBe(false);
    expect(() => read({ ARM_AT_START: 'yes' })).toThrow(/ARM_AT_START/);
  });
});

describe('scripts/start.mjs', () => {
  it('npm start -- --arm in paper mode exits 2 with the message, before building or starting anything', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, TRADING_MODE: 'paper' };
    const r = spawnSync(process.execPath, [join(process.cwd(), 'scripts', 'start.mjs'), '--arm'], { env, encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--arm arms live trading, but TRADING_MODE is "paper"/);
    expect(r.stdout).not.toMatch(/building|Up\/Down Console:/);
  });
});
