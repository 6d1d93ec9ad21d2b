/**
 * Synthetic sessions: run the built-in simulator's world (SimModel: price model, markets, crowd) on a SimClock for
 * `hours` of simulated time, with no sockets, and record every frame a subscribed bot would have received into a
 * recording (RecordingWriter, format 'synthetic') that replays like a live one.
 *
 * A virtual client is plugged into the simulator's own socket handlers (market channel, PolyBolt server, spot
 * server) through an in-memory socket, so every frame is the exact text those servers send:
 * - 'clob-market': a bot following the BTC 5m and 15m windows the way the market catalog does — current + next
 *   window of each series subscribed with `initial_dump` and `custom_feature_enabled` (the bot's own subscribe
 *   messages), closed windows kept until their `market_resolved`, then unsubscribed.
 * - 'polybolt': authenticated, subscribed to `price.crypto.twap` btcusd/60 and `price.crypto` btcusd like the bot
 *   (acks, the 2-minute snapshots, then the live frames).
 * - 'spot': the raw `/ws/btcusdt@trade` stream.
 * - 'external': trend-window's external signals as a venue=sim bot's ExternalSignalPoller records them — at the start
 *   and every `externalSignals.pollSec` (the config default), the bodies the simulator's external-signals server
 *   would answer (same model, same seed), read by the poller's own parse + score (readExternalBody, default config)
 *   and encoded as recorded readings (putCallRatio, then fearGreed), source label 'simulator'.
 *
 * Invariants:
 * - Deterministic: same seed and options -> byte-identical frames (no wall clock, no unseeded randomness; the only
 *   wall-clock-dependent manifest field is `createdAtMs` when the caller passes one).
 * - The session starts at a window boundary common to every series (a start is rounded up to it) and runs
 *   `hours` plus a settlement tail (resolution delay + 1 s) so every window that ends inside the range resolves.
 * - tsRecvMs = the simulated time at which the server produced the frame (non-decreasing).
 * - Memory is bounded: the writer is drained every few thousand frames (nothing is dropped), and the event loop
 *   gets a turn so gzip runs beside the simulation.
 * - Volume comes from the simulator's own options (reference and spot tick rates), never from padded frames.
 */
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { WebSocket } from 'ws';
import { externalSignalsConfigSchema } from '../../lib/schemas/config';
import { encodeRecordedReading, EXTERNAL_SIGNAL_IDS, externalSignalUrlsFor, readExternalBody, type ExternalSignalId } from '../feeds/external';
import { SimClock } from '../clock/sim-clock';
import { Prng } from '../util/prng';
import { AuthStore } from '../sim/auth';
import { marketChannel } from '../sim/clob-ws';
import type { CrowdOptions } from '../sim/crowd';
import { FaultRegistry } from '../sim/faults';
import { GuardedClock } from '../sim/guarded-clock';
import { deribitBookSummaryBody, ExternalSignalsModel, fearGreedBody } from '../sim/external-signals-server';
import type { StreamName } from '../sim/hub';
import type { SimMarket } from '../sim/market';
import { SimModel } from '../sim/model';
import { modelOptions } from '../sim/options';
import { PolyboltServer } from '../sim/polybolt-server';
import { everyAligned } from '../sim/schedule';
import { DEFAULT_SERIES, type SeriesSpec, windowStartSec } from '../sim/series';
import { SpotServer } from '../sim/spot-server';
import type { OnConnection } from '../sim/ws-endpoint';
import { FaultySocket } from '../sim/ws-out';
import { RecordingWriter } from './recording-writer';
import type { FrameSource, SessionManifest, SessionMarketInput } from './session';

export interface SynthOptions {
  /** Simulated hours (fractions allowed, e.g. 1/3 for 20 minutes). */
  hours: number;
  seed: string | number;
  /** Session start (epoch ms); rounded up to the next boundary common to every series. Default 2026-01-01T00:00Z. */
  startMs?: number;
  /** Output directory (must not hold a session yet). Default `data/live/recordings/<id>`. */
  dir?: string;
  id?: string;
  rotateBytes?: number;
  /** Reference (Chainlink-like) reports per second: 1 (the simulator's default), 2, 4, 5, 8 or 10. */
  referenceTicksPerSec?: number;
  /** Spot steps (one btcusdt trade frame each) per second: default 4 (the simulator's); 1000 / rate must be whole ms. */
  spotTicksPerSec?: number;
  /** Crowd overrides (maker requote period, taker rate, ...): default the simulator's. */
  crowd?: Partial<CrowdOptions>;
  /** Manifest `createdAtMs` (default: the session start, so the manifest is reproducible too). */
  createdAtMs?: number;
  /** gzip level of the segments (default 6). */
  gzipLevel?: number;
  onProgress?: (p: SynthProgress) => void;
  /** Simulated time between progress calls (default 10 min). */
  progressEveryMs?: number;
}

