/**
 * Sweep sessions imported once by the sweep's parent and shared with every worker (runSweep's `shared`).
 *
 * The real sample's Parquet books take over a second to import, and every worker of a sweep used to import its own
 * copy at start (two workers: twice the work, in the time both should already be replaying). `prepareSweepShared`
 * runs in the parent while the workers load their code, imports such sessions once and collects their frames; the
 * pool structured-clones them into each worker once; the sweep task (bot/sweep-task.ts) replays them through
 * `sharedSource`. With `importCacheDir` the import is read back from the import cache after the first sweep
 * (import-cache.ts). Recordings stream from disk and seed-001 CSVs import quickly: the workers open those themselves.
 *
 * Invariants: a shared session replays exactly the frames, manifest and invalid count its import gave (so a point's
 * ledger does not depend on where the import ran); light to load (no runtime code: the parent may be a CLI that
 * otherwise only waits); references resolve as the workers resolve them (`openSweepSession`).
 */
import type { ImportCacheEvent } from './import-cache';
import { openSession } from './open-session';
import { arraySource, type RecordedFrame, type SessionManifest, type SessionSource } from './session';

/** How the sweep's workers find sessions (the task options' subset). */
export interface SweepSessionOptions {
  dataDir?: string;
  markets?: string;
  /** Session ids resolved to directories by the parent (workers do not open the store). */
  resolved?: Record<string, string>;
  /** The import cache's directory (import-cache.ts; the sweep CLI: `<DATA_DIR>/cache/imports`). */
  importCacheDir?: string;
}

/** A session imported once by the sweep's parent, sent to every worker. */
export interface SharedSession {
  manifest: SessionManifest;
  frames: RecordedFrame[];
  invalid: { count: number; first?: string };
}

/** The pool's shared data for the sweep task: sessions already imported, by reference. */
export interface SweepShared {
  sessions: Record<string, SharedSession>;
}

/** Open one of the sweep's session references as a worker does. */
export function openSweepSession(ref: string, o: SweepSessionOptions, onCacheEvent?: (e: ImportCacheEvent) => void): Promise<SessionSource> {
  return openSession(o.resolved?.[ref] ?? ref, {
    ...(o.dataDir ? { dataDir: o.dataDir } : {}),
    ...(o.markets ? { markets: o.markets } : {}),
    ...(o.importCacheDir ? { importCache: { dir: o.importCacheDir, ...(onCacheEvent ? { onEvent: onCacheEvent } : {}) } } : {}),
  });
}

/** Import, once, the sessions worth sharing (Parquet imports); the others are left to the workers. */
export async function prepareSweepShared(refs: readonly string[], o: SweepSessionOptions, onCacheEvent?: (e: ImportCacheEvent) => void): Promise<SweepShared> {
  const out: SweepShared = { sessions: {} };
  for (const ref of refs) {
    if (/\.csv$/i.test(o.resolved?.[ref] ?? ref)) continue;
    const source = await openSweepSession(ref, o, onCacheEvent);
    if (source.manifest.format !== 'parquet') continue;
    const frames: RecordedFrame[] = [];
    for await (const chunk of source.frames()) for (const f of chunk) frames.push(f);
    out.sessions[ref] = { manifest: source.manifest, frames, invalid: { ...source.invalid } };
  }
  return out;
}

/** A shared session as a source: the same manifest, frames (in order) and invalid count as its import. */
export function sharedSource(s: SharedSession): SessionSource {
  return arraySource(s.manifest, s.frames, s.invalid);
}
