/**
 * The audit trail is append-only and exportable: the database refuses UPDATE and DELETE on it (also on a database
 * created before the triggers existed), and GET /api/audit?format=csv streams every matching entry (more than one
 * page) as RFC 4180 CSV with formula-looking text defused, parsed back here cell for cell.
 */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog, openDatabase, type Db } from '../../../bot/store';
import { migrate, protectAuditTrail } from '../../../bot/store/database';
import { AUDIT_CSV_HEADER, AUDIT_CSV_PAGE, auditRoute } from '../../../lib/server/audit-route';
import { parseCsv } from '../../helpers/csv';

const KEY = Symbol.for('updown.runtime.v1');
const g = globalThis as Record<symbol, unknown>;
const prev = g[KEY];
let db: Db;
afterEach(() => {
  db?.close();
  g[KEY] = prev;
});

describe('append-only', () => {
  it('UPDATE and DELETE on the audit table abort; INSERT still works', () => {
    db = openDatabase(':memory:');
    const audit = new AuditLog(db);
    const id = audit.record(1, 'operator(local)', 'killswitch.set', { from: 'active', to: 'halted' });
    expect(() => db.prepare('UPDATE audit SET actor = ? WHERE id = ?').run('someone else', id)).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit WHERE id = ?').run(id)).toThrow(/append-only/);
    expect(() => db.exec('DELETE FROM audit')).toThrow(/append-only/);
    expect(audit.record(2, 'operator(local)', 'x', {})).toBe(id + 1);
    expect(audit.recent(10).map((e) => e.actor)).toEqual(['operator(local)', 'operator(local)']);
  });

  it('a database from before the triggers gets them when it is opened again', () => {
    db = new Database(':memory:');
    migrate(db);
    db.prepare('INSERT INTO audit (ts_ms, actor, action, detail) VALUES (1, ?, ?, ?)').run('a', 'b', '{}');
    db.prepare('UPDATE audit SET actor = ?').run('rewritten'); // no protection yet: the old world
    protectAuditTrail(db);
    protectAuditTrail(db); // idempotent
    expect(() => db.prepare('UPDATE audit SET actor = ?').run('again')).toThrow(/append-only/);
  });
});

describe('CSV export', () => {
  it('every matching entry, newest first, across pages; cells quoted and formula-safe; JSON detail round-trips', async () => {
    db = openDatabase(':memory:');
    const audit = new AuditLog(db);
    g[KEY] = { env: {}, shuttingDown: false, runtime: { store: { audit } } };
    const n = AUDIT_CSV_PAGE * 2 + 7;
    for (let i = 1; i <= n; i++) audit.record(1_800_000_000_000 + i, 'operator(local)', i % 2 ? 'killswitch.set' : 'config.apply', { from: 'active', to: 'halted', reason: `r${i}`, source: '127.0.0.1' });
    audit.record(1_900_000_000_000, '=HYPERLINK("http://x")', 'config.apply', { reason: 'tricky, "quoted"\r\nmultiline', source: '@evil', diff: [{ path: 'risk.maxUsdPerTrade', from: '5', to: '3' }] });

    const res = await auditRoute(new Request('http://127.0.0.1/api/audit?format=csv'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-.*\.csv"$/);
    const text = await res.text();
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([...AUDIT_CSV_HEADER]);
    expect(rows.length - 1).toBe(n + 1);
    const ids = rows.slice(1).map((r) => Number(r[0]));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(n + 1);

    const tricky = rows[1]!;
    expect(tricky[3]).toBe(`'=HYPERLINK("http://x")`);
    expect(tricky[5]).toBe("'@evil");
    expect(tricky[1]).toBe('2030-03-17T17:46:40.000Z');
    expect(JSON.parse(tricky[9]!)).toEqual([{ path: 'risk.maxUsdPerTrade', from: '5', to: '3' }]);
    expect(JSON.parse(tricky[10]!)).toMatchObject({ reason: 'tricky, "quoted"\r\nmultiline' });
    const last = rows.at(-1)!;
    expect([last[0], last[4], last[6], last[7]]).toEqual(['1', 'killswitch.set', 'active', 'halted']);

    // Filters apply to the export too.
    const only = parseCsv(await (await auditRoute(new Request('http://127.0.0.1/api/audit?format=csv&action=config.&actor=HYPERLINK'))).text());
    expect(only.slice(1).map((r) => r[0])).toEqual([String(n + 1)]);
    expect((await auditRoute(new Request('http://127.0.0.1/api/audit?format=xml'))).status).toBe(400);
  });
});
