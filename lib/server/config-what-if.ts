/**
 * POST /api/config/what-if: replay the last N recorded windows with the current config and with the current config
 * plus the operator's edit, as two ordinary backtest jobs (lib/server/replay-jobs.ts: progress and finish go over the
 * bus as `job.progress` / `job.finished`, the reports are read from GET /api/backtests/<id>).
 *
 * How the last N windows are found and cut out:
 * - sessions are the store's recording index, newest first; a window is a market of the shortest series recorded
 *   (5m before 15m) whose time range overlaps the recorded range; the newest N (by start) are taken, walking back
 *   into older sessions when the newest holds fewer;
 * - each session contributes its frames from WARMUP_MS before its oldest picked window (reference TWAP and price to
 *   beat need a lead-in) to its recorded end. A session that needs a cut, or that is still being written, is copied
 *   into a snapshot slice under `<DATA_DIR>/what-if/` (frames up to the end its manifest says was flushed), so both
 *   runs read exactly the same frames; a closed session used whole is replayed in place.
 *
 * Invariants: the edit is validated exactly as an apply (config service dry run: schema, strategy params,
 * guardrails) and refused with the same field paths before anything is read or started; nothing is applied or
 * journaled; both jobs start in the same synchronous turn after the slices are written, and only when no other
 * backtest runs (two would not fit MAX_RUNNING_BACKTESTS); at most KEEP_SLICES what-if slice folders are kept.
 */
import { windowSecOf } from '../../bot/core/series';
import 'server-only';
import { randomUUID } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { composeLayers, createMergePatch, isConfigError, mergePatch, type ConfigService, type JsonObject } from '../../bot/config';
import { openRecording, readManifest } from '../../bot/replay/recording-reader';
import { RecordingWriter } from '../../bot/replay/recording-writer';
import type { SessionManifest } from '../../bot/replay/session';
import type { RecordingRecord } from '../../bot/store/recording-store';
import { runtimeConfigSchema, type RuntimeConfig } from '../schemas/config';
import { whatIfRequestSchema, type WhatIfRequest, type WhatIfResponse, type WhatIfWindow } from '../schemas/config-what-if';
import type { BacktestRequest, JobView } from '../schemas/replay-api';
import { ApiProblem, withApi } from './api';
import { sourceAddress } from './config-routes';
import { replayJobsFor } from './replay-routes';

/** Frames kept before the oldest picked window (TWAP-60 and the price to beat need them). */
export const WARMUP_MS = 90_000;
/** What-if slice folders kept on disk (older ones are deleted when a new what-if starts). */
export const KEEP_SLICES = 3;
/** Recorded sessions looked at, newest first. */
const MAX_SESSIONS = 50;

export interface WhatIfDeps {
  config: Pick<ConfigService, 'apply' | 'layers' | 'effective' | 'desired'>;
  jobs: { startBacktest(b: BacktestRequest): JobView; list(kind: 'backtest'): JobView[] };
  /** The store's recording index, newest first. */
  recordings: () => RecordingRecord[];
  dataDir: string;
  actor: string;
  source: string;
  nowMs: () => number;
}

export interface RecordedSession {
  id: string;
  dir: string;
  manifest: SessionManifest;
}

export interface WindowPick {
  windowSec: number;
  /** Oldest first. */
  windows: WhatIfWindow[];
  /** Per session (newest first), the first ms of frames to replay. */
  sessions: { session: RecordedSession; fromMs: number; toMs: number }[];
}

const kindSec = (k: string) => windowSecOf(k);

