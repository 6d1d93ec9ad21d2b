/**
 * /api/config on the built console (next start): read with per-field metadata, the JSON Schema, a hot change that
 * is journaled and streamed as config.changed, a restart-required change left pending, dry run, refusals with field
 * paths (hostile keys, NaN, unknown fields, wrong content type, oversized bodies), a stale version, history, revert,
 * profiles, and `npm run config` talking to this console over HTTP.
 */
import { expect, test } from '@playwright/test';
import { botEventSchema } from '../../lib/schemas/events';
import { baseURL, readSse } from './helpers';
import { runScript } from '../helpers/run-script';

test.describe.configure({ mode: 'serial' });


function cli(args: string[]) {
  return runScript('config.ts', args, { PORT: new URL(baseURL).port, HOST: '127.0.0.1', DATA_DIR: '/nonexistent-config-cli' });
}

test('GET /api/config and /api/config/schema describe every field', async ({ request }) => {
  const r = await request.get('/api/config');
  expect(r.status()).toBe(200);
  const body = await r.json();
  expect(body.version).toBeGreaterThanOrEqual(1);
  expect(body.hash).toMatch(/^[0-9a-f]{64}$/);
  expect(body.config.mode).toBe('paper');
  const mode = body.fields.find((f: { path: string }) => f.path === 'mode');
  expect(mode).toMatchObject({ hot: false, source: 'env', enum: ['paper', 'live', 'replay'] });
  expect(body.fields.find((f: { path: string }) => f.path === 'risk.maxUsdPerTrade')).toMatchObject({ hot: true, default: 50 });
  const schema = await (await request.get('/api/config/schema')).json();
  expect(schema.config.properties.heartbeatMs).toMatchObject({ type: 'integer', updatable: true });
  expect(Object.keys(schema.strategyParams)).toContain('hammer');
});

test('PATCH: a hot change is journaled and streamed as config.changed; a restart field stays pending; dry run applies nothing', async ({ request }) => {
  const before = await (await request.get('/api/config')).json();
  const dry = await request.patch('/api/config', { data: { patch: { risk: { maxUsdPerTrade: 40 } }, reason: 'e2e what-if', dryRun: true } });
  expect(await dry.json()).toMatchObject({ applied: false, dryRun: true, version: before.version });
  const hello = await readSse({ until: (m) => m.some((x) => x.event === 'hello') });
  const lastSeq = (hello.find((m) => m.event === 'hello')!.data as { lastSeq: number }).lastSeq;
  const r = await request.patch('/api/config', { data: { patch: { risk: { maxUsdPerTrade: 40 }, sim: { seed: 7 } }, reason: 'e2e change', expectVersion: before.version } });
  expect(r.status()).toBe(200);
  const res = await r.json();
  expect(res).toMatchObject({ applied: true, version: before.version + 1, hot: ['risk.maxUsdPerTrade'], pending: [{ path: 'sim.seed' }] });
  const msgs = await readSse({ lastEventId: lastSeq, until: (m) => m.some((x) => (x.data as { type?: string } | null)?.type === 'config.changed') });
  const ev = botEventSchema.parse(msgs.find((x) => (x.data as { type?: string } | null)?.type === 'config.changed')!.data);
  expect(ev).toMatchObject({ type: 'config.changed', version: res.version, hash: res.hash, hot: ['risk.maxUsdPerTrade'], pending: ['sim.seed'], reason: 'e2e change' });
  const after = await (await request.get('/api/config')).json();
  expect(after).toMatchObject({ version: res.version, config: { sim: { seed: 7 } }, running: { sim: { seed: 42 }, risk: { maxUsdPerTrade: 40 } } });
  expect(after.pending.map((c: { path: string }) => c.path)).toEqual(['sim.seed']);
});