export interface SynthProgress {
  simMs: number;
  startMs: number;
  endMs: number;
  frames: number;
  /** Compressed bytes written so far. */
  bytes: number;
}

/**
 * What a session from this generator holds; bump it when the frames change so caches of synthetic sessions keyed on
 * it (tests/bench) regenerate. 2: 'external' frames added.
 */
export const SYNTH_FORMAT_VERSION = 2;
/** 2026-01-01T00:00:00Z: a fixed default start keeps a seed's session the same whenever it is generated. */
export const SYNTH_DEFAULT_START_MS = 1_767_225_600_000;
const SERIES: readonly SeriesSpec[] = DEFAULT_SERIES;
const MAX_REFERENCE_TICKS = 10; // the model's reference ring holds 600 reports: the 60 s TWAP needs <= 10 per second
const DRAIN_EVERY_FRAMES = 8192;
const STEP_MS = 1000;
const CLIENT_ADDRESS = '0x5e0000000000000000000000000000000000005e';
/** The externalSignals config a default bot polls and scores with. */
const EXTERNAL_CONFIG = externalSignalsConfigSchema.parse({});
/** The source label a venue=sim poller gives its readings. */
const EXTERNAL_LABEL = externalSignalUrlsFor({ venue: 'sim', externalSignals: EXTERNAL_CONFIG }, 'http://sim')?.label ?? 'simulator';

/** The default session id for these options. */
export function synthSessionId(o: Pick<SynthOptions, 'hours' | 'seed' | 'startMs' | 'referenceTicksPerSec' | 'spotTicksPerSec'>): string {
  const start = new Date(alignedStart(o.startMs ?? SYNTH_DEFAULT_START_MS)).toISOString().slice(0, 16).replace(/[-:]/g, '');
  const seed = String(o.seed).replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40);
  const spot = (o.spotTicksPerSec ?? 4) === 4 ? '' : `-s${o.spotTicksPerSec}`;
  const ref = (o.referenceTicksPerSec ?? 1) === 1 ? '' : `-r${o.referenceTicksPerSec}`;
  return `synth-${seed}-${Number(o.hours.toFixed(3))}h-${start}${spot}${ref}`.slice(0, 120);
}

