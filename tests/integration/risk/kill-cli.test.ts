/**
 * `npm run kill` as a child process (tsx scripts/kill.ts): with no console answering it writes the kill-switch
 * state and an audit entry into <DATA_DIR>/updown.sqlite and a runtime created over that store comes up halted;
 * with a console answering it asks it over HTTP (Bearer token when CONSOLE_TOKEN is set) and writes nothing itself;
 * bad flags exit 2 with a clear message and a missing reason is refused.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { createRuntime } from '../../../bot/runtime';
import { openStore } from '../../../bot/store';
import { runtimeConfigSchema } from '../../../lib/schemas/config';
import { runScript } from '../../helpers/run-script';

const dirs: string[] = [];

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'kill-cli-'));
  dirs.push(d);
  return d;
}

/** A port nothing listens on (bound, then released). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

const runKill = (args: string[], env: Record<string, string>) => runScript('kill.ts', args, env);

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('npm run kill', () => {
  it('console down: writes halted and an audit entry into the store; a runtime over it comes up halted', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const r = await runKill(['--reason', 'operator halt from the shell'], { DATA_DIR: dataDir, PORT: String(port) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`kill: halted written to .*updown\\.sqlite \\(no console answers on http://127\\.0\\.0\\.1:${port}\\); the console comes up halted at its next start`));

    const store = openStore(join(dataDir, 'updown.sqlite'));
    try {
      expect(store.killSwitch.latest()).toMatchObject({ state: 'halted', prevState: 'active', reason: 'operator halt from the shell', actor: 'operator(cli)', automatic: false });
      const audit = store.audit.recent(10);
      expect(audit.find((a) => a.action === 'killswitch.set')).toMatchObject({ actor: 'operator(cli)', detail: { from: 'active', to: 'halted', reason: 'operator halt from the shell', automatic: false } });
      expect(audit.find((a) => a.action === 'killswitch.cli')).toMatchObject({ actor: 'operator(cli)', detail: { state: 'halted', via: 'store' } });

      const rt = createRuntime({ instanceId: 'after-kill', version: 't', config: runtimeConfigSchema.parse({}), clock: new SimClock(Date.UTC(2026, 9, 5)), store, bare: true });
      expect(rt.killSwitch.state).toBe('halted');
      expect(rt.status().killSwitch).toMatchObject({ state: 'halted', reason: 'operator halt from the shell', actor: 'operator(cli)' });
      await rt.dispose('test');
    } finally {
      store.close();
    }

    // Again: already halted; the request is still audited; --state reducing from halted is an operator move.
    const again = await runKill(['--reason=second try', '--offline'], { DATA_DIR: dataDir });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/kill: already halted in .*reason "operator halt from the shell"/);
    const reducing = await runKill(['--state', 'reducing', '--reason', 'wind down instead', '--offline'], { DATA_DIR: dataDir });
    expect(reducing.code).toBe(0);
    const s2 = openStore(join(dataDir, 'updown.sqlite'));
    expect(s2.killSwitch.latest()).toMatchObject({ state: 'reducing', prevState: 'halted', reason: 'wind down instead' });
    expect(s2.audit.recent(20).filter((a) => a.action === 'killswitch.cli')).toHaveLength(3);
    s2.close();
  }, 60_000);

  it('console up: asks it over HTTP with the operator token, writes nothing itself, says so', async () => {
    const dataDir = tempDir();
    const seen: { method: string; auth?: string; body: string }[] = [];
    const srv: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += String(d)));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', ...(req.headers.authorization ? { auth: req.headers.authorization } : {}), body });
        res.setHeader('content-type', 'application/json');
        if (req.method === 'GET') return res.end(JSON.stringify({ state: 'active', reason: 'initial state', actor: 'system', automatic: true, sinceMs: 0, history: [] }));
        const b = JSON.parse(body) as { state: string; reason: string };
        res.end(JSON.stringify({ state: b.state, reason: b.reason, actor: 'operator(token)', automatic: false, sinceMs: 1 }));
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    try {
      const r = await runKill(['--reason', 'halt now please'], { DATA_DIR: dataDir, PORT: String(port), HOST: '0.0.0.0', CONSOLE_TOKEN: 'operator-token-123456' });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`kill: halted now, via the running console at http://127.0.0.1:${port} (actor operator(token), reason "halt now please")\n`);
      expect(seen.map((x) => x.method)).toEqual(['GET', 'POST']);
      expect(seen[1]).toMatchObject({ auth: 'Bearer operator-token-123456' });
      expect(JSON.parse(seen[1]!.body)).toEqual({ state: 'halted', reason: 'halt now please' });
      expect(r.stdout + r.stderr).not.toContain('operator-token-123456');
      expect(existsSync(join(dataDir, 'updown.sqlite'))).toBe(false);
    } finally {
      await new Promise((r) => srv.close(r));
    }
  }, 60_000);

  it('bad flags exit 2 with a clear message; a missing or empty reason is refused; nothing is written', async () => {
    const dataDir = tempDir();
    const cases: [string[], RegExp][] = [
      [[], /a reason is required: --reason "why you halt"/],
      [['--reason'], /--reason needs a value/],
      [['--reason', '  '], /the reason must say why/],
      [['--reason', 'ok then', '--state', 'paused'], /--state must be halted or reducing \(got paused\)/],
      [['--reason', 'ok then', '--state', 'active'], /re-activating needs an operator with a reason in the console/],
      [['--reason', 'ok then', '--force'], /unknown argument --force/],
    ];
    for (const [args, message] of cases) {
      const r = await runKill(args, { DATA_DIR: dataDir, PORT: '1' });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/usage: npm run kill -- --reason "why"/);
    }
    expect(existsSync(join(dataDir, 'updown.sqlite'))).toBe(false);
  }, 60_000);
});
