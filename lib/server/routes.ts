/**
 * Route bodies shared by app/api/* (kept here so route files stay one-liners and tests can read one place).
 * Audit (see withApi): start/stop/restart leave one operator row `runtime.<action>.requested` with the state before
 * and after; the kill switch and arming record their changes themselves (bot/risk) with the request's source, and
 * the routes add the one row for a refusal or a request that changed nothing (`killswitch.unchanged`,
 * `arming.unchanged`), so every operator request leaves exactly one operator row.
 */
import 'server-only';
import { z } from 'zod';
import type { ArmingErrorCode } from '../../bot/risk';
import { armingRequestSchema, botActionRequestSchema, killSwitchRequestSchema, type ArmingStatus } from '../schemas/api';
import type { PreflightResponse } from '../schemas/preflight';
import { ApiProblem, withApi } from './api';
import { runtimeHealth } from './health';
import { metricsRegistry } from './metrics';
import { getRuntimeHolder } from './runtime-registry';

export const statusRoute = withApi({ mutating: false }, ({ holder }) => ({
  ...holder.runtime.status(),
  sse: { clients: holder.sse.stats.clients, dropped: holder.sse.stats.dropped, maxQueuedBytes: holder.sse.stats.maxQueuedBytes },
  process: { rssBytes: process.memoryUsage().rss, heapUsedBytes: process.memoryUsage().heapUsed, pid: process.pid },
}));

/**
 * `ok` / `degraded` / `idle` (200) or `down` (503), with the reasons (lib/server/health.ts) and the preflight verdict.
 * Public (a liveness probe needs no token): under CONSOLE_PROTECT_READS a caller without the token or a session gets
 * the status word only.
 */
export const healthRoute = withApi({ mutating: false, public: true }, ({ holder, actor }) => {
  const s = holder.runtime.status();
  const { status, reasons } = runtimeHealth(holder.runtime);
  if (holder.env.CONSOLE_PROTECT_READS && actor === 'anonymous') {
    return Response.json({ status }, { status: status === 'down' ? 503 : 200, headers: { 'Cache-Control': 'no-store' } });
  }
  const pf = holder.runtime.session?.preflight.latest;
  return Response.json(
    {
      status, reasons, state: s.state, tradingState: s.killSwitch.state, instanceId: s.instanceId, uptimeMs: s.uptimeMs, lastError: s.lastError,
      preflight: pf ? { go: pf.go, summary: pf.summary, finishedMs: pf.finishedMs } : null,
    },
    { status: status === 'down' ? 503 : 200, headers: { 'Cache-Control': 'no-store' } },
  );
});

/** The latest preflight report (GO / NO-GO per stage with its fix), whether a check is running, and the health. */
export const preflightRoute = withApi({ mutating: false }, ({ holder }): PreflightResponse => ({
  report: holder.runtime.session?.preflight.latest ?? null,
  running: holder.runtime.session?.preflight.isRunning ?? false,
  health: runtimeHealth(holder.runtime),
}));

/** Start / stop / restart: one audit row `runtime.<action>.requested` (from, to, reason, source) written by withApi. */
export function botActionRoute(action: 'start' | 'stop' | 'restart') {
  return withApi({ body: botActionRequestSchema, audit: { action: `runtime.${action}.requested` } }, async ({ holder, body, auditDetail }) => {
    const reason = body.reason ?? `console ${action}`;
    auditDetail.reason = reason;
    auditDetail.from = holder.runtime.status().state;
    if (holder.shuttingDown) throw new ApiProblem('unavailable', 'server is shutting down');
    // This route's row is the action's one audit entry: the runtime adds no runtime.start/stop row of its own.
    const state = await holder.runtime[action](reason, { audited: true });
    auditDetail.to = state;
    return { state, status: holder.runtime.status() };
  });
}

export const killSwitchGetRoute = withApi({ mutating: false }, ({ holder }) => ({
  ...holder.runtime.killSwitch.snapshot(),
  history: holder.runtime.store.killSwitch.history(20),
}));

/** A change is audited by the kill switch (`killswitch.set`, from/to); a no-op or a refusal by the route. */
export const killSwitchPostRoute = withApi({ body: killSwitchRequestSchema, audit: { action: 'killswitch.set', recordsOwn: true } }, ({ holder, body, actor, source, audit }) => {
  const from = holder.runtime.killSwitch.state;
  try {
    const snap = holder.runtime.killSwitch.set({ state: body.state, reason: body.reason, actor, automatic: false, source });
    if (from === body.state) audit('killswitch.unchanged', { from, to: body.state, reason: body.reason });
    return snap;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    audit('killswitch.set.refused', { from, to: body.state, reason: body.reason, message: message.slice(0, 300) });
    throw new ApiProblem('conflict', message);
  }
});