export async function generateSynthetic(o: SynthOptions): Promise<SessionManifest> {
  if (!(o.hours > 0) || !Number.isFinite(o.hours) || o.hours > 24 * 31) throw new RangeError(`hours must be in (0, 744] (got ${o.hours})`);
  const refRate = o.referenceTicksPerSec ?? 1;
  const spotRate = o.spotTicksPerSec ?? 4;
  if (!Number.isInteger(1000 / refRate) || refRate > MAX_REFERENCE_TICKS || refRate <= 0) {
    throw new RangeError(`referenceTicksPerSec must divide 1000 into whole ms and be at most ${MAX_REFERENCE_TICKS} (got ${refRate})`);
  }
  if (!(spotRate > 0) || !Number.isInteger(1000 / spotRate)) throw new RangeError(`spotTicksPerSec must divide 1000 into whole ms (got ${spotRate})`);
  const startMs = alignedStart(o.startMs ?? SYNTH_DEFAULT_START_MS);
  const id = o.id ?? synthSessionId(o);
  const dir = o.dir ?? join('data', 'live', 'recordings', id);
  if (existsSync(join(dir, 'manifest.json'))) throw new Error(`${dir} already holds a session (manifest.json): choose another id or directory`);

  const simOptions = { seed: String(o.seed), price: { referencePeriodMs: 1000 / refRate, spotStepMs: 1000 / spotRate }, crowd: o.crowd ?? {} };
  const mo = modelOptions({ clock: new SimClock(startMs), ...simOptions });
  const endMs = startMs + Math.round(o.hours * 3_600_000) + mo.resolutionDelayMs + 1000;
  const writer = new RecordingWriter({
    dir,
    id,
    format: 'synthetic',
    createdAtMs: o.createdAtMs ?? startMs,
    ...(o.rotateBytes !== undefined ? { rotateBytes: o.rotateBytes } : {}),
    ...(o.gzipLevel !== undefined ? { level: o.gzipLevel } : {}),
    notes: [
      `synthetic session from the built-in simulator (bot/replay/synth.ts), seed ${JSON.stringify(String(o.seed))}`,
      `sim options ${JSON.stringify({ ...simOptions, series: SERIES.map((s) => s.label), dialect: mo.dialect, marketVersion: mo.marketVersion, resolutionDelayMs: mo.resolutionDelayMs, bookLeadMs: mo.bookLeadMs })}`,
      `frames are what a bot receives subscribed to the current + next BTC 5m/15m windows (custom features on), PolyBolt btcusd live + TWAP-60, the btcusdt@trade spot stream, and the external signal readings every ${EXTERNAL_CONFIG.pollSec} s`,
      `${o.hours} h from ${new Date(startMs).toISOString()} plus a ${mo.resolutionDelayMs + 1000} ms settlement tail, so every window ending in the range resolves`,
    ],
  });

  const clock = new SimClock(startMs);
  const simClock = new GuardedClock(clock);
  const model = new SimModel(simClock, new Prng(mo.seed), { ...mo, series: SERIES });
  const faults = new FaultRegistry(simClock);
  const sockets: VirtualSocket[] = [];
  let frames = 0;
  const record = (source: FrameSource) => (raw: string) => {
    writer.frame({ source, tsRecvMs: simClock.nowMs(), raw });
    frames++;
  };
  const connect = (stream: StreamName, handler: OnConnection, url: string, deliver: (t: string) => void) => {
    const ws = new VirtualSocket(deliver);
    sockets.push(ws);
    handler(new FaultySocket(ws as unknown as WebSocket, stream, faults, simClock), { url, headers: {} } as IncomingMessage);
    return ws;
  };

  const authStore = new AuthStore(model.ids);
  const creds = authStore.register(CLIENT_ADDRESS);
  const polybolt = new PolyboltServer(model, authStore);
  model.prices.onReference((ref, twap) => polybolt.onReference(ref, twap));
  const spot = new SpotServer(() => model.settings.spotOffsetBps);
  model.prices.onSpot((p) => spot.onSpot(p));
  model.start();

  const follower = new WindowFollower(model, simClock, record('clob-market'));
  follower.ws = connect('market', marketChannel(model), '/ws/market', (t) => follower.onText(t));
  follower.start();
  const recordPolybolt = record('polybolt');
  const pb: VirtualSocket = connect('polybolt', polybolt.onConnection, '/ws', (t) => {
    recordPolybolt(t);
    if (t.startsWith('{"op":"authed"')) pb.clientSends(POLYBOLT_SUBSCRIBE);
  });
  pb.clientSends(JSON.stringify({ op: 'auth', rid: 'a1', auth: { apiKey: creds.apiKey, secret: creds.secret, passphrase: creds.passphrase } }));
  connect('spot', spot.onConnection, '/ws/btcusdt@trade', record('spot'));
  const pollExternal = externalPoll(new ExternalSignalsModel(mo.seed), simClock, record('external'));
  pollExternal();
  const stopExternal = simClock.every(EXTERNAL_CONFIG.pollSec * 1000, 'synth.external', pollExternal);

  const stopRoll = everyAligned(simClock, Math.min(...SERIES.map((s) => s.durationSec)) * 1000, 0, 'synth.roll', () => follower.roll());
  try {
    let drainedAt = 0;
    let progressAt = startMs;
    const every = o.progressEveryMs ?? 600_000;
    for (let t = startMs; t < endMs; ) {
      t = Math.min(endMs, t + STEP_MS);
      clock.advanceTo(t);
      if (frames - drainedAt >= DRAIN_EVERY_FRAMES) {
        drainedAt = frames;
        await writer.drained();
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (o.onProgress && (t - progressAt >= every || t === endMs)) {
        progressAt = t;
        o.onProgress({ simMs: t, startMs, endMs, frames, bytes: writer.stats.bytes });
      }
    }
  } catch (err) {
    await writer.close().catch(() => undefined);
    throw err;
  } finally {
    // Disconnect first: stopping the model pulls the crowd's quotes, which no bot would see as market data.
    for (const ws of sockets) ws.close();
    stopRoll();
    stopExternal();
    model.stop();
    polybolt.stop();
  }
  for (const m of follower.markets()) writer.market(m);
  return writer.close();
}

/**
 * One poll of both external sources at the clock's time: the simulator server's bodies (through JSON, as fetched),
 * the poller's parse + score, the recorded-reading frame text. Throws if the simulator serves a body the bot refuses.
 */
function externalPoll(model: ExternalSignalsModel, clock: GuardedClock, record: (text: string) => void): () => void {
  const bodyAt: Record<ExternalSignalId, (nowMs: number) => object> = {
    putCallRatio: (now) => deribitBookSummaryBody(model, now, 'option'),
    fearGreed: (now) => fearGreedBody(model, now, 1), // the poller asks for ?limit=1
  };
  return () => {
    const now = clock.nowMs();
    for (const id of EXTERNAL_SIGNAL_IDS) {
      const body: unknown = JSON.parse(JSON.stringify(bodyAt[id](now)));
      record(encodeRecordedReading(readExternalBody(id, body, now, EXTERNAL_CONFIG), EXTERNAL_LABEL, now));
    }
  };
}

/** Round up to the next boundary shared by every series (15 minutes for 5m + 15m). */
function alignedStart(ms: number): number {
  const periodMs = SERIES.reduce((l, s) => lcm(l, s.durationSec), 1) * 1000;
  return Math.ceil(ms / periodMs) * periodMs;
}

function lcm(a: number, b: number): number {
  const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));
  return (a / gcd(a, b)) * b;
}

