/**
 * Correlation publisher: feeds the correlation estimator from the live reference prices and shows the console what
 * the cap on aggregate directional exposure sees.
 *
 * - Subscribes to `ref.price` of kind 'live' (twap points are averages and would smear the returns); the asset is the
 *   event's `asset` when it carries one, else its symbol without the quote (`ethusd` → `eth`).
 * - Publishes `risk.correlation` (assets, ρ matrix, per-pair sample counts and prior flags, signed exposure per asset,
 *   aggregate and cap) at most once every `intervalMs` of the injected clock, on a reference tick: bus volume is
 *   bounded whatever the feed rate. `publishNow()` publishes at once (e.g. after a config change).
 *
 * Invariants: no timers of its own; deterministic under a SimClock; dispose() unsubscribes and is idempotent.
 */
import type { RiskConfig } from '../../lib/schemas/config';
import type { EventBus } from '../bus';
import type { Clock } from '../clock';
import type { CorrelationEstimator } from './correlation';
import { aggregateDirectionalUsd, rhoLookup, type SignedUsdByAsset } from './directional-exposure';
import { assetOfSymbol } from '../core/series';

export interface CorrelationPublisherOptions {
  bus: EventBus;
  clock: Clock;
  estimator: CorrelationEstimator;
  /** The running risk config (cap, prior, window and sample). */
  config: () => RiskConfig;
  /** Signed directional USD per asset now (the risk view's directionalUsdByAsset()); {} when nothing is held. */
  exposure: () => SignedUsdByAsset;
  /** Minimum spacing of `risk.correlation` events (ms of the injected clock); default 10 s. */
  intervalMs?: number;
}

export interface CorrelationPublisher {
  publishNow(): void;
  dispose(): void;
}

const DEFAULT_INTERVAL_MS = 10_000;

/** `ethusd` → `eth`, `BTC/USD` → `btc`, `solusdt` → `sol`. */
export function assetOfReferenceSymbol(symbol: string): string {
  return assetOfSymbol(symbol);
}

export function startCorrelationPublisher(o: CorrelationPublisherOptions): CorrelationPublisher {
  const intervalMs = o.intervalMs ?? DEFAULT_INTERVAL_MS;
  if (!(intervalMs > 0)) throw new RangeError(`correlation publisher: intervalMs must be > 0, got ${intervalMs}`);
  let lastPublishMs: number | undefined;

  const publishNow = () => {
    const cfg = o.config();
    const exposure = o.exposure();
    const assets = [...new Set([...o.estimator.assets(), ...Object.keys(exposure)])].sort().slice(0, 32);
    const m = o.estimator.matrix(assets);
    const x: SignedUsdByAsset = {};
    for (const a of assets) if (exposure[a] !== undefined && Number.isFinite(exposure[a])) x[a] = exposure[a]!;
    lastPublishMs = o.clock.nowMs();
    o.bus.publish({
      type: 'risk.correlation',
      assets,
      rho: m.rho,
      samples: m.samples,
      isPrior: m.isPrior,
      exposureUsd: assets.map((a) => x[a] ?? 0),
      aggregateUsd: aggregateDirectionalUsd(x, rhoLookup(m, cfg.correlationPrior)),
      capUsd: cfg.maxCorrelatedExposureUsd,
      windowSec: cfg.correlationWindowSec,
      sampleSec: cfg.correlationSampleSec,
    });
  };

  const unsubscribe = o.bus.on('ref.price', (e) => {
    if (e.kind !== 'live') return;
    const carried = (e as { asset?: unknown }).asset;
    const asset = typeof carried === 'string' && carried.length > 0 ? carried.toLowerCase() : assetOfReferenceSymbol(e.symbol);
    o.estimator.observe(asset, e.tsEventMs, e.priceUsd);
    const now = o.clock.nowMs();
    if (lastPublishMs === undefined || now - lastPublishMs >= intervalMs) publishNow();
  });

  let disposed = false;
  return {
    publishNow,
    dispose: () => {
      if (disposed) return;
      disposed = true;
      unsubscribe();
    },
  };
}
