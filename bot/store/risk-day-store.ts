/**
 * Persistence of the risk engine's UTC day (table `risk_days`, migration 4): one row per UTC day with the realised
 * PnL counted towards the daily-loss limit, so the figure survives restarts (bot/risk/risk-day.ts owns the maths).
 *
 * Invariants: `day` is the UTC date `YYYY-MM-DD`; one row per day (upsert); `prune` keeps the table bounded.
 */
import type { Db } from './database';

export interface RiskDayRecord {
  day: string;
  startedMs: number;
  realizedUsd: number;
  updatedMs: number;
}

interface Row {
  day: string;
  started_ms: number;
  realized_usd: number;
  updated_ms: number;
}

export class RiskDayStore {
  private readonly upsertStmt;
  private readonly getStmt;
  private readonly recentStmt;
  private readonly pruneStmt;

  constructor(db: Db) {
    this.upsertStmt = db.prepare(`
      INSERT INTO risk_days (day, started_ms, realized_usd, updated_ms) VALUES (@day, @startedMs, @realizedUsd, @updatedMs)
      ON CONFLICT(day) DO UPDATE SET realized_usd = excluded.realized_usd, updated_ms = excluded.updated_ms`);
    this.getStmt = db.prepare('SELECT day, started_ms, realized_usd, updated_ms FROM risk_days WHERE day = ?');
    this.recentStmt = db.prepare('SELECT day, started_ms, realized_usd, updated_ms FROM risk_days ORDER BY day DESC LIMIT ?');
    this.pruneStmt = db.prepare('DELETE FROM risk_days WHERE day NOT IN (SELECT day FROM risk_days ORDER BY day DESC LIMIT ?)');
  }

  get(day: string): RiskDayRecord | undefined {
    const row = this.getStmt.get(day) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  save(r: RiskDayRecord): void {
    this.upsertStmt.run(r);
  }

  /** Most recent days first. */
  recent(limit = 30): RiskDayRecord[] {
    return (this.recentStmt.all(Math.min(Math.max(1, limit), 1000)) as Row[]).map(toRecord);
  }

  /** Keep only the newest `keepDays` rows. */
  prune(keepDays = 400): void {
    this.pruneStmt.run(Math.max(1, keepDays));
  }
}

function toRecord(r: Row): RiskDayRecord {
  return { day: r.day, startedMs: r.started_ms, realizedUsd: r.realized_usd, updatedMs: r.updated_ms };
}
