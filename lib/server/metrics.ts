/**
 * Prometheus metrics (`GET /api/metrics`): process metrics plus gauges read from the runtime at scrape time
 * (no hot-path cost). The registry lives on globalThis so that every route-handler bundle shares it.
 */
import 'server-only';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { RuntimeHolder } from './runtime-registry';

const KEY = Symbol.for('updown.metrics.v1');
type G = typeof globalThis & { [KEY]?: Registry };

const runtimeStates = ['stopped', 'starting', 'running', 'stopping', 'error'] as const;
const tradingStates = ['active', 'reducing', 'halted'] as const;

export function metricsRegistry(getHolder: () => RuntimeHolder): Registry {
  const g = globalThis as G;
  if (g[KEY]) return g[KEY];
  const reg = new Registry();
  collectDefaultMetrics({ register: reg, prefix: 'updown_' });
  const gauge = (name: string, help: string, labelNames: string[], collect: (g: Gauge) => void) =>
    new Gauge({ name, help, labelNames, registers: [reg], collect() { collect(this); } });
  gauge('updown_runtime_state', 'Runtime lifecycle state (1 = current)', ['state'], (m) => {
    const s = getHolder().runtime.status().state;
    for (const st of runtimeStates) m.set({ state: st }, st === s ? 1 : 0);
  });
  gauge('updown_trading_state', 'Kill-switch trading state (1 = current)', ['state'], (m) => {
    const s = getHolder().runtime.killSwitch.state;
    for (const st of tradingStates) m.set({ state: st }, st === s ? 1 : 0);
  });
  gauge('updown_bus_events_published', 'Events published on the bus since start', [], (m) => m.set(getHolder().runtime.bus.stats.published));
  gauge('updown_bus_handler_errors', 'Bus handlers that threw', [], (m) => m.set(getHolder().runtime.bus.stats.handlerErrors));
  gauge('updown_uptime_seconds', 'Runtime uptime in seconds', [], (m) => m.set(getHolder().runtime.status().uptimeMs / 1000));
  gauge('updown_sse_clients', 'Open console event streams', [], (m) => m.set(getHolder().sse.stats.clients));
  gauge('updown_sse_dropped_clients', 'Streams cut off at their buffer bound', [], (m) => m.set(getHolder().sse.stats.dropped));
  g[KEY] = reg;
  return reg;
}