const POLYBOLT_SUBSCRIBE = JSON.stringify({
  op: 'subscribe',
  rid: 's1',
  subscriptions: [
    { channel: 'price.crypto.twap', filter: { symbol: 'btcusd', window_seconds: 60 } },
    { channel: 'price.crypto', filter: { symbol: 'btcusd' } },
  ],
});

/** The in-memory socket under a simulator FaultySocket: server sends go to `deliver`; the client speaks via `clientSends`. */
class VirtualSocket extends EventEmitter {
  readyState = 1;
  readonly bufferedAmount = 0;

  constructor(private readonly deliver: (text: string) => void) {
    super();
  }

  send(text: string): void {
    if (this.readyState === 1) this.deliver(text);
  }

  /** A WS-level ping is answered at once (the virtual client never lags). */
  ping(): void {
    this.emit('pong');
  }

  close(): void {
    if (this.readyState !== 1) return;
    this.readyState = 3;
    this.emit('close');
  }

  terminate(): void {
    this.close();
  }

  clientSends(text: string): void {
    this.emit('message', text);
  }
}

/**
 * The market socket client: follows the windows like the bot's market catalog (current + next of each series,
 * closed ones until resolved) with the bot's own subscribe / unsubscribe messages, and keeps every followed
 * window's Gamma facts for the manifest.
 */
class WindowFollower {
  ws: VirtualSocket | undefined;
  private readonly followed = new Map<string, { m: SimMarket; tickSize: number }>();
  private readonly active = new Set<string>();

  constructor(
    private readonly model: SimModel,
    private readonly clock: GuardedClock,
    private readonly record: (text: string) => void,
  ) {}

  start(): void {
    const tokens = this.follow();
    this.ws?.clientSends(JSON.stringify({ assets_ids: tokens, type: 'market', initial_dump: true, level: 2, custom_feature_enabled: true }));
  }

  roll(): void {
    const added = this.follow();
    if (added.length > 0) this.ws?.clientSends(JSON.stringify({ operation: 'subscribe', assets_ids: added, level: 2, custom_feature_enabled: true, initial_dump: true }));
  }

  onText(text: string): void {
    this.record(text);
    if (!text.startsWith('{"event_type":"market_resolved"')) return;
    const conditionId = (JSON.parse(text) as { market: string }).market;
    const m = this.model.registry.condition(conditionId);
    if (!m || !this.active.delete(m.slug)) return;
    // The catalog marks the window resolved and the feed unsubscribes its tokens (after this frame is handled).
    this.clock.after(0, 'synth.unsubscribe', () => this.ws?.clientSends(JSON.stringify({ operation: 'unsubscribe', assets_ids: [m.upTokenId, m.downTokenId] })));
  }

  /** SessionMarket facts of every followed window, in start order (Gamma's view; price to beat once open). */
  markets(): SessionMarketInput[] {
    const list = [...this.followed.values()].sort((a, b) => a.m.startMs - b.m.startMs || a.m.spec.durationSec - b.m.spec.durationSec);
    return list.map(({ m, tickSize }) => ({
      slug: m.slug,
      kind: m.spec.label as '5m' | '15m',
      startMs: m.startMs,
      endMs: m.endMs,
      eventId: m.eventId,
      conditionId: m.gammaConditionId,
      upTokenId: m.upTokenId,
      downTokenId: m.downTokenId,
      tickSize,
      minOrderSize: m.minOrderSize,
      negRisk: false,
      version: m.version,
      fees: { rate: m.fees.rate, exponent: m.fees.exponent, takerOnly: m.fees.takerOnly },
      ...(m.priceToBeat !== undefined ? { priceToBeat: m.priceToBeat } : {}),
      outcomeMapping: 'venue',
    }));
  }

  /** Start following the current and next window of each series; returns the tokens newly followed. */
  private follow(): string[] {
    const now = this.clock.nowMs();
    const added: string[] = [];
    for (const spec of SERIES) {
      const cur = windowStartSec(spec, now);
      for (const s of [cur, cur + spec.durationSec]) {
        const m = this.model.market(spec, s);
        if (this.followed.has(m.slug)) continue;
        this.followed.set(m.slug, { m, tickSize: m.tickMilli / 1000 });
        this.active.add(m.slug);
        added.push(m.upTokenId, m.downTokenId);
      }
    }
    return added;
  }
}
