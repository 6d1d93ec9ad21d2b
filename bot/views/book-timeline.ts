/**
 * The Book page's read model (GET /api/book). Owned by the runtime (`runtime.views. top of book and depth ladders for Up and Down, spread and mid over time:book`).
 * (Filled in by the page work; the contract — constructor, snapshot(), dispose() — is fixed.)
 */
import type { TimelineSource } from './feed-timeline';

export class BookTimeline {
  constructor(private readonly source: TimelineSource) {}
  snapshot(): { nowMs: number } {
    return { nowMs: this.source.clock.nowMs() };
  }
  dispose(): void {}
}
