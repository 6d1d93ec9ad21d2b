/**
 * The Feeds page's read model (GET /api/feeds): per asset (BTC, ETH, ...: the asset of each price event's symbol), its
 * reference (Chainlink live), TWAP-60 and spot sampled once per second on the bus clock and their divergence; per
 * feed a status timeline (open / stale / backoff ...), reconnect times and msgs/s + bad frames; per external signal
 * source (`signal.external`) its last reading, error and counters (lib/schemas/external-signals.ts). Owned by the runtime
 * (`runtime.views.feeds`), created with it.
 *
 * The state is one `FeedsSnapshot` folded event by event with `foldFeedEvent` (lib/schemas/feeds.ts, the same fold
 * the browser's live overlay runs). It is seeded from the bus history and subscribed in the same synchronous turn, so
 * nothing falls in between.
 *
 * Invariants: read-only (nothing here changes the runtime); one asset's prices never fold into another's; every list
 * bounded (`feedsLimits`: assets, rows per asset, 30-minute window); a throwing fold never reaches the bus; the output
 * parses with `feedsSnapshotSchema` (checked in tests).
 */
import type { EventBus } from '../bus';
import type { Clock } from '../clock';
import type { BotEvent } from '../../lib/schemas/events';
import { emptyFeedsSnapshot, foldFeedEvent, trimFeedsSnapshot, type FeedsSnapshot } from '../../lib/schemas/feeds';

export interface TimelineSource {
  readonly bus: EventBus;
  readonly clock: Clock;
}

export class FeedTimeline {
  private state: FeedsSnapshot;
  /** The last bus seq seen (relevant or not): the snapshot is consistent with every event up to it. */
  private seenSeq = 0;
  private readonly unsubscribe: () => void;

  constructor(private readonly source: TimelineSource) {
    this.state = emptyFeedsSnapshot(source.clock.nowMs());
    const history = source.bus.history;
    for (const e of history.recent(history.size)) this.apply(e);
    this.unsubscribe = source.bus.onAny((e) => {
      try {
        this.apply(e);
      } catch {
        // never let the Feeds page's timeline break the bus
      }
    });
  }

  private apply(e: BotEvent): void {
    if (e.seq > this.seenSeq) this.seenSeq = e.seq;
    const next = foldFeedEvent(this.state, e);
    if (next) this.state = next;
  }

  snapshot(): FeedsSnapshot {
    return trimFeedsSnapshot(this.state, Math.max(this.state.nowMs, this.source.clock.nowMs()), this.seenSeq);
  }

  dispose(): void {
    this.unsubscribe();
  }
}
