/**
 * The console's replay side, one per server (per runtime holder): the replay playback (at most one; starting
 * another replaces it), backtest jobs (run in this process, at most MAX_RUNNING_BACKTESTS at a time, cancelled
 * through an AbortSignal) and sweep jobs (a child process running the sweep CLI, at most one at a time, cancelled by
 * signalling it). Jobs are kept in a bounded list (the last `maxJobs`, 20), each `{ id, kind, status, progress,
 * startedAt, finishedAt, result | error }`.
 *
 * Events on the MAIN runtime's bus (small: states and summaries, never ledgers or reports): `replay.state` on every
 * playback change and once a second while computing or playing, `job.progress` (throttled to 4/s per job, first
 * and last always) and `job.finished`.
 *
 * Configs: the runtime's current config, or that config with the request's merge patch, validated whole with the
 * runtime config schema; bad input (config, grid, session references) is refused with field errors before anything
 * starts.
 */
import 'server-only';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CancelTimer, type Clock, LiveClock } from '../../bot/clock';
import { checkPatch, mergePatch } from '../../bot/config';
import { ReplayPlayback, type PlaybackSnapshot, type SeekResult } from '../../bot/replay-playback';
import { parseGrid } from '../../bot/replay/sweep-grid';
import { replayConfig } from '../../bot/replay-run';
import { runtimeConfigSchema, type RuntimeConfig } from '../schemas/config';
import type { EventInput, JobKind, JobStatus, ReplayState, Summary } from '../schemas/events';
import type { BacktestRequest, JobView, SweepRequest } from '../schemas/replay-api';
import { ApiProblem } from './api';
import { runBacktestJob } from './backtest-job';
import { openRef, RefError, resolveRef, type SessionDirs } from './replay-sessions';
import { spawnSweep, type SweepProcess } from './sweep-process';

export const MAX_RUNNING_BACKTESTS = 2;

export interface ReplayJobsDeps {
  publish: (e: EventInput<'replay.state' | 'job.progress' | 'job.finished'>) => void;
  dirs: SessionDirs;
  /** The runtime's current config (what backtests, sweeps and replays run unless a request patches it). */
  baseConfig: () => RuntimeConfig;
  /** The wall clock (cursor, periodic states, job times); default the live clock. */
  clock?: Clock;
  maxJobs?: number;
  /** Sweep workers when a request does not say (default 1: the server keeps a core). */
  sweepWorkers?: number;
}

interface Job {
  id: string;
  kind: JobKind;
  status: JobStatus;
  progress: { done: number; total: number };
  sessions: string[];
  startedAt: number;
  finishedAt: number | null;
  summary?: Summary;
  error?: string;
  result?: unknown;
  cancel?: () => void;
  lastProgressMs: number;
}

type Field = { path: string; message: string };
const invalid = (message: string, fields: Field[]) => new ApiProblem('validation_failed', message, fields);
const errText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 500);

export class ReplayJobs {
  private readonly clock: Clock;
  private playback: ReplayPlayback | undefined;
  private stateTimer: CancelTimer | undefined;
  private generation = 0;
  private readonly jobs = new Map<string, Job>();

  constructor(private readonly d: ReplayJobsDeps) {
    this.clock = d.clock ?? new LiveClock();
  }

  // ---- replay playback ----

  async startReplay(b: { session: string; speed?: number | undefined; markets?: string | undefined }): Promise<ReplayState> {
    const gen = ++this.generation;
    this.checkRefs([b.session], b.markets, 'session');
    const config = this.d.baseConfig();
    let source;
    try {
      source = await openRef(b.session, this.d.dirs, b.markets);
      replayConfig(config, source.manifest); // the config must trade a series the session has
    } catch (err) {
      throw invalid(`cannot replay ${b.session}`, [{ path: 'session', message: errText(err) }]);
    }
    if (gen !== this.generation) throw new ApiProblem('conflict', 'another replay was started meanwhile');
    this.stopReplay();
    const p = new ReplayPlayback({ source, config, clock: this.clock, speed: b.speed ?? 1, onChange: (s) => this.playback === p && this.publishState(s) });
    this.playback = p;
    p.start();
    this.stateTimer = this.clock.every(1_000, 'replay-state', () => {
      const s = p.state();
      if (s.status === 'computing' || s.playing) this.publishState(s);
    });
    const s = p.state();
    this.publishState(s);
    return s;
  }

  replayState(): ReplayState | { status: 'idle' } {
    return this.playback?.state() ?? { status: 'idle' };
  }

