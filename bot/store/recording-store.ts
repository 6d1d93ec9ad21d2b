/**
 * Index of recorded sessions (table `recordings`, migration 5): one row per session directory, so the console can
 * list sessions and retention can pick what to delete without opening every manifest.
 *
 * A row mirrors a session manifest (bot/replay/session.ts, taken structurally: the store stays below replay/):
 * identity, directory, time range, frame and byte counts, sources, market slugs, config hash, and whether a
 * recorder is still writing it (`open`).
 *
 * Invariants: `upsert` replaces the whole row for an id (the manifest is the truth, the row a cache of it); reads
 * are bounded (1..100,000 rows); JSON columns that do not parse read as empty lists, never a throw.
 */
import type { Db } from './database';

/** The manifest fields the index keeps (a SessionManifest satisfies this). */
export interface RecordingManifestFields {
  id: string;
  format: string;
  createdAtMs: number;
  startMs: number;
  endMs: number;
  frames: number;
  bytes: number;
  sources: readonly string[];
  markets: ReadonlyArray<{ slug: string }>;
  configHash?: string | undefined;
  open: boolean;
}

export interface RecordingRecord {
  id: string;
  dir: string;
  format: string;
  sources: string[];
  startMs: number;
  endMs: number;
  frames: number;
  /** Compressed bytes on disk. */
  bytes: number;
  /** Market slugs. */
  markets: string[];
  configHash: string | undefined;
  createdMs: number;
  open: boolean;
}

interface Row {
  id: string;
  dir: string;
  format: string;
  sources: string;
  start_ms: number;
  end_ms: number;
  frames: number;
  bytes: number;
  markets: string;
  config_hash: string | null;
  created_ms: number;
  open: number;
}

const COLUMNS = 'id, dir, format, sources, start_ms, end_ms, frames, bytes, markets, config_hash, created_ms, open';
const MAX_ROWS = 100_000;

export class RecordingStore {
  private readonly upsertStmt;
  private readonly getStmt;
  private readonly newestStmt;
  private readonly oldestStmt;
  private readonly deleteStmt;
  private readonly totalStmt;

  constructor(db: Db) {
    this.upsertStmt = db.prepare(
      `INSERT INTO recordings (${COLUMNS}) VALUES (@id, @dir, @format, @sources, @start_ms, @end_ms, @frames, @bytes, @markets, @config_hash, @created_ms, @open)
       ON CONFLICT(id) DO UPDATE SET dir = excluded.dir, format = excluded.format, sources = excluded.sources,
         start_ms = excluded.start_ms, end_ms = excluded.end_ms, frames = excluded.frames, bytes = excluded.bytes,
         markets = excluded.markets, config_hash = excluded.config_hash, created_ms = excluded.created_ms, open = excluded.open`,
    );
    this.getStmt = db.prepare(`SELECT ${COLUMNS} FROM recordings WHERE id = ?`);
    this.newestStmt = db.prepare(`SELECT ${COLUMNS} FROM recordings ORDER BY created_ms DESC, id DESC LIMIT ?`);
    this.oldestStmt = db.prepare(`SELECT ${COLUMNS} FROM recordings ORDER BY created_ms ASC, id ASC LIMIT ?`);
    this.deleteStmt = db.prepare('DELETE FROM recordings WHERE id = ?');
    this.totalStmt = db.prepare('SELECT COALESCE(SUM(bytes), 0) AS total FROM recordings');
  }

  /** Insert or replace the row for `manifest.id`. */
  upsert(manifest: RecordingManifestFields, dir: string): void {
    this.upsertStmt.run({
      id: manifest.id,
      dir,
      format: manifest.format,
      sources: JSON.stringify([...manifest.sources]),
      start_ms: manifest.startMs,
      end_ms: manifest.endMs,
      frames: manifest.frames,
      bytes: manifest.bytes,
      markets: JSON.stringify(manifest.markets.map((m) => m.slug)),
      config_hash: manifest.configHash ?? null,
      created_ms: manifest.createdAtMs,
      open: manifest.open ? 1 : 0,
    });
  }

  get(id: string): RecordingRecord | undefined {
    const row = this.getStmt.get(id) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  /** Sessions by creation time, newest first unless `oldestFirst`; `limit` 1..100,000 (default 100). */
  list(opts: { limit?: number; oldestFirst?: boolean } = {}): RecordingRecord[] {
    const limit = Math.min(Math.max(1, Math.floor(opts.limit ?? 100) || 1), MAX_ROWS);
    const stmt = opts.oldestFirst ? this.oldestStmt : this.newestStmt;
    return (stmt.all(limit) as Row[]).map(toRecord);
  }

  /** Remove the row (not the directory). True when a row was deleted. */
  delete(id: string): boolean {
    return this.deleteStmt.run(id).changes > 0;
  }

  /** Sum of `bytes` over every indexed session. */
  totalBytes(): number {
    return (this.totalStmt.get() as { total: number }).total;
  }
}

function toRecord(r: Row): RecordingRecord {
  return {
    id: r.id,
    dir: r.dir,
    format: r.format,
    sources: stringList(r.sources),
    startMs: r.start_ms,
    endMs: r.end_ms,
    frames: r.frames,
    bytes: r.bytes,
    markets: stringList(r.markets),
    configHash: r.config_hash ?? undefined,
    createdMs: r.created_ms,
    open: r.open === 1,
  };
}

function stringList(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
