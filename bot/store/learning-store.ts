/**
 * Persistence of the learning engine's state (table `learning_state`, migration 6): one row per strategy instance
 * holding the learner's state as JSON (pending votes, settled trades since the last step, counts, last steps), so a
 * restart continues where it stopped (bot/learning owns the maths).
 *
 * Invariants: one row per instance (upsert); a row that no longer parses with `learnerStateSchema` reads as absent
 * (the learner starts over rather than crash); the state itself is bounded by the schema's limits. The row is read
 * on every get (a reset by another caller is seen at once); only the parse is memoised, keyed by the exact JSON text
 * (states are immutable values: callers never mutate what get returns).
 */
import { learnerStateSchema, type LearnerState } from '../../lib/schemas/learning';
import type { Db } from './database';

export interface LearningStateRecord {
  strategyId: string;
  state: LearnerState;
  updatedMs: number;
}

interface Row {
  strategy_id: string;
  state_json: string;
  updated_ms: number;
}

export class LearningStore {
  private readonly upsertStmt;
  private readonly getStmt;
  private readonly allStmt;
  private readonly deleteStmt;
  /** Last parsed row per instance: the JSON text it came from and its state. */
  private readonly parsed = new Map<string, { json: string; state: LearnerState }>();

  constructor(db: Db) {
    this.upsertStmt = db.prepare(`
      INSERT INTO learning_state (strategy_id, state_json, updated_ms) VALUES (?, ?, ?)
      ON CONFLICT(strategy_id) DO UPDATE SET state_json = excluded.state_json, updated_ms = excluded.updated_ms`);
    this.getStmt = db.prepare('SELECT strategy_id, state_json, updated_ms FROM learning_state WHERE strategy_id = ?');
    this.allStmt = db.prepare('SELECT strategy_id, state_json, updated_ms FROM learning_state ORDER BY strategy_id LIMIT 64');
    this.deleteStmt = db.prepare('DELETE FROM learning_state WHERE strategy_id = ?');
  }

  get(strategyId: string): LearningStateRecord | undefined {
    const row = this.getStmt.get(strategyId) as Row | undefined;
    if (!row) return undefined;
    const memo = this.parsed.get(strategyId);
    if (memo && memo.json === row.state_json) return { strategyId, state: memo.state, updatedMs: row.updated_ms };
    const rec = toRecord(row);
    if (rec) this.remember(strategyId, row.state_json, rec.state);
    return rec;
  }

  save(strategyId: string, state: LearnerState, updatedMs: number): void {
    const json = JSON.stringify(state);
    this.upsertStmt.run(strategyId, json, updatedMs);
    this.remember(strategyId, json, state);
  }

  private remember(strategyId: string, json: string, state: LearnerState): void {
    this.parsed.set(strategyId, { json, state });
    if (this.parsed.size > 64) this.parsed.delete(this.parsed.keys().next().value!);
  }

  /** Every instance with state (at most 64). */
  all(): LearningStateRecord[] {
    return (this.allStmt.all() as Row[]).map(toRecord).filter((r): r is LearningStateRecord => r !== undefined);
  }

  /** Forget an instance's state; true when there was a row. */
  clear(strategyId: string): boolean {
    this.parsed.delete(strategyId);
    return this.deleteStmt.run(strategyId).changes > 0;
  }
}

function toRecord(r: Row): LearningStateRecord | undefined {
  let json: unknown;
  try {
    json = JSON.parse(r.state_json);
  } catch {
    return undefined;
  }
  const parsed = learnerStateSchema.safeParse(json);
  return parsed.success ? { strategyId: r.strategy_id, state: parsed.data, updatedMs: r.updated_ms } : undefined;
}
