/**
 * The config service's journal (table `config_versions`, migration 3): one row per configuration version.
 *
 * Row layout: `config_json` holds `{ config, layers }` — the whole validated config of that version and the
 * operator-owned layers it came from (`layers.profile`: the profile chosen in the console, or null; `layers.console`:
 * the console layer as a JSON merge patch), so a revert restores the layers and a restart recomposes them over the
 * current file and environment. `hash` is the sha256 of the config's stable JSON; `diff_json` is the change list
 * against the previous version. Status: `applied` (fully live), `pending` (restart-required changes not live yet),
 * `superseded` (a newer version replaced it while it was pending).
 *
 * Invariants: versions only grow (AUTOINCREMENT); rows are never deleted; only `status` is ever updated;
 * history reads are bounded (1..1000 rows).
 */
import type { Db } from './database';

export type ConfigVersionStatus = 'applied' | 'pending' | 'superseded';

export interface ConfigLayersRecord {
  profile: string | null;
  console: Record<string, unknown>;
}

export interface ConfigDiffRecord {
  path: string;
  from?: unknown;
  to?: unknown;
  hot: boolean;
}

export interface ConfigVersionRecord {
  version: number;
  tsMs: number;
  actor: string;
  source: string;
  reason: string;
  hash: string;
  status: ConfigVersionStatus;
  /** The whole config of this version (validated when it was written; parse again before use). */
  config: unknown;
  layers: ConfigLayersRecord;
  diff: ConfigDiffRecord[];
}

interface Row {
  version: number;
  ts_ms: number;
  actor: string;
  source: string;
  reason: string;
  hash: string;
  status: ConfigVersionStatus;
  config_json: string;
  diff_json: string;
}

const COLUMNS = 'version, ts_ms, actor, source, reason, hash, status, config_json, diff_json';

export class ConfigStore {
  private readonly insertStmt;
  private readonly latestStmt;
  private readonly getStmt;
  private readonly historyStmt;
  private readonly statusStmt;
  private readonly supersedeStmt;

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(
      'INSERT INTO config_versions (ts_ms, actor, source, reason, hash, status, config_json, diff_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.latestStmt = db.prepare(`SELECT ${COLUMNS} FROM config_versions ORDER BY version DESC LIMIT 1`);
    this.getStmt = db.prepare(`SELECT ${COLUMNS} FROM config_versions WHERE version = ?`);
    this.historyStmt = db.prepare(`SELECT ${COLUMNS} FROM config_versions ORDER BY version DESC LIMIT ?`);
    this.statusStmt = db.prepare('UPDATE config_versions SET status = ? WHERE version = ?');
    this.supersedeStmt = db.prepare("UPDATE config_versions SET status = 'superseded' WHERE status = 'pending'");
  }

  /** Append a version; returns its number. Earlier pending versions become superseded in the same transaction. */
  append(r: Omit<ConfigVersionRecord, 'version'>): number {
    return this.db.transaction(() => {
      this.supersedeStmt.run();
      const info = this.insertStmt.run(
        r.tsMs,
        r.actor,
        r.source,
        r.reason,
        r.hash,
        r.status,
        JSON.stringify({ config: r.config, layers: r.layers }),
        JSON.stringify(r.diff),
      );
      return Number(info.lastInsertRowid);
    })();
  }

  setStatus(version: number, status: ConfigVersionStatus): void {
    this.statusStmt.run(status, version);
  }

  latest(): ConfigVersionRecord | undefined {
    const row = this.latestStmt.get() as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  /** The latest version number (0 when the journal is empty). */
  latestVersion(): number {
    return this.latest()?.version ?? 0;
  }

  get(version: number): ConfigVersionRecord | undefined {
    const row = this.getStmt.get(version) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  /** Newest first. */
  history(limit = 50): ConfigVersionRecord[] {
    return (this.historyStmt.all(Math.min(Math.max(1, Math.floor(limit) || 1), 1000)) as Row[]).map(toRecord);
  }

  /** Run fn in one database transaction (nested calls become savepoints); a throw rolls everything back. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}

function toRecord(r: Row): ConfigVersionRecord {
  const body = JSON.parse(r.config_json) as { config?: unknown; layers?: Partial<ConfigLayersRecord> };
  const layers = body.layers ?? {};
  return {
    version: r.version,
    tsMs: r.ts_ms,
    actor: r.actor,
    source: r.source,
    reason: r.reason,
    hash: r.hash,
    status: r.status,
    config: body.config,
    layers: { profile: typeof layers.profile === 'string' ? layers.profile : null, console: isRecord(layers.console) ? layers.console : {} },
    diff: JSON.parse(r.diff_json) as ConfigDiffRecord[],
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
