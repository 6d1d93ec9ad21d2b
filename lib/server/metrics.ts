/**
 * Prometheus metrics (`GET /api/metrics`), all named `updown_*` with their unit in the name:
 * - process and Node.js defaults (prom-client), event-loop delay included (`updown_nodejs_eventloop_lag_p50_seconds`,
 *   `_p99_seconds`: perf_hooks.monitorEventLoopDelay, reset at every scrape);
 * - runtime, kill switch (trading state), bus, SSE streams and a build/run info series, read at scrape time (here);
 * - feeds, orders by state, PnL, exposure and readiness, read from the venue session at scrape time
 *   (metrics-trading.ts);
 * - order transitions, fills and the latency histograms, fed by the bus as it runs (metrics-events.ts, created with
 *   the runtime by runtime-registry.ts and handed in).
 *
 * The registry lives on globalThis so that every route-handler bundle shares one; `createMetricsRegistry` builds a
 * fresh one (tests, the Grafana dashboard check).
 *
 * Invariants: nothing here runs on the event path; every label set is bounded (enums, configured strategies, one
 * info series); no secret in any label (run id, config hash, version, mode and venue only).
 */
import 'server-only';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Runtime } from '../../bot/runtime';
import { runtimeStates, tradingStates } from '../schemas/events';
import type { RuntimeEventMetrics } from './metrics-events';
import { createTradingMetrics } from './metrics-trading';

/** What the metrics read (the server's RuntimeHolder satisfies it structurally). */
export interface MetricsSource {
  readonly runtime: Runtime;
  readonly sse: { readonly stats: { readonly clients: number; readonly dropped: number } };
  /** The config service: the hash of the configuration in force. */
  readonly config?: { readonly hash: string };
  /** The bus-fed metrics created with the runtime (metrics-events.ts). */
  readonly eventMetrics: RuntimeEventMetrics;
}

const KEY = Symbol.for('updown.metrics.v2');
type G = typeof globalThis & { [KEY]?: Registry };

/** A new registry over a runtime; `defaultMetrics: false` leaves out the process and Node.js series. */
export function createMetricsRegistry(getSource: () => MetricsSource, opts: { defaultMetrics?: boolean } = {}): Registry {
  const reg = new Registry();
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: reg, prefix: 'updown_' });
  const rt = () => getSource().runtime;
  const gauge = (name: string, help: string, labelNames: string[], collect: (g: Gauge) => void) =>
    new Gauge({ name, help, labelNames, registers: [reg], collect() { collect(this); } });
  gauge('updown_runtime_state', 'Runtime lifecycle state (1 = current)', ['state'], (m) => {
    const s = rt().status().state;
    for (const st of runtimeStates) m.set({ state: st }, st === s ? 1 : 0);
  });
  gauge('updown_trading_state', 'Kill-switch trading state (1 = current): active, reducing (exits only) or halted', ['state'], (m) => {
    const s = rt().killSwitch.state;
    for (const st of tradingStates) m.set({ state: st }, st === s ? 1 : 0);
  });
  gauge('updown_runtime_info', 'The running build and run (value 1): version, mode, venue, run id and config hash', ['version', 'mode', 'venue', 'run_id', 'config_hash'], (m) => {
    m.reset();
    const src = getSource();
    const s = src.runtime.status();
    m.set({ version: s.version, mode: s.mode, venue: s.venue, run_id: s.instanceId, config_hash: src.config?.hash ?? '' }, 1);
  });
  gauge('updown_bus_events_published', 'Events published on the bus since start', [], (m) => m.set(rt().bus.stats.published));
  gauge('updown_bus_handler_errors', 'Bus handlers that threw', [], (m) => m.set(rt().bus.stats.handlerErrors));
  gauge('updown_uptime_seconds', 'Runtime uptime in seconds (runtime clock)', [], (m) => m.set(rt().status().uptimeMs / 1000));
  gauge('updown_sse_clients', 'Open console event streams', [], (m) => m.set(getSource().sse.stats.clients));
  gauge('updown_sse_dropped_clients', 'Streams cut off at their buffer bound', [], (m) => m.set(getSource().sse.stats.dropped));
  gauge('updown_orders_awaiting_answer', 'Orders submitted and not answered by the venue yet', [], (m) => m.set(getSource().eventMetrics.latency.awaitingAnswer));
  for (const m of createTradingMetrics(rt)) reg.registerMetric(m);
  for (const m of getSource().eventMetrics.metrics) reg.registerMetric(m);
  return reg;
}

/** The process's registry (created on first use over the server's runtime holder). */
export function metricsRegistry(getHolder: () => MetricsSource): Registry {
  const g = globalThis as G;
  g[KEY] ??= createMetricsRegistry(getHolder);
  return g[KEY];
}