  control(action: 'play' | 'pause' | 'stop' | 'seek' | 'speed', arg?: number): { state: ReplayState | { status: 'idle' }; seek?: SeekResult } {
    const p = this.playback;
    if (!p) throw new ApiProblem('conflict', 'no replay: start one first ({"action":"start","session":...})');
    if (action === 'stop') {
      const s = this.stopReplay();
      return { state: s ?? { status: 'idle' } };
    }
    if (action === 'play') p.play();
    else if (action === 'pause') p.pause();
    else if (action === 'speed') p.setSpeed(arg!);
    else return { seek: p.seek(arg!), state: p.state() };
    return { state: p.state() };
  }

  frame(tMs: number, limit: number): PlaybackSnapshot {
    if (!this.playback) throw new ApiProblem('not_found', 'no replay: start one first');
    return this.playback.at(tMs, limit);
  }

  /** Stop and drop the playback; its last state goes out as `stopped`. */
  stopReplay(): ReplayState | undefined {
    const p = this.playback;
    if (!p) return undefined;
    this.stateTimer?.();
    this.stateTimer = undefined;
    this.playback = undefined;
    p.stop();
    const last: ReplayState = { ...p.state(), status: 'stopped', playing: false };
    this.publishState(last);
    return last;
  }

  // ---- jobs ----

  startBacktest(b: BacktestRequest): JobView {
    const config = this.configFor(b.config);
    this.checkRefs(b.sessions, b.markets, 'sessions');
    const running = [...this.jobs.values()].filter((j) => j.kind === 'backtest' && j.status === 'running').length;
    if (running >= MAX_RUNNING_BACKTESTS) throw new ApiProblem('conflict', `${running} backtests are running: wait for one or cancel it`);
    const job = this.addJob('backtest', b.sessions, 1_000 * b.sessions.length);
    const abort = new AbortController();
    job.cancel = () => abort.abort();
    runBacktestJob({
      sessions: b.sessions, config, signal: abort.signal,
      open: (ref) => openRef(ref, this.d.dirs, b.markets),
      onProgress: (done, total) => this.progress(job, done, total),
    }).then(
      (r) => this.finish(job, 'done', r.summary, r.result),
      (err: unknown) => this.finish(job, abort.signal.aborted ? 'canceled' : 'failed', {}, undefined, abort.signal.aborted ? undefined : errText(err)),
    );
    return view(job);
  }

  startSweep(b: SweepRequest): JobView {
    const config = this.configFor(b.config);
    this.checkRefs(b.sessions, b.markets, 'sessions');
    let size: number;
    try {
      size = parseGrid(b.grid, { config, ...(b.strategy ? { strategy: b.strategy } : {}) }).size;
    } catch (err) {
      throw invalid('the grid is refused', [{ path: b.strategy && /strategy|instance/i.test(errText(err)) ? 'strategy' : 'grid', message: errText(err) }]);
    }
    if ([...this.jobs.values()].some((j) => j.kind === 'sweep' && j.status === 'running')) throw new ApiProblem('conflict', 'a sweep is running: wait for it or cancel it');
    const job = this.addJob('sweep', b.sessions, size);
    const metric = b.metric ?? 'pnl_usd';
    const workers = Math.min(size, b.workers ?? this.d.sweepWorkers ?? 1);
    let proc: SweepProcess | undefined;
    let canceledEarly = false;
    job.cancel = () => (proc ? proc.cancel() : (canceledEarly = true));
    void (async () => {
      const dir = await mkdtemp(join(tmpdir(), 'updown-sweep-'));
      try {
        const cfg = join(dir, 'config.json');
        await writeFile(cfg, JSON.stringify({ ...config, mode: 'replay' }));
        if (canceledEarly) return this.finish(job, 'canceled', {});
        const out = join(dir, 'sweep');
        const args = [
          '--grid', JSON.stringify(b.grid), '--config', cfg, '--out', out, '--workers', String(workers), '--metric', metric,
          ...(b.strategy ? ['--strategy', b.strategy] : []), ...(b.markets ? ['--markets', resolveRef(b.markets, this.d.dirs)] : []),
          '--', ...b.sessions.map((s) => resolveRef(s, this.d.dirs)),
        ];
        proc = spawnSweep({ root: this.d.dirs.root, args, dataDir: this.d.dirs.dataDir, outPrefix: out, clock: this.clock, onProgress: (done, total) => this.progress(job, done, total) });
        const r = await proc.result;
        if (r.status !== 'done') return this.finish(job, r.status, {}, undefined, r.status === 'failed' ? r.error : undefined);
        const report = r.report as { runs?: { params: Record<string, unknown>; metrics: Record<string, unknown>; error?: string }[]; robustRanges?: { top?: number[] } };
        const runs = report.runs ?? [];
        const best = runs[report.robustRanges?.top?.[0] ?? -1];
        const bestValue = best?.metrics[metric];
        this.finish(job, 'done', {
          points: runs.length, failed: runs.filter((x) => x.error).length, metric, workers,
          bestValue: typeof bestValue === 'number' ? bestValue : null, bestParams: best ? JSON.stringify(best.params).slice(0, 300) : null,
        }, { points: size, workers, metric, ...report });
      } catch (err) {
        this.finish(job, 'failed', {}, undefined, errText(err));
      } finally {
        await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      }
    })();
    return view(job);
  }

