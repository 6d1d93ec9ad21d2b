/**
 * Composition root: createRuntime({ config, clock, store, ... }) builds the runtime (bot/runtime-core.ts) with the full
 * wiring table, the ONLY place that branches on mode / venue: paper or live, on the embedded simulator or the venue
 * (credentials, order side, live sockets), and replay. A replay alone (bot/replay-run.ts, sweep workers) uses the
 * core with `replayWiringOnly` and so never loads the simulator, signing or CLOB client code imported here.
 */
import type { RuntimeConfig } from '../lib/schemas/config';
import { POLYMARKET_ENDPOINTS, type VenueEndpoints } from './core';
import { resolveCredentials, simPaperKey } from './execution/credentials';
import { liveOrderSide } from './execution/live-order-side';
import { paperOrderSide } from './execution/order-side';
import { createRuntimeWith, replayWiring, type Runtime, type RuntimeOptions, type Wiring } from './runtime-core';
import { liveMarketData } from './session/market-data';
import type { SimOptions } from './sim/options';
import { simSeriesFor } from './sim/series';
import { SimComponent } from './sim/sim-component';

export * from './runtime-core';

/** A runtime for the configured mode and venue (see the header). */
export function createRuntime(opts: RuntimeOptions): Runtime {
  return createRuntimeWith(opts, wiringFor);
}

function wiringFor(opts: RuntimeOptions, mode: 'paper' | 'live' | 'replay'): Wiring {
  if (mode === 'replay') return replayWiring(opts);
  const { config, clock } = opts;
  const simulator = config.venue === 'sim' && !opts.endpoints ? new SimComponent({ clock, seed: config.sim.seed, extra: { ...simWorld(config), ...opts.sim } }) : undefined;
  const endpoints = (): VenueEndpoints => opts.endpoints ?? (simulator ? simulator.endpoints() : POLYMARKET_ENDPOINTS);
  return {
    simulator,
    endpoints,
    venueLabel: simulator ? 'simulator (embedded)' : undefined,
    credentials: () =>
      resolveCredentials({
        mode,
        simulator: config.venue === 'sim',
        clobHost: endpoints().clob,
        nowSec: () => Math.floor(clock.nowMs() / 1000),
        nowMs: () => clock.nowMs(),
        ...(opts.credentials ? { envKey: opts.credentials } : {}),
        ...(opts.apiCredentials ? { envApi: opts.apiCredentials } : {}),
        ...(opts.credsStore ? { store: opts.credsStore } : {}),
        ...(opts.referenceOverride ? { referenceOverride: opts.referenceOverride } : {}),
        // On the simulator, paper mode derives throwaway API credentials (deterministic per seed) for PolyBolt.
        simKey: simPaperKey(config.sim.seed),
      }),
    orderSide: (c) => (mode === 'live' ? liveOrderSide(c.live) : paperOrderSide()),
    marketData: liveMarketData(),
    preflight: true,
    requireArming: mode === 'live',
  };
}

/**
 * The simulated world of a config: every configured series plus `sim.extraSeries` (so they can be added while
 * running), and the assets' correlation. BTC 5m + 15m alone is exactly the simulator's default world.
 */
function simWorld(config: RuntimeConfig): Partial<SimOptions> {
  const byKey = new Map<string, { asset: string; windowSec: number; seriesId?: string }>();
  for (const s of config.series) byKey.set(`${s.asset}-${s.windowSec}`, { asset: s.asset, windowSec: s.windowSec, ...(s.seriesId ? { seriesId: s.seriesId } : {}) });
  for (const s of config.sim.extraSeries) if (!byKey.has(`${s.asset}-${s.windowSec}`)) byKey.set(`${s.asset}-${s.windowSec}`, s);
  return { series: simSeriesFor([...byKey.values()]), correlation: config.sim.correlation };
}
