/**
 * /api/config over the real route handlers (withApi: body limits, origin and token checks, the closed error list):
 * read, schema, patch (hot, restart-required, dry run, refusals with field paths, conflicts), history, revert,
 * profiles, and the audit trail with actor, source address, reason and diff.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { configFieldGroups } from '../../../bot/config';
import { apiErrorCodes } from '../../../lib/schemas/api';
import { configApplyResultSchema, configFieldSchema, configVersionSummarySchema } from '../../../lib/schemas/config-api';
import { FakeTarget, openHarness } from '../../unit/config/helpers';
import { callRoute, installHolder } from './api-harness';

let restore: (() => void) | undefined;
afterEach(() => restore?.());

function setup(env: { CONSOLE_TOKEN?: string } = {}) {
  const h = openHarness();
  const risk = new FakeTarget('risk', configFieldGroups.risk, h.svc.effective());
  h.svc.register(risk);
  restore = installHolder(h.svc, env);
  return { ...h, risk };
}

describe('/api/config', () => {
  it('GET: config, version, hash, pending, layers and every field (hot/restart, description, range, default, source)', async () => {
    const h = setup();
    const r = await callRoute('GET', '/api/config');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ version: 1, hash: h.svc.hash, pending: [], profile: { name: null, from: 'none' }, file: { exists: false }, envVars: [] });
    const fields = (r.json.fields as unknown[]).map((f) => configFieldSchema.parse(f));
    expect(fields.find((f) => f.path === 'risk.maxUsdPerTrade')).toMatchObject({ hot: true, default: 50, value: 50, source: 'default', exclusiveMinimum: 0, maximum: 100_000 });
    expect(fields.find((f) => f.path === 'venue')).toMatchObject({ hot: false, enum: ['sim', 'polymarket'] });
    expect(fields.every((f) => f.description.length > 0)).toBe(true);
    const schema = await callRoute('GET', '/api/config/schema');
    expect(schema.status).toBe(200);
    expect((schema.json.config as { properties: Record<string, unknown> }).properties).toHaveProperty('risk');
    expect(schema.json.strategyParams).toHaveProperty('hammer');
  });

  it('PATCH: hot fields apply at once, restart fields are pending; audited with actor, source address, reason and diff', async () => {
    const h = setup();
    const r = await callRoute('PATCH', '/api/config', {
      body: { patch: { risk: { maxUsdPerTrade: 25 }, sim: { seed: 3 } }, reason: 'smaller orders', expectVersion: 1 },
      headers: { 'x-forwarded-for': '10.1.2.3' },
    });
    expect(r.status).toBe(200);
    expect(configApplyResultSchema.parse(r.json)).toMatchObject({ applied: true, version: 2, hot: ['risk.maxUsdPerTrade'], pending: [{ path: 'sim.seed', hot: false }] });
    expect(h.risk.state.risk.maxUsdPerTrade).toBe(25);
    const after = await callRoute('GET', '/api/config');
    expect(after.json).toMatchObject({ version: 2, config: { sim: { seed: 3 } }, running: { sim: { seed: 42 } }, pending: [{ path: 'sim.seed', from: 42, to: 3 }] });
    const audit = h.store.audit.recent(1)[0]!;
    expect(audit).toMatchObject({ actor: 'operator(local)', action: 'config.apply' });
    expect(audit.detail).toMatchObject({ version: 2, reason: 'smaller orders', source: '10.1.2.3', hot: ['risk.maxUsdPerTrade'], pending: ['sim.seed'] });
    expect((audit.detail.diff as unknown[]).length).toBe(2);
  });

  it('PATCH dryRun returns the diff and the verdict and applies nothing', async () => {
    const h = setup();
    const ok = await callRoute('PATCH', '/api/config', { body: { patch: { heartbeatMs: 2000 }, reason: 'what if', dryRun: true } });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ applied: false, dryRun: true, changed: true, diff: [{ path: 'heartbeatMs', from: 1000, to: 2000, hot: true }], version: 1 });
    const bad = await callRoute('PATCH', '/api/config', { body: { patch: { risk: { maxUsdPerTrade: 1000 } }, reason: 'what if', dryRun: true } });
    expect(bad.status).toBe(422);
    expect(h.svc.version).toBe(1);
    expect(h.store.config.latestVersion()).toBe(1);
  });

  it('refusals: 422 with one entry per field and rule; 409 on a stale version; 404 for an unknown version; body problems named', async () => {
    const h = setup();
    const r = await callRoute('PATCH', '/api/config', { body: { patch: { risk: { maxUsdPerTrade: 'ten', foo: 1 }, strategies: [{ id: 'x', type: 'hammer', params: { dMin: 0 } }] }, reason: 'bad' } });
    expect(r.status).toBe(422);
    const err = r.json.error as { code: string; fields: { path: string; rule: string; message: string }[] };
    expect(err.code).toBe('validation_failed');
    expect(err.fields.map((f) => `${f.path} ${f.rule}`).sort()).toEqual(['risk.foo schema.unrecognized_keys', 'risk.maxUsdPerTrade schema.invalid_type', 'strategies.0.params.dMin positive'].sort());
    const noReason = await callRoute('PATCH', '/api/config', { body: { patch: {} } });
    expect(noReason.status).toBe(422);
    expect((noReason.json.error as { fields: { path: string }[] }).fields.map((f) => f.path)).toEqual(['reason']);
    const notObject = await callRoute('PATCH', '/api/config', { body: { patch: [1], reason: 'array' } });
    expect((notObject.json.error as { fields: { path: string }[] }).fields.map((f) => f.path)).toEqual(['patch']);
    await callRoute('PATCH', '/api/config', { body: { patch: { heartbeatMs: 1200 }, reason: 'first', expectVersion: 1 } });
    const stale = await callRoute('PATCH', '/api/config', { body: { patch: { heartbeatMs: 1300 }, reason: 'second', expectVersion: 1 } });
    expect(stale.status).toBe(409);
    expect((stale.json.error as { code: string }).code).toBe('conflict');
    expect(h.svc.desired().heartbeatMs).toBe(1200);
    const missing = await callRoute('POST', '/api/config/revert', { body: { version: 42, reason: 'nope' } });
    expect(missing.status).toBe(404);
    expect((await callRoute('PATCH', '/api/config', { raw: '{"patch":', headers: { 'content-type': 'application/json' } })).status).toBe(400);
    expect((await callRoute('PATCH', '/api/config', { raw: '{"patch":{},"reason":"abc"}', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    expect((await callRoute('PATCH', '/api/config', { raw: `{"patch":{},"reason":"${'x'.repeat(70_000)}"}`, headers: { 'content-type': 'application/json' } })).status).toBe(413);
    for (const reply of [r, noReason, stale, missing]) expect(apiErrorCodes).toContain((reply.json.error as { code: string }).code);
  });

  it('history, revert and profiles', async () => {
    const h = setup();
    await callRoute('PATCH', '/api/config', { body: { patch: { risk: { maxUsdPerTrade: 30 } }, reason: 'v2 please' } });
    await callRoute('PATCH', '/api/config', { body: { patch: { risk: { maxUsdPerTrade: 35 } }, reason: 'v3 please' } });
    const hist = await callRoute('GET', '/api/config/history?limit=2');
    expect(hist.status).toBe(200);
    const versions = (hist.json.versions as unknown[]).map((v) => configVersionSummarySchema.parse(v));
    expect(versions.map((v) => [v.version, v.reason])).toEqual([
      [3, 'v3 please'],
      [2, 'v2 please'],
    ]);
    const rev = await callRoute('POST', '/api/config/revert', { body: { version: 2, reason: 'undo v3', expectVersion: 3 } });
    expect(rev.status).toBe(200);
    expect(rev.json).toMatchObject({ version: 4, hash: versions[1]!.hash, hot: ['risk.maxUsdPerTrade'] });
    expect(h.risk.state.risk.maxUsdPerTrade).toBe(30);
    const profiles = await callRoute('GET', '/api/config/profiles');
    expect((profiles.json.profiles as { name: string }[]).map((p) => p.name)).toEqual(['paper', 'live', 'high_vol', 'low_vol']);
    const pick = await callRoute('POST', '/api/config/profile', { body: { profile: 'live', reason: 'first live day' } });
    expect(pick.status).toBe(200);
    expect(h.risk.state.risk.maxUsdPerTrade).toBe(10);
    expect((await callRoute('GET', '/api/config/profiles')).json.active).toEqual({ name: 'live', from: 'console' });
    const unknown = await callRoute('POST', '/api/config/profile', { body: { profile: 'yolo', reason: 'x y z' } });
    expect(unknown.status).toBe(422);
    expect((unknown.json.error as { fields: { path: string }[] }).fields[0]!.path).toBe('profile');
    expect(h.store.audit.recent(2).map((a) => a.action)).toEqual(['config.profile', 'config.revert']);
  });

  it('mutating routes check the origin and the operator token; reads do not need the token', async () => {
    const h = setup({ CONSOLE_TOKEN: 'operator-token-123' });
    const body = { patch: { heartbeatMs: 1500 }, reason: 'token test' };
    expect((await callRoute('PATCH', '/api/config', { body })).status).toBe(401);
    expect((await callRoute('PATCH', '/api/config', { body, headers: { authorization: 'Bearer wrong-token-xyz' } })).status).toBe(401);
    expect((await callRoute('PATCH', '/api/config', { body, headers: { authorization: 'Bearer operator-token-123', origin: 'http://evil.example' } })).status).toBe(403);
    expect((await callRoute('POST', '/api/config/revert', { body: { version: 1, reason: 'x y z' }, headers: { origin: 'null' } })).status).toBe(403);
    expect(h.svc.version).toBe(1);
    const ok = await callRoute('PATCH', '/api/config', { body, headers: { authorization: 'Bearer operator-token-123', origin: 'http://127.0.0.1:3000' } });
    expect(ok.status).toBe(200);
    expect(h.store.audit.recent(1)[0]!.actor).toBe('operator(token)');
    expect((await callRoute('GET', '/api/config')).status).toBe(200);
  });
});
