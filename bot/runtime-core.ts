/**
 * The runtime's core: createRuntimeWith(options, wiring) builds the bus, risk and the components around a wiring
 * table (the parts that depend on mode and venue). bot/runtime.ts (the composition root) passes the full table
 * (paper and live on the simulator or the venue, replay); a replay (bot/replay-run.ts) passes `replayWiringOnly`,
 * so that a replay, and every sweep worker, loads no simulator, signing or CLOB client code.
 *
 * Invariants:
 * - One runtime per process (lib/server holds it on globalThis); start/stop/restart are idempotent and
 *   serialized; components start in order and stop in reverse order.
 * - A component that fails to start puts the runtime in `error` after stopping what already started.
 * - Nothing here imports the simulator, the live venue or the credentials code (a test loads a replay and checks).
 */
import { processFields, type RuntimeConfig } from '../lib/schemas/config';
import type { RuntimeState } from '../lib/schemas/events/runtime';
import { EventBus } from './bus';
import { LiveClock, ScaledClock, type Clock } from './clock';
import type { SimComponent } from './sim/sim-component';
import { SessionComponent } from './session/session-component';
import { Recorder } from './replay/recorder';
import { hashConfig } from './config/config-hash';
import { recordedMarketData } from './session/market-data';
import type { MarketDataWiring } from './session/venue-session';
import type { RecordedMarket } from './markets/market-directory';
import type { RawSource } from './core/connection';
import type { CredsStore } from './execution/creds-store';
import type { LiveKey, ResolvedCredentials } from './execution/credentials';
import { paperOrderSide, type OrderSideFactory } from './execution/order-side';
import type { SimOptions } from './sim/options';
import { simSeriesFor } from './sim/series';
import { KillSwitch, type KillSwitchSnapshot } from './risk/kill-switch';
import type { ArmingSnapshot } from './risk/live-arming';
import { configFieldGroups, configTarget, type ConfigTarget } from './config/targets';
import { planSeries } from './session/series-plan';
import { Lifecycle } from './runtime-lifecycle';
import type { Store } from './store';
import { createConsoleViews, type ConsoleViews } from './views/console-views';
import type { RuntimeComponent } from './core/component';
import { type Logger, silentLogger } from './util/logger';
import type { ApiCredentials, VenueEndpoints } from './core';
import { AlertService } from './health/alerts/alert-service';
import { workingBuyUsd } from './host/risk-view';
import { ExternalSignalPoller, externalSignalUrlsFor } from './feeds/external';
import { createLearning } from './learning';

export type { RuntimeComponent } from './core/component';

/** The live configuration's owner as the runtime sees it (bot/config ConfigService fits). */
export interface RuntimeConfigSource {
  /** Add a part that reads hot fields; returns the unregister function. */
  register(target: ConfigTarget): () => void;
  /** At a start: pending restart-required changes become live, except the top-level fields in `keep`. */
  pendingApplied(actor?: string, opts?: { keep?: readonly string[] }): RuntimeConfig;
}


