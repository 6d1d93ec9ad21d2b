/**
 * GET /api/audit body (lib/server/audit-route.ts) over a real AuditLog in an in-memory database: newest first,
 * action-prefix and actor filters, the limit, the source and diff of each entry, and 400s for bad parameters.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog, openDatabase, type Db } from '../../../bot/store';
import { auditResponseSchema, type AuditResponse } from '../../../lib/schemas/audit';
import { auditRoute, auditSummary } from '../../../lib/server/audit-route';

const KEY = Symbol.for('updown.runtime.v1');
const g = globalThis as Record<symbol, unknown>;
const prev = g[KEY];
let db: Db;
let audit: AuditLog;

beforeEach(() => {
  db = openDatabase(':memory:');
  audit = new AuditLog(db);
  g[KEY] = { env: {}, shuttingDown: false, runtime: { store: { audit } } };
  audit.record(1_000, 'runtime', 'runtime.start', { reason: 'boot', mode: 'paper', venue: 'sim' });
  audit.record(2_000, 'operator(local)', 'killswitch.set', { from: 'active', to: 'halted', reason: 'manual halt', automatic: false });
  audit.record(3_000, 'operator(token)', 'config.apply', {
    version: 2, hash: 'h', reason: 'tighten', source: '10.0.0.7', hot: ['risk.maxOrderUsd'], pending: [],
    diff: [{ path: 'risk.maxOrderUsd', from: '5', to: '3', hot: true }],
  });
  audit.record(4_000, 'risk', 'killswitch.set', { from: 'halted', to: 'reducing', reason: 'auto', automatic: true });
  audit.record(5_000, 'operator(local)', 'config.revert.refused', { reason: 'bad', source: 'local', message: 'no such version' });
});
afterEach(() => {
  db.close();
  g[KEY] = prev;
});

async function get(qs: string): Promise<{ status: number; body: unknown }> {
  const res = await auditRoute(new Request(`http://127.0.0.1/api/audit${qs}`));
  return { status: res.status, body: await res.json() };
}
const ok = async (qs: string): Promise<AuditResponse> => {
  const r = await get(qs);
  expect(r.status).toBe(200);
  return auditResponseSchema.parse(r.body);
};

describe('GET /api/audit', () => {
  it('lists every entry newest first with source, summary and the config diff', async () => {
    const a = await ok('');
    expect(a.entries.map((e) => e.tsMs)).toEqual([5_000, 4_000, 3_000, 2_000, 1_000]);
    const cfg = a.entries.find((e) => e.action === 'config.apply')!;
    expect(cfg.source).toBe('10.0.0.7');
    expect(cfg.diff).toEqual([{ path: 'risk.maxOrderUsd', from: '5', to: '3', hot: true }]);
    expect(cfg.summary).toContain('v2');
    const ks = a.entries.filter((e) => e.action === 'killswitch.set');
    expect(ks.map((e) => e.source)).toEqual(['automatic', 'console/api']);
    expect(ks[1]!.summary).toBe('active → halted · manual halt');
    expect(a.entries.find((e) => e.action === 'runtime.start')!.diff).toBeNull();
    expect(a.more).toBe(false);
  });

  it('filters by action prefix and by actor (case-insensitive substring), then applies the limit', async () => {
    expect((await ok('?action=config.')).entries.map((e) => e.action)).toEqual(['config.revert.refused', 'config.apply']);
    expect((await ok('?action=killswitch')).entries.map((e) => e.actor)).toEqual(['risk', 'operator(local)']);
    expect((await ok('?actor=TOKEN')).entries.map((e) => e.action)).toEqual(['config.apply']);
    expect((await ok('?actor=operator&action=config')).entries.map((e) => e.tsMs)).toEqual([5_000, 3_000]);
    expect((await ok('?action=nothing.like.this')).entries).toEqual([]);
    const two = await ok('?limit=2');
    expect(two.entries.map((e) => e.tsMs)).toEqual([5_000, 4_000]);
    expect(two.more).toBe(true);
    expect((await ok('?limit=1&action=killswitch')).entries.map((e) => e.tsMs)).toEqual([4_000]);
  });

  it.each([
    ['?limit=0', 'limit'],
    ['?limit=1001', 'limit'],
    ['?limit=ten', 'limit'],
    ['?action=config%20apply', 'action'],
    ['?actor=' + 'x'.repeat(101), 'actor'],
    ['?order=asc', 'order'],
  ])('refuses %s with a 400 naming %s', async (qs, field) => {
    const r = await get(qs);
    expect(r.status).toBe(400);
    const e = (r.body as { error: { code: string; message: string; fields: { path: string }[] } }).error;
    expect(e.code).toBe('bad_request');
    expect(e.fields.map((f) => f.path)).toContain(field);
    expect(e.message).toContain(field);
  });

  it('summarises a refusal with its message', () => {
    expect(auditSummary({ detail: { reason: 'bad', message: 'no such version' } })).toBe('bad · no such version');
  });
});

describe('AuditLog.query', () => {
  it('filters over the whole trail, not only the newest rows, and treats % and _ literally', () => {
    const db = openDatabase(':memory:');
    const log = new AuditLog(db);
    log.record(1, 'operator(alice)', 'config.apply', {});
    for (let i = 0; i < 1_500; i++) log.record(10 + i, 'system', 'runtime.heartbeat', {});
    log.record(1_999, 'opa1009', 'killswitch.set', {});
    log.record(2_000, 'op_100%', 'killswitch.set', {});
    const old = log.query({ limit: 5, actionPrefix: 'config.' });
    expect(old.map((e) => e.actor)).toEqual(['operator(alice)']);
    expect(log.query({ limit: 5, actor: 'ALICE' }).map((e) => e.action)).toEqual(['config.apply']);
    expect(log.query({ limit: 5, actor: '_100%' }).map((e) => e.actor)).toEqual(['op_100%']);
    expect(log.query({ limit: 5, actor: 'p_1' }).map((e) => e.actor)).toEqual(['op_100%']);
    expect(log.query({ limit: 5, actor: '100%' }).map((e) => e.actor)).toEqual(['op_100%']);
    expect(log.query({ limit: 5, actionPrefix: 'config%' })).toEqual([]);
    expect(log.query({ limit: 3 }).map((e) => e.tsMs)).toEqual([2_000, 1_999, 1_509]);
  });
});
