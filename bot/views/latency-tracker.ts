/**
 * LatencyTracker: the order path's latencies, measured from the bus as it runs (a subscriber: nothing in the event
 * path changes, nothing is published). Three stages, each handed to `observe(stage, seconds)`:
 *
 * - `frame_to_decision`: from the start of a market-data event's dispatch (`book.top`, `book.trade`, `ref.price`: what
 *   the strategy host reacts to) to the end of its typed handlers, when the strategies have run on it. Observed once
 *   per such event on which at least one strategy published a decision (a `strategy.decision` published during that
 *   dispatch, recognised by its seq). Real time (the injected monotonic clock). The frame's socket receive and
 *   parse are not included: the event carries no receive time on a real-time scale.
 * - `decision_to_sent`: from the order's creation (the risk-approved place intent: the tracker's `createdMs`) to its
 *   `order.sent` event (the request's bytes handed to the socket; paper: the in-process send), so signing,
 *   journaling and any rate-limiter wait are inside it. Runtime-clock time (1 ms resolution: the bus carries no
 *   `created` event), turned into real time by the clock's rate.
 * - `sent_to_ack`: from `order.sent` to the venue's first answer (live, partial, filled, canceled or rejected; an
 *   `unknown` outcome is no answer and is not observed). Real time (the injected monotonic clock).
 *
 * Invariants: create it before the runtime starts (its typed handlers must run before the strategy host's, which
 * subscribes at start); no allocation per market-data event (numbers only); orders awaiting an answer are bounded
 * (`maxInFlight`, oldest dropped); a throwing observer is caught by the bus like any handler.
 */
import type { EventBus, Unsubscribe } from '../bus';
import type { BotEvent, EventOf, orderStates } from '../../lib/schemas/events';

type OrderState = (typeof orderStates)[number];

export const latencyStages = ['frame_to_decision', 'decision_to_sent', 'sent_to_ack'] as const;
export type LatencyStage = (typeof latencyStages)[number];

/** The market-data events the strategy host dispatches to strategies. */
export const decisionTriggers = ['book.top', 'book.trade', 'ref.price'] as const;

const ACK_STATES: ReadonlySet<OrderState> = new Set<OrderState>(['live', 'partial', 'filled', 'canceled', 'rejected']);

export interface LatencyTrackerOptions {
  bus: EventBus;
  /** Real monotonic time in ms (monotonicMs from bot/clock; a fake in tests). */
  monotonicMs: () => number;
  /** Creation time (runtime clock, epoch ms) of an order the runtime tracks. */
  orderCreatedMs: (clientId: string) => number | undefined;
  /** Runtime-clock ms per real ms: 1 for the wall clock, the speed of a scaled clock. */
  clockRate: () => number;
  observe: (stage: LatencyStage, seconds: number) => void;
  /** Orders awaiting their first answer that are remembered (default 4096). */
  maxInFlight?: number;
}

export class LatencyTracker {
  readonly stats = { frames: 0, framesWithDecision: 0, sent: 0, acked: 0, droppedInFlight: 0 };
  /** The trigger being dispatched (its seq), the bus's last seq when its dispatch began, and when (monotonic). */
  private frameSeq = -1;
  private frameFromSeq = 0;
  private frameStartMs = 0;
  /** The last finished trigger dispatch: the seqs published during it, its duration, whether it was observed. */
  private rangeFromSeq = 0;
  private rangeToSeq = 0;
  private rangeMs = 0;
  private rangeObserved = true;
  /** clientId -> monotonic ms of its `submitted` (insertion order = age). */
  private readonly inFlight = new Map<string, number>();
  private readonly unsubs: Unsubscribe[];

  constructor(private readonly o: LatencyTrackerOptions) {
    const onTrigger = (e: BotEvent) => {
      this.frameSeq = e.seq;
      this.frameFromSeq = o.bus.stats.lastSeq;
      this.frameStartMs = o.monotonicMs();
    };
    this.unsubs = [...decisionTriggers.map((t) => o.bus.on(t, onTrigger)), o.bus.onAny((e) => this.onEvent(e))];
  }

  /** Orders sent and not answered yet (bounded). */
  get awaitingAnswer(): number {
    return this.inFlight.size;
  }

  dispose(): void {
    for (const u of this.unsubs.splice(0)) u();
    this.inFlight.clear();
  }

  private onEvent(e: BotEvent): void {
    if (e.seq === this.frameSeq) {
      // Catch-all handlers run after every typed one: the strategies have seen this trigger.
      this.frameSeq = -1;
      this.stats.frames++;
      const toSeq = this.o.bus.stats.lastSeq;
      if (toSeq > this.frameFromSeq) {
        this.rangeFromSeq = this.frameFromSeq;
        this.rangeToSeq = toSeq;
        this.rangeMs = this.o.monotonicMs() - this.frameStartMs;
        this.rangeObserved = false;
      }
      return;
    }
    if (e.type === 'strategy.decision') {
      if (!this.rangeObserved && e.seq > this.rangeFromSeq && e.seq <= this.rangeToSeq) {
        this.rangeObserved = true;
        this.stats.framesWithDecision++;
        this.o.observe('frame_to_decision', Math.max(0, this.rangeMs) / 1000);
      }
      return;
    }
    if (e.type === 'order.sent') this.onSent(e);
    else if (e.type === 'order.state') this.onOrderState(e);
  }

  private onSent(e: EventOf<'order.sent'>): void {
    const createdMs = this.o.orderCreatedMs(e.clientId);
    if (createdMs !== undefined) {
      const rate = this.o.clockRate();
      this.o.observe('decision_to_sent', Math.max(0, e.tsRecvMs - createdMs) / (rate > 0 ? rate : 1) / 1000);
    }
    this.stats.sent++;
    this.remember(e.clientId);
  }

  private onOrderState(e: EventOf<'order.state'>): void {
    const sentAt = this.inFlight.get(e.clientId);
    if (sentAt === undefined) return;
    if (ACK_STATES.has(e.state)) {
      this.stats.acked++;
      this.o.observe('sent_to_ack', Math.max(0, this.o.monotonicMs() - sentAt) / 1000);
      this.inFlight.delete(e.clientId);
    } else if (e.state === 'unknown') {
      this.inFlight.delete(e.clientId);
    }
  }

  private remember(clientId: string): void {
    if (this.inFlight.size >= (this.o.maxInFlight ?? 4096)) {
      const oldest = this.inFlight.keys().next();
      if (!oldest.done) {
        this.inFlight.delete(oldest.value);
        this.stats.droppedInFlight++;
      }
    }
    this.inFlight.set(clientId, this.o.monotonicMs());
  }
}
