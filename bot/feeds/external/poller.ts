/**
 * ExternalSignalPoller: the runtime side of trend-window's external signals. Every `pollSec` it fetches the Deribit
 * put/call ratio and the Fear & Greed index in parallel (each with its own AbortSignal timeout on the injected
 * Clock), keeps the last good reading of each with the time it was fetched, and serves it to the strategy host as
 * `ctx.external` until it is older than `maxAgeSec`. Each poll of each source publishes one `signal.external` event
 * (the reading, or the error with the running failure / bad-body counts).
 *
 * Invariants:
 * - Only the Clock's timers (no setTimeout / Date.now); one poll in flight at a time (a slow poll skips the next tick).
 * - A failed or bad poll never replaces a good cached value; it only counts. Values older than maxAgeSec are dropped
 *   from the served map (so a dead source is absent, never frozen).
 * - Config is read at every poll (every field hot); `enabled: false` or no URLs (a replay, a test's own venue):
 *   nothing is fetched and the served map is empty.
 * - Bounded: one cached value per source id (two ids).
 * - Record / replay (bot/feeds/external/recorded-reading.ts): every reading that enters the cache is also handed to
 *   `onRecord` (the recorder's tap) as a compact 'external' frame at the same clock time. A replay's poller
 *   (`polling: false`) fetches nothing and takes those frames through `ingestRecorded` into the same cache, through
 *   the same path (`accept`) as a poll: strategies read one map either way. A bad recorded frame is counted in
 *   `replayStats`, published as a not-ok `signal.external` with the reason, and skipped; it never throws.
 */
import type { ExternalSignalsConfig } from '../../../lib/schemas/config';
import type { EventBus } from '../../bus';
import type { CancelTimer, Clock } from '../../clock';
import type { RuntimeComponent } from '../../core/component';
import { deribitSummaryUrl, parsePutCall } from './deribit-put-call';
import { fearGreedUrl, parseFearGreed } from './fear-greed';
import { fetchJson, type FetchLike } from './fetch-json';
import { decodeRecordedReading, encodeRecordedReading } from './recorded-reading';
import { BadBodyError, type ExternalReading, type ExternalSignalId } from './reading';

/**
 * A served value: the shape of the strategies' `ExternalSignalValue` (bot/strategies/context.ts; feeds sit below
 * strategies in the layers, so the type is restated here and matched structurally).
 */
export interface ExternalSignalSnapshot {
  /** Score in [−1, 1] (+ favours Up). */
  readonly value: number;
  /** When it was fetched (the runtime's clock). */
  readonly tsMs: number;
  readonly raw: number;
  readonly direction: -1 | 0 | 1;
  readonly strength: number;
  readonly confidence: number;
}

/** Base URLs of the two sources and how to name them in events. */
export interface ExternalSignalUrls {
  deribit: string;
  fearGreed: string;
  /** Source label for events ('simulator' on venue=sim); default the real sources' names. */
  label?: string;
}

export interface ExternalSignalPollerOptions {
  clock: Clock;
  bus: EventBus;
  config: () => ExternalSignalsConfig;
  /** Where the sources are now (undefined: none, e.g. a replay); read at every poll. */
  urls: () => ExternalSignalUrls | undefined;
  fetch?: FetchLike;
  /** false: a replay's poller, which never fetches (values come from `ingestRecorded`). Default true. */
  polling?: boolean;
  /** The recorder's tap: each reading that enters the cache, as the text of an 'external' frame at its clock time. */
  onRecord?: (tsRecvMs: number, text: string) => void;
}

/** Recorded 'external' frames a replay's poller took (ingested) or refused (invalid, first reason kept). */
export interface ExternalReplayStats {
  ingested: number;
  invalid: number;
  firstError?: string;
}

interface SourceStats {
  polls: number;
  ok: number;
  failures: number;
  badBodies: number;
  lastError?: string;
}

interface Source {
  id: ExternalSignalId;
  name: string;
  url: (u: ExternalSignalUrls) => string;
  parse: (body: unknown, nowMs: number, c: ExternalSignalsConfig) => ExternalReading;
}

const SOURCES: readonly Source[] = [
  {
    id: 'putCallRatio',
    name: 'deribit',
    url: (u) => deribitSummaryUrl(u.deribit),
    parse: (body, _now, c) => parsePutCall(body, { neutral: c.putCallNeutral, saturation: c.putCallSaturation, fullConfidenceOi: c.putCallFullConfidenceOi, deadBand: 0.05 }),
  },
  {
    id: 'fearGreed',
    name: 'alternative.me',
    url: (u) => fearGreedUrl(u.fearGreed),
    parse: (body, now, c) => parseFearGreed(body, now, { mode: c.fearGreedMode, neutralBand: c.fearGreedNeutralBand }),
  },
];

/**
 * The reading a poll makes of a source's body (already JSON) at `nowMs` under config `c`: the one parse + score the
 * poller applies, exported so a synthetic session (bot/replay/synth.ts) scores the simulator's bodies the same way.
 * Throws BadBodyError for an unusable body.
 */
export function readExternalBody(id: ExternalSignalId, body: unknown, nowMs: number, c: ExternalSignalsConfig): ExternalReading {
  const s = SOURCES.find((x) => x.id === id);
  if (!s) throw new RangeError(`unknown external signal ${String(id)}`);
  return s.parse(body, nowMs, c);
}

