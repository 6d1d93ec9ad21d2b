/**
 * Schema migrations for the embedded database, applied in order and recorded in PRAGMA user_version.
 * Append only: never edit a shipped migration, add a new one.
 */
export const migrations: readonly string[] = [
  // 1: audit trail, kill-switch history, runs
  `
  CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts_ms INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}'
  );
  CREATE INDEX audit_ts ON audit(ts_ms);
  CREATE TABLE kill_switch (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts_ms INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('active','reducing','halted')),
    prev_state TEXT NOT NULL,
    reason TEXT NOT NULL,
    actor TEXT NOT NULL,
    automatic INTEGER NOT NULL
  );
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    instance_id TEXT NOT NULL,
    started_ms INTEGER NOT NULL,
    stopped_ms INTEGER,
    mode TEXT NOT NULL,
    venue TEXT NOT NULL,
    stop_reason TEXT
  );
  `,
];
