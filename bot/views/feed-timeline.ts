/**
 * The Feeds page's read model (GET /api/feeds): reference (Chainlink live), TWAP-60 and spot over time, their
 * divergence, a staleness timeline and reconnects per feed. Owned by the runtime (`runtime.views.feeds`).
 * (Filled in by the Feeds page work; the contract — constructor, snapshot(), dispose() — is fixed.)
 */
import type { EventBus } from '../bus';
import type { Clock } from '../clock';

export interface TimelineSource {
  readonly bus: EventBus;
  readonly clock: Clock;
}

export class FeedTimeline {
  constructor(private readonly source: TimelineSource) {}
  snapshot(): { nowMs: number } {
    return { nowMs: this.source.clock.nowMs() };
  }
  dispose(): void {}
}
