/**
 * Feed gate: may new orders be opened on the data we have? Follows `feed.stale` / `feed.recovered` and answers
 * with a reason when not. Degraded mode = reference stale while spot is alive: new orders are blocked unless the
 * config allows it (`allowDegraded`); `feed.degraded` is published on every change. Cancels are never gated.
 *
 * Invariants: every feed starts stale (nothing is trusted before its first message); the answer is computed from
 * current state only (no timers).
 */
import type { EventBus, Unsubscribe } from '../bus';
import type { FeedName } from '../core/connection';

export interface FeedGateOptions {
  bus: EventBus;
  /** The reference feed new orders need; 'none' = this data has no reference (a books-only recorded session). */
  reference: 'polybolt' | 'rtds' | 'none';
  allowDegraded: boolean;
  /** Feeds that must be fresh for new orders (default: clob-market + reference). */
  required?: FeedName[];
  isBookFresh?: (tokenId: string) => boolean;
  /** Per-asset reference freshness: why this token's own asset's reference is stale (several assets on one feed). */
  referenceBlock?: (tokenId: string) => string | undefined;
}

export class FeedGate {
  private readonly stale = new Map<FeedName, boolean>();
  private degraded = false;
  private readonly unsubs: Unsubscribe[] = [];

  constructor(private readonly o: FeedGateOptions) {
    for (const f of ['clob-market', 'clob-user', 'polybolt', 'rtds', 'spot'] as const) this.stale.set(f, true);
    this.unsubs.push(
      o.bus.on('feed.stale', (e) => this.set(e.feed, true)),
      o.bus.on('feed.recovered', (e) => this.set(e.feed, false)),
      o.bus.on('feed.health', (e) => this.set(e.feed, e.stale)),
    );
  }

  dispose(): void {
    for (const u of this.unsubs) u();
  }

  setAllowDegraded(allow: boolean): void {
    this.o.allowDegraded = allow;
    this.evaluate();
  }

  isStale(f: FeedName): boolean {
    return this.stale.get(f) ?? true;
  }

  isDegraded(): boolean {
    return this.degraded;
  }

  /** Why a new order may not be opened now (undefined = allowed). */
  blockReason(tokenId?: string): string | undefined {
    if (this.isStale('clob-market')) return 'market feed stale';
    if (tokenId && this.o.isBookFresh && !this.o.isBookFresh(tokenId)) return 'book not fresh (awaiting snapshot)';
    for (const f of this.o.required ?? []) if (this.isStale(f)) return `${f} feed stale`;
    if (this.o.reference !== 'none' && this.isStale(this.o.reference)) {
      if (this.isStale('spot')) return 'reference and spot feeds stale';
      if (!this.o.allowDegraded) return 'degraded mode: reference stale, spot only';
    }
    const own = tokenId && this.o.reference !== 'none' ? this.o.referenceBlock?.(tokenId) : undefined;
    if (own && !(this.o.allowDegraded && !this.isStale('spot'))) return own;
    return undefined;
  }

  private set(f: FeedName, stale: boolean): void {
    if (this.stale.get(f) === stale) return;
    this.stale.set(f, stale);
    this.evaluate();
  }

  private evaluate(): void {
    const ref = this.o.reference;
    const deg = ref !== 'none' && this.isStale(ref) && !this.isStale('spot');
    if (deg === this.degraded) return;
    this.degraded = deg;
    this.o.bus.publish({
      type: 'feed.degraded',
      degraded: deg,
      reason: deg ? `${ref} stale, spot alive` : `${ref} recovered`,
      ordersAllowed: !deg || this.o.allowDegraded,
    });
  }
}
