/**
 * Sweep sessions imported once by the sweep's parent and shared with every worker (runSweep's `shared`).
 *
 * The real sample's Parquet books take over a second to import, and a seed-001 CSV's frames about as long to generate
 * (24 h at 1 Hz: ~0.3 s to read, ~0.7 s to write its 259,200 frames); every worker used to do this itself at start,
 * two workers twice, in the time both should already be replaying. `prepareSweepShared` runs in the parent while the
 * workers load their code, imports such sessions once and packs their frames into shared memory (packed-frames.ts: no
 * copy per worker); the sweep task (bot/sweep-task.ts) replays them through `sharedSource`, which unpacks them once
 * per worker (a few tens of ms). With `importCacheDir` an import is read back from the import cache, already packed,
 * after the first sweep (import-cache.ts). Recordings stream from disk: the workers open those themselves.
 *
 * Invariants: a shared session replays exactly the frames, manifest and invalid count its import gave (so a point's
 * ledger does not depend on where the import ran); light to load (no runtime code: the parent may be a CLI that
 * otherwise only waits); references resolve as the workers resolve them (`openSweepSession`).
 */
import type { ImportCacheEvent } from './import-cache';
import { openSession } from './open-session';
import { FramePacker, isPackedSource, packedSource, type PackedFrames } from './packed-frames';
import type { SessionManifest, SessionSource } from './session';

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
  frames: PackedFrames;
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

/** The formats imported in memory (worth importing once for every worker); recordings stream from disk. */
const SHARED_FORMATS: ReadonlySet<SessionManifest['format']> = new Set(['parquet', 'seed001-csv']);

/** Import, once, the sessions worth sharing (Parquet and seed-001 CSV imports); the others are left to the workers. */
export async function prepareSweepShared(refs: readonly string[], o: SweepSessionOptions, onCacheEvent?: (e: ImportCacheEvent) => void): Promise<SweepShared> {
  const out: SweepShared = { sessions: {} };
  for (const ref of refs) {
    const source = await openSweepSession(ref, o, onCacheEvent);
    if (!SHARED_FORMATS.has(source.manifest.format)) continue;
    // Read back from the import cache (or packed by it on a miss): already packed.
    let frames: PackedFrames;
    if (isPackedSource(source)) frames = source.packed;
    else {
      const packer = new FramePacker();
      for await (const chunk of source.frames()) for (const f of chunk) packer.add(f);
      frames = packer.finish();
    }
    out.sessions[ref] = { manifest: source.manifest, frames, invalid: { ...source.invalid } };
  }
  return out;
}

/** A shared session as a source: the same manifest, frames (in order) and invalid count as its import. */
export function sharedSource(s: SharedSession): SessionSource {
  return packedSource(s.manifest, s.frames, s.invalid);
}
