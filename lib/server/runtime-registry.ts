/**
 * The one door from route handlers into the bot runtime.
 *
 * Next.js bundles the instrumentation hook and each route handler separately, so every module exists in
 * several copies inside one process. The runtime therefore lives on globalThis under a Symbol.for key and
 * is described by interfaces only (never instanceof). Whoever asks first (the instrumentation hook, at boot)
 * creates it; everyone else gets the same instance, across dev hot reloads too.
 *
 * Observability wiring: every log line carries `runId` (the runtime's instance id) and `configHash` (the hash of the
 * configuration in force, updated on every `config.changed`); the bus-fed metrics (metrics-events.ts) are created
 * with the runtime, before it starts, so the first scrape counts everything since boot.
 */
import 'server-only';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { LiveClock, type Clock } from '../../bot/clock';
import { CredsStore } from '../../bot/execution';
import { clockFor, createRuntime, type Runtime } from '../../bot/runtime';
import { openConfigService, type ConfigService } from '../../bot/config';
import { openStore } from '../../bot/store';
import { createLogger, type LogDestination, type Logger, type LogStamp } from '../../bot/util/logger';
import type { BotEvent } from '../schemas/events';
import { readCredentials, readEndpointOverrides, readSecret, readServerEnv, type ServerEnv } from '../../bot/config/server-env';
import { SseHub, type SseSource } from './sse';
import { createEventMetrics, type RuntimeEventMetrics } from './metrics-events';
import pkg from '../../package.json';
import { ENDPOINT_ENV, POLYMARKET_ENDPOINTS, type VenueEndpoints } from '../../bot/core';

export interface RuntimeHolder {
  runtime: Runtime;
  /** The owner of the live configuration (bot/config): apply, revert, history, profiles; runtime parts register as targets. */
  config: ConfigService;
  sse: SseHub;
  env: ServerEnv;
  logger: Logger;
  sseSource: SseSource;
  /** Order transitions, fills and latency histograms fed by the bus since the runtime was created (metrics.ts registers them). */
  eventMetrics: RuntimeEventMetrics;
  shutdown(reason: string): Promise<void>;
  /** Called at shutdown before the runtime stops (replay playback, backtest and sweep jobs register here). */
  readonly disposers: Array<() => void | Promise<void>>;
  shuttingDown: boolean;
}

const KEY = Symbol.for('updown.runtime.v1');
type G = typeof globalThis & { [KEY]?: RuntimeHolder };

export function getRuntimeHolder(): RuntimeHolder {
  const g = globalThis as G;
  g[KEY] ??= createHolder();
  return g[KEY];
}

export function getRuntime(): Runtime {
  return getRuntimeHolder().runtime;
}

/**
 * Endpoint overrides from the environment (e.g. the lines `npm run sim` prints): any subset over Polymarket's.
 * When any is set the embedded simulator is not started (VENUE=sim then means "a simulator elsewhere").
 */
function endpointsFromEnv(source: NodeJS.ProcessEnv): VenueEndpoints | undefined {
  const o = readEndpointOverrides(source);
  if (Object.keys(o).length === 0) return undefined;
  const byKey = Object.fromEntries(Object.entries(ENDPOINT_ENV).map(([k, name]) => [k, o[name as keyof typeof o]])) as Partial<VenueEndpoints>;
  const merged = { ...POLYMARKET_ENDPOINTS, ...Object.fromEntries(Object.entries(byKey).filter(([, v]) => v !== undefined)) } as VenueEndpoints;
  return merged;
}

/** Test seams of createRuntimeHolder: the environment to read, where log lines go, and the clock. */
export interface RuntimeHolderOptions {
  /** Default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  logDestination?: LogDestination;
  /** The runtime's (and the config journal's) clock instead of the one the config asks for: the soak bench's SimClock. */
  clock?: Clock;
}

function createHolder(): RuntimeHolder {
  return createRuntimeHolder();
}

