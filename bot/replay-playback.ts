/**
 * ReplayPlayback: one replay of a session for the console. The computation and the playback cursor are separate:
 *
 * - Computation: `runReplay` at full speed in the background (the driver yields to the event loop at every new
 *   frame time, so the server is never blocked). Through `onRuntime` it listens to the replay runtime's bus and
 *   builds a bounded timeline (playback-timeline.ts): a keyframe per simulated second, the ledger (its own
 *   LedgerCollector on the same bus, the one runReplay hashes) and every strategy decision. It stops listening when
 *   the replay runtime starts stopping (after the driver's tail), so the timeline covers what runReplay reports.
 * - Cursor: `play()`, `pause()`, `setSpeed()`, `seek()` move a session-time cursor on the injected clock (the
 *   server's live clock; a SimClock in tests): while playing, every `cursorTickMs` of that clock it advances by
 *   speed × elapsed. It never passes what is computed: seeking beyond it clamps and says so (`clamped`), playing
 *   into it waits there; at the end of a finished replay it pauses.
 * - `at(t)`: the keyframe at or before t (binary search, instant at any session length) plus the last N ledger
 *   entries and decisions up to t.
 *
 * Invariants: one computation per instance (`start()` once); `done` resolves (never rejects) when the computation
 * ends, as ready, failed or stopped; `stop()` aborts the computation and the cursor timer; memory is bounded by the
 * timeline's caps (the replay run's own ledger is dropped once its summary is taken).
 */
import type { RuntimeConfig } from '../lib/schemas/config';
import type { ReplayState, Summary } from '../lib/schemas/events';
import type { CancelTimer, Clock } from './clock';
import { type ReplayRunOptions, type ReplayRunResult, runReplay } from './replay-run';
import { LedgerCollector } from './replay/ledger';
import type { LedgerEntry } from './replay/ledger-types';
import { type BookTopPoint, PlaybackTimeline, type ReferencePoint, type SpotPoint, type TimedDecision, type TimelineOptions } from './replay/playback-timeline';
import type { SessionSource } from './replay/session';

type ReplayRuntime = Parameters<NonNullable<ReplayRunOptions['onRuntime']>>[0];
type Driver = Parameters<NonNullable<ReplayRunOptions['onRuntime']>>[1];

export const MAX_PLAYBACK_SPEED = 100_000;

export interface ReplayPlaybackOptions extends TimelineOptions {
  source: SessionSource;
  config: RuntimeConfig;
  /** The clock the cursor moves on (the live clock in the server). */
  clock: Clock;
  /** Session ms per clock ms (default 1). */
  speed?: number;
  cursorTickMs?: number;
  /** Default number of ledger entries and decisions `at()` returns. */
  snapshotLimit?: number;
  chunkSize?: number;
  /** Status changes and cursor actions (play, pause, seek, speed, end reached). */
  onChange?: (state: ReplayState) => void;
}

export interface SeekResult {
  requestedMs: number;
  cursorMs: number;
  /** The request lay beyond what is computed (or outside the session): the cursor went as far as it could. */
  clamped: boolean;
}

export interface PlaybackSnapshot {
  tsMs: number;
  /** Time of the keyframe the figures come from (null before the first one). */
  keyframeMs: number | null;
  /** True when tsMs is within the computed range (the answer will not change). */
  final: boolean;
  books: readonly BookTopPoint[];
  reference: ReferencePoint;
  spot: SpotPoint;
  pnlUsd: number;
  openPositions: number;
  /** Ledger entries up to tsMs (the newest `limit`); `ledgerUpTo` counts every kept one. */
  ledger: LedgerEntry[];
  ledgerUpTo: number;
  decisions: TimedDecision[];
  decisionsUpTo: number;
  /** Entries dropped by the bounded rings (the oldest), over the whole replay. */
  dropped: { ledger: number; decisions: number };
}

