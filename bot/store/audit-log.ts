/**
 * Audit trail: every operator action and every automatic safety action, with actor and detail (the request's
 * `source` address and, where meaningful, `from`/`to` or a config `diff` live in the detail).
 * Detail is JSON; callers must not put secrets in it (redactSecrets is applied as a last guard).
 *
 * Invariants: append-only — this class has no update or delete, and the database refuses both on the table
 * (triggers installed by bot/store/database.ts); reads are bounded (at most 1001 rows per call; `beforeId` pages
 * through the whole trail, newest first).
 */
import type { Db } from './database';
import { redactSecrets } from '../util/redact';

export interface AuditEntry {
  id: number;
  tsMs: number;
  actor: string;
  action: string;
  detail: Record<string, unknown>;
}

export class AuditLog {
  private readonly insert;
  private readonly recentStmt;
  private readonly queryStmt;

  constructor(private readonly db: Db) {
    this.insert = db.prepare('INSERT INTO audit (ts_ms, actor, action, detail) VALUES (?, ?, ?, ?)');
    this.recentStmt = db.prepare('SELECT id, ts_ms, actor, action, detail FROM audit ORDER BY id DESC LIMIT ?');
    this.queryStmt = db.prepare(
      "SELECT id, ts_ms, actor, action, detail FROM audit WHERE id < ? AND action LIKE ? ESCAPE '\\' AND lower(actor) LIKE ? ESCAPE '\\' ORDER BY id DESC LIMIT ?",
    );
  }

  record(tsMs: number, actor: string, action: string, detail: Record<string, unknown> = {}): number {
    const info = this.insert.run(tsMs, actor, action, JSON.stringify(redactSecrets(detail)));
    return Number(info.lastInsertRowid);
  }

  recent(limit = 100): AuditEntry[] {
    return this.rows(this.recentStmt.all(Math.min(Math.max(1, limit), 1000)));
  }

  /**
   * The newest entries whose action starts with `actionPrefix` and whose actor contains `actor` (case-insensitive),
   * searched over the whole trail (not only the newest rows); at most `limit` (1..1001); only ids below `beforeId`
   * when given (the next page after the last row of the previous one).
   */
  query(f: { limit: number; actionPrefix?: string; actor?: string; beforeId?: number }): AuditEntry[] {
    const like = (v: string) => v.replace(/[\\%_]/g, (c) => `\\${c}`);
    const before = f.beforeId !== undefined && Number.isFinite(f.beforeId) ? f.beforeId : Number.MAX_SAFE_INTEGER;
    return this.rows(this.queryStmt.all(before, `${like(f.actionPrefix ?? '')}%`, `%${like((f.actor ?? '').toLowerCase())}%`, Math.min(Math.max(1, f.limit), 1001)));
  }

  private rows(raw: unknown[]): AuditEntry[] {
    const rows = raw as { id: number; ts_ms: number; actor: string; action: string; detail: string }[];
    return rows.map((r) => ({ id: r.id, tsMs: r.ts_ms, actor: r.actor, action: r.action, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }
}
