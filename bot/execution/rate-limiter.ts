/**
 * Client-side rate limiter: two token buckets (orders, cancels) per signer, a FIFO per class, and cancels first.
 * A server Retry-After pauses the affected class until the given time; `Poly-RateLimit-Warning` halves the
 * order refill until it clears.
 *
 * Invariants: queued work is bounded (`maxQueue` per class; beyond it `acquire` rejects at once); cancels are
 * always dispatched before orders when both are ready; timers come from the injected Clock.
 */
import type { CancelTimer, Clock } from '../clock';

export type LimitClass = 'order' | 'cancel';

interface Bucket {
  tokens: number;
  burst: number;
  perSec: number;
  lastMs: number;
  pausedUntilMs: number;
}

interface Waiter {
  cost: number;
  resolve: () => void;
  reject: (e: Error) => void;
}

export interface RateLimiterOptions {
  clock: Clock;
  orders?: { perSec: number; burst: number };
  cancels?: { perSec: number; burst: number };
  maxQueue?: number;
}

export class RateLimiter {
  private readonly buckets: Record<LimitClass, Bucket>;
  private readonly queues: Record<LimitClass, Waiter[]> = { order: [], cancel: [] };
  private timer: CancelTimer | undefined;
  private warning = false;
  readonly stats = { throttled: 0, rejected: 0, retryAfterPauses: 0 };

  constructor(private readonly o: RateLimiterOptions) {
    const now = o.clock.nowMs();
    const ord = o.orders ?? { perSec: 40, burst: 60 };
    const can = o.cancels ?? { perSec: 80, burst: 120 };
    this.buckets = {
      order: { tokens: ord.burst, burst: ord.burst, perSec: ord.perSec, lastMs: now, pausedUntilMs: 0 },
      cancel: { tokens: can.burst, burst: can.burst, perSec: can.perSec, lastMs: now, pausedUntilMs: 0 },
    };
  }

  /** Resolve when `cost` tokens of `cls` are available (immediately when possible). */
  acquire(cls: LimitClass, cost = 1): Promise<void> {
    this.refill();
    const q = this.queues[cls];
    if (q.length === 0 && this.canTake(cls, cost) && (cls === 'cancel' || this.queues.cancel.length === 0)) {
      this.buckets[cls].tokens -= cost;
      return Promise.resolve();
    }
    if (q.length >= (this.o.maxQueue ?? 1000)) {
      this.stats.rejected++;
      return Promise.reject(new Error(`rate limiter queue full (${cls})`));
    }
    this.stats.throttled++;
    return new Promise<void>((resolve, reject) => {
      q.push({ cost, resolve, reject });
      this.schedule();
    });
  }

  /** Would an order go out right now without waiting? */
  readyNow(cls: LimitClass, cost = 1): boolean {
    this.refill();
    return this.queues[cls].length === 0 && this.canTake(cls, cost);
  }

  /** Server said Retry-After: pause this class until now + ms. */
  pause(cls: LimitClass, ms: number): void {
    const b = this.buckets[cls];
    b.pausedUntilMs = Math.max(b.pausedUntilMs, this.o.clock.nowMs() + ms);
    this.stats.retryAfterPauses++;
    this.schedule();
  }

  pausedUntil(cls: LimitClass): number {
    return this.buckets[cls].pausedUntilMs;
  }

  setWarning(on: boolean): void {
    this.warning = on;
  }

  queued(cls: LimitClass): number {
    return this.queues[cls].length;
  }

  dispose(): void {
    this.timer?.();
    for (const cls of ['cancel', 'order'] as const) for (const w of this.queues[cls].splice(0)) w.reject(new Error('rate limiter disposed'));
  }

  private canTake(cls: LimitClass, cost: number): boolean {
    const b = this.buckets[cls];
    return this.o.clock.nowMs() >= b.pausedUntilMs && b.tokens >= Math.min(cost, b.burst);
  }

  private refill(): void {
    const now = this.o.clock.nowMs();
    for (const cls of ['order', 'cancel'] as const) {
      const b = this.buckets[cls];
      const rate = cls === 'order' && this.warning ? b.perSec / 2 : b.perSec;
      b.tokens = Math.min(b.burst, b.tokens + ((now - b.lastMs) / 1000) * rate);
      b.lastMs = now;
    }
  }

  private drain(): void {
    this.timer = undefined;
    this.refill();
    for (const cls of ['cancel', 'order'] as const) {
      const q = this.queues[cls];
      while (q.length > 0 && this.canTake(cls, q[0]!.cost)) {
        if (cls === 'order' && this.queues.cancel.length > 0) break;
        const w = q.shift()!;
        this.buckets[cls].tokens -= w.cost;
        w.resolve();
      }
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    if (this.queues.order.length === 0 && this.queues.cancel.length === 0) return;
    const now = this.o.clock.nowMs();
    let wait = Infinity;
    for (const cls of ['cancel', 'order'] as const) {
      const q = this.queues[cls];
      if (!q.length) continue;
      const b = this.buckets[cls];
      const need = Math.max(0, Math.min(q[0]!.cost, b.burst) - b.tokens);
      const rate = cls === 'order' && this.warning ? b.perSec / 2 : b.perSec;
      wait = Math.min(wait, Math.max(b.pausedUntilMs - now, (need / rate) * 1000, 1));
    }
    this.timer = this.o.clock.after(Math.ceil(wait), 'rate-limiter', () => this.drain());
  }
}
