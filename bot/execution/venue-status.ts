/**
 * Venue trading status from error responses (protocol reference §2.7): 425 = matching engine restarting,
 * 503 `post_only_mode` = only post-only GTC/GTD accepted, 503 cancel-only / disabled = no new orders, 429 =
 * rate limited. Each status lasts until its Retry-After (or a default hold), except a restart (below).
 *
 * Engine restart (battery B6): after a 425 every new order is refused locally. With a probe wired (the live order
 * side: one heartbeat), the venue is probed after a backoff of max(Retry-After, 1 s, 2 s, 4 s, ... capped at 30 s)
 * and the restart ends only when a venue request succeeds (`onAlive`); without a probe it ends by time. A restart
 * that lasted at least `assumePostOnlyAfterMs` (10 s: a real restart, not a one-off 425) is followed by the venue's
 * documented post-only period (`postOnlyAfterRestartMs`, 2 min) during which takers are refused locally, so no
 * taker order has to discover it; a post-only answer from the venue (with its retry_after) overrides it.
 *
 * Invariants: cancels are never denied here; no taker order (FOK/FAK or non-post-only) leaves while restarting or
 * in post-only mode; a 429 never lifts a stronger status; the assumed post-only period runs from the restart's end;
 * at most one probe is pending; every transition is published as `venue.status` (the log line of
 * a restart: status `restarting`, reason "matching engine restarting"); timers use the injected Clock.
 */
import type { EventBus } from '../bus';
import type { CancelTimer, Clock } from '../clock';
import type { OrderType } from '../core/orders';

export type VenueTradingStatus = 'normal' | 'restarting' | 'post_only' | 'cancel_only' | 'disabled' | 'rate_limited';

export interface ErrorInfo {
  status: number;
  body: string;
  retryAfterMs?: number;
}

export interface VenueStatusPolicy {
  /** First probe delay after a 425 (doubles per further 425). */
  restartBackoffMs: number;
  /** Longest wait between two probes of a restarting venue (the official SDK caps its backoff at 30 s). */
  restartBackoffCapMs: number;
  /** A restart at least this long is followed by an assumed post-only period. */
  assumePostOnlyAfterMs: number;
  /** How long the venue stays post-only after a restart (reference §2.7: about 2 minutes). */
  postOnlyAfterRestartMs: number;
}

export const DEFAULT_VENUE_STATUS_POLICY: VenueStatusPolicy = { restartBackoffMs: 1_000, restartBackoffCapMs: 30_000, assumePostOnlyAfterMs: 10_000, postOnlyAfterRestartMs: 120_000 };

export class VenueStatus {
  private status: VenueTradingStatus = 'normal';
  private untilMs = 0;
  private restartStreak = 0;
  private restartSinceMs = 0;
  private probe: (() => Promise<unknown>) | undefined;
  private probeTimer: CancelTimer | undefined;
  private probing = false;
  readonly policy: VenueStatusPolicy;
  readonly stats = { restarts: 0, probes: 0 };

  constructor(
    private readonly clock: Clock,
    private readonly bus: EventBus,
    policy: Partial<VenueStatusPolicy> = {},
  ) {
    this.policy = { ...DEFAULT_VENUE_STATUS_POLICY, ...policy };
  }

  /** A cheap authenticated venue request whose answer reaches `onError` / `onAlive` (the live side: a heartbeat). */
  setProbe(probe: (() => Promise<unknown>) | undefined): void {
    this.probe = probe;
  }

  current(): VenueTradingStatus {
    if (this.status !== 'normal' && this.clock.nowMs() >= this.untilMs && !(this.status === 'restarting' && this.probe)) {
      if (this.status === 'restarting') this.endRestart(this.untilMs);
      else this.set('normal', 0);
    }
    return this.status;
  }

  /** Why a new order of this kind may not be sent now (undefined = allowed). */
  denyReason(orderType: OrderType, postOnly: boolean): string | undefined {
    const s = this.current();
    if (s === 'normal' || s === 'rate_limited') return undefined;
    if (s === 'post_only') return postOnly && (orderType === 'GTC' || orderType === 'GTD') ? undefined : 'venue in post-only mode';
    return `venue ${s.replace('_', '-')}`;
  }

