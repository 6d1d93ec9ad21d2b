/**
 * Embedded database (better-sqlite3, WAL): one file under the data directory, no server to install.
 * Opens, migrates, and exposes the typed repositories the runtime uses. ':memory:' for tests.
 *
 * Invariants: migrations run inside one transaction each; a database newer than this code is refused; the audit
 * table is append-only (triggers refuse UPDATE and DELETE on it; installed idempotently on every open, so databases
 * made before they existed get them too).
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations } from './migrations';

export type Db = Database.Database;

export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  migrate(db);
  protectAuditTrail(db);
  return db;
}

/** Triggers that make the audit table append-only: any UPDATE or DELETE aborts with an error. */
export function protectAuditTrail(db: Db): void {
  db.exec(`
    CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
    CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
  `);
}

export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(`database schema version ${current} is newer than this build (${migrations.length}); refusing to open`);
  }
  for (let v = current; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