/** The last `n` recorded windows across `sessions` (newest first); undefined when the sessions hold none. */
export function pickLastWindows(sessions: readonly RecordedSession[], n: number): WindowPick | undefined {
  const kinds = sessions.flatMap((s) => s.manifest.markets.map((m) => kindSec(m.kind)));
  if (kinds.length === 0) return undefined;
  const windowSec = Math.min(...kinds);
  const seen = new Set<string>();
  const picked: WhatIfWindow[] = [];
  const used: WindowPick['sessions'] = [];
  for (const s of sessions) {
    if (picked.length >= n) break;
    const m = s.manifest;
    if (!(m.endMs > m.startMs)) continue;
    const windows = m.markets
      .filter((w) => kindSec(w.kind) === windowSec && w.startMs < m.endMs && w.endMs > m.startMs && !seen.has(w.slug))
      .sort((a, b) => b.startMs - a.startMs || a.slug.localeCompare(b.slug))
      .slice(0, n - picked.length);
    if (windows.length === 0) continue;
    for (const w of windows) {
      seen.add(w.slug);
      picked.push({ slug: w.slug, startMs: w.startMs, endMs: w.endMs, sessionId: s.id });
    }
    const oldest = Math.min(...windows.map((w) => w.startMs));
    used.push({ session: s, fromMs: Math.max(m.startMs, oldest - WARMUP_MS), toMs: m.endMs });
  }
  if (picked.length === 0) return undefined;
  picked.sort((a, b) => a.startMs - b.startMs || a.slug.localeCompare(b.slug));
  return { windowSec, windows: picked, sessions: used };
}

/** Copy the frames of `s` in [fromMs, toMs] (and the markets overlapping it) into a new session at `dir`. */
export async function writeSlice(s: RecordedSession, fromMs: number, toMs: number, dir: string): Promise<{ frames: number }> {
  const m = s.manifest;
  const writer = new RecordingWriter({
    dir, id: `wi-${m.id}`.slice(0, 120), format: m.format, createdAtMs: m.createdAtMs, capabilities: m.capabilities, level: 1,
    ...(m.configHash ? { configHash: m.configHash } : {}), ...(m.attribution ? { attribution: m.attribution } : {}), ...(m.licence ? { licence: m.licence } : {}),
    notes: [...m.notes, `what-if slice of ${m.id}: frames ${new Date(fromMs).toISOString()} .. ${new Date(toMs).toISOString()}`],
  });
  for (const mk of m.markets) if (mk.endMs > fromMs && mk.startMs <= toMs) writer.market(mk);
  const source = await openRecording(s.dir);
  try {
    for await (const chunk of source.frames({ chunkSize: 2048 })) {
      for (const f of chunk) if (f.tsRecvMs >= fromMs && f.tsRecvMs <= toMs) writer.frame(f);
      if (chunk[chunk.length - 1]!.tsRecvMs > toMs) break;
      await writer.drained();
    }
  } finally {
    await writer.close();
  }
  const stats = writer.stats;
  if (stats.dropped > 0) throw new Error(`the what-if slice of ${m.id} dropped ${stats.dropped} frames`);
  return { frames: stats.frames };
}

/** Recorded sessions (newest first) whose directory and manifest can be read; unreadable ones are skipped. */
export async function recordedSessions(records: readonly RecordingRecord[], dataDir: string): Promise<RecordedSession[]> {
  const out: RecordedSession[] = [];
  for (const r of records.slice(0, MAX_SESSIONS)) {
    if (r.format !== 'recording') continue;
    const dir = isAbsolute(r.dir) ? r.dir : resolve(dataDir, r.dir);
    if (!existsSync(join(dir, 'manifest.json'))) continue;
    try {
      out.push({ id: r.id, dir, manifest: await readManifest(dir) });
    } catch {
      // a damaged manifest is not replayable: skip it (GET /api/sessions shows the session)
    }
  }
  return out;
}

/** Current (latest version) and edited configs; the edit is refused with field paths exactly as PATCH would be. */
export function whatIfConfigs(d: Pick<WhatIfDeps, 'config' | 'actor' | 'source'>, patch: Record<string, unknown>): { current: RuntimeConfig; edited: RuntimeConfig; changes: WhatIfResponse['changes'] } {
  let changes: WhatIfResponse['changes'];
  try {
    changes = d.config.apply(patch, d.actor, 'what-if (dry run)', d.source, { dryRun: true }).diff;
  } catch (err) {
    if (!isConfigError(err)) throw err;
    if (err.kind === 'conflict') throw new ApiProblem('conflict', err.message);
    const fields = err.issues.length ? err.issues.map((i) => ({ path: i.path, message: i.message })) : [{ path: '(root)', message: err.message }];
    throw new ApiProblem('validation_failed', `configuration refused: ${fields.length} problem(s)`, fields);
  }
  const layers = d.config.layers();
  const edited = runtimeConfigSchema.parse(composeLayers({ ...layers, console: mergePatch(layers.console, patch) as JsonObject }));
  return { current: d.config.desired(), edited, changes };
}

