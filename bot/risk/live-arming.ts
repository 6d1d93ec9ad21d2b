/**
 * LiveArming: the last switch between a live runtime and the venue. A runtime in live mode (TRADING_MODE=live with a
 * signing key) connects, reconciles, runs its preflight and its strategies, but every new order is refused
 * (`not_armed`) until an operator arms it: a typed confirmation in the console (`ARM LIVE`) or `--arm` on the
 * command line (armed as soon as the preflight says GO). Disarming is one action: new orders are refused in the same
 * turn and our resting orders are cancelled.
 *
 * Invariants:
 * - Every start comes up disarmed (arming never survives a stop or a process restart); halting the kill switch
 *   disarms (re-activating does not re-arm).
 * - Arming needs: the runtime running live, a signing key for this start, the kill switch not halted, and the preflight
 *   GO (`readiness()` says why not). Refusals throw ArmingError with the reason; nothing changes.
 * - Every change is audited (actor, reason) and published as `arming.changed`; no secret is ever part of either.
 * - A runtime that does not need arming (paper) reports `required: false` and never blocks.
 */
import type { EventBus } from '../bus';
import type { Clock } from '../clock';
import type { AuditLog } from '../store';

/** What the operator types to arm live trading. */
export const ARM_CONFIRMATION = 'ARM LIVE';

export interface ArmingSnapshot {
  /** False in paper mode: orders never wait for an arm. */
  required: boolean;
  armed: boolean;
  sinceMs: number | null;
  actor: string | null;
  reason: string | null;
  /** An arm request (`--arm`) waits for the preflight to say GO. */
  armWhenReady: boolean;
  /** Why arming is refused right now (undefined: it may be armed). */
  notReady?: string;
}

export type ArmingErrorCode = 'not_required' | 'confirmation' | 'reason' | 'not_ready';

export class ArmingError extends Error {
  constructor(
    message: string,
    readonly code: ArmingErrorCode,
  ) {
    super(message);
    this.name = 'ArmingError';
  }
}

export interface LiveArmingOptions {
  clock: Clock;
  bus: EventBus;
  audit: AuditLog;
  /** True in live mode (the composition root decides). */
  required: boolean;
  /** Why the runtime may not be armed now (not running, no signing key, halted, preflight not GO); undefined = ready. */
  readiness: () => string | undefined;
  /** Cancel every resting order of ours (venue-wide); resolves to how many were cancelled. */
  cancelAll: () => Promise<number>;
}

export class LiveArming {
  private state: { armed: boolean; sinceMs: number | null; actor: string | null; reason: string | null } = { armed: false, sinceMs: null, actor: null, reason: null };
  private pendingArm: { actor: string; reason: string } | undefined;

  constructor(private readonly o: LiveArmingOptions) {}

  get required(): boolean {
    return this.o.required;
  }

  get armed(): boolean {
    return this.state.armed;
  }

  snapshot(): ArmingSnapshot {
    const notReady = this.o.required && !this.state.armed ? this.o.readiness() : undefined;
    return { required: this.o.required, ...this.state, armWhenReady: this.pendingArm !== undefined, ...(notReady ? { notReady } : {}) };
  }

  /** Why an order may not be sent now (the risk engine's `not_armed` rule and the execution gate). */
  blockReason(): string | undefined {
    if (!this.o.required || this.state.armed) return undefined;
    return this.pendingArm
      ? 'live trading not armed yet: --arm waits for the preflight to say GO'
      : 'live trading is not armed: arm it in the console (typed confirmation) or start with --arm';
  }

  /** Arm now. Throws ArmingError (nothing changes) when the confirmation, the reason or the runtime is not right. */
  arm(req: { actor: string; reason: string; confirm: string; source?: string }): ArmingSnapshot {
    if (!this.o.required) throw new ArmingError('this runtime trades on paper: there is nothing to arm (live needs TRADING_MODE=live and a signing key)', 'not_required');
    if (req.confirm.trim() !== ARM_CONFIRMATION) throw new ArmingError(`type ${ARM_CONFIRMATION} exactly to arm live trading`, 'confirmation');
    const reason = checkReason(req.reason);
    const why = this.o.readiness();
    if (why) throw new ArmingError(`cannot arm: ${why}`, 'not_ready');
    this.pendingArm = undefined;
    if (this.state.armed) return this.snapshot();
    this.set(true, req.actor, reason, false, true, req.source);
    return this.snapshot();
  }

  /** `--arm`: arm as soon as the runtime is ready (poll() is called after every preflight report). */
  armWhenReady(req: { actor: string; reason: string }): ArmingSnapshot {
    if (!this.o.required) throw new ArmingError('--arm needs TRADING_MODE=live and a signing key: this runtime trades on paper', 'not_required');
    this.pendingArm = { actor: req.actor, reason: checkReason(req.reason) };
    this.o.audit.record(this.o.clock.nowMs(), req.actor, 'arming.requested', { reason: this.pendingArm.reason });
    this.poll();
    return this.snapshot();
  }

  /** Arm a waiting `--arm` request when the runtime became ready. */
  poll(): void {
    const p = this.pendingArm;
    if (!p || this.state.armed || this.o.readiness()) return;
    this.pendingArm = undefined;
    this.set(true, p.actor, p.reason, false);
  }

  /** Disarm: new orders are refused from now on and our resting orders are cancelled. Idempotent. */
  async disarm(req: { actor: string; reason: string; automatic?: boolean; source?: string }): Promise<ArmingSnapshot> {
    const wasArmed = this.state.armed;
    this.pendingArm = undefined;
    if (!this.o.required || !wasArmed) return this.snapshot();
    const reason = req.reason.trim().slice(0, 500) || 'disarmed';
    this.set(false, req.actor, reason, req.automatic ?? false, false, req.source);
    let canceled = 0;
    try {
      canceled = await this.o.cancelAll();
    } catch (err) {
      this.o.bus.publish({ type: 'runtime.error', source: 'arming.disarm', message: `cancel-all after disarm failed: ${err instanceof Error ? err.message : String(err)}` });
    }
    this.o.bus.publish({ type: 'arming.changed', armed: false, actor: req.actor, reason, automatic: req.automatic ?? false, canceled });
    return this.snapshot();
  }

  /** A stop ends the arm (every start comes up disarmed); no cancel here: stopping handles its own orders. */
  reset(reason: string): void {
    this.pendingArm = undefined;
    if (this.state.armed) this.set(false, 'system', reason, true);
  }

  private set(armed: boolean, actor: string, reason: string, automatic: boolean, publish = true, source?: string): void {
    const now = this.o.clock.nowMs();
    const from = this.state.armed ? 'armed' : 'disarmed';
    this.state = { armed, sinceMs: now, actor, reason };
    this.o.audit.record(now, actor, armed ? 'arming.armed' : 'arming.disarmed', { reason, automatic, from, to: armed ? 'armed' : 'disarmed', ...(source ? { source } : {}) });
    if (publish) this.o.bus.publish({ type: 'arming.changed', armed, actor, reason, automatic });
  }
}

function checkReason(raw: string): string {
  const reason = raw.trim();
  if (reason.length < 3) throw new ArmingError('say why you arm live trading (at least 3 characters); it goes into the audit trail', 'reason');
  return reason.slice(0, 500);
}
