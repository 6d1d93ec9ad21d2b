/**
 * The metrics the runtime's bus feeds as it runs: order state transitions, fills (count, shares, notional, fees),
 * voided fills, and the order path's latency histograms (bot/views/latency-tracker.ts). Created with the runtime,
 * before it starts (lib/server/runtime-registry.ts), so nothing published before the first scrape is missed; the
 * prom-client objects are created unregistered and the registry (metrics.ts) registers them.
 *
 * Invariants: bounded label sets — states, sides and liquidity are enums, strategies are at most
 * `MAX_STRATEGY_LABELS` ids (later ones count as `other`; fills of orders that are not ours as `unattributed`), no
 * per-order label; per event the cost is a cached label child and an inc/observe (no allocation on the market-data
 * path); a handler here never throws into the bus.
 */
import 'server-only';
import { Counter, Histogram, type Metric } from 'prom-client';
import type { EventBus, Unsubscribe } from '../../bot/bus';
import { monotonicMs, type Clock } from '../../bot/clock';
import { ORDER_STATES } from '../../bot/execution/order-state';
import { parseClientTag } from '../../bot/strategies/intents';
import { LatencyTracker, type LatencyStage } from '../../bot/views/latency-tracker';
import { orderStates, type EventOf } from '../schemas/events';

/** Seconds buckets from 0.1 ms to 10 s: ms-level latencies with room for a slow venue. */
export const LATENCY_BUCKETS_SECONDS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
export const MAX_STRATEGY_LABELS = 32;

/** What the event metrics read from the runtime (a Runtime satisfies it structurally). */
export interface EventMetricsSource {
  readonly bus: EventBus;
  readonly clock: Clock;
  readonly session: { readonly stack: { readonly tracker: { get(clientId: string): { createdMs: number } | undefined } } | undefined } | undefined;
}

export interface RuntimeEventMetrics {
  /** Every prom-client object here, for a registry to register. */
  readonly metrics: readonly Metric[];
  readonly latency: LatencyTracker;
  dispose(): void;
}

type OrderState = (typeof orderStates)[number];
const stateIndex = new Map<string, number>(orderStates.map((s, i) => [s, i]));

const HISTOGRAMS: Record<LatencyStage, { name: string; help: string }> = {
  frame_to_decision: {
    name: 'updown_frame_to_decision_seconds',
    help: 'Market-data event (book.top, book.trade, ref.price) dispatched on the bus to the strategies having decided on it, per event that led to a decision (real time; socket receive and parse not included)',
  },
  decision_to_sent: {
    name: 'updown_decision_to_order_sent_seconds',
    help: 'Order created from a risk-approved place intent to its request sent (order.sent: bytes handed to the socket; signing, journaling and any rate-limiter wait included). Runtime clock at 1 ms resolution, scaled to real time',
  },
  sent_to_ack: {
    name: 'updown_order_sent_to_ack_seconds',
    help: "Order request sent (order.sent) to the venue's first answer (live, partial, filled, canceled or rejected; unknown outcomes not counted). Real time",
  },
};

/** Runtime-clock ms per real ms: a scaled clock (the accelerated demo) runs `speed` times faster. */
function clockRate(clock: Clock): number {
  const speed = (clock as { speed?: unknown }).speed;
  return clock.kind === 'scaled' && typeof speed === 'number' && speed > 0 ? speed : 1;
}

export function createEventMetrics(runtime: EventMetricsSource, opts: { monotonicMs?: () => number } = {}): RuntimeEventMetrics {
  const transitions = new Counter({
    name: 'updown_order_transitions_total',
    help: 'Order state transitions (order.state events) by previous and new state',
    labelNames: ['from', 'to'],
    registers: [],
  });
  const fills = new Counter({ name: 'updown_fills_total', help: 'Fills of our orders (order.filled, once per trade and order)', labelNames: ['strategy', 'side', 'liquidity'], registers: [] });
  const shares = new Counter({ name: 'updown_fill_shares_total', help: 'Shares filled', labelNames: ['strategy', 'side'], registers: [] });
  const notional = new Counter({ name: 'updown_fill_notional_usd_total', help: 'Notional filled in pUSD (price x shares)', labelNames: ['strategy', 'side'], registers: [] });
  const fees = new Counter({ name: 'updown_fill_fees_usd_total', help: 'Fees paid on fills in pUSD', labelNames: ['strategy'], registers: [] });
  const voided = new Counter({ name: 'updown_fills_voided_total', help: 'Fills reversed because their trade FAILED on chain', registers: [] });
  const histograms = Object.fromEntries(
    (Object.keys(HISTOGRAMS) as LatencyStage[]).map((s) => [s, new Histogram({ ...HISTOGRAMS[s], buckets: LATENCY_BUCKETS_SECONDS, registers: [] })]),
  ) as Record<LatencyStage, Histogram>;

  // Label children cached: an order transition costs two array reads and an inc.
  const transitionChildren: (Counter.Internal | undefined)[][] = orderStates.map(() => orderStates.map(() => undefined));
  const transition = (from: OrderState, to: OrderState) => {
    const i = stateIndex.get(from);
    const j = stateIndex.get(to);
    if (i === undefined || j === undefined) return;
    const row = transitionChildren[i]!;
    (row[j] ??= transitions.labels({ from, to })).inc();
  };
  // Every legal transition is a series from the start (at 0), so rate() sees the first one.
  for (const from of orderStates) for (const to of ORDER_STATES[from]) transitions.labels({ from, to });

  const strategies = new Set<string>();
  const strategyLabel = (clientTag: string): string => {
    const id = parseClientTag(clientTag)?.strategyId;
    if (!id) return 'unattributed';
    if (strategies.has(id)) return id;
    if (strategies.size >= MAX_STRATEGY_LABELS) return 'other';
    strategies.add(id);
    return id;
  };
  const onFill = (e: EventOf<'order.filled'>) => {
    const strategy = strategyLabel(e.clientTag);
    fills.inc({ strategy, side: e.side, liquidity: e.liquidity });
    shares.inc({ strategy, side: e.side }, e.size);
    notional.inc({ strategy, side: e.side }, e.size * e.price);
    fees.inc({ strategy }, e.feeUsd);
  };

  const latency = new LatencyTracker({
    bus: runtime.bus,
    monotonicMs: opts.monotonicMs ?? monotonicMs,
    orderCreatedMs: (clientId) => runtime.session?.stack?.tracker.get(clientId)?.createdMs,
    clockRate: () => clockRate(runtime.clock),
    observe: (stage, seconds) => histograms[stage].observe(seconds),
  });
  const guard = <E>(fn: (e: E) => void) => (e: E) => {
    try {
      fn(e);
    } catch {
      // a metric never breaks the bus
    }
  };
  const unsubs: Unsubscribe[] = [
    runtime.bus.on('order.state', guard((e) => transition(e.prevState, e.state))),
    runtime.bus.on('order.filled', guard(onFill)),
    runtime.bus.on('order.fill_voided', guard(() => voided.inc())),
  ];
  return {
    metrics: [transitions, fills, shares, notional, fees, voided, ...Object.values(histograms)],
    latency,
    dispose() {
      for (const u of unsubs.splice(0)) u();
      latency.dispose();
    },
  };
}
