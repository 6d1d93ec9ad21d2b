/**
 * Retention for recorded sessions: keep the recordings directory under a byte budget and an age limit.
 *
 * Rules, in order: (1) every deletable session created more than `maxAgeMs` before `nowMs` is deleted; (2) while
 * the indexed total is over `maxBytes`, the oldest deletable session (by creation time) is deleted.
 *
 * Invariants:
 * - Never deleted: an open session (a recorder is writing it), a protected id, a session of a format not in
 *   `formats` (default: only our own 'recording's; imported samples are never touched), or a directory outside
 *   `root` when `root` is given.
 * - Deleting = `fs.rm(dir, { recursive: true, force: true })`, then the index row. A failed removal keeps the row
 *   and is reported in `errors`; it never throws.
 */
import { rm } from 'node:fs/promises';
import { relative, resolve, isAbsolute } from 'node:path';
import type { RecordingRecord, RecordingStore } from '../store/recording-store';
import type { SessionFormat } from './session';

export interface RetentionOptions {
  store: RecordingStore;
  maxBytes: number;
  maxAgeMs: number;
  nowMs: number;
  protect?: readonly string[];
  /** Only sessions whose directory is inside this folder are deleted. */
  root?: string;
  /** Formats retention may delete (default ['recording']). */
  formats?: readonly SessionFormat[];
}

export interface RetentionDeletion {
  id: string;
  dir: string;
  bytes: number;
  reason: 'age' | 'bytes';
}

export interface RetentionResult {
  deleted: RetentionDeletion[];
  /** Indexed bytes after the deletions. */
  totalBytes: number;
  /** Still over maxBytes (everything left is open, protected or not ours). */
  overLimit: boolean;
  errors: Array<{ id: string; message: string }>;
}

const MAX_SESSIONS = 100_000;

export async function applyRetention(o: RetentionOptions): Promise<RetentionResult> {
  const protect = new Set(o.protect ?? []);
  const formats = new Set<string>(o.formats ?? ['recording']);
  const root = o.root !== undefined ? resolve(o.root) : undefined;
  const deletable = (r: RecordingRecord) => !r.open && !protect.has(r.id) && formats.has(r.format) && (root === undefined || inside(root, r.dir));
  const result: RetentionResult = { deleted: [], totalBytes: 0, overLimit: false, errors: [] };
  const remove = async (r: RecordingRecord, reason: RetentionDeletion['reason']): Promise<boolean> => {
    try {
      await rm(r.dir, { recursive: true, force: true });
    } catch (err) {
      result.errors.push({ id: r.id, message: err instanceof Error ? err.message : String(err) });
      return false;
    }
    o.store.delete(r.id);
    result.deleted.push({ id: r.id, dir: r.dir, bytes: r.bytes, reason });
    return true;
  };

  const candidates = o.store.list({ limit: MAX_SESSIONS, oldestFirst: true }).filter(deletable);
  const kept: RecordingRecord[] = [];
  for (const r of candidates) {
    if (o.nowMs - r.createdMs > o.maxAgeMs) {
      if (!(await remove(r, 'age'))) continue;
    } else kept.push(r);
  }
  let total = o.store.totalBytes();
  for (const r of kept) {
    if (total <= o.maxBytes) break;
    if (await remove(r, 'bytes')) total -= r.bytes;
  }
  result.totalBytes = o.store.totalBytes();
  result.overLimit = result.totalBytes > o.maxBytes;
  return result;
}

/** Is `dir` strictly inside `root` (never root itself, never a sibling via `..`)? */
function inside(root: string, dir: string): boolean {
  const rel = relative(root, resolve(dir));
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}