export class ReplayPlayback {
  readonly sessionId: string;
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private readonly timeline: PlaybackTimeline;
  private readonly abort = new AbortController();
  private status: ReplayState['status'] = 'computing';
  private error: string | undefined;
  private result: Summary | undefined;
  private driver: Driver | undefined;
  private started = false;
  private cursor: number;
  private endMs: number;
  private speed: number;
  private playing = false;
  private timer: CancelTimer | undefined;
  private lastTickMs = 0;

  constructor(private readonly o: ReplayPlaybackOptions) {
    this.sessionId = o.source.manifest.id;
    this.timeline = new PlaybackTimeline(o);
    this.cursor = o.source.manifest.startMs;
    this.endMs = o.source.manifest.endMs;
    this.speed = checkSpeed(o.speed ?? 1);
    this.done = new Promise<void>((r) => (this.resolveDone = r));
  }

  /** Start the computation in the background (once). */
  start(): this {
    if (this.started) return this;
    this.started = true;
    runReplay({
      source: this.o.source,
      config: this.o.config,
      signal: this.abort.signal,
      ...(this.o.chunkSize ? { chunkSize: this.o.chunkSize } : {}),
      onRuntime: (runtime, driver) => this.attach(runtime, driver),
    }).then(
      (r) => this.finished('ready', undefined, r),
      (err: unknown) => this.finished(this.abort.signal.aborted ? 'stopped' : 'failed', err instanceof Error ? err.message : String(err)),
    );
    return this;
  }

  /** Abort the computation (if running) and stop the cursor. */
  stop(): void {
    this.pause();
    if (this.status === 'computing') this.abort.abort();
  }

  play(): void {
    if (this.playing) return;
    if (this.status === 'ready' && this.cursor >= this.endMs) this.cursor = this.o.source.manifest.startMs;
    this.playing = true;
    this.lastTickMs = this.o.clock.nowMs();
    this.timer = this.o.clock.every(this.o.cursorTickMs ?? 100, 'replay-cursor', () => this.tick());
    this.changed();
  }

  pause(): void {
    this.timer?.();
    this.timer = undefined;
    if (!this.playing) return;
    this.playing = false;
    this.changed();
  }

  setSpeed(speed: number): void {
    const next = checkSpeed(speed);
    if (this.playing) this.tick(); // time elapsed so far counts at the old speed
    this.speed = next;
    this.changed();
  }

  /** Move the cursor to `tMs` at once (clamped to the session and to what is computed). */
  seek(tMs: number): SeekResult {
    if (!Number.isFinite(tMs)) throw new RangeError(`seek: time must be a finite number (got ${tMs})`);
    const to = Math.min(Math.max(tMs, this.o.source.manifest.startMs), this.limit());
    this.cursor = to;
    this.lastTickMs = this.o.clock.nowMs();
    this.changed();
    return { requestedMs: tMs, cursorMs: to, clamped: to !== tMs };
  }

  state(): ReplayState {
    if (this.playing) this.tick(); // the cursor as of now, not as of the last tick
    return {
      sessionId: this.sessionId,
      status: this.status,
      computedToMs: Math.max(this.o.source.manifest.startMs, Math.min(this.timeline.computedToMs, this.endMs)),
      cursorMs: this.cursor,
      playing: this.playing,
      speed: this.speed,
      startMs: this.o.source.manifest.startMs,
      endMs: this.endMs,
      frames: this.driver?.stats.frames ?? 0,
      keyframes: this.timeline.keyframes,
      keyframeEveryMs: this.timeline.keyframeEveryMs,
      ...(this.error !== undefined ? { error: this.error.slice(0, 500) } : {}),
      ...(this.result ? { result: this.result } : {}),
    };
  }

  /** What the charts show at `tMs`: the keyframe at or before it, plus ledger entries and decisions up to it. */
  at(tMs: number, limit = this.o.snapshotLimit ?? 200): PlaybackSnapshot {
    const k = this.timeline.keyframeAt(tMs);
    const { ledger, decisions } = this.timeline;
    return {
      tsMs: tMs,
      keyframeMs: k?.tsMs ?? null,
      final: this.status === 'ready' || tMs <= this.timeline.computedToMs,
      books: k?.books ?? [],
      reference: k?.reference ?? {},
      spot: k?.spot ?? {},
      pnlUsd: k?.pnlUsd ?? 0,
      openPositions: k?.openPositions ?? 0,
      ledger: ledger.upTo(tMs, limit),
      ledgerUpTo: ledger.countUpTo(tMs),
      decisions: decisions.upTo(tMs, limit),
      decisionsUpTo: decisions.countUpTo(tMs),
      dropped: { ledger: ledger.dropped, decisions: decisions.dropped },
    };
  }

