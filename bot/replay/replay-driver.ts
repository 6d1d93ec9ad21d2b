/**
 * Replay driver: pushes a recorded session's frames, in receive-time order, into a runtime that runs on a SimClock.
 * For every frame: advance the clock to its receive time (timers due before it fire first, in (due, name, seq)
 * order), let everything those timers started settle, ingest the frame through the live normaliser, settle. Frames
 * of one source with the same receive time are one burst, as a socket delivers them in one read: they are ingested
 * back to back and settle once, as live (that is what paper parity needs; tests/replay/paper-parity.test.ts).
 *
 * "Settle" = yield to the macrotask queue once (setImmediate), which runs every pending microtask first: nothing in
 * a replay does I/O, so every promise chain a frame or timer started (risk check, paper fill, tracker update) has
 * completed before the next frame. A frame after which the target's activity counter did not move (no bus event, no
 * REST request: most spot and reference ticks) started no promise and needs no settle; nor do timers that created or
 * settled no promise (counted by promise hooks while a replay runs as fast as possible, promise-activity.ts: most
 * health, heartbeat and strategy ticks). The logical sequence therefore depends only on the session, never on speed,
 * chunk size or the machine: the same session gives the same ledger hash (tests/replay/determinism.test.ts).
 *
 * Speed paces simulated time against a wall clock (`pace`, injected; 0 = as fast as possible). Pause holds the
 * driver between frames; `seekTo(t)` runs as fast as possible up to t, then resumes the chosen speed.
 *
 * Invariants: time never goes backwards (a frame older than the clock is ingested at the clock's time and
 * counted in `stats.late`); bounded memory (one chunk of frames at a time); cancelable through an AbortSignal.
 */
import type { Clock } from '../clock';
import type { SimClock } from '../clock/sim-clock';
import { holdPromiseActivity, promiseActivity } from './promise-activity';
import { frameChars, type RecordedFrame, type SessionSource } from './session';

export interface ReplayTarget {
  /** Ingest one frame through the same feed normaliser as live; false when no feed takes its source. */
  ingest(frame: RecordedFrame): boolean;
  /**
   * A counter that moves whenever ingesting may have started asynchronous work (bus events published, REST
   * requests made). A frame that leaves it unchanged only updated feed state, so the driver skips the settle.
   * Without it the driver settles after every burst.
   */
  activity?(): number;
}

export interface ReplayProgress {
  frames: number;
  tsMs: number;
  startMs: number;
  endMs: number;
}

export interface ReplayDriverOptions {
  source: SessionSource;
  clock: SimClock;
  target: ReplayTarget;
  /** Simulated ms per wall ms (1 = real time, 60 = a minute per second); 0 or undefined = as fast as possible. */
  speed?: number;
  /** The wall clock used for pacing (the live clock); required when speed > 0. */
  pace?: Clock;
  chunkSize?: number;
  /** Keep running the clock this long after the last frame (settlements, resolution timers). Default 120 s. */
  tailMs?: number;
  onProgress?: (p: ReplayProgress) => void;
  /** Frames between two progress callbacks (default 50,000). */
  progressEvery?: number;
  signal?: AbortSignal;
}

export interface ReplayDriverStats {
  frames: number;
  ingested: number;
  /** Frames of a source no feed takes (e.g. a reference the session's wiring does not use). */
  skipped: number;
  late: number;
  lastTsMs: number;
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A recording is streamed (file read and gunzip on the thread pool), and a stream moves one step per event-loop turn.
 * A run of frames that start nothing (spot ticks) never turns the loop, and the reader would run dry and wait; so at
 * quiescent points the driver takes one turn per this much raw text. A turn with nothing outstanding changes nothing.
 * Sized to the reader's gunzip output (a 64 KiB chunk per turn, recording-reader.ts): 16 K chars of frame text come
 * from well under 64 KiB of lines, so the reader stays ahead while the loop turns once per ~80 spot ticks, not ~20.
 */
const IDLE_TURN_CHARS = 16 * 1024;

export class ReplayDriver {
  readonly stats: ReplayDriverStats = { frames: 0, ingested: 0, skipped: 0, late: 0, lastTsMs: 0 };
  private speed: number;
  private paused = false;
  private resume: (() => void) | undefined;
  private seekTarget: number | undefined;
  private anchor: { simMs: number; wallMs: number } | undefined;

  constructor(private readonly o: ReplayDriverOptions) {
    this.speed = o.speed ?? 0;
    if (this.speed > 0 && !o.pace) throw new Error('a paced replay (speed > 0) needs a wall clock');
  }