  /** Classify a failed response; returns the status it indicates (or undefined when not a venue-state error). */
  onError(e: ErrorInfo): VenueTradingStatus | undefined {
    const body = e.body.toLowerCase();
    if (e.status === 425) return this.onRestarting(e.retryAfterMs);
    if (e.status === 503) {
      if (body.includes('post_only') || body.includes('post-only')) return this.set('post_only', e.retryAfterMs ?? this.policy.postOnlyAfterRestartMs, 'post-only mode');
      if (body.includes('cancel-only') || body.includes('cancel only')) return this.set('cancel_only', e.retryAfterMs ?? 30_000, 'cancel-only');
      return this.set('disabled', e.retryAfterMs ?? 30_000, 'trading disabled');
    }
    if (e.status === 429) {
      // A rate limit says nothing about the trading mode (the limiter does the waiting): it never lifts a stronger status.
      const s = this.current();
      if (s !== 'normal' && s !== 'rate_limited') return 'rate_limited';
      return this.set('rate_limited', e.retryAfterMs ?? 1000, 'rate limited');
    }
    return undefined;
  }

  /** A venue request was answered 2xx: a restart is over. */
  onAlive(): void {
    if (this.status === 'restarting') this.endRestart(this.clock.nowMs());
    this.restartStreak = 0;
  }

  /** Kept for callers of the first version: same as `onAlive`. */
  onSuccess(): void {
    this.onAlive();
  }

  dispose(): void {
    this.probeTimer?.();
    this.probeTimer = undefined;
  }

  private onRestarting(retryAfterMs: number | undefined): VenueTradingStatus {
    if (this.status !== 'restarting') {
      this.restartSinceMs = this.clock.nowMs();
      this.stats.restarts++;
    }
    this.restartStreak++;
    const p = this.policy;
    const backoff = Math.min(p.restartBackoffCapMs, p.restartBackoffMs * 2 ** Math.min(this.restartStreak - 1, 20));
    const holdMs = Math.max(retryAfterMs ?? 0, backoff);
    this.set('restarting', holdMs, 'matching engine restarting');
    this.scheduleProbe(holdMs);
    return 'restarting';
  }

  private scheduleProbe(delayMs: number): void {
    if (!this.probe) return;
    this.probeTimer?.();
    this.probeTimer = this.clock.after(delayMs, 'venue-status.probe', () => {
      this.probeTimer = undefined;
      void this.runProbe();
    });
  }

  private async runProbe(): Promise<void> {
    if (this.probing || !this.probe || this.status !== 'restarting') return;
    this.probing = true;
    this.stats.probes++;
    try {
      await this.probe();
    } catch {
      /* the answer (or its absence) is judged below */
    } finally {
      this.probing = false;
    }
    // Not a 425 and not alive (timeout, 5xx): probe again at the current backoff.
    if (this.status === 'restarting' && !this.probeTimer) {
      const p = this.policy;
      this.scheduleProbe(Math.min(p.restartBackoffCapMs, p.restartBackoffMs * 2 ** Math.min(Math.max(this.restartStreak - 1, 0), 20)));
    }
  }

  /** The restart ended at `endMs` (a success, or the hold's end when no probe is wired). */
  private endRestart(endMs: number): void {
    this.probeTimer?.();
    this.probeTimer = undefined;
    const lastedMs = endMs - this.restartSinceMs;
    this.restartStreak = 0;
    // The venue's post-only period runs from the restart's end, however late this is noticed (no probe: lazily).
    const postOnlyLeftMs = endMs + this.policy.postOnlyAfterRestartMs - this.clock.nowMs();
    if (lastedMs >= this.policy.assumePostOnlyAfterMs && postOnlyLeftMs > 0) this.set('post_only', postOnlyLeftMs, `post-only assumed after a ${Math.round(lastedMs / 1000)} s engine restart`);
    else this.set('normal', 0, 'engine restart over');
  }

  private set(s: VenueTradingStatus, forMs: number, reason?: string): VenueTradingStatus {
    this.status = s;
    this.untilMs = this.clock.nowMs() + forMs;
    this.bus.publish({ type: 'venue.status', status: s, ...(s !== 'normal' ? { retryAfterMs: forMs } : {}), ...(reason ? { reason } : {}) });
    return s;
  }
}
