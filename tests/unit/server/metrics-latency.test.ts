/**
 * The order path's latency stages (bot/views/latency-tracker.ts) on a real bus with a stepped monotonic clock:
 * frame → decision is the trigger's typed dispatch, observed once per trigger that led to a decision and never for a
 * decision made outside a trigger (a timer tick); decision → sent is the runtime-clock gap from the order's creation
 * to `order.sent` (signing and a limiter wait come between `submitted` and the send), scaled by the clock's rate;
 * sent → ack runs from `order.sent` to the first venue answer, not to `unknown`; the orders
 * awaiting an answer stay bounded.
 */
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { LatencyTracker, type LatencyStage } from '../../../bot/views/latency-tracker';
import type { DecisionRecord } from '../../../lib/schemas/events';

const record: DecisionRecord = { strategyId: 's1', strategyType: 'hammer', windowSlug: 'btc-updown-5m-1', action: 'evaluated', reason: 'ev<=0', atMs: 0 };

function rig(opts: { rate?: number; maxInFlight?: number; created?: Record<string, number> } = {}) {
  const clock = new SimClock(1_000_000);
  const bus = new EventBus({ clock });
  let mono = 500;
  const seen: [LatencyStage, number][] = [];
  const tracker = new LatencyTracker({
    bus,
    monotonicMs: () => mono,
    orderCreatedMs: (id) => opts.created?.[id],
    clockRate: () => opts.rate ?? 1,
    observe: (stage, s) => seen.push([stage, s]),
    ...(opts.maxInFlight ? { maxInFlight: opts.maxInFlight } : {}),
  });
  const advance = (ms: number) => {
    mono += ms;
  };
  return { clock, bus, tracker, seen, advance };
}

const sent = (clientId: string) => ({ type: 'order.sent' as const, clientId, clientTag: `s1|w|p|${clientId}`, orderId: `0x${clientId}` });
const top = { type: 'book.top' as const, tokenId: 't', epoch: 1, bestBid: 0.4, bestAsk: 0.42 };
const state = (clientId: string, prevState: 'created' | 'submitted' | 'live', s: 'submitted' | 'live' | 'filled' | 'unknown' | 'canceled') =>
  ({ type: 'order.state' as const, clientId, clientTag: `s1|w|p|${clientId}`, state: s, prevState });

describe('LatencyTracker', () => {
  it('frame → decision: the trigger dispatch up to the strategies, once per trigger that led to a decision', () => {
    const { bus, seen, advance } = rig();
    // The strategy host subscribes after the tracker (at runtime start): 3 ms of strategy work, two decisions.
    bus.on('book.top', (e) => {
      advance(3);
      if (e.bestBid === 0.4) {
        bus.publish({ type: 'strategy.decision', record });
        bus.publish({ type: 'strategy.decision', record: { ...record, strategyId: 's2' } });
      }
    });
    bus.publish(top);
    expect(seen).toEqual([['frame_to_decision', 0.003]]);
    bus.publish({ ...top, bestBid: 0.41 }); // the strategies ran (3 ms) but decided nothing: no observation
    expect(seen).toHaveLength(1);
  });

  it('a decision made outside a trigger dispatch (a timer tick) is not a frame → decision latency', () => {
    const { bus, seen, advance } = rig();
    bus.on('book.top', () => advance(2));
    bus.publish(top);
    advance(50);
    bus.publish({ type: 'strategy.decision', record });
    expect(seen).toEqual([]);
  });

  it('decision → sent is the runtime-clock gap from creation to order.sent, in real seconds at the clock rate', () => {
    const { clock, bus, seen } = rig({ rate: 10, created: { c1: 1_000_000 } });
    clock.advanceBy(10);
    bus.publish(state('c1', 'created', 'submitted')); // journaled, not yet sent: no observation
    expect(seen).toEqual([]);
    clock.advanceBy(30); // 40 ms of a clock running 10x since creation: 4 ms of real time
    bus.publish(sent('c1'));
    expect(seen).toEqual([['decision_to_sent', 0.004]]);
    bus.publish(sent('c2')); // creation unknown (not in the tracker): not observed
    expect(seen).toHaveLength(1);
  });

  it('sent → ack runs to the first venue answer; an unknown outcome is no answer', () => {
    const { bus, seen, advance, tracker } = rig();
    bus.publish(state('a', 'created', 'submitted'));
    bus.publish(state('b', 'created', 'submitted'));
    advance(3); // the limiter wait and signing come before the send, not inside sent → ack
    bus.publish(sent('a'));
    bus.publish(sent('b'));
    advance(7);
    bus.publish(state('a', 'submitted', 'live'));
    bus.publish(state('b', 'submitted', 'unknown'));
    advance(5);
    bus.publish(state('a', 'live', 'filled')); // a later change of an answered order is not a second ack
    bus.publish(state('b', 'submitted', 'live'));
    expect(seen).toEqual([['sent_to_ack', 0.007]]);
    expect(tracker.awaitingAnswer).toBe(0);
    expect(tracker.stats).toMatchObject({ sent: 2, acked: 1 });
  });

  it('keeps at most maxInFlight orders awaiting an answer, dropping the oldest', () => {
    const { bus, seen, tracker } = rig({ maxInFlight: 2 });
    for (const id of ['x', 'y', 'z']) bus.publish(sent(id));
    expect(tracker.awaitingAnswer).toBe(2);
    expect(tracker.stats.droppedInFlight).toBe(1);
    bus.publish(state('x', 'submitted', 'live')); // forgotten: no observation
    bus.publish(state('z', 'submitted', 'live'));
    expect(seen.map((s) => s[0])).toEqual(['sent_to_ack']);
  });

  it('dispose unsubscribes every handler', () => {
    const { bus, tracker } = rig();
    const before = bus.listenerCount();
    tracker.dispose();
    expect(bus.listenerCount()).toBe(before - 4);
  });
});
