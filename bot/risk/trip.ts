/**
 * tripKillSwitch(): how an automatic trigger asks the kill switch to move towards safety. The reason starts with the
 * trigger's name (`stale_reference: …`), so the audit trail (`killswitch.set`) says which trigger acted and why.
 *
 * Invariants: only ever moves towards safety (a trigger asking for `reducing` while halted does nothing); the kill
 * switch persists, audits and runs its halt hooks; `risk.triggered` is published only when the state moved.
 */
import type { RiskTrigger } from '../../lib/schemas/events/risk';
import type { TradingState } from '../../lib/schemas/events/runtime';
import type { EventBus } from '../bus';
import type { KillSwitch } from './kill-switch';

const SAFETY: Record<TradingState, number> = { active: 0, reducing: 1, halted: 2 };

/** Returns true when the state moved. */
export function tripKillSwitch(killSwitch: KillSwitch, bus: EventBus, trigger: RiskTrigger, state: 'reducing' | 'halted', detail: string): boolean {
  if (SAFETY[killSwitch.state] >= SAFETY[state]) return false;
  const reason = `${trigger}: ${detail}`;
  killSwitch.set({ state, reason, actor: 'risk', automatic: true });
  bus.publish({ type: 'risk.triggered', trigger, state, reason });
  return true;
}
