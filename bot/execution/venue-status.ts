/**
 * Venue trading status from error responses (protocol reference §2.7): 425 = matching engine restarting,
 * 503 `post_only_mode` = only post-only GTC/GTD accepted, 503 cancel-only / disabled = no new orders, 429 =
 * rate limited. Each status lasts until its Retry-After (or a bounded exponential backoff capped at 30 s for 425).
 *
 * Invariants: cancels are never denied here; no taker order (FOK/FAK or non-post-only) leaves while restarting or
 * in post-only mode; the status returns to normal by time only (next error re-arms it).
 */
import type { EventBus } from '../bus';
import type { Clock } from '../clock';
import type { OrderType } from '../core/orders';

export type VenueTradingStatus = 'normal' | 'restarting' | 'post_only' | 'cancel_only' | 'disabled' | 'rate_limited';

export interface ErrorInfo {
  status: number;
  body: string;
  retryAfterMs?: number;
}

export class VenueStatus {
  private status: VenueTradingStatus = 'normal';
  private untilMs = 0;
  private restartStreak = 0;

  constructor(
    private readonly clock: Clock,
    private readonly bus: EventBus,
  ) {}

  current(): VenueTradingStatus {
    if (this.status !== 'normal' && this.clock.nowMs() >= this.untilMs) {
      this.status = 'normal';
      this.bus.publish({ type: 'venue.status', status: 'normal' });
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

  /** Classify a failed response; returns the status it set (or undefined when not a venue-state error). */
  onError(e: ErrorInfo): VenueTradingStatus | undefined {
    const body = e.body.toLowerCase();
    if (e.status === 425) {
      this.restartStreak++;
      const backoff = Math.min(30_000, 1000 * 2 ** Math.min(this.restartStreak - 1, 5));
      return this.set('restarting', e.retryAfterMs ?? backoff, 'matching engine restarting');
    }
    if (e.status === 503) {
      if (body.includes('post_only') || body.includes('post-only')) return this.set('post_only', e.retryAfterMs ?? 120_000, 'post-only mode');
      if (body.includes('cancel-only') || body.includes('cancel only')) return this.set('cancel_only', e.retryAfterMs ?? 30_000, 'cancel-only');
      return this.set('disabled', e.retryAfterMs ?? 30_000, 'trading disabled');
    }
    if (e.status === 429) return this.set('rate_limited', e.retryAfterMs ?? 1000, 'rate limited');
    return undefined;
  }

  onSuccess(): void {
    this.restartStreak = 0;
  }

  private set(s: VenueTradingStatus, forMs: number, reason: string): VenueTradingStatus {
    this.status = s;
    this.untilMs = this.clock.nowMs() + forMs;
    this.bus.publish({ type: 'venue.status', status: s, retryAfterMs: forMs, reason });
    return s;
  }
}
