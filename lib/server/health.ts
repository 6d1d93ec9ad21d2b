/**
 * The runtime's health as `/api/health` and the dashboard report it: `down` when the runtime is in error or nothing
 * has been reachable for a sustained period; `degraded` when a required feed is not fresh, the venue is unreachable,
 * market lookups keep failing, the preflight is NO-GO or the kill switch is not active; `idle` when not running;
 * otherwise `ok`. The judgement itself lives in the runtime (bot/health/health-monitor.ts); this adds the
 * runtime-level states.
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