export interface RuntimeOptions {
  instanceId: string;
  version: string;
  /** The configuration at creation; with `configSource` the runtime follows its hot changes and restarts. */
  config: RuntimeConfig;
  /** The config service: hot changes are applied to the runtime's parts, restart-required ones at the next start. */
  configSource?: RuntimeConfigSource;
  clock: Clock;
  store: Store;
  logger?: Logger;
  /** Extra components (tests). Started after the built-in ones. */
  components?: RuntimeComponent[];
  historySize?: number;
  /** Signing key (from the environment / secret files; never from config). Required for live trading. */
  credentials?: LiveKey;
  /** CLOB API credentials from the environment (otherwise stored ones, or created/derived from the key). */
  apiCredentials?: ApiCredentials;
  /** Where derived API credentials and the paper wallet are kept (the data directory). */
  credsStore?: CredsStore;
  /** REFERENCE_FEED=rtds: use the deprecated legacy feed when no API credentials exist. */
  referenceOverride?: 'rtds';
  /** Override the venue endpoints (tests pointing at their own simulator). */
  endpoints?: VenueEndpoints;
  /** Extra simulator options (venue=sim). */
  sim?: Partial<SimOptions>;
  /** Build no venue components (the bare runtime: bus, clock, risk, store). */
  bare?: boolean;
  /**
   * Mode `replay`: the recorded session's markets and which reference feed its frames carry ('none' = books only:
   * orders are gated on books alone and strategies that need a reference never trade). Frames are pushed by a
   * replay driver through `runtime.session.stack.ingest` on a SimClock.
   */
  replay?: { markets: readonly RecordedMarket[]; reference: 'polybolt' | 'rtds' | 'none' };
  /** Raw frame tap (tests): every socket text frame with its receive time (paper and live). */
  onRaw?: (feed: RawSource, tsRecvMs: number, text: string) => void;
  /**
   * The data directory: with `recording.enabled` (default) paper and live runs record every market-data frame into
   * `<dataDir>/recordings/<session>` and index it in the store (a replay never records).
   */
  dataDir?: string;
  /** The alerts webhook (ALERT_WEBHOOK_URL or ALERT_WEBHOOK_URL_FILE, read by the server): a secret, never logged. */
  alertWebhookUrl?: string;
}

export interface LifecycleCallOptions {
  /** The caller audited this action itself (with its actor and source): the runtime adds no row of its own. */
  audited?: boolean;
}

export interface RuntimeStatus {
  instanceId: string;
  state: RuntimeState;
  mode: string;
  venue: string;
  startedAtMs: number | null;
  uptimeMs: number;
  nowMs: number;
  lastError: string | null;
  killSwitch: KillSwitchSnapshot;
  /** Live arming: required in live mode; orders wait until armed. */
  arming: ArmingSnapshot;
  bus: { published: number; lastSeq: number; handlerErrors: number; eventsPerSec: number };
  version: string;
}

export interface Runtime {
  readonly instanceId: string;
  readonly bus: EventBus;
  readonly clock: Clock;
  readonly killSwitch: KillSwitch;
  readonly store: Store;
  /** The configuration the runtime's parts run now (hot changes included). */
  readonly config: RuntimeConfig;
  status(): RuntimeStatus;
  /**
   * Start / stop / restart. The runtime writes its own `runtime.start` / `runtime.stop` audit rows (actor `runtime`)
   * unless `audited` says the caller already wrote the one row for this action (an operator's request: one action,
   * one audit entry).
   */
  start(reason?: string, opts?: LifecycleCallOptions): Promise<RuntimeState>;
  stop(reason?: string, opts?: LifecycleCallOptions): Promise<RuntimeState>;
  restart(reason?: string, opts?: LifecycleCallOptions): Promise<RuntimeState>;
  /** Stop and release everything (process shutdown). */
  dispose(reason?: string): Promise<void>;
  /** The session component: the venue session, strategy host, risk engine, preflight and health (undefined for a bare runtime). */
  readonly session: SessionComponent | undefined;
  /** The embedded simulator (venue=sim only). */
  readonly simulator: SimComponent | undefined;
  /** The market-data recorder (paper and live with a data directory and recording.enabled). */
  readonly recorder: Recorder | undefined;
  /** The external signal poller (trend-window's `ctx.external`); in a replay it takes the recorded readings. */
  readonly external: ExternalSignalPoller | undefined;
  /** Read models owned by the runtime (the console's trading snapshot and page timelines). */
  readonly views: ConsoleViews;
  /** The alerts webhook (bot/health/alerts): status and the console's test alert. */
  readonly alerts: AlertService;
}

/**
 * The wiring table: every part that depends on mode or venue, chosen by the composition root (bot/runtime.ts; a
 * replay: `replayWiringOnly`) and nowhere else. Components receive these factories and never look at the mode or
 * venue themselves.
 */