/** Build a holder (the server calls it once, through getRuntimeHolder; tests call it with their env and log sink). */
export function createRuntimeHolder(opts: RuntimeHolderOptions = {}): RuntimeHolder {
  const source = (opts.env ?? process.env) as NodeJS.ProcessEnv;
  const env = readServerEnv(source);
  const instanceId = randomUUID();
  // Read on every log line: the config hash below changes in place on every config.changed.
  const stamp: LogStamp = { runId: instanceId };
  const logger = createLogger({ level: env.LOG_LEVEL, stamp, ...(opts.logDestination ? { destination: opts.logDestination } : {}) });
  const store = openStore(join(env.DATA_DIR, 'updown.sqlite'));
  const creds = readCredentials(source);
  // The runtime's clock depends on the config (venue, sim speed): journal times use the wall clock until it exists.
  const clockRef: { current?: Clock } = {};
  const wallClock = new LiveClock();
  let configService: ConfigService;
  try {
    configService = openConfigService({
      dataDir: env.DATA_DIR,
      ...(env.CONFIG_FILE ? { configFile: env.CONFIG_FILE } : {}),
      env: source,
      store,
      nowMs: () => (clockRef.current ?? wallClock).nowMs(),
      guard: { hasLiveCredentials: () => Boolean(creds.key?.privateKey), host: env.HOST, consoleTokenSet: Boolean(env.CONSOLE_TOKEN), tradingModeEnv: source.TRADING_MODE ?? '' },
      mode: 'server',
    });
  } catch (err) {
    store.close();
    throw err;
  }
  const config = configService.effective();
  stamp.configHash = configService.hash;
  // A simulator in another process at speed != 1 shares its timeline through SIM_CLOCK.
  const clock: Clock = opts.clock ?? clockFor(config, env.SIM_CLOCK);
  clockRef.current = clock;
  const endpoints = endpointsFromEnv(source);
  // The alerts webhook URL embeds a token: a secret, from the environment or a 0600 secret file only.
  const alertWebhookUrl = readSecret('ALERT_WEBHOOK_URL', source);
  const runtime = createRuntime({
    instanceId,
    version: pkg.version,
    config,
    configSource: configService,
    clock,
    store,
    logger,
    ...(creds.key ? { credentials: creds.key } : {}),
    ...(creds.api ? { apiCredentials: creds.api } : {}),
    credsStore: new CredsStore(env.DATA_DIR),
    dataDir: env.DATA_DIR,
    ...(endpoints ? { endpoints } : {}),
    ...(env.REFERENCE_FEED === 'rtds' ? { referenceOverride: 'rtds' as const } : {}),
    ...(alertWebhookUrl ? { alertWebhookUrl } : {}),
  });
  configService.connect((e) => runtime.bus.publish(e));
  runtime.bus.on('config.changed', (e) => {
    stamp.configHash = e.hash;
  });
  // Before the runtime starts: the latency tracker's handlers must run before the strategy host's.
  const eventMetrics = createEventMetrics(runtime);
  const sse = new SseHub({ maxClientBytes: env.SSE_CLIENT_MAX_BYTES, heartbeatMs: env.SSE_HEARTBEAT_MS });
  const sseSource: SseSource = {
    instanceId: runtime.instanceId,
    lastSeq: () => runtime.bus.stats.lastSeq,
    since: (seq: number) => runtime.bus.history.since(seq),
    subscribe: (fn: (e: BotEvent) => void) => runtime.bus.onAny(fn),
  };
  const holder: RuntimeHolder = {
    runtime,
    config: configService,
    sse,
    env,
    logger,
    sseSource,
    eventMetrics,
    shuttingDown: false,
    disposers: [],
    async shutdown(reason: string) {
      if (holder.shuttingDown) return;
      holder.shuttingDown = true;
      sse.closeAll();
      for (const d of holder.disposers.splice(0)) await Promise.resolve(d()).catch(() => undefined);
      try {
        await runtime.dispose(reason);
      } finally {
        eventMetrics.dispose();
        store.close();
      }
    },
  };
  logger.info({ mode: config.mode, venue: config.venue, dataDir: env.DATA_DIR, instanceId: runtime.instanceId, configVersion: configService.version, configHash: configService.hash }, 'runtime created');
  return holder;
}