export class ExternalSignalPoller implements RuntimeComponent {
  readonly name = 'external-signals';
  readonly stats: Record<ExternalSignalId, SourceStats> = {
    putCallRatio: { polls: 0, ok: 0, failures: 0, badBodies: 0 },
    fearGreed: { polls: 0, ok: 0, failures: 0, badBodies: 0 },
  };
  readonly replayStats: ExternalReplayStats = { ingested: 0, invalid: 0 };
  private readonly cache = new Map<ExternalSignalId, ExternalSignalSnapshot>();
  private timer: CancelTimer | undefined;
  private inFlight: Promise<void> | undefined;
  private running = false;

  constructor(private readonly o: ExternalSignalPollerOptions) {}

  async start(): Promise<void> {
    if (this.running || this.o.polling === false) return;
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.timer?.();
    this.timer = undefined;
    await this.inFlight?.catch(() => undefined);
  }

  /** The values strategies see now (fresh ones only): the host passes this map as `ctx.external`. */
  values(): ReadonlyMap<string, ExternalSignalSnapshot> {
    const maxAgeMs = this.o.config().maxAgeSec * 1000;
    const now = this.o.clock.nowMs();
    for (const [id, v] of this.cache) if (now - v.tsMs > maxAgeMs) this.cache.delete(id);
    return this.cache;
  }

  /** One poll of both sources in parallel (also called by the timer); resolves when both are done. */
  pollOnce(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    const run = this.poll().finally(() => (this.inFlight = undefined));
    this.inFlight = run;
    return run;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = this.o.clock.after(delayMs, 'external-signals.poll', () => {
      void this.pollOnce().finally(() => this.schedule(this.o.config().pollSec * 1000));
    });
  }

  private async poll(): Promise<void> {
    const c = this.o.config();
    const urls = this.o.urls();
    if (!c.enabled || !urls) {
      this.cache.clear();
      return;
    }
    const fetchFn = this.o.fetch ?? ((url, init) => fetch(url, { ...init, redirect: 'error' }));
    await Promise.all(SOURCES.map((s) => this.pollSource(s, urls, c, fetchFn)));
  }

  private async pollSource(s: Source, urls: ExternalSignalUrls, c: ExternalSignalsConfig, fetchFn: FetchLike): Promise<void> {
    const st = this.stats[s.id];
    st.polls++;
    const source = urls.label ?? s.name;
    const got = await fetchJson(fetchFn, s.url(urls), c.timeoutMs, this.o.clock);
    const now = this.o.clock.nowMs();
    let reading: ExternalReading | undefined;
    let error: string | undefined;
    if (got.ok) {
      try {
        reading = s.parse(got.body, now, c);
      } catch (err) {
        st.badBodies++;
        error = err instanceof BadBodyError ? err.message : `unusable body: ${String(err)}`;
      }
    } else {
      if (got.kind === 'bad-body') st.badBodies++;
      else st.failures++;
      error = got.error;
    }
    if (reading) {
      st.ok++;
      st.lastError = undefined;
      if (this.o.onRecord) {
        try {
          this.o.onRecord(now, encodeRecordedReading(reading, source, now));
        } catch {
          // the recorder never throws into a caller; a tap that does must not cost the reading
        }
      }
      this.accept(reading, source, now);
    } else {
      st.lastError = error;
      this.publish(s.id, source, now, undefined, error);
    }
  }

  /**
   * Replay: one recorded 'external' frame (receive time, text) into the cache, as the poll that recorded it put it
   * there. False (counted, published as not ok, skipped) for a frame that is not a recorded reading, and while
   * `enabled` is off (the served map stays empty, as a poller's would).
   */
  ingestRecorded(tsRecvMs: number, text: string): boolean {
    if (!this.o.config().enabled) {
      this.cache.clear();
      return false;
    }
    const r = decodeRecordedReading(text, tsRecvMs);
    if (typeof r === 'string') {
      const error = `bad recorded external frame at ${tsRecvMs}: ${r}`;
      const rs = this.replayStats;
      if (rs.invalid++ === 0) rs.firstError = error;
      this.publish('recording', 'recording', this.o.clock.nowMs(), undefined, error);
      return false;
    }
    this.replayStats.ingested++;
    this.accept(r, r.source, r.tsMs);
    return true;
  }

  /** A good reading fetched at `tsMs` enters the cache and is published (poll and replay alike). */
  private accept(reading: ExternalReading, source: string, tsMs: number): void {
    this.cache.set(reading.id, { value: reading.score, tsMs, raw: reading.raw, direction: reading.direction, strength: reading.strength, confidence: reading.confidence });
    this.publish(reading.id, source, this.o.clock.nowMs(), reading, undefined);
  }

  private publish(id: string, source: string, now: number, reading: ExternalReading | undefined, error: string | undefined): void {
    const st = (this.stats as Partial<Record<string, SourceStats>>)[id];
    const served = this.values().get(id);
    this.o.bus.publish({
      type: 'signal.external',
      id,
      source,
      ok: reading !== undefined,
      ...(reading
        ? { raw: reading.raw, score: reading.score, direction: reading.direction, strength: reading.strength, confidence: reading.confidence }
        : { error: (error ?? 'unknown error').slice(0, 300) }),
      ...(served ? { servedAgeMs: Math.max(0, now - served.tsMs) } : {}),
      failures: st?.failures ?? 0,
      badBodies: st?.badBodies ?? this.replayStats.invalid,
    });
  }
}