export interface Wiring {
  /** The embedded simulator (venue=sim without external endpoints). */
  simulator: SimComponent | undefined;
  /** Where the venue is (the simulator's URLs once it runs). */
  endpoints: () => VenueEndpoints;
  /** How a session gets its signing key and API credentials (and so its reference feed). */
  credentials: () => Promise<ResolvedCredentials>;
  /** Paper or live order side for the resolved credentials. */
  orderSide: (c: ResolvedCredentials) => OrderSideFactory;
  venueLabel: string | undefined;
  /** Live sockets, or the recorded session of a replay. */
  marketData: MarketDataWiring;
  /** Go/no-go checks against the venue at every start (none in a replay). */
  preflight: boolean;
  /** Orders wait for an operator's arm (live only). */
  requireArming: boolean;
}

/** Replay: a recorded session, the paper order side on the shared fill model, no venue, no credentials. */
export function replayWiring(opts: RuntimeOptions): Wiring {
  const r = opts.replay;
  if (!r) throw new Error('mode replay needs a recorded session (npm run replay -- <session>); none was given');
  const nowhere = 'http://replay.invalid';
  const ws = 'ws://replay.invalid';
  const endpoints: VenueEndpoints = { gamma: nowhere, clob: nowhere, marketWs: ws, userWs: ws, polybolt: ws, rtds: ws, spot: ws, geoblock: nowhere };
  return {
    simulator: undefined,
    endpoints: () => endpoints,
    venueLabel: 'recorded session (replay)',
    credentials: async () => ({ source: 'none', reference: r.reference === 'none' ? 'none' : r.reference, notices: [] }),
    orderSide: () => paperOrderSide(),
    marketData: recordedMarketData(r.markets, opts.clock, { noReference: r.reference === 'none' }),
    preflight: false,
    requireArming: false,
  };
}

/** The wiring table's factory: the parts for a mode (bot/runtime.ts has the full one). */
export type WiringFactory = (opts: RuntimeOptions, mode: 'paper' | 'live' | 'replay') => Wiring;

/** Replays only (bot/replay-run.ts): any other mode is refused. */
export const replayWiringOnly: WiringFactory = (opts, mode) => {
  if (mode !== 'replay') throw new Error(`this runtime is built for replays only (mode ${mode}); paper and live runtimes come from createRuntime (bot/runtime.ts)`);
  return replayWiring(opts);
};

/** The clock for a configuration: wall clock, or a scaled one for an accelerated simulator (shared when given). */
export function clockFor(config: Pick<RuntimeConfig, 'venue' | 'sim'>, shared?: { startMs: number; speed: number; realStartMs: number }): Clock {
  if (shared) return new ScaledClock(shared.startMs, shared.speed, shared.realStartMs);
  return config.venue === 'sim' && config.sim.speed !== 1 ? new ScaledClock(new LiveClock().nowMs(), config.sim.speed) : new LiveClock();
}

/** The venue-side components for the configured mode and venue. */
function buildVenueSide(opts: RuntimeOptions, bus: EventBus, killSwitch: KillSwitch, config: () => RuntimeConfig, wiringFor: WiringFactory): { sim?: SimComponent; session?: SessionComponent; external?: ExternalSignalPoller } {
  const { clock } = opts;
  const cfg = config();
  if (opts.bare) return {};
  const mode = cfg.mode;
  planSeries(cfg.series); // an impossible series list fails here, with the reason
  if (mode === 'live' && !opts.credentials?.privateKey) {
    throw new Error('TRADING_MODE=live needs POLY_PRIVATE_KEY (or POLY_PRIVATE_KEY_FILE); refusing to arm the live venue without it');
  }
  const w = wiringFor(opts, mode);
  const sim = w.simulator;
  // External signals (trend-window): polled in paper and live; on venue=sim from the embedded simulator only. Each
  // reading is recorded through the raw tap (source 'external'); a replay polls nothing and takes the recorded
  // readings (replay-run routes the 'external' frames to `ingestRecorded`).
  const onRaw = opts.onRaw;
  const external = mode === 'replay'
    ? new ExternalSignalPoller({ clock, bus, config: () => config().externalSignals, urls: () => undefined, polling: false })
    : new ExternalSignalPoller({
        clock, bus, config: () => config().externalSignals, urls: () => externalSignalUrlsFor(config(), sim?.sim?.urls.external),
        ...(onRaw ? { onRecord: (ts: number, text: string) => onRaw('external', ts, text) } : {}),
      });
  const session = new SessionComponent({
    mode: mode === 'live' ? 'live' : 'paper',
    requireArming: w.requireArming,
    marketData: w.marketData,
    preflight: w.preflight,
    ...(opts.onRaw && mode !== 'replay' ? { onRaw: opts.onRaw } : {}),
    ...(w.venueLabel ? { venueLabel: w.venueLabel } : {}),
    clock,
    bus,
    killSwitch,
    journal: opts.store.journal,
    store: { riskDays: opts.store.riskDays, audit: opts.store.audit },
    config,
    seed: cfg.sim.seed,
    endpoints: w.endpoints,
    credentials: w.credentials,
    orderSide: w.orderSide,
    ...(external ? { externalSignals: () => external.values() } : {}),
  });
  return { ...(sim ? { sim } : {}), session, ...(external ? { external } : {}) };
}

