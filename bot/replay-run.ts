/**
 * A replay run: the composition of one replay (the second entry point beside the composition root, which it uses).
 * Builds a runtime in mode `replay` on a SimClock with an in-memory store (a replay never touches the live
 * database, kill switch or journal), drives the session's frames through it, collects the ledger and returns the
 * figures `npm run replay -- --json` prints: { ledgerHash, events, eventsPerSec, trades, pnlUsd, ... }.
 *
 * The strategies, risk engine, tracker, positions and paper fill model are the ones that trade live: only the
 * market-data source (recorded frames) and the clock (simulated) differ.
 * The recorded external signal readings (source 'external') go to the runtime's ExternalSignalPoller, which serves
 * them as `ctx.external` from their receive time, as the poll that recorded them did.
 *
 * Invariants: the session's time range decides the clock; series the session has no markets for are left out (no
 * lookups for windows that were never recorded); strategies whose inputs the session lacks are reported with the
 * reason (`strategies[].canRun`); the ledger hash depends only on the session and the config.
 */
import type { RuntimeConfig } from '../lib/schemas/config';
import { type Clock, LiveClock, SimClock } from './clock';
import { monotonicMs } from './clock/live-clock';
import { LedgerCollector } from './replay/ledger';
import type { LedgerEntry } from './replay/ledger-types';
import { ReplayDriver, type ReplayProgress, type ReplayTarget } from './replay/replay-driver';
import type { SessionManifest, SessionSource } from './replay/session';
import { createRuntimeWith, replayWiringOnly, type Runtime } from './runtime-core';
import { openStore } from './store';
import { parseSeriesSlug, seriesKeyLabel, seriesKeyOf, windowSecOf } from '../lib/schemas/series';

/**
 * Bus events that only carry market data or a strategy's record: handlers of these never start async work (strategy
 * intents are counted by the session's order operations). Any other event after a frame makes the driver settle.
 */
const PURE_EVENTS: ReadonlySet<string> = new Set(['book.top', 'book.snapshot', 'book.trade', 'book.tick_size', 'ref.price', 'spot.price', 'feed.health', 'feed.recovered', 'feed.stale', 'strategy.decision', 'strategy.signal', 'market.price_to_beat', 'signal.external']);

/**
 * Frames per chunk pulled from the source. Small: a chunk's frames live until the driver has ingested them, and a
 * recording's frames are fresh strings, so a big chunk outlives young-generation GC cycles and is copied (the chunk
 * size never changes what is replayed: tests/replay/determinism.test.ts).
 */
const DEFAULT_CHUNK = 256;

/**
 * The replay bus's history (SSE resume) is only read by a console view seeded when the runtime is handed over
 * (`onRuntime`, a handful of start-up events); the playback listens live. A long history keeps every event alive past
 * a young-generation GC, which then copies and promotes them all (a third of a replay's GC time at 1,000).
 */
const REPLAY_HISTORY = 100;

/** Strategy types that need a reference price to decide (they cannot trade on a books-only session). */
const NEEDS_REFERENCE: ReadonlySet<string> = new Set(['hammer']);

export interface ReplayRunOptions {
  source: SessionSource;
  /** The configuration to replay with (strategies, risk, series); its mode is replaced by `replay`. */
  config: RuntimeConfig;
  /** Simulated ms per wall ms; 0 / undefined = as fast as possible. */
  speed?: number;
  chunkSize?: number;
  signal?: AbortSignal;
  onProgress?: (p: ReplayProgress) => void;
  progressEvery?: number;
  /** Called once the runtime exists (the console's replay playback subscribes to its bus here). */
  onRuntime?: (runtime: Runtime, driver: ReplayDriver) => void;
  /** Wall clock for pacing and timing (default: the live clock). */
  wall?: Clock;
}

export interface StrategyCapability {
  id: string;
  type: string;
  enabled: boolean;
  canRun: boolean;
  reason?: string;
}

export interface ReplayRunResult {
  sessionId: string;
  format: SessionManifest['format'];
  ledgerHash: string;
  /** Frames replayed (the recorded events). */
  events: number;
  /** Frames a feed took (the rest had a source this wiring does not use). */
  ingested: number;
  eventsPerSec: number;
  wallMs: number;
  /** Fills of ours (each trade at the paper venue). */
  trades: number;
  /** Realised PnL after fees of every settled position; open positions at the end are listed, not counted. */
  pnlUsd: number;
  feesUsd: number;
  busEvents: number;
  startMs: number;
  endMs: number;
  ledger: LedgerEntry[];
  ledgerEntries: number;
  openPositions: number;
  strategies: StrategyCapability[];
  reference: 'polybolt' | 'rtds' | 'none';
  invalidFrames: number;
  /**
   * Recorded external signal readings (source 'external') replayed into `ctx.external`, and the ones refused (not a
   * recorded reading: counted, skipped) with the first reason. Zero for sessions recorded without them.
   */
  externalFrames: { ingested: number; invalid: number; firstError?: string };
  notes: string[];
  attribution?: string;
}

