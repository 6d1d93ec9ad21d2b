/** One row per runtime start: what ran, in which mode, when it stopped and why. */
import type { Db } from './database';

export class RunStore {
  private readonly insert;
  private readonly finish;

  constructor(db: Db) {
    this.insert = db.prepare('INSERT INTO runs (instance_id, started_ms, mode, venue) VALUES (?, ?, ?, ?)');
    this.finish = db.prepare('UPDATE runs SET stopped_ms = ?, stop_reason = ? WHERE id = ?');
  }

  begin(instanceId: string, startedMs: number, mode: string, venue: string): number {
    return Number(this.insert.run(instanceId, startedMs, mode, venue).lastInsertRowid);
  }

  end(runId: number, stoppedMs: number, reason: string): void {
    this.finish.run(stoppedMs, reason, runId);
  }
}