/**
 * The config targets: which part reads which hot fields. `runtime` first (the config the parts read), then the
 * parts; series and strategies last (they validate before changing anything; a refusal rolls the others back).
 */
function configTargets(set: (c: RuntimeConfig) => void, session: SessionComponent | undefined, heartbeat: HeartbeatComponent, sim: SimComponent | undefined): ConfigTarget[] {
  const all = () => true;
  return [
    configTarget('runtime', all, (next) => set(next)),
    configTarget('heartbeat', configFieldGroups.heartbeat, (next) => heartbeat.setPeriod(next.heartbeatMs)),
    ...(session
      ? [
          configTarget('risk', configFieldGroups.risk, (next) => session.applyRisk(next.risk)),
          configTarget('budgets', configFieldGroups.budgets, (next) => session.setBudgets(next.strategies)),
          configTarget('series', configFieldGroups.series, (next, prev) => {
            // The embedded simulator lists a hot-added series from now on (its asset must be simulated already).
            const known = new Set(prev.series.map((s) => `${s.asset}-${s.windowSec}`));
            const added = next.series.filter((s) => !known.has(`${s.asset}-${s.windowSec}`));
            if (sim && added.length) sim.addSeries(simSeriesFor(added.map((s) => ({ asset: s.asset, windowSec: s.windowSec, ...(s.seriesId ? { seriesId: s.seriesId } : {}) }))));
            session.applySeries(next.series);
          }),
          configTarget('strategies', configFieldGroups.strategies, (next) => session.applyStrategies(next.strategies)),
        ]
      : []),
  ];
}

