/**
 * Feed health: connection state, last-message age, msgs/s, reconnects, bad frames and a stale flag, published
 * as `feed.health` once per `publishEveryMs`, with `feed.stale` / `feed.recovered` on edges.
 *
 * Silent-stall watchdog: while the connection is open, a feed whose last data message is older than `staleMs`
 * is stale (PONGs are not data). `onStall` runs once per stale edge so the owner can resnapshot or reconnect.
 * A feed is also stale while not open.
 *
 * Quiet feeds (reference §9.9: a market socket on a quiet book can carry nothing but PONG for minutes): with a
 * `verifyQuiet` hook, data silence first asks the owner whether the silence is real (e.g. the REST book equals
 * ours). While it checks, the feed is not stale; a confirmed quiet spell restarts the silence clock and is
 * reported (`quiet`), a failed check makes the feed stale and runs `onStall`. `alive()` records a PONG, so the
 * owner can require a live connection before calling silence quiet.
 *
 * Invariants: timers come from the injected Clock; the rate window is a fixed-size ring (bounded).
 */
import type { EventInput } from '../../lib/schemas/events';
import type { EventBus } from '../bus';
import type { Clock, CancelTimer } from '../clock';
import type { FeedName, ConnectionState } from '../core/connection';
import type { WsFrameResult } from '../protocol/common';

export interface FeedHealthOptions {
  name: FeedName;
  clock: Clock;
  bus: EventBus;
  staleMs: number;
  publishEveryMs?: number;
  onStall?: (ageMs: number) => void;
  /** Is this data silence a quiet source rather than a stall? Resolves true to stay fresh. */
  verifyQuiet?: (silentMs: number) => Promise<boolean>;
}

export class FeedHealth {
  state: ConnectionState = 'idle';
  lastMsgMs: number | undefined;
  reconnects = 0;
  badFrames = 0;
  /** Event types or enum values we do not know (ignored or kept raw), counted. */
  unknownEvents = 0;
  /** Quiet spells confirmed by the owner (silence with a live connection and an unchanged source). */
  quietChecks = 0;
  quiet = false;
  /** Last PONG (or any sign of life that is not data). */
  lastAliveMs: number | undefined;
  messages = 0;
  stale = true;
  private verifying = false;
  private quietOkMs = 0;
  private readonly buckets = new Array<number>(10).fill(0);
  private bucketSec = 0;
  private timer: CancelTimer | undefined;
  private staleEdgePublished = false;
  private openedMs = 0;
  private lastStallMs = 0;

  constructor(private readonly o: FeedHealthOptions) {}

  start(): void {
    this.timer ??= this.o.clock.every(this.o.publishEveryMs ?? 1000, `feed-health:${this.o.name}`, () => this.tick());
  }

  stop(): void {
    this.timer?.();
    this.timer = undefined;
  }

  /**
   * Book a parsed socket frame: a PONG is a sign of life, an invalid frame a bad frame, dropped elements bad frames and
   * unknown event types unknowns. Returns the frame's events (undefined when it carried none to handle).
   */
  frame<E>(r: WsFrameResult<E>): E[] | undefined {
    if (r.kind === 'pong') {
      this.alive();
      return undefined;
    }
    if (r.kind === 'invalid') {
      this.badFrame(r.reason);
      return undefined;
    }
    for (const reason of r.dropped) this.badFrame(reason);
    for (const t of r.unknownTypes) this.unknown(`event type ${t}`);
    return r.events;
  }

  /** Change the silent-stall bound while running (config hot apply); the next check uses it. */
  setStaleMs(ms: number): void {
    if (!(Number.isFinite(ms) && ms > 0)) throw new Error(`stale bound must be a positive number of ms (got ${ms})`);
    this.o.staleMs = ms;
  }

  get staleMs(): number {
    return this.o.staleMs;
  }

  setState(s: ConnectionState): void {
    this.state = s;
    if (s === 'open') {
      this.openedMs = this.o.clock.nowMs();
      this.lastStallMs = this.openedMs;
    } else this.markStale(this.ageMs() ?? 0);
  }

  /** A data message arrived (valid or not – use badFrame for invalid ones). */
  message(): void {
    const now = this.o.clock.nowMs();
    this.lastMsgMs = now;
    this.messages++;
    this.quiet = false;
    const sec = Math.floor(now / 1000);
    if (sec !== this.bucketSec) {
      const gap = Math.min(10, sec - this.bucketSec);
      for (let i = 1; i <= gap; i++) this.buckets[(this.bucketSec + i) % 10] = 0;
      this.bucketSec = sec;
    }
    this.buckets[sec % 10]!++;
    if (this.stale && this.state === 'open') {
      this.stale = false;
      if (this.staleEdgePublished) {
        this.staleEdgePublished = false;
        this.o.bus.publish({ type: 'feed.recovered', feed: this.o.name });
      }
    }
  }