test('refusals: field paths for bad values and hostile keys, body problems named, stale versions conflict, no 5xx', async ({ request }) => {
  const { version, hash } = await (await request.get('/api/config')).json();
  const cases: [string, string, number, string | undefined][] = [
    ['{"patch":{"risk":{"__proto__":{"x":1}}},"reason":"hostile key"}', 'application/json', 422, 'risk.__proto__'],
    ['{"patch":{"constructor":{"prototype":1}},"reason":"hostile key"}', 'application/json', 422, 'constructor'],
    ['{"patch":{"risk":{"maxUsdPerTrade":1e309}},"reason":"infinite"}', 'application/json', 422, 'risk.maxUsdPerTrade'],
    ['{"patch":{"risk":{"maxUsdPerTrade":NaN}},"reason":"nan"}', 'application/json', 400, undefined],
    ['{"patch":{"risk":{"maxUsdPerTrade":"50"}},"reason":"wrong type"}', 'application/json', 422, 'risk.maxUsdPerTrade'],
    ['{"patch":{"riskk":{}},"reason":"unknown field"}', 'application/json', 422, 'riskk'],
    ['{"patch":{"risk":{"maxUsdPerTrade":500}},"reason":"guardrail"}', 'application/json', 422, 'risk.maxUsdPerTrade'],
    ['{"patch":{},"reason":"plain text"}', 'text/plain', 415, undefined],
    [`{"patch":{},"reason":"${'x'.repeat(70_000)}"}`, 'application/json', 413, undefined],
  ];
  for (const [raw, type, status, path] of cases) {
    const r = await request.fetch('/api/config', { method: 'PATCH', headers: { 'content-type': type }, data: Buffer.from(raw) }); // a Buffer: Playwright would JSON-encode a string that is not JSON
    expect(r.status(), raw.slice(0, 80)).toBe(status);
    const err = (await r.json()).error;
    if (path) expect(err.fields.map((f: { path: string }) => f.path), raw.slice(0, 80)).toContain(path);
  }
  const stale = await request.patch('/api/config', { data: { patch: { heartbeatMs: 1500 }, reason: 'stale edit', expectVersion: version - 1 } });
  expect(stale.status()).toBe(409);
  const now = await (await request.get('/api/config')).json();
  expect({ version: now.version, hash: now.hash }).toEqual({ version, hash });
  expect(({} as Record<string, unknown>).x).toBeUndefined();
});

test('history, profiles, revert, and npm run config against this console', async ({ request }) => {
  const hist = await (await request.get('/api/config/history?limit=5')).json();
  expect(hist.versions[0]).toMatchObject({ version: hist.version, reason: 'e2e change', actor: 'operator(local)' });
  const profiles = await (await request.get('/api/config/profiles')).json();
  expect(profiles.profiles.map((p: { name: string }) => p.name)).toEqual(['paper', 'live', 'high_vol', 'low_vol']);
  const pick = await request.post('/api/config/profile', { data: { profile: 'low_vol', reason: 'calm day' } });
  expect(pick.status()).toBe(200);
  expect((await (await request.get('/api/config')).json()).config.risk.maxUsdPerTrade).toBe(30);

  const get = await cli(['get', 'risk.maxUsdPerTrade']);
  expect(get.code, get.stderr).toBe(0);
  expect(get.stdout).toContain(`via the running console at ${baseURL}`);
  expect(get.stdout).toContain('risk.maxUsdPerTrade = 30');
  const set = await cli(['set', 'strategies.hammer.params.dMin', '6', '--reason', 'e2e cli']);
  expect(set.code, set.stderr).toBe(0);
  expect(set.stdout).toContain('applied now: strategies.hammer.params.dMin');

  const back = await request.post('/api/config/revert', { data: { version: 1, reason: 'e2e clean up' } });
  expect(back.status()).toBe(200);
  const end = await (await request.get('/api/config')).json();
  expect(end.config.risk.maxUsdPerTrade).toBe(50);
  expect(end.config.sim.seed).toBe(42);
  expect(end.pending).toEqual([]);
});