export function replayConfig(config: RuntimeConfig, manifest: SessionManifest): RuntimeConfig {
  // The session's series (asset + window length) from its markets: recordings name the asset, older ones the slug.
  const keys = new Set<string>(manifest.markets.map((m) => seriesKeyOf({ asset: m.asset ?? parseSeriesSlug(m.slug)?.asset ?? 'btc', windowSec: windowSecOf(m.kind) })));
  const series = config.series.filter((s) => keys.has(seriesKeyOf(s)));
  if (series.length === 0 || !series.some((s) => s.enabled)) {
    throw new Error(`the session has ${[...keys].map(seriesKeyLabel).join(', ') || 'no'} markets, and the config enables none of these series`);
  }
  return { ...structuredClone(config), mode: 'replay', series };
}

export function strategyCapabilities(config: RuntimeConfig, reference: 'polybolt' | 'rtds' | 'none'): StrategyCapability[] {
  return config.strategies.map((s) => {
    const enabled = (s.params as { enabled?: unknown }).enabled !== false;
    const needsRef = NEEDS_REFERENCE.has(s.type);
    return needsRef && reference === 'none'
      ? { id: s.id, type: s.type, enabled, canRun: false, reason: 'needs a reference price; this session has books only' }
      : { id: s.id, type: s.type, enabled, canRun: true };
  });
}

export function referenceOf(manifest: SessionManifest): 'polybolt' | 'rtds' | 'none' {
  return manifest.sources.includes('polybolt') ? 'polybolt' : manifest.sources.includes('rtds') ? 'rtds' : 'none';
}

export async function runReplay(o: ReplayRunOptions): Promise<ReplayRunResult> {
  const m = o.source.manifest;
  if (m.markets.length === 0) throw new Error(`session ${m.id} has no markets: nothing to replay`);
  const wall = o.wall ?? new LiveClock();
  const reference = referenceOf(m);
  const config = replayConfig(o.config, m);
  const clock = new SimClock(Math.floor(m.startMs / 1000) * 1000 - 1_000);
  const store = openStore(':memory:');
  const runtime = createRuntimeWith({
    instanceId: `replay-${m.id}`,
    version: 'replay',
    config,
    clock,
    store,
    replay: { markets: m.markets, reference },
    historySize: REPLAY_HISTORY,
  }, replayWiringOnly);
  const t0 = monotonicMs();
  try {
    const state = await runtime.start('replay');
    const stack = runtime.session?.stack;
    if (state !== 'running' || !stack) throw new Error(`the replay runtime did not start: ${runtime.status().lastError ?? state}`);
    const ledger = LedgerCollector.forSession(runtime.bus, stack);
    let impure = 0;
    runtime.bus.onAny((e) => {
      if (!PURE_EVENTS.has(e.type)) impure++;
    });
    // 'external' frames (recorded external signal readings) go to the runtime's poller, the map strategies read as
    // ctx.external; every other source to the venue session's feeds.
    const external = runtime.external;
    const target: ReplayTarget = {
      ingest: (f) => (f.source === 'external' ? (external?.ingestRecorded(f.tsRecvMs, f.raw) ?? false) : stack.ingest(f)),
      activity: () => stack.activity(impure),
    };
    const driver = new ReplayDriver({
      source: o.source, clock, target, chunkSize: o.chunkSize ?? DEFAULT_CHUNK,
      ...(o.speed ? { speed: o.speed, pace: wall } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      ...(o.progressEvery ? { progressEvery: o.progressEvery } : {}),
    });
    o.onRuntime?.(runtime, driver);
    const stats = await driver.run();
    ledger.finish(clock.nowMs());
    const wallMs = Math.max(1e-3, monotonicMs() - t0);
    let pnl = 0;
    let fees = 0;
    let trades = 0;
    for (const e of ledger.entries) {
      if (e.kind === 'settle') pnl += e.realizedUsd;
      if (e.kind === 'fill') {
        trades++;
        fees += e.feeUsd;
      }
    }
    return {
      sessionId: m.id, format: m.format, ledgerHash: ledger.hash(), events: stats.frames, ingested: stats.ingested,
      eventsPerSec: Math.round((stats.frames * 1000) / wallMs), wallMs: Math.round(wallMs), trades,
      pnlUsd: Math.round(pnl * 1e6) / 1e6, feesUsd: Math.round(fees * 1e6) / 1e6, busEvents: runtime.bus.stats.published,
      startMs: m.startMs, endMs: m.endMs, ledger: ledger.entries, ledgerEntries: ledger.total, openPositions: ledger.openPositions().length,
      strategies: strategyCapabilities(config, reference), reference, invalidFrames: o.source.invalid.count,
      externalFrames: { ...(external?.replayStats ?? { ingested: 0, invalid: 0 }) }, notes: m.notes,
      ...(m.attribution ? { attribution: m.attribution } : {}),
    };
  } finally {
    await runtime.dispose('replay finished').catch(() => undefined);
    store.close();
  }
}
