/** Persistence of the trading state (kill switch) so that it survives restarts. */
import type { TradingState } from '../../lib/schemas/events/runtime';
import type { Db } from './database';

export interface KillSwitchRecord {
  tsMs: number;
  state: TradingState;
  prevState: TradingState;
  reason: string;
  actor: string;
  automatic: boolean;
}

export class KillSwitchStore {
  private readonly insert;
  private readonly latestStmt;
  private readonly historyStmt;

  constructor(db: Db) {
    this.insert = db.prepare('INSERT INTO kill_switch (ts_ms, state, prev_state, reason, actor, automatic) VALUES (?, ?, ?, ?, ?, ?)');
    this.latestStmt = db.prepare('SELECT ts_ms, state, prev_state, reason, actor, automatic FROM kill_switch ORDER BY id DESC LIMIT 1');
    this.historyStmt = db.prepare('SELECT ts_ms, state, prev_state, reason, actor, automatic FROM kill_switch ORDER BY id DESC LIMIT ?');
  }

  save(r: KillSwitchRecord): void {
    this.insert.run(r.tsMs, r.state, r.prevState, r.reason, r.actor, r.automatic ? 1 : 0);
  }

  latest(): KillSwitchRecord | undefined {
    const row = this.latestStmt.get() as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  history(limit = 50): KillSwitchRecord[] {
    return (this.historyStmt.all(Math.min(Math.max(1, limit), 1000)) as Row[]).map(toRecord);
  }
}

interface Row {
  ts_ms: number;
  state: TradingState;
  prev_state: TradingState;
  reason: string;
  actor: string;
  automatic: number;
}

function toRecord(r: Row): KillSwitchRecord {
  return { tsMs: r.ts_ms, state: r.state, prevState: r.prev_state, reason: r.reason, actor: r.actor, automatic: r.automatic === 1 };
}
