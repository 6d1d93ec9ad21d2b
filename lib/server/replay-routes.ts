/**
 * Route bodies of /api/sessions, /api/replay, /api/replay/frame, /api/backtests[/<id>] and /api/sweeps[/<id>]
 * (route files under app/api stay one-liners). Everything goes through withApi: mutating methods pass the
 * same-origin and operator-token checks, bodies are JSON (at most 64 KiB) parsed with lib/schemas/replay-api.ts,
 * failures use the closed error list (422 with field paths for bad input, 409 for a conflict, 404 for an unknown
 * job). POSTs that start a job answer 202 with the job.
 *
 * One ReplayJobs per runtime holder (a WeakMap on globalThis: route bundles hold their own module copies).
 *
 * Audit (withApi writes the row): `backtest.start` / `sweep.start` with the job id and sessions, `backtest.cancel` /
 * `sweep.cancel` with the job's status before and after, `.refused` when refused; a replay `start` and `stop` are
 * audited (`replay`, with the action), the playback controls (play, pause, seek, speed) are viewing, not actions.
 */
import 'server-only';
import { replayControlSchema, backtestRequestSchema, sweepRequestSchema } from '../schemas/replay-api';
import type { JobKind } from '../schemas/events';
import { ApiProblem, withApi } from './api';
import { ReplayJobs } from './replay-jobs';
import { listSessions, type SessionDirs } from './replay-sessions';
import type { RuntimeHolder } from './runtime-registry';

const KEY = Symbol.for('updown.replay-jobs.v1');
type G = typeof globalThis & { [KEY]?: WeakMap<object, ReplayJobs> };

function dirsOf(holder: RuntimeHolder): SessionDirs {
  return { root: process.cwd(), dataDir: holder.env.DATA_DIR, lookup: (id) => holder.runtime.store.recordings.get(id) };
}

/** The holder's replay jobs (created on first use). */
export function replayJobsFor(holder: RuntimeHolder): ReplayJobs {
  const g = globalThis as G;
  const map = (g[KEY] ??= new WeakMap());
  let jobs = map.get(holder);
  if (!jobs) {
    jobs = new ReplayJobs({
      publish: (e) => void holder.runtime.bus.publish(e),
      dirs: dirsOf(holder),
      baseConfig: () => holder.config?.effective() ?? holder.runtime.config,
    });
    map.set(holder, jobs);
    const created = jobs;
    holder.disposers.push(() => created.dispose());
  }
  return jobs;
}

const accepted = (body: unknown) => Response.json(body, { status: 202, headers: { 'Cache-Control': 'no-store' } });

/** The last path segment (the job id of /api/backtests/<id>, /api/sweeps/<id>). */
function idOf(req: Request): string {
  const id = decodeURIComponent(new URL(req.url).pathname.replace(/\/+$/, '').split('/').pop() ?? '');
  if (!/^[a-z]+-[0-9a-f-]{36}$/.test(id)) throw new ApiProblem('not_found', `no job ${id.slice(0, 80)}`);
  return id;
}

/** GET /api/sessions: recorded sessions (newest first), then the bundled real sample with its attribution. */
export const sessionsRoute = withApi({ mutating: false }, async ({ holder }) => ({
  sessions: await listSessions({ ...dirsOf(holder), list: () => holder.runtime.store.recordings.list({ limit: 200 }) }),
}));

/** GET /api/replay: the playback's state, or `{ status: 'idle' }`. */
export const replayGetRoute = withApi({ mutating: false }, ({ holder }) => replayJobsFor(holder).replayState());

/** POST /api/replay: start (replacing any playback) | play | pause | seek | speed | stop. */
export const replayPostRoute = withApi({ body: replayControlSchema, audit: { action: 'replay' } }, async ({ holder, body, auditDetail, skipAudit }) => {
  const jobs = replayJobsFor(holder);
  auditDetail.action = body.action;
  if (body.action === 'start') auditDetail.session = body.session;
  if (body.action !== 'start' && body.action !== 'stop') skipAudit();
  switch (body.action) {
    case 'start':
      if (holder.shuttingDown) throw new ApiProblem('unavailable', 'server is shutting down');
      return { state: await jobs.startReplay(body) };
    case 'seek':
      return jobs.control('seek', body.tsMs);
    case 'speed':
      return jobs.control('speed', body.speed);
    default:
      return jobs.control(body.action);
  }
});

/** GET /api/replay/frame?t=<ms>[&limit=N]: what the charts show at t (keyframe, ledger and decisions up to t). */
export const replayFrameRoute = withApi({ mutating: false }, ({ req, holder }) => {
  const q = new URL(req.url).searchParams;
  const t = Number(q.get('t'));
  if (q.get('t') === null || !Number.isFinite(t)) throw new ApiProblem('bad_request', 'give the time as ?t=<epoch ms>', [{ path: 't', message: 'expected epoch ms' }]);
  const rawLimit = q.get('limit');
  const limit = rawLimit !== null && /^\d{1,6}$/.test(rawLimit) ? Math.min(10_000, Number(rawLimit)) : 200;
  return replayJobsFor(holder).frame(t, limit);
});

export const backtestPostRoute = withApi({ body: backtestRequestSchema, audit: { action: 'backtest.start' } }, ({ holder, body, auditDetail }) => {
  auditDetail.sessions = body.sessions;
  auditDetail.configPatch = body.config !== undefined;
  if (holder.shuttingDown) throw new ApiProblem('unavailable', 'server is shutting down');
  const job = replayJobsFor(holder).startBacktest(body);
  auditDetail.id = job.id;
  return accepted(job);
});

export const sweepPostRoute = withApi({ body: sweepRequestSchema, audit: { action: 'sweep.start' } }, ({ holder, body, auditDetail }) => {
  auditDetail.sessions = body.sessions;
  auditDetail.grid = Object.keys(body.grid).slice(0, 20);
  if (body.metric) auditDetail.metric = body.metric;
  if (holder.shuttingDown) throw new ApiProblem('unavailable', 'server is shutting down');
  const job = replayJobsFor(holder).startSweep(body);
  auditDetail.id = job.id;
  return accepted(job);
});

function jobRoutes(kind: JobKind) {
  return {
    list: withApi({ mutating: false }, ({ holder }) => ({ jobs: replayJobsFor(holder).list(kind) })),
    get: withApi({ mutating: false }, ({ req, holder }) => replayJobsFor(holder).get(kind, idOf(req))),
    cancel: withApi({ mutating: true, audit: { action: `${kind}.cancel` } }, ({ req, holder, auditDetail }) => {
      auditDetail.id = decodeURIComponent(new URL(req.url).pathname.split('/').pop() ?? '').slice(0, 80);
      const jobs = replayJobsFor(holder);
      const id = idOf(req);
      auditDetail.from = jobs.get(kind, id).status;
      const job = jobs.cancel(kind, id);
      auditDetail.to = job.status === 'running' ? 'canceling' : job.status;
      return job;
    }),
  };
}

const backtests = jobRoutes('backtest');
const sweeps = jobRoutes('sweep');
export const backtestListRoute = backtests.list;
export const backtestGetRoute = backtests.get;
export const backtestCancelRoute = backtests.cancel;
export const sweepListRoute = sweeps.list;
export const sweepGetRoute = sweeps.get;
export const sweepCancelRoute = sweeps.cancel;
