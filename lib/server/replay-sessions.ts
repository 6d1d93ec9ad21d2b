/**
 * Sessions for the console: the list (the store's recording index, newest first, then the real sample bundled in
 * the repository as a pseudo-entry carrying its attribution and licence) and the check every session reference of
 * a request passes before anything starts.
 *
 * A reference is accepted when it is an existing path inside the project root or the data directory (relative
 * paths are tried against the root, then the data directory), or an id the store's index knows. Anything else is a
 * field error: a path outside those two directories (the API never opens arbitrary files), an unknown id. The
 * accepted reference is handed to openSession as an absolute path, so the server's working directory never
 * matters.
 *
 * Invariants: the sample's manifest is read once per process (a promise on globalThis) and only its summary is
 * kept; the list is bounded (200 recordings).
 */
import 'server-only';
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { cachedParquetImport, importCacheDirOf } from '../../bot/replay/import-cache';
import { importParquetBooks } from '../../bot/replay/import-parquet';
import { openSession } from '../../bot/replay/open-session';
import type { SessionSource } from '../../bot/replay/session';
import type { RecordingRecord } from '../../bot/store/recording-store';
import type { SessionEntry } from '../schemas/replay-api';

/** The real sample's folder, relative to the project root (what the console passes as `session`). */
export const SAMPLE_REF = 'samples/polymarket-btc-5m-books';
const ID_RE = /^[A-Za-z0-9._-]{1,120}$/;
const SAMPLE_KEY = Symbol.for('updown.replay.sample-entry.v1');

export interface SessionDirs {
  /** The project root (the server's working directory). */
  root: string;
  dataDir: string;
  /** The store's index: id -> record. */
  lookup: (id: string) => RecordingRecord | undefined;
}

export class RefError extends Error {}

function inside(dir: string, path: string): boolean {
  const rel = relative(resolve(dir), path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Resolve a reference to an absolute path (see the header), or throw a RefError saying why not. */
export function resolveRef(ref: string, d: SessionDirs): string {
  const candidates = isAbsolute(ref) ? [resolve(ref)] : [resolve(d.root, ref), resolve(d.dataDir, ref)];
  for (const p of candidates) {
    if (!existsSync(p)) continue;
    if (!inside(d.root, p) && !inside(d.dataDir, p)) throw new RefError(`${ref}: only paths inside the project or the data directory can be replayed`);
    return p;
  }
  if (ID_RE.test(ref) && ref !== '.' && ref !== '..') {
    const rec = d.lookup(ref);
    if (rec) {
      const dir = isAbsolute(rec.dir) ? rec.dir : resolve(d.dataDir, rec.dir);
      if (existsSync(dir)) return dir;
      throw new RefError(`session ${ref}: the index points at ${rec.dir}, which does not exist`);
    }
  }
  throw new RefError(`session "${ref}" not found (no such path in the project or the data directory, no such id in the session index)`);
}

/**
 * Open a checked reference (`markets`: the seed-001 markets JSON, also checked). Parquet folders go through the import
 * cache in `<dataDir>/cache/imports` (bot/replay/import-cache.ts), so the sample's second replay starts at once.
 */
export async function openRef(ref: string, d: SessionDirs, markets?: string): Promise<SessionSource> {
  return openSession(resolveRef(ref, d), { dataDir: d.dataDir, ...(markets ? { markets: resolveRef(markets, d) } : {}), importCache: { dir: importCacheDirOf(d.dataDir) } });
}

export function recordingEntry(r: RecordingRecord): SessionEntry {
  return {
    ref: r.id, id: r.id, kind: 'recording', format: r.format, startMs: r.startMs, endMs: r.endMs, frames: r.frames, bytes: r.bytes,
    markets: r.markets, sources: r.sources, open: r.open, ...(r.configHash ? { configHash: r.configHash } : {}),
  };
}

/**
 * The bundled real sample as a list entry (read once per process, through the import cache in `dataDir` when given,
 * which also readies the sample's first replay; undefined when the folder is not there).
 */
export function sampleEntry(root: string, dataDir?: string): Promise<SessionEntry | undefined> {
  const dir = join(root, SAMPLE_REF);
  const g = globalThis as typeof globalThis & { [SAMPLE_KEY]?: Map<string, Promise<SessionEntry | undefined>> };
  const cache = (g[SAMPLE_KEY] ??= new Map());
  let entry = cache.get(dir);
  if (!entry) {
    entry = existsSync(join(dir, 'market_data'))
      ? (dataDir ? cachedParquetImport(join(dir, 'market_data'), {}, { dir: importCacheDirOf(dataDir) }) : importParquetBooks(join(dir, 'market_data'))).then(
          ({ manifest: m }) => ({
            ref: SAMPLE_REF, id: m.id, kind: 'sample' as const, format: m.format, startMs: m.startMs, endMs: m.endMs, frames: m.frames, bytes: m.bytes,
            markets: m.markets.map((x) => x.slug), sources: [...m.sources], open: false,
            ...(m.attribution ? { attribution: m.attribution } : {}), ...(m.licence ? { licence: m.licence } : {}),
          }),
          () => undefined,
        )
      : Promise.resolve(undefined);
    cache.set(dir, entry);
  }
  return entry;
}

export async function listSessions(d: SessionDirs & { list: () => RecordingRecord[] }): Promise<SessionEntry[]> {
  const out = d.list().map(recordingEntry);
  const sample = await sampleEntry(d.root, d.dataDir);
  if (sample) out.push(sample);
  return out;
}
