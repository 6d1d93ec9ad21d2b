/**
 * `npm run config` as a child process (tsx scripts/config.ts):
 * - offline (nothing answers at HOST:PORT): set edits DATA_DIR/config.json and journals a pending version; get shows
 *   the value and its layer; a refused value exits 1 naming the field and rule; revert restores; history lists;
 *   a server opened on that data directory afterwards runs the edited config;
 * - online: against the /api/config route handlers behind a loopback HTTP server, the change goes through the API
 *   (hot fields reach the target at once) with the operator token;
 * - bad arguments exit 2 with the usage.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configFieldGroups } from '../../../bot/config';
import { openStore } from '../../../bot/store';
import { FakeTarget, openHarness, tempDir } from '../../unit/config/helpers';
import { installHolder, serve } from './api-harness';
import { runScript } from '../../helpers/run-script';

const cli = (args: string[], env: Record<string, string>) => runScript('config.ts', args, env);

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<string> {
  const s = await serve();
  await s.close();
  return String(s.port);
}

describe('npm run config (CLI)', () => {
  it('offline: edits the config file and the journal; the next server start runs it', async () => {
    const dataDir = tempDir();
    const env = { DATA_DIR: dataDir, PORT: await closedPort(), HOST: '127.0.0.1' };
    const set = await cli(['set', 'strategies.hammer.params.dMin', '8', '--reason', 'wider moves only'], env);
    expect(set.code, set.stdout + set.stderr).toBe(0);
    expect(set.stdout).toContain('offline (no console answered at http://127.0.0.1:');
    expect(set.stdout).toContain(`edited ${join(dataDir, 'config.json')} and journaled version 1`);
    expect(set.stdout).toContain('strategies.hammer.params.dMin: 5 → 8');
    const file = JSON.parse(readFileSync(join(dataDir, 'config.json'), 'utf8')) as { strategies: { id: string; params: Record<string, unknown> }[] };
    expect(file.strategies.find((s) => s.id === 'hammer')!.params).toEqual({ dMin: 8 });

    const get = await cli(['get', 'strategies.hammer.params.dMin'], env);
    expect(get.code).toBe(0);
    expect(get.stdout).toMatch(/strategies\.1\.params\.dMin = 8\n\s+hot \(applies while running\); from the file layer; default 5/);

    const bad = await cli(['set', 'risk.maxUsdPerTrade', '500', '--reason', 'far too much'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('risk.maxUsdPerTrade: the per-trade cap (500 USD) is above the daily loss limit');
    expect(bad.stderr).toContain('[per-trade-within-daily-loss]');

    expect((await cli(['set', 'risk.maxUsdPerTrade', '20', '--reason', 'smaller'], env)).code).toBe(0);
    const rev = await cli(['revert', '1', '--reason', 'back to v1'], env);
    expect(rev.code, rev.stderr).toBe(0);
    expect(rev.stdout).toContain('journaled version 3');
    expect(rev.stdout).toContain('risk.maxUsdPerTrade: 20 → 50');
    const hist = await cli(['history'], env);
    expect(hist.stdout.split('\n').filter((l) => /^v\d+ /.test(l)).map((l) => l.split(/\s+/)[0])).toEqual(['v3', 'v2', 'v1']);
    expect(hist.stdout).toContain('"revert to version 1: back to v1"');

    // The server picks it up at its next start: pending versions become applied.
    const server = openHarness({ dir: dataDir, store: openStore(join(dataDir, 'updown.sqlite')) });
    expect(server.svc.effective().strategies.find((s) => s.id === 'hammer')!.params).toEqual({ dMin: 8 });
    expect(server.svc.effective().risk.maxUsdPerTrade).toBe(50);
    expect(server.svc.history(1)[0]!.status).toBe('applied');
    server.store.close();
  });

  it('bad arguments exit 2 with a clear message', async () => {
    const env = { DATA_DIR: tempDir(), PORT: await closedPort() };
    const cases: [string[], string][] = [
      [[], 'a verb is needed'],
      [['frob'], "unknown verb 'frob'"],
      [['set', 'risk.maxUsdPerTrade', '20'], 'set needs --reason'],
      [['set', 'risk.maxUsdPerTrade'], 'set takes 2 argument(s), got 1'],
      [['revert', 'abc', '--reason', 'why not'], "revert needs a version number, got 'abc'"],
      [['history', '--limit', '0'], '--limit must be an integer'],
      [['get', '--json'], 'unknown flag --json'],
      [['set', 'strategies.nope.params.dMin', '3', '--reason', 'typo'], "no item 'nope' in strategies"],
    ];
    for (const [args, msg] of cases) {
      const r = await cli(args, env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(msg);
      expect(r.stderr).toContain('usage: npm run config');
    }
    expect(existsSync(join(env.DATA_DIR, 'config.json'))).toBe(false);
  });

  describe('online', () => {
    const h = openHarness();
    const target = new FakeTarget('risk', configFieldGroups.risk, h.svc.effective());
    h.svc.register(target);
    const restore = installHolder(h.svc, { CONSOLE_TOKEN: 'cli-operator-token' });
    let srv: Awaited<ReturnType<typeof serve>> | undefined;
    afterAll(async () => {
      await srv?.close();
      restore();
    });

    it('goes through the running console API with the operator token', async () => {
      srv = await serve();
      const env = { DATA_DIR: tempDir(), PORT: String(srv.port), HOST: '127.0.0.1', CONSOLE_TOKEN: 'cli-operator-token' };
      const set = await cli(['set', 'risk.maxUsdPerTrade', '15', '--reason', 'from the shell'], env);
      expect(set.code, set.stdout + set.stderr).toBe(0);
      expect(set.stdout).toContain(`via the running console at http://127.0.0.1:${srv.port}`);
      expect(set.stdout).toContain('applied now: risk.maxUsdPerTrade');
      expect(target.state.risk.maxUsdPerTrade).toBe(15);
      expect(h.store.audit.recent(1)[0]).toMatchObject({ actor: 'operator(token)', action: 'config.apply' });
      expect(existsSync(join(env.DATA_DIR, 'config.json'))).toBe(false); // nothing edited offline
      const get = await cli(['get', 'risk.maxUsdPerTrade'], env);
      expect(get.stdout).toContain('risk.maxUsdPerTrade = 15');
      expect(get.stdout).toContain('from the console layer');
      const noToken = await cli(['set', 'heartbeatMs', '1500', '--reason', 'no token'], { ...env, CONSOLE_TOKEN: 'wrong-token-123' });
      expect(noToken.code).toBe(1);
      expect(noToken.stderr).toContain('refused (unauthorized)');
      const hist = await cli(['history'], env);
      expect(hist.stdout).toMatch(/^v2 .* operator\(token\) .* "from the shell"/m);
      const rev = await cli(['revert', '1', '--reason', 'undo shell edit'], env);
      expect(rev.code).toBe(0);
      expect(target.state.risk.maxUsdPerTrade).toBe(50);
    });
  });
});