/** A runtime whose mode- and venue-dependent parts come from `wiringFor` (see the header). */
export function createRuntimeWith(opts: RuntimeOptions, wiringFor: WiringFactory): Runtime {
  const { clock, store, instanceId } = opts;
  /** What the parts run now: hot changes land here first (config target `runtime`), restart-required ones at start. */
  let config: RuntimeConfig = structuredClone(opts.config);
  const log = (opts.logger ?? silentLogger).child({ instanceId });
  const bus = new EventBus({ clock, historySize: opts.historySize ?? 10_000 });
  const killSwitch = new KillSwitch({ clock, bus, store: store.killSwitch, audit: store.audit });
  const rate = new EventRate(clock);
  const recorder = opts.dataDir && config.recording.enabled && config.mode !== 'replay' && !opts.bare
    ? new Recorder({
        dataDir: opts.dataDir, bus, clock, store: store.recordings, configHash: () => hashConfig(config),
        rotateBytes: config.recording.rotateMb * 1024 * 1024, rotateMs: config.recording.rotateMinutes * 60_000,
        maxBytes: config.recording.maxGb * 1024 ** 3, maxAgeMs: config.recording.maxDays * 86_400_000,
      })
    : undefined;
  const tap = recorder || opts.onRaw
    ? (feed: RawSource, ts: number, text: string) => {
        recorder?.tap(feed, ts, text);
        opts.onRaw?.(feed, ts, text);
      }
    : undefined;
  const venue = buildVenueSide({ ...opts, ...(tap ? { onRaw: tap } : {}) }, bus, killSwitch, () => config, wiringFor);
  const heartbeat = new HeartbeatComponent(clock, bus, config.heartbeatMs, () => lifecycle.state, () => uptime(), instanceId, rate);
  const unregister = opts.configSource ? configTargets((c) => (config = c), venue.session, heartbeat, venue.sim).map((t) => opts.configSource!.register(t)) : [];
  const components: RuntimeComponent[] = [
    heartbeat,
    ...(venue.sim ? [venue.sim] : []),
    ...(recorder ? [recorder] : []),
    ...(venue.external ? [venue.external] : []),
    ...(venue.session ? [venue.session] : []),
    // Learning (issue 14): journaled through the config service when there is one, in-process in replay/backtest runs.
    ...(venue.session ? [createLearning({ bus, clock, db: store.db, config: () => config, setConfig: (c) => (config = c), applyStrategies: (l) => venue.session!.applyStrategies(l), ...(opts.configSource ? { configSource: opts.configSource } : {}) })] : []),
    ...(opts.components ?? []),
  ];
  let startedAtMs: number | null = null;
  let lastError: string | null = null;
  let runId: number | null = null;
  const started: RuntimeComponent[] = [];
  // The alerts webhook lives as long as the runtime: a kill-switch change while stopped is news too.
  const alerts = new AlertService({
    clock, bus, logger: log, webhookUrl: opts.alertWebhookUrl, config: () => config, session: () => venue.session, workingBuyUsd,
    context: () => ({ runId: instanceId, runNumber: runId, mode: config.mode, venue: config.venue }),
  });

  const lifecycle = new Lifecycle((state, prevState, reason) => {
    log.info({ state, prevState, reason }, 'runtime state');
    bus.publish({ type: 'runtime.state', instanceId, state, prevState, ...(reason ? { reason } : {}) });
  });
  bus.on('runtime.error', (e) => {
    lastError = `${e.source}: ${e.message}`;
    log.warn({ source: e.source }, e.message);
  });

  const uptime = () => (startedAtMs === null ? 0 : Math.max(0, clock.nowMs() - startedAtMs));

  async function stopStarted(reason: string): Promise<void> {
    while (started.length > 0) {
      const c = started.pop()!;
      try {
        await c.stop(reason);
      } catch (err) {
        lastError = `${c.name}: ${errMsg(err)}`;
        bus.publish({ type: 'runtime.error', source: `component:${c.name}`, message: `stop failed: ${errMsg(err)}` });
      }
    }
  }

  async function doStart(reason: string, audited = false): Promise<RuntimeState> {
    if (lifecycle.state === 'running' || lifecycle.state === 'starting') return lifecycle.state;
    lifecycle.move('starting', reason);
    lastError = null;
    try {
      // Restart-required changes made while running become live now (mode, venue, simulator: at a process restart).
      if (opts.configSource) config = opts.configSource.pendingApplied('runtime', { keep: processFields });
      heartbeat.setPeriod(config.heartbeatMs);
      for (const c of components) {
        await c.start();
        started.push(c);
      }
    } catch (err) {
      lastError = errMsg(err);
      bus.publish({ type: 'runtime.error', source: 'runtime.start', message: lastError });
      await stopStarted('start failed');
      lifecycle.move('error', lastError);
      return lifecycle.state;
    }
    startedAtMs = clock.nowMs();
    runId = store.runs.begin(instanceId, startedAtMs, config.mode, config.venue);
    if (!audited) store.audit.record(startedAtMs, 'runtime', 'runtime.start', { reason, mode: config.mode, venue: config.venue });
    lifecycle.move('running', reason);
    return lifecycle.state;
  }

  async function doStop(reason: string, audited = false): Promise<RuntimeState> {
    if (lifecycle.state === 'stopped') return lifecycle.state;
    lifecycle.move('stopping', reason);
    await stopStarted(reason);
    if (runId !== null) store.runs.end(runId, clock.nowMs(), reason);
    if (!audited) store.audit.record(clock.nowMs(), 'runtime', 'runtime.stop', { reason });
    runId = null;
    startedAtMs = null;
    lifecycle.move('stopped', reason);
    return lifecycle.state;
  }

  const runtime: Runtime = {
    instanceId,
    bus,
    clock,
    killSwitch,
    store,
    get config() {
      return config;
    },
    status: () => ({
      instanceId,
      state: lifecycle.state,
      mode: config.mode,
      venue: config.venue,
      startedAtMs,
      uptimeMs: uptime(),
      nowMs: clock.nowMs(),
      lastError,
      killSwitch: killSwitch.snapshot(),
      arming: venue.session?.arming.snapshot() ?? { required: false, armed: false, sinceMs: null, actor: null, reason: null, armWhenReady: false },
      bus: { published: bus.stats.published, lastSeq: bus.stats.lastSeq, handlerErrors: bus.stats.handlerErrors, eventsPerSec: rate.perSec(bus.stats.published) },
      version: opts.version,
    }),
    start: (reason = 'start', o = {}) => lifecycle.serialize(() => doStart(reason, o.audited)),
    stop: (reason = 'stop', o = {}) => lifecycle.serialize(() => doStop(reason, o.audited)),
    restart: (reason = 'restart', o = {}) =>
      lifecycle.serialize(async () => {
        await doStop(reason, o.audited);
        return doStart(reason, o.audited);
      }),
    dispose: async (reason = 'shutdown') => {
      await lifecycle.serialize(() => doStop(reason));
      for (const c of components) await c.dispose?.().catch(() => undefined);
      for (const u of unregister.splice(0)) u();
      views.dispose();
      alerts.dispose();
    },
    session: venue.session,
    simulator: venue.sim,
    recorder,
    external: venue.external,
    alerts,
    get views() {
      return views;
    },
  };
  // Created with the runtime so the dashboard's event log covers its whole life.
  const views = createConsoleViews(runtime);
  return runtime;
}

