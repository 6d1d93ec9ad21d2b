/**
 * KillSwitch: owns the trading state (active / reducing / halted). Nobody flips it directly; the console,
 * API, CLI and automatic triggers ask it.
 *
 * Invariants:
 * - Automatic triggers only move towards safety (active -> reducing -> halted), never back.
 * - Only an operator (non-automatic actor) with a reason can move to a less safe state.
 * - Every change is persisted before it is published, audited, and (when halting) runs the halt hooks
 *   synchronously in the same call, so cancel-all is issued within one event-loop turn.
 * - The state survives restarts: it is restored from the store at construction.
 */
import type { TradingState } from '../../lib/schemas/events/runtime';
import type { EventBus } from '../bus';
import type { Clock } from '../clock';
import type { AuditLog, KillSwitchStore } from '../store';
import { type TransitionTable, transition } from '../util/state-machine';

const table: TransitionTable<TradingState> = {
  active: ['reducing', 'halted'],
  reducing: ['active', 'halted'],
  halted: ['active', 'reducing'],
};
const safety: Record<TradingState, number> = { active: 0, reducing: 1, halted: 2 };

export interface KillSwitchChange {
  state: TradingState;
  reason: string;
  actor: string;
  automatic?: boolean;
  /** Where an operator's request came from (the console's request address, `cli`); goes into the audit row. */
  source?: string;
}

export interface KillSwitchSnapshot {
  state: TradingState;
  reason: string;
  actor: string;
  automatic: boolean;
  sinceMs: number;
}

export class KillSwitchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KillSwitchError';
  }
}

export class KillSwitch {
  private snap: KillSwitchSnapshot;
  private readonly haltHooks: ((s: KillSwitchSnapshot) => void)[] = [];

  constructor(
    private readonly deps: { clock: Clock; bus: EventBus; store: KillSwitchStore; audit: AuditLog },
  ) {
    const last = deps.store.latest();
    this.snap = last
      ? { state: last.state, reason: last.reason, actor: last.actor, automatic: last.automatic, sinceMs: last.tsMs }
      : { state: 'active', reason: 'initial state', actor: 'system', automatic: true, sinceMs: deps.clock.nowMs() };
  }

  snapshot(): KillSwitchSnapshot {
    return { ...this.snap };
  }

  get state(): TradingState {
    return this.snap.state;
  }

  /** New exposure may be opened only when active. */
  allowsNewOrders(): boolean {
    return this.snap.state === 'active';
  }

  /** Orders that only reduce exposure are allowed unless halted. */
  allowsReducingOrders(): boolean {
    return this.snap.state !== 'halted';
  }

  /** Register a hook run synchronously whenever the state becomes halted or reducing (e.g. cancel-all). */
  onHalt(hook: (s: KillSwitchSnapshot) => void): () => void {
    this.haltHooks.push(hook);
    return () => {
      const i = this.haltHooks.indexOf(hook);
      if (i >= 0) this.haltHooks.splice(i, 1);
    };
  }

  /** Apply a change; returns the new snapshot (unchanged when already in that state). Throws KillSwitchError if refused. */
  set(change: KillSwitchChange): KillSwitchSnapshot {
    const automatic = change.automatic ?? false;
    const reason = change.reason.trim();
    const prev = this.snap.state;
    if (change.state === prev) return this.snapshot();
    if (safety[change.state] < safety[prev]) {
      if (automatic) throw new KillSwitchError(`automatic trigger cannot move trading state from ${prev} to ${change.state}`);
      if (reason.length < 3) throw new KillSwitchError('re-activating needs an operator reason');
    }
    transition('trading-state', table, prev, change.state);
    const nowMs = this.deps.clock.nowMs();
    this.deps.store.save({ tsMs: nowMs, state: change.state, prevState: prev, reason, actor: change.actor, automatic });
    this.deps.audit.record(nowMs, change.actor, 'killswitch.set', { from: prev, to: change.state, reason, automatic, ...(change.source ? { source: change.source } : {}) });
    this.snap = { state: change.state, reason, actor: change.actor, automatic, sinceMs: nowMs };
    if (safety[change.state] > safety[prev]) {
      for (const hook of [...this.haltHooks]) {
        try {
          hook(this.snapshot());
        } catch (err) {
          this.deps.bus.publish({ type: 'runtime.error', source: 'killswitch.hook', message: err instanceof Error ? err.message : String(err) });
        }
      }
    }
    this.deps.bus.publish({ type: 'killswitch.changed', state: change.state, prevState: prev, reason, actor: change.actor, automatic });
    return this.snapshot();
  }
}