  /** Where the cursor may go: the end of a finished replay, else the computed range. */
  private limit(): number {
    if (this.status === 'ready') return this.endMs;
    return Math.max(this.o.source.manifest.startMs, Math.min(this.endMs, this.timeline.computedToMs));
  }

  private tick(): void {
    const now = this.o.clock.nowMs();
    const elapsed = Math.max(0, now - this.lastTickMs);
    this.lastTickMs = now;
    this.cursor = Math.min(this.limit(), this.cursor + elapsed * this.speed);
    if (this.status !== 'computing' && this.cursor >= this.limit()) this.pause();
  }

  private attach(runtime: ReplayRuntime, driver: Driver): void {
    this.driver = driver;
    const stack = runtime.session?.stack;
    if (!stack) return;
    // A second collector on the replay bus: the same facts runReplay hashes, drained after every event so that it
    // stays empty (the timeline's ring is the bound).
    const collector = LedgerCollector.forSession(runtime.bus, stack);
    const clock = runtime.clock;
    const tl = this.timeline;
    tl.tokenInfo = (t) => {
      const r = stack.catalog.byToken(t);
      return r ? { slug: r.window.slug, outcome: r.upTokenId === t ? 'up' : 'down' } : undefined;
    };
    const off = runtime.bus.onAny((e) => {
      const now = clock.nowMs();
      if (e.type === 'runtime.state' && e.state === 'stopping') {
        off();
        collector.finish(now);
        tl.addLedger(collector.entries.splice(0), now);
        tl.setOpenPositions(collector.openPositions().length);
        tl.finish(now);
        return;
      }
      tl.sample(now);
      tl.apply(e, now);
      if (collector.entries.length > 0) tl.addLedger(collector.entries.splice(0), now);
      if (e.type === 'order.filled' || e.type === 'market.resolved') tl.setOpenPositions(collector.openPositions().length);
    });
  }

  private finished(status: 'ready' | 'failed' | 'stopped', error?: string, r?: ReplayRunResult): void {
    this.status = status;
    if (error !== undefined) this.error = error;
    if (r) {
      this.result = summaryOf(r);
      // Normally a no-op: the timeline finished when the replay runtime began stopping, at the end of the tail.
      this.timeline.finish(Math.max(r.endMs, this.timeline.computedToMs));
      this.endMs = Math.max(r.endMs, this.timeline.computedToMs);
    } else {
      this.timer?.();
      this.timer = undefined;
      this.playing = false;
    }
    this.changed();
    this.resolveDone();
  }

  private changed(): void {
    this.o.onChange?.(this.state());
  }
}

function checkSpeed(speed: number): number {
  if (!(Number.isFinite(speed) && speed > 0 && speed <= MAX_PLAYBACK_SPEED)) throw new RangeError(`speed must be a number in (0, ${MAX_PLAYBACK_SPEED}] (got ${speed})`);
  return speed;
}

/** The small figures of a finished replay (events, console state; never the ledger). */
export function summaryOf(r: ReplayRunResult): Summary {
  return {
    ledgerHash: r.ledgerHash, events: r.events, ingested: r.ingested, eventsPerSec: r.eventsPerSec, wallMs: r.wallMs, trades: r.trades,
    pnlUsd: r.pnlUsd, feesUsd: r.feesUsd, ledgerEntries: r.ledgerEntries, openPositions: r.openPositions, reference: r.reference,
    invalidFrames: r.invalidFrames, cannotRun: r.strategies.filter((s) => s.enabled && !s.canRun).map((s) => s.id).join(',').slice(0, 300) || null,
  };
}