function errMsg(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Events per second over the last few heartbeats, from the bus's published counter. */
class EventRate {
  private samples: { tMs: number; count: number }[] = [];
  constructor(private readonly clock: Clock) {}
  sample(count: number): void {
    this.samples.push({ tMs: this.clock.nowMs(), count });
    if (this.samples.length > 10) this.samples.shift();
  }
  perSec(currentCount: number): number {
    const first = this.samples[0];
    if (!first) return 0;
    const dt = this.clock.nowMs() - first.tMs;
    return dt > 0 ? ((currentCount - first.count) * 1000) / dt : 0;
  }
}

/** Publishes runtime.heartbeat (uptime, event rate) while running. */
class HeartbeatComponent implements RuntimeComponent {
  readonly name = 'heartbeat';
  private cancel: (() => void) | undefined;
  constructor(
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private periodMs: number,
    private readonly state: () => RuntimeState,
    private readonly uptimeMs: () => number,
    private readonly instanceId: string,
    private readonly rate: EventRate,
  ) {}
  /** Config hot apply: a new period re-arms the timer at once when running. */
  setPeriod(ms: number): void {
    if (!(Number.isInteger(ms) && ms > 0)) throw new Error(`heartbeat period must be a positive integer of ms (got ${ms})`);
    if (ms === this.periodMs) return;
    this.periodMs = ms;
    if (this.cancel) {
      this.cancel();
      this.arm();
    }
  }

  get period(): number {
    return this.periodMs;
  }

  async start(): Promise<void> {
    this.rate.sample(this.bus.stats.published);
    this.arm();
  }

  private arm(): void {
    this.cancel = this.clock.every(this.periodMs, 'runtime.heartbeat', () => {
      this.rate.sample(this.bus.stats.published);
      this.bus.publish({
        type: 'runtime.heartbeat',
        instanceId: this.instanceId,
        state: this.state(),
        uptimeMs: this.uptimeMs(),
        eventsPerSec: this.rate.perSec(this.bus.stats.published),
      });
    });
  }
  async stop(): Promise<void> {
    this.cancel?.();
    this.cancel = undefined;
  }
}
