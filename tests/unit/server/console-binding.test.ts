/**
 * The binding rule (console security): loopback by default; a non-loopback listen address without CONSOLE_TOKEN is
 * refused by the server's env check (bot/config/server-env.ts, which reads `next start -H` from the command line) and
 * by the npm scripts before they spawn anything (scripts/lib.mjs) — the two decide the same on every address here.
 * CONSOLE_PROTECT_READS needs CONSOLE_TOKEN.
 */
import { describe, expect, it } from 'vitest';
import { bindingRefusal, isLoopbackHost, listenHostFromArgv, readServerEnv as readEnv } from '../../../bot/config/server-env';
import * as scripts from '../../../scripts/lib.mjs';

const LOOPBACK = ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1', ' 127.0.0.1 '];
const EXPOSED = ['0.0.0.0', '::', '[::]', '192.168.1.5', '10.0.0.2', '1.2.3.4', 'example.com', '127.0.0.256', '128.0.0.1', '127.0.0', 'my-box'];
const TOKEN = 'binding-test-token-0123';
const readServerEnv = (env: Record<string, string>, argv: readonly string[]) => readEnv(env as NodeJS.ProcessEnv, argv);
const NEXT = ['/usr/bin/node', '/repo/node_modules/next/dist/bin/next'];

describe('loopback addresses', () => {
  it('server and scripts agree: loopback names and 127/8 are loopback, everything else is not', () => {
    for (const h of LOOPBACK) {
      expect(isLoopbackHost(h), h).toBe(true);
      expect(scripts.isLoopbackHost(h), h).toBe(true);
    }
    for (const h of EXPOSED) {
      expect(isLoopbackHost(h), h).toBe(false);
      expect(scripts.isLoopbackHost(h), h).toBe(false);
    }
  });

  it('refusal without a token on an exposed address, none with a token or on loopback (server and scripts)', () => {
    for (const h of EXPOSED) {
      expect(bindingRefusal(h, undefined), h).toMatch(/not a loopback address, and CONSOLE_TOKEN is not set/);
      expect(scripts.bindingRefusal({ HOST: h }), h).toMatch(new RegExp(`HOST=${h.replace(/[[\]]/g, '\\$&')} is not a loopback address and CONSOLE_TOKEN is not set`));
      expect(bindingRefusal(h, TOKEN)).toBeUndefined();
      expect(scripts.bindingRefusal({ HOST: h, CONSOLE_TOKEN: TOKEN })).toBeUndefined();
    }
    for (const h of LOOPBACK) {
      expect(bindingRefusal(h, undefined)).toBeUndefined();
      expect(scripts.bindingRefusal({ HOST: h })).toBeUndefined();
    }
    expect(scripts.bindingRefusal({})).toBeUndefined();
    expect(scripts.listenHost({})).toBe('127.0.0.1');
  });
});

describe('the listen address of a next command line', () => {
  it('-H / --hostname / --hostname= give the address; a next start without one listens everywhere; other commands say nothing', () => {
    expect(listenHostFromArgv([...NEXT, 'start', '-H', '127.0.0.1', '-p', '3000'])).toBe('127.0.0.1');
    expect(listenHostFromArgv([...NEXT, 'start', '-p', '3000', '--hostname', '0.0.0.0'])).toBe('0.0.0.0');
    expect(listenHostFromArgv([...NEXT, 'start', '--hostname=::1'])).toBe('::1');
    expect(listenHostFromArgv([...NEXT, 'start', '-p', '3000'])).toBe('0.0.0.0');
    expect(listenHostFromArgv(['/usr/bin/node', '/repo/node_modules/.bin/next', 'dev'])).toBe('0.0.0.0');
    expect(listenHostFromArgv(['/usr/bin/node', '/repo/node_modules/vitest/vitest.mjs', 'run', '-H', '0.0.0.0'])).toBeUndefined();
    expect(listenHostFromArgv(['/usr/bin/node', '/repo/scripts/doctor.ts', 'start'])).toBeUndefined();
  });
});

describe('readServerEnv refuses an exposed console without a token', () => {
  it('`next start -H 0.0.0.0` (or no -H) without CONSOLE_TOKEN throws with the reason; with a token it reads the address', () => {
    expect(() => readServerEnv({}, [...NEXT, 'start', '-H', '0.0.0.0'])).toThrow(/HOST: the console would listen on 0\.0\.0\.0, which is not a loopback address/);
    expect(() => readServerEnv({}, [...NEXT, 'start'])).toThrow(/CONSOLE_TOKEN is not set/);
    expect(readServerEnv({ CONSOLE_TOKEN: TOKEN }, [...NEXT, 'start', '-H', '0.0.0.0']).HOST).toBe('0.0.0.0');
    // The command line wins over HOST (it is what Next binds).
    expect(readServerEnv({ HOST: '0.0.0.0' }, [...NEXT, 'start', '-H', '127.0.0.1']).HOST).toBe('127.0.0.1');
    expect(() => readServerEnv({ HOST: '127.0.0.1' }, [...NEXT, 'start', '-H', '10.0.0.2'])).toThrow(/10\.0\.0\.2/);
  });

  it('not a next process: HOST decides (default loopback)', () => {
    expect(readServerEnv({}, []).HOST).toBe('127.0.0.1');
    expect(() => readServerEnv({ HOST: '0.0.0.0' }, [])).toThrow(/CONSOLE_TOKEN is not set/);
    expect(readServerEnv({ HOST: '0.0.0.0', CONSOLE_TOKEN: TOKEN }, []).HOST).toBe('0.0.0.0');
  });

  it('CONSOLE_PROTECT_READS needs CONSOLE_TOKEN; a short token is refused', () => {
    expect(() => readServerEnv({ CONSOLE_PROTECT_READS: '1' }, [])).toThrow(/CONSOLE_PROTECT_READS: protecting reads needs CONSOLE_TOKEN/);
    expect(readServerEnv({ CONSOLE_PROTECT_READS: '1', CONSOLE_TOKEN: TOKEN }, []).CONSOLE_PROTECT_READS).toBe(true);
    expect(readServerEnv({}, []).CONSOLE_PROTECT_READS).toBe(false);
    expect(() => readServerEnv({ CONSOLE_TOKEN: 'short' }, [])).toThrow(/at least 12 characters/);
  });
});