/** Live arming: required (live mode) or not, armed since when by whom and why, and why an arm would be refused now. */
export const armingGetRoute = withApi({ mutating: false }, ({ holder }): ArmingStatus => holder.runtime.status().arming);

/** ArmingError by shape: route bundles hold their own copy of bot/risk, so `instanceof` would miss the runtime's. */
function armingErrorCode(err: unknown): ArmingErrorCode | undefined {
  if (!(err instanceof Error) || err.name !== 'ArmingError') return undefined;
  const code = (err as Error & { code?: unknown }).code;
  return code === 'not_required' || code === 'confirmation' || code === 'reason' || code === 'not_ready' ? code : undefined;
}

/**
 * Arm (typed confirmation + reason) or disarm (one call: new orders refused at once, our resting orders cancelled;
 * the answer comes after the cancel). Refusals: 422 on `confirm` / `reason`, 409 when the runtime does not need arming
 * (paper) or is not ready (not running, no key, halted, preflight not GO); each is audited as `arming.refused`.
 */
export const armingPostRoute = withApi({ body: armingRequestSchema, audit: { action: 'arming', recordsOwn: true } }, async ({ holder, body, actor, source, audit }): Promise<ArmingStatus> => {
  const arming = holder.runtime.session?.arming;
  const before = holder.runtime.status().arming;
  const was = before.armed ? 'armed' : 'disarmed';
  if (body.action === 'disarm') {
    const reason = body.reason || 'disarmed from the console';
    // LiveArming audits a real disarm (`arming.disarmed`); a disarm with nothing armed is the route's row.
    if (!arming || !before.required || !before.armed) audit('arming.unchanged', { action: 'disarm', from: was, to: was, reason });
    if (!arming) return before;
    return arming.disarm({ actor, reason, source });
  }
  const refuse = (code: ArmingErrorCode | 'unavailable', message: string): never => {
    audit('arming.refused', { code, reason: body.reason, from: was, to: was });
    if (code === 'unavailable') throw new ApiProblem('unavailable', message);
    if (code === 'confirmation') throw new ApiProblem('validation_failed', message, [{ path: 'confirm', message }]);
    if (code === 'reason') throw new ApiProblem('validation_failed', message, [{ path: 'reason', message }]);
    throw new ApiProblem('conflict', message);
  };
  if (holder.shuttingDown) return refuse('unavailable', 'server is shutting down');
  if (!arming) return refuse('not_required', 'this runtime has no venue session: there is nothing to arm');
  try {
    const snap = arming.arm({ actor, reason: body.reason, confirm: body.confirm, source });
    if (before.armed) audit('arming.unchanged', { action: 'arm', from: was, to: 'armed', reason: body.reason });
    return snap;
  } catch (err) {
    const code = armingErrorCode(err);
    if (code) return refuse(code, (err as Error).message);
    throw err;
  }
});

export const eventsRoute = withApi({ mutating: false }, ({ req, holder }) => {
  const url = new URL(req.url);
  const raw = req.headers.get('last-event-id') ?? url.searchParams.get('lastEventId');
  const lastEventId = raw !== null && /^\d+$/.test(raw) ? Number(raw) : undefined;
  const stream = holder.sse.open(holder.sseSource, lastEventId, req.signal);
  return new Response(stream, {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    },
  });
});

/** Test-only: publish N filler events (off unless UPDOWN_ENABLE_TEST_ROUTES=1). */
export const testEmitRoute = withApi(
  { body: z.strictObject({ count: z.number().int().min(1).max(100_000), bytes: z.number().int().min(1).max(100_000).default(100) }), audit: false },
  ({ holder, body }) => {
    if (!holder.env.UPDOWN_ENABLE_TEST_ROUTES) throw new ApiProblem('not_found', 'not found');
    const filler = 'x'.repeat(body.bytes);
    let last = 0;
    // An informational notice, not an error: filler must not feed the risk engine's error cooldown or error-burst trigger.
    for (let i = 0; i < body.count; i++) last = holder.runtime.bus.publish({ type: 'runtime.notice', source: 'test.emit', severity: 'info', title: `filler ${i}`, detail: filler }).seq;
    return { lastSeq: last };
  },
);

export const metricsRoute = withApi({ mutating: false }, async () => {
  const reg = metricsRegistry(getRuntimeHolder);
  return new Response(await reg.metrics(), { headers: { 'Content-Type': reg.contentType, 'Cache-Control': 'no-store' } });
});

/** The dashboard's read-only trading snapshot (windows, reference, feeds, PnL, orders, fills, positions, alerts). */
export const tradingRoute = withApi({ mutating: false }, ({ holder }) => holder.runtime.views.trading.snapshot());