  setSpeed(speed: number): void {
    if (!(Number.isFinite(speed) && speed >= 0)) throw new Error(`speed must be a number >= 0 (got ${speed})`);
    this.speed = speed;
    this.anchor = undefined;
  }

  pause(): void {
    this.paused = true;
  }

  play(): void {
    this.paused = false;
    this.anchor = undefined;
    this.resume?.();
    this.resume = undefined;
  }

  /** Run as fast as possible until simulated time `tMs`, then continue at the chosen speed (forward only). */
  seekTo(tMs: number): void {
    this.seekTarget = tMs;
    this.play();
  }

  get isPaused(): boolean {
    return this.paused;
  }

  async run(): Promise<ReplayDriverStats> {
    const { clock, target, source } = this.o;
    const every = this.o.progressEvery ?? 50_000;
    const m = source.manifest;
    let prevSource: string | undefined;
    let pending = false;
    /** Raw text ingested since the event loop last turned (see IDLE_TURN_CHARS). */
    let sinceTurn = 0;
    const signal = this.o.signal;
    // Counted only while running as fast as possible (the hooks slow every promise of the thread a little; a paced
    // replay waits on the wall clock anyway and settles after every timer).
    const counting = this.speed === 0;
    const release = counting ? holdPromiseActivity() : undefined;
    try {
      for await (const chunk of source.frames({ chunkSize: this.o.chunkSize ?? 4096 })) {
        for (const f of chunk) {
          signal?.throwIfAborted();
          if (!pending && sinceTurn >= IDLE_TURN_CHARS) {
            // Quiescent point (nothing started is outstanding): one event-loop turn lets a streaming source read ahead.
            await settle();
            sinceTurn = 0;
          }
          if (this.paused) await new Promise<void>((r) => (this.resume = r));
          if (this.speed > 0 && this.seekTarget === undefined) await this.pace(f.tsRecvMs);
          let ts = f.tsRecvMs;
          const now = clock.nowMs();
          if (ts < now) {
            this.stats.late++;
            ts = now;
          }
          if (ts > now) {
            if (pending) await settle();
            pending = false;
            // Timers that started no promise work (most ticks: health, heartbeat, a strategy pass with nothing to
            // send) leave nothing for a settle to run.
            const promisesBefore = promiseActivity();
            if (clock.advanceTo(ts) > 0 && (!counting || promiseActivity() !== promisesBefore)) {
              await settle();
              sinceTurn = 0;
            }
          } else if (pending && f.source !== prevSource) {
            await settle();
            pending = false;
          }
          const before = target.activity?.();
          if (target.ingest(f)) this.stats.ingested++;
          else this.stats.skipped++;
          // Only work that may have started promises needs a settle (a REST answer always resolves one).
          if (before === undefined || before !== target.activity!() || f.source === 'clob-rest') pending = true;
          prevSource = f.source;
          sinceTurn += frameChars(f);
          this.stats.frames++;
          this.stats.lastTsMs = ts;
          if (this.seekTarget !== undefined && ts >= this.seekTarget) {
            this.seekTarget = undefined;
            this.anchor = undefined;
          }
          if (this.stats.frames % every === 0) this.o.onProgress?.({ frames: this.stats.frames, tsMs: ts, startMs: m.startMs, endMs: m.endMs });
        }
      }
      if (pending) await settle();
      // The tail: resolution and settlement timers after the last frame, one simulated second at a time.
      const end = Math.max(clock.nowMs(), m.endMs) + (this.o.tailMs ?? 120_000);
      while (clock.nowMs() < end) {
        this.o.signal?.throwIfAborted();
        clock.advanceTo(Math.min(end, clock.nowMs() + 1_000));
        await settle();
      }
    } finally {
      release?.();
    }
    this.o.onProgress?.({ frames: this.stats.frames, tsMs: clock.nowMs(), startMs: m.startMs, endMs: m.endMs });
    return this.stats;
  }

  /** Wait (on the wall clock) until simulated time `tMs` is due at the current speed. */
  private async pace(tMs: number): Promise<void> {
    const wall = this.o.pace!;
    this.anchor ??= { simMs: tMs, wallMs: wall.nowMs() };
    const dueWall = this.anchor.wallMs + (tMs - this.anchor.simMs) / this.speed;
    const waitMs = dueWall - wall.nowMs();
    if (waitMs > 5) await new Promise<void>((r) => wall.after(waitMs, 'replay-pace', r));
  }
}
