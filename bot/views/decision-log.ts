/**
 * The Strategy page's read model (GET /api/strategy). Owned by the runtime (`runtime.views. per strategy instance the decision log, p_hat versus ask, EV and z over time:decisions`).
 * (Filled in by the page work; the contract — constructor, snapshot(), dispose() — is fixed.)
 */
import type { TimelineSource } from './feed-timeline';

export class DecisionLog {
  constructor(private readonly source: TimelineSource) {}
  snapshot(): { nowMs: number } {
    return { nowMs: this.source.clock.nowMs() };
  }
  dispose(): void {}
}
