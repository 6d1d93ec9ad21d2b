/**
 * Recorder: the runtime component that records the market-data sockets to disk while the bot runs (record raw,
 * replay raw). Each start opens a new session `<dataDir>/recordings/rec-YYYYMMDD-HHMMSS[-n]` (UTC, from the injected
 * clock), taps every raw socket text frame (`tap`, the venue session's `onRaw`), keeps the windows announced by
 * `market.discovered` in the manifest (with Gamma's price to beat when it arrives), indexes the session in the
 * store and applies retention.
 *
 * Invariants:
 * - Trading is never affected: nothing here throws into a caller or waits in `tap`; a write error publishes one
 *   `runtime.notice` (warn, source 'recorder') and recording stops until the next start.
 * - Only FRAME_SOURCES are recorded: the user socket ('clob-user') is ours and the journal has it. The external
 *   signal readings come through the same tap (source 'external', from the runtime's ExternalSignalPoller).
 * - Every time comes from the injected clock; frames carry the receive time the tap was given.
 * - The session being written is never deleted by retention; rows a crashed run left open are closed at start.
 */
import { mkdirSync, existsSync } from 'node:fs';
import { join, relative, resolve, isAbsolute } from 'node:path';
import type { EventBus, Unsubscribe } from '../bus';
import type { CancelTimer, Clock } from '../clock';
import type { RawSource } from '../core';
import type { RuntimeComponent } from '../core/component';
import type { RecordingStore } from '../store/recording-store';
import { RecordingWriter, type RecordingWriterStats } from './recording-writer';
import { applyRetention, type RetentionResult } from './retention';
import { FRAME_SOURCES, type FrameSource, type SessionMarketInput } from './session';

export interface RecorderOptions {
  dataDir: string;
  bus: EventBus;
  clock: Clock;
  store: RecordingStore;
  /** Hash of the running config, written into each new session's manifest. */
  configHash: () => string;
  rotateBytes?: number;
  rotateMs?: number;
  /** Retention byte budget for all recordings (default 10 GiB). */
  maxBytes?: number;
  /** Retention age limit (default 14 days). */
  maxAgeMs?: number;
  /** How often gathered frames are flushed and the index refreshed (default 5 s). */
  flushMs?: number;
  /** How often retention runs while recording (default 1 h; it also runs at every start). */
  retentionEveryMs?: number;
}

export interface RecorderStats extends RecordingWriterStats {
  /** The current (or last) session id; undefined before the first start. */
  sessionId: string | undefined;
  recording: boolean;
  /** market.discovered events that did not make a valid session market (skipped). */
  marketErrors: number;
  /** The write error that stopped recording, if any. */
  error: string | undefined;
}

const SOURCES: ReadonlySet<string> = new Set(FRAME_SOURCES);
const MAX_MARKETS = 50_000;
const EMPTY: RecordingWriterStats = { frames: 0, bytes: 0, segments: 0, reordered: 0, dropped: 0 };