/** The merge patch from the running config (what backtests run by default) to `target`; undefined when equal. */
function patchOver(running: RuntimeConfig, target: RuntimeConfig): Record<string, unknown> | undefined {
  const p = createMergePatch(running, target) as Record<string, unknown>;
  return Object.keys(p).length ? p : undefined;
}

async function pruneSlices(root: string, keep: number): Promise<void> {
  const names = (await readdir(root).catch(() => [] as string[])).filter((n) => /^wi-\d{13}-[0-9a-f]{8}$/.test(n)).sort();
  for (const n of names.slice(0, Math.max(0, names.length - keep))) await rm(join(root, n), { recursive: true, force: true });
}

export async function startWhatIf(req: WhatIfRequest, d: WhatIfDeps): Promise<WhatIfResponse> {
  const { current, edited, changes } = whatIfConfigs(d, req.patch);
  const busy = () => d.jobs.list('backtest').filter((j) => j.status === 'running').length;
  if (busy() > 0) throw new ApiProblem('conflict', 'a backtest is running: wait for it to finish (or cancel it on the replay page), then run the what-if');
  const pick = pickLastWindows(await recordedSessions(d.recordings(), d.dataDir), req.windows);
  if (!pick) throw new ApiProblem('not_found', 'no recorded window yet: recordings start with the bot (recording.enabled); let it run through part of a window, then try again');
  const root = join(d.dataDir, 'what-if');
  await pruneSlices(root, KEEP_SLICES - 1);
  const base = join(root, `wi-${String(d.nowMs()).padStart(13, '0')}-${randomUUID().slice(0, 8)}`);
  const sessions: WhatIfResponse['sessions'] = [];
  for (const [i, u] of pick.sessions.entries()) {
    const m = u.session.manifest;
    if (!m.open && u.fromMs <= m.startMs) {
      sessions.push({ id: u.session.id, ref: u.session.dir, sliced: false, fromMs: m.startMs, toMs: m.endMs, frames: m.frames });
      continue;
    }
    const dir = join(base, `${String(i).padStart(2, '0')}-${u.session.id}`.slice(0, 120));
    const { frames } = await writeSlice(u.session, u.fromMs, u.toMs, dir);
    if (frames > 0) sessions.push({ id: u.session.id, ref: dir, sliced: true, fromMs: u.fromMs, toMs: u.toMs, frames });
  }
  if (sessions.length === 0) throw new ApiProblem('not_found', 'the recorded windows hold no flushed frames yet: try again in a few seconds');
  sessions.reverse(); // oldest first: the combined report reads like the recordings
  if (busy() > 0) throw new ApiProblem('conflict', 'a backtest was started meanwhile: wait for it to finish, then run the what-if');
  const refs = sessions.map((s) => s.ref);
  const running = d.config.effective();
  const cur = patchOver(running, current);
  const edi = patchOver(running, edited);
  const currentJob = d.jobs.startBacktest({ sessions: refs, ...(cur ? { config: cur } : {}) });
  const editedJob = d.jobs.startBacktest({ sessions: refs, ...(edi ? { config: edi } : {}) });
  return { windows: { requested: req.windows, list: pick.windows, windowSec: pick.windowSec }, sessions, changes, current: currentJob, edited: editedJob };
}

/** POST /api/config/what-if { patch, windows }: 202 with the two backtest jobs and the windows they replay. */
export const configWhatIfRoute = withApi({ body: whatIfRequestSchema }, async ({ req, holder, body, actor }) => {
  if (holder.shuttingDown) throw new ApiProblem('unavailable', 'server is shutting down');
  if (!holder.config) throw new ApiProblem('unavailable', 'the config service is not running');
  const res = await startWhatIf(body, {
    config: holder.config, jobs: replayJobsFor(holder), recordings: () => holder.runtime.store.recordings.list({ limit: MAX_SESSIONS }),
    dataDir: holder.env.DATA_DIR, actor, source: sourceAddress(req), nowMs: () => Date.now(),
  });
  return Response.json(res, { status: 202, headers: { 'Cache-Control': 'no-store' } });
});
