/**
 * The runtime's health as `/api/health` and the dashboard report it: `down` when the runtime is in error or nothing
 * has been reachable for a sustained period; `degraded` when a required feed is not fresh, the venue is unreachable,
 * market lookups keep failing, the preflight is NO-GO or the kill switch is not active; `idle` when not running;
 * otherwise `ok`. The judgement itself lives in the runtime (bot/health/health-monitor.ts); this adds the
 * runtime-level states. This is liveness. Readiness (`/api/ready`, runtimeReadiness below) is stricter: running,
 * reconciled with the venue, the feeds trading needs fresh.
 *
 * Invariants: read-only; reasons are operator text without secrets, at most 12.
 */
import 'server-only';
import type { Runtime } from '../../bot/runtime';
import type { HealthView } from '../schemas/preflight';

export function runtimeHealth(runtime: Runtime): HealthView {
  const s = runtime.status();
  if (s.state === 'error') return { status: 'down', reasons: [`runtime error: ${s.lastError ?? 'unknown'}`.slice(0, 300)] };
  if (s.state !== 'running') return { status: 'idle', reasons: [`runtime ${s.state}`] };
  const h = runtime.session?.health.evaluate() ?? { down: [], degraded: [] };
  const degraded = [...h.degraded];
  if (s.killSwitch.state !== 'active') degraded.push(`kill switch ${s.killSwitch.state}: ${s.killSwitch.reason}`);
  const reasons = [...h.down, ...degraded].map((r) => r.slice(0, 300)).slice(0, 12);
  return { status: h.down.length > 0 ? 'down' : degraded.length > 0 ? 'degraded' : 'ok', reasons };
}

/** One feed as readiness sees it: fresh or not, its last message's age (runtime clock), whether readiness needs it. */
export interface ReadinessFeed {
  feed: string;
  required: boolean;
  state: string;
  stale: boolean;
  lastMsgAgeMs: number | null;
}

/** `/api/ready`: ready only when running, reconciled with the venue and every required feed is fresh. */
export interface Readiness {
  ready: boolean;
  /** Why not (empty when ready); operator text without secrets, at most 12. */
  reasons: string[];
  state: string;
  /** The execution engine's ready flag: startup reconciliation with the venue completed. */
  reconciled: boolean;
  feeds: ReadinessFeed[];
}

interface FeedLike {
  readonly conn: { readonly health: { readonly state: string; readonly stale: boolean; ageMs(): number | undefined } };
}

/**
 * Readiness (not liveness: that is `/api/health`): the runtime is running, its venue session's execution engine is
 * ready (startup reconciliation done) and the feeds trading needs are fresh: the market feed, the reference feed
 * (none: not ready — no CLOB API credentials) and, in live mode, the user feed. Spot is listed but not required.
 */
export function runtimeReadiness(runtime: Runtime): Readiness {
  const state = runtime.status().state;
  const reasons: string[] = [];
  if (state !== 'running') reasons.push(`runtime ${state}`);
  const stack = runtime.session?.stack;
  if (!stack) {
    reasons.push('no venue session');
    return { ready: false, reasons, state, reconciled: false, feeds: [] };
  }
  const reconciled = stack.engine?.ready === true;
  if (!reconciled) reasons.push(`not reconciled with the venue: ${stack.engine?.notReadyReason ?? 'engine not built'}`);
  const list: [string, FeedLike | undefined, boolean][] = [
    ['clob-market', stack.marketFeed, true],
    [stack.referenceFeed, stack.refFeed, true],
    ['spot', stack.spotFeed, false],
    ...(stack.userFeed ? ([['clob-user', stack.userFeed, true]] as [string, FeedLike, boolean][]) : []),
  ];
  const feeds: ReadinessFeed[] = [];
  for (const [feed, f, required] of list) {
    if (!f) {
      if (required) reasons.push(`no ${feed} reference feed (no CLOB API credentials)`);
      continue;
    }
    const h = f.conn.health;
    const age = h.ageMs();
    feeds.push({ feed, required, state: h.state, stale: h.stale, lastMsgAgeMs: age === undefined ? null : Math.max(0, age) });
    if (required && h.stale) reasons.push(`${feed} feed not fresh (${h.state}, ${age === undefined ? 'no message yet' : `last message ${(age / 1000).toFixed(1)} s ago`})`);
  }
  return { ready: reasons.length === 0, reasons: reasons.map((r) => r.slice(0, 300)).slice(0, 12), state, reconciled, feeds };
}