  list(kind: JobKind): JobView[] {
    return [...this.jobs.values()].filter((j) => j.kind === kind).reverse().map(view);
  }

  get(kind: JobKind, id: string): JobView {
    const j = this.jobs.get(id);
    if (!j || j.kind !== kind) throw new ApiProblem('not_found', `no ${kind} job ${id}`);
    return { ...view(j), ...(j.result !== undefined ? { result: j.result } : {}) };
  }

  cancel(kind: JobKind, id: string): JobView {
    const j = this.jobs.get(id);
    if (!j || j.kind !== kind) throw new ApiProblem('not_found', `no ${kind} job ${id}`);
    if (j.status !== 'running') throw new ApiProblem('conflict', `job ${id} is ${j.status}, not running`);
    j.cancel?.();
    return view(j);
  }

  /** Stop the playback and cancel every running job (server shutdown). */
  dispose(): void {
    this.stopReplay();
    for (const j of this.jobs.values()) if (j.status === 'running') j.cancel?.();
  }

  private publishState(state: ReplayState): void {
    this.d.publish({ type: 'replay.state', state });
  }

  private addJob(kind: JobKind, sessions: readonly string[], total: number): Job {
    const max = this.d.maxJobs ?? 20;
    for (const [id, j] of this.jobs) {
      if (this.jobs.size < max) break;
      if (j.status !== 'running') this.jobs.delete(id);
    }
    const job: Job = { id: `${kind}-${randomUUID()}`, kind, status: 'running', progress: { done: 0, total }, sessions: [...sessions], startedAt: this.clock.nowMs(), finishedAt: null, lastProgressMs: -Infinity };
    this.jobs.set(job.id, job);
    this.progress(job, 0, total);
    return job;
  }

  private progress(job: Job, done: number, total: number): void {
    if (job.status !== 'running') return;
    const first = job.lastProgressMs === -Infinity;
    job.progress = { done, total };
    const now = this.clock.nowMs();
    if (!first && done < total && now - job.lastProgressMs < 250) return;
    job.lastProgressMs = now;
    this.d.publish({ type: 'job.progress', jobId: job.id, kind: job.kind, done, total });
  }

  private finish(job: Job, status: Exclude<JobStatus, 'running'>, summary: Summary, result?: unknown, error?: string): void {
    if (job.status !== 'running') return;
    job.status = status;
    job.finishedAt = this.clock.nowMs();
    job.summary = summary;
    job.cancel = undefined;
    if (result !== undefined) job.result = result;
    if (error !== undefined) job.error = error;
    this.d.publish({ type: 'job.finished', jobId: job.id, kind: job.kind, status, summary, ...(error !== undefined ? { error } : {}) });
  }

  /** The base config, or it with the request's merge patch; refused whole with field errors (`config.<path>`). */
  private configFor(patch: Record<string, unknown> | undefined): RuntimeConfig {
    const base = this.d.baseConfig();
    if (!patch) return base;
    const unsafe = checkPatch(patch, 'config');
    if (unsafe.length) throw invalid('config patch refused', unsafe.map((i) => ({ path: i.path, message: i.message })));
    const r = runtimeConfigSchema.safeParse(mergePatch(base, patch));
    if (!r.success) throw invalid('config refused', r.error.issues.slice(0, 50).map((i) => ({ path: ['config', ...i.path.map(String)].join('.'), message: i.message })));
    return r.data;
  }

  private checkRefs(sessions: readonly string[], markets: string | undefined, field: string): void {
    const fields: Field[] = [];
    const check = (ref: string, path: string) => {
      try {
        resolveRef(ref, this.d.dirs);
      } catch (err) {
        if (!(err instanceof RefError)) throw err;
        fields.push({ path, message: err.message });
      }
    };
    sessions.forEach((s, i) => check(s, field === 'session' ? 'session' : `${field}.${i}`));
    if (markets !== undefined) check(markets, 'markets');
    if (fields.length) throw invalid('unknown session', fields);
  }
}

function view(j: Job): JobView {
  return {
    id: j.id, kind: j.kind, status: j.status, progress: { ...j.progress }, sessions: j.sessions, startedAt: j.startedAt, finishedAt: j.finishedAt,
    ...(j.summary ? { summary: j.summary } : {}), ...(j.error !== undefined ? { error: j.error } : {}),
  };
}