  badFrame(reason: string): void {
    this.badFrames++;
    // Rate-limit the event: the first few, then every 100th.
    if (this.badFrames <= 5 || this.badFrames % 100 === 0) {
      this.o.bus.publish({ type: 'feed.bad_frame', feed: this.o.name, reason: reason.slice(0, 200), count: this.badFrames });
    }
  }

  reconnected(): void {
    this.reconnects++;
  }

  /**
   * Something we do not know arrived (`what`, e.g. "event type foo" or "order status BAR"): it was ignored or
   * kept raw, never acted on. Counted; the first few and every 100th are published.
   */
  unknown(what: string): void {
    this.unknownEvents++;
    if (this.unknownEvents <= 3 || this.unknownEvents % 100 === 0) {
      this.o.bus.publish({ type: 'feed.bad_frame', feed: this.o.name, reason: `unknown ${what.slice(0, 60)}`, count: this.badFrames });
    }
  }

  /** A PONG (or other keep-alive answer) arrived: the connection is alive even when no data flows. */
  alive(): void {
    this.lastAliveMs = this.o.clock.nowMs();
  }

  /** Was a keep-alive answer (or data) seen within `withinMs`? */
  aliveWithin(withinMs: number): boolean {
    const last = Math.max(this.lastAliveMs ?? -Infinity, this.lastMsgMs ?? -Infinity, this.openedMs);
    return this.o.clock.nowMs() - last <= withinMs;
  }

  ageMs(): number | undefined {
    return this.lastMsgMs === undefined ? undefined : this.o.clock.nowMs() - this.lastMsgMs;
  }

  msgsPerSec(): number {
    const now = Math.floor(this.o.clock.nowMs() / 1000);
    let n = 0;
    for (let i = 1; i <= 5; i++) {
      const s = now - i;
      if (s > this.bucketSec - 10 && s <= this.bucketSec) n += this.buckets[s % 10]!;
    }
    return n / 5;
  }

  /** Watchdog check; also runs on every publish tick. A silent open socket triggers onStall at most once per staleMs. */
  check(): void {
    const now = this.o.clock.nowMs();
    const since = Math.max(this.lastMsgMs ?? -Infinity, this.openedMs, this.quietOkMs);
    const silentMs = now - since;
    if (this.state !== 'open') {
      this.markStale(this.ageMs() ?? 0);
      return;
    }
    if (silentMs > this.o.staleMs && this.o.verifyQuiet && !this.stale) {
      if (!this.verifying) this.verify(silentMs);
      return;
    }
    if (silentMs > this.o.staleMs) {
      this.markStale(silentMs);
      if (now - this.lastStallMs >= this.o.staleMs) {
        this.lastStallMs = now;
        this.o.onStall?.(silentMs);
      }
    }
  }

  /**
   * The owner verified the source out of band (e.g. a REST snapshot taken while the socket is open and answering
   * keep-alives): the silence so far is a quiet source, not a stall. Clears a stale flag set by silence alone.
   */
  confirmQuiet(): void {
    if (this.state !== 'open') return;
    const now = this.o.clock.nowMs();
    this.quietChecks++;
    this.quiet = true;
    this.quietOkMs = now;
    if (this.stale) {
      this.stale = false;
      if (this.staleEdgePublished) {
        this.staleEdgePublished = false;
        this.o.bus.publish({ type: 'feed.recovered', feed: this.o.name });
      }
    }
  }

  private verify(silentMs: number): void {
    this.verifying = true;
    const openedAt = this.openedMs;
    const done = (quiet: boolean) => {
      this.verifying = false;
      if (this.state !== 'open' || this.openedMs !== openedAt) return;
      const now = this.o.clock.nowMs();
      if (quiet) {
        this.confirmQuiet();
        return;
      }
      // Data may have arrived while we checked: only a silence that is still there is a stall.
      if (now - Math.max(this.lastMsgMs ?? -Infinity, this.openedMs, this.quietOkMs) <= this.o.staleMs) return;
      this.markStale(silentMs);
      this.lastStallMs = now;
      this.o.onStall?.(silentMs);
    };
    this.o.verifyQuiet!(silentMs).then(done, () => done(false));
  }

  private markStale(ageMs: number): void {
    if (this.stale) return;
    this.stale = true;
    this.staleEdgePublished = true;
    this.o.bus.publish({ type: 'feed.stale', feed: this.o.name, ageMs: Math.max(0, ageMs) });
  }

  private tick(): void {
    this.check();
    const age = this.ageMs();
    // Built key by key (no spreads): same keys in the same order; one per feed per second, replays run millions.
    const e: EventInput<'feed.health'> = { type: 'feed.health', feed: this.o.name, state: this.state } as EventInput<'feed.health'>;
    if (age !== undefined) e.lastMsgAgeMs = Math.max(0, age);
    e.msgsPerSec = this.msgsPerSec();
    e.reconnects = this.reconnects;
    e.stale = this.stale;
    e.badFrames = this.badFrames;
    if (this.unknownEvents) e.unknownEvents = this.unknownEvents;
    if (this.quiet) e.quiet = true;
    this.o.bus.publish(e);
  }
}
