/**
 * Audit trail: every operator action and every automatic safety action, with actor and detail.
 * Detail is JSON; callers must not put secrets in it (redactSecrets is applied as a last guard).
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

  constructor(private readonly db: Db) {
    this.insert = db.prepare('INSERT INTO audit (ts_ms, actor, action, detail) VALUES (?, ?, ?, ?)');
    this.recentStmt = db.prepare('SELECT id, ts_ms, actor, action, detail FROM audit ORDER BY id DESC LIMIT ?');
  }

  record(tsMs: number, actor: string, action: string, detail: Record<string, unknown> = {}): number {
    const info = this.insert.run(tsMs, actor, action, JSON.stringify(redactSecrets(detail)));
    return Number(info.lastInsertRowid);
  }

  recent(limit = 100): AuditEntry[] {
    const rows = this.recentStmt.all(Math.min(Math.max(1, limit), 1000)) as { id: number; ts_ms: number; actor: string; action: string; detail: string }[];
    return rows.map((r) => ({ id: r.id, tsMs: r.ts_ms, actor: r.actor, action: r.action, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }
}