export class Recorder implements RuntimeComponent {
  readonly name = 'recorder';
  private writer: RecordingWriter | undefined;
  private last: RecordingWriter | undefined;
  private dir = '';
  private sessionId: string | undefined;
  private markets = new Map<string, SessionMarketInput>();
  private unsubs: Unsubscribe[] = [];
  private timers: CancelTimer[] = [];
  private marketErrors = 0;
  private error: string | undefined;
  private failing: Promise<void> | undefined;
  private lastRetentionResult: RetentionResult | undefined;
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly o: RecorderOptions) {}

  get root(): string {
    return join(this.o.dataDir, 'recordings');
  }

  get stats(): RecorderStats {
    const w = this.writer ?? this.last;
    return { ...(w ? w.stats : EMPTY), sessionId: this.sessionId, recording: this.writer !== undefined, marketErrors: this.marketErrors, error: this.error };
  }

  /** What the latest retention pass deleted. */
  get lastRetention(): RetentionResult | undefined {
    return this.lastRetentionResult;
  }

  async start(): Promise<void> {
    if (this.writer) return;
    await this.failing;
    const { clock, store, bus } = this.o;
    const nowMs = clock.nowMs();
    this.error = undefined;
    this.markets = new Map();
    try {
      mkdirSync(this.root, { recursive: true });
      this.closeStaleRows();
      const id = this.freshId(nowMs);
      const dir = join(this.root, id);
      const writer = new RecordingWriter({
        dir,
        id,
        format: 'recording',
        configHash: this.o.configHash(),
        createdAtMs: Math.max(0, Math.floor(nowMs)),
        ...(this.o.rotateBytes !== undefined ? { rotateBytes: this.o.rotateBytes } : {}),
        ...(this.o.rotateMs !== undefined ? { rotateMs: this.o.rotateMs } : {}),
        onError: (err) => this.fail(err),
      });
      this.writer = this.last = writer;
      this.dir = dir;
      this.sessionId = id;
      store.upsert(writer.manifest(), dir);
    } catch (err) {
      this.fail(err);
      return;
    }
    this.unsubs.push(
      bus.on('market.discovered', (e) => {
        const m: SessionMarketInput = {
          slug: e.slug,
          kind: e.kind,
          ...(e.asset ? { asset: e.asset } : {}),
          startMs: Math.round(e.startMs),
          endMs: Math.round(e.endMs),
          conditionId: e.conditionId,
          upTokenId: e.upTokenId,
          downTokenId: e.downTokenId,
          tickSize: e.tickSize,
          version: e.version,
          ...(e.minOrderSize > 0 ? { minOrderSize: e.minOrderSize } : {}),
          ...(e.eventId !== undefined ? { eventId: e.eventId } : {}),
          ...(e.negRisk !== undefined ? { negRisk: e.negRisk } : {}),
          ...(e.fees ? { fees: e.fees } : {}),
        };
        const known = this.markets.get(e.slug)?.priceToBeat;
        if (known !== undefined) m.priceToBeat = known;
        this.putMarket(m);
      }),
      bus.on('market.price_to_beat', (e) => {
        const gamma = e.gammaPriceUsd ?? (e.source === 'gamma' ? e.priceUsd : undefined);
        const m = this.markets.get(e.slug);
        if (m && gamma !== undefined && gamma > 0) this.putMarket({ ...m, priceToBeat: gamma });
      }),
    );
    this.timers.push(clock.every(this.o.flushMs ?? 5_000, 'recorder.flush', () => this.background(this.flush())));
    this.timers.push(clock.every(this.o.retentionEveryMs ?? 3_600_000, 'recorder.retention', () => this.background(this.retain())));
    await this.retain();
  }

  /** Resolves when the work the clock started (periodic flush, retention) and a failure's close have finished. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    await this.failing;
  }

  /** Raw frame tap (the venue session's `onRaw`): records market-data frames; never throws, never waits. */
  tap(feed: RawSource, tsRecvMs: number, text: string): void {
    const w = this.writer;
    if (!w || !SOURCES.has(feed)) return;
    try {
      w.frame({ source: feed as FrameSource, tsRecvMs, raw: text });
    } catch (err) {
      this.fail(err);
    }
  }

  /** Flush gathered frames to disk and refresh the index row. Never throws (a failure stops recording). */
  async flush(): Promise<void> {
    const w = this.writer;
    if (!w) return;
    try {
      await w.flush();
      if (this.writer === w) this.o.store.upsert(w.manifest(), this.dir);
    } catch (err) {
      this.fail(err);
    }
  }

  async stop(_reason: string): Promise<void> {
    const w = this.writer;
    this.detach();
    const dir = this.dir;
    if (w) {
      let manifest;
      try {
        manifest = await w.close();
      } catch (err) {
        this.fail(err);
        manifest = { ...w.manifest(), open: false };
      }
      try {
        this.o.store.upsert(manifest, dir);
      } catch (err) {
        this.fail(err);
      }
    }
    await this.settled();
  }

  private background(p: Promise<void>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private putMarket(m: SessionMarketInput): void {
    if (!this.writer) return;
    if (!this.markets.has(m.slug) && this.markets.size >= MAX_MARKETS) {
      this.marketErrors++;
      return;
    }
    try {
      this.writer.market(m);
      this.markets.set(m.slug, m);
    } catch {
      this.marketErrors++;
    }
  }

  private async retain(): Promise<void> {
    try {
      const r = await applyRetention({
        store: this.o.store,
        maxBytes: this.o.maxBytes ?? 10 * 1024 ** 3,
        maxAgeMs: this.o.maxAgeMs ?? 14 * 86_400_000,
        nowMs: this.o.clock.nowMs(),
        protect: this.sessionId ? [this.sessionId] : [],
        root: this.root,
      });
      this.lastRetentionResult = r;
      const first = r.errors[0];
      if (first) this.notice('Old recordings could not be deleted', `${first.id}: ${first.message}`);
    } catch (err) {
      this.notice('Recording retention failed', message(err));
    }
  }

  /** Rows of our directory left open by a run that crashed (we are the only writer here): mark them closed. */
  private closeStaleRows(): void {
    const root = resolve(this.root);
    for (const r of this.o.store.list({ limit: 100_000 })) {
      if (!r.open || r.format !== 'recording') continue;
      const rel = relative(root, resolve(r.dir));
      if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) continue;
      this.o.store.upsert({ ...r, createdAtMs: r.createdMs, markets: r.markets.map((slug) => ({ slug })), open: false }, r.dir);
    }
  }

  private freshId(nowMs: number): string {
    const iso = new Date(nowMs).toISOString(); // 2026-04-16T08:30:00.000Z
    const base = `rec-${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
    for (let n = 1; ; n++) {
      const id = n === 1 ? base : `${base}-${n}`;
      if (!this.o.store.get(id) && !existsSync(join(this.root, id))) return id;
    }
  }

  private detach(): void {
    for (const u of this.unsubs) u();
    for (const c of this.timers) c();
    this.unsubs = [];
    this.timers = [];
    this.writer = undefined;
  }

  /** Stop recording after an error: one notice, a best-effort close, the index row closed. */
  private fail(err: unknown): void {
    if (this.error !== undefined) return;
    const writer = this.writer;
    this.error = message(err);
    this.detach();
    this.notice('Recording stopped', `${this.error}. Trading is not affected; market data is no longer recorded until the next start.`);
    const dir = this.dir;
    if (!writer) return;
    this.failing = (async () => {
      await writer.close().catch(() => undefined);
      try {
        this.o.store.upsert({ ...writer.manifest(), open: false }, dir);
      } catch {
        // the index may be closed already: the manifest on disk stays the truth
      }
    })();
  }

  private notice(title: string, detail: string): void {
    try {
      this.o.bus.publish({ type: 'runtime.notice', source: 'recorder', severity: 'warn', title, detail });
    } catch {
      // a full bus queue must not turn a recording problem into a trading problem
    }
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
