/**
 * One reconnecting WebSocket: connect, run the owner's subscribe step, keep-alive pings, silent-stall watchdog,
 * jittered exponential backoff, health reporting. Feeds own one each and only parse text.
 *
 * Invariants:
 * - Connection state follows the CONNECTION table; `stop()` is final until `start()`.
 * - After every (re)connect `onOpen` runs again (resubscribe) and `onReconnect` tells the owner that anything
 *   it derived from the old stream (books, order state) must be refreshed.
 * - Frames larger than `maxFrameBytes` are rejected by the socket (counted as bad frames, then reconnect).
 * - All timers use the injected Clock; jitter uses the injected Prng.
 */
import WebSocket from 'ws';
import type { EventBus } from '../bus';
import type { CancelTimer, Clock } from '../clock';
import type { Prng } from '../util/prng';
import { USER_AGENT } from '../protocol';
import { transition } from '../util/state-machine';
import { Backoff, type BackoffOptions } from './backoff';
import { FeedHealth } from './feed-health';
import { CONNECTION, type ConnectionState, type FeedName } from '../core/connection';

export interface WsConnectionOptions {
  name: FeedName;
  url: string;
  clock: Clock;
  bus: EventBus;
  prng: Prng;
  /** Text ping (e.g. 'PING') or a JSON string; undefined = none. */
  pingText?: string;
  pingEveryMs?: number;
  /** Silent-stall bound: no data for this long while open => stale + onStall. */
  staleMs: number;
  /** What to do on a stall: 'reconnect' (default) or 'notify' (owner decides). */
  stallAction?: 'reconnect' | 'notify';
  /** Ask the owner whether data silence is a quiet source (see FeedHealth); true keeps the feed fresh. */
  verifyQuiet?: (silentMs: number) => Promise<boolean>;
  backoff?: BackoffOptions;
  maxFrameBytes?: number;
  onOpen: (send: (text: string) => void) => void;
  /** Return false when the text was not a data message (pong, ack) – it then does not count as data. */
  onText: (text: string) => boolean;
  onReconnect?: () => void;
  /** Raw tap for the recorder: every text frame with its receive time, before parsing. */
  onRaw?: (feed: FeedName, tsRecvMs: number, text: string) => void;
  onStall?: (ageMs: number) => void;
  onClose?: (code: number, reason: string) => void;
}

export class WsConnection {
  readonly health: FeedHealth;
  private ws: WebSocket | undefined;
  private state: ConnectionState = 'idle';
  private readonly backoff: Backoff;
  private pingTimer: CancelTimer | undefined;
  private retryTimer: CancelTimer | undefined;
  private connectedOnce = false;
  private nextRetryAfterMs: number | undefined;
  /** Frames come from a recorded session (replay): no socket is ever opened. */
  private recorded = false;
  private currentUrl: string | undefined;
  /** Why the last forced reconnect happened (for the console). */
  lastReconnectReason = '';

  constructor(private readonly o: WsConnectionOptions) {
    this.backoff = new Backoff(o.prng, o.backoff ?? { baseMs: 500, capMs: 30_000, floorMs: 200 });
    this.health = new FeedHealth({
      name: o.name,
      clock: o.clock,
      bus: o.bus,
      staleMs: o.staleMs,
      ...(o.verifyQuiet ? { verifyQuiet: o.verifyQuiet } : {}),
      onStall: (age) => {
        o.onStall?.(age);
        if ((o.stallAction ?? 'reconnect') === 'reconnect') this.forceReconnect(`silent for ${age} ms`);
      },
    });
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  start(): void {
    if (this.state !== 'idle' && this.state !== 'closed') return;
    this.health.start();
    this.connect();
  }

  /**
   * Replay: the connection is open on a recorded stream. Health (staleness, message rate) runs on the injected
   * clock exactly as live; nothing is sent and a stall never reconnects (the recording is what it is).
   */
  startRecorded(): void {
    if (this.state !== 'idle' && this.state !== 'closed') return;
    this.recorded = true;
    this.health.start();
    this.setState('connecting');
    this.setState('open');
    this.connectedOnce = true;
  }

  stop(): void {
    this.setState('closed');
    this.pingTimer?.();
    this.retryTimer?.();
    this.health.stop();
    this.discardSocket();
  }

  send(text: string): boolean {
    if (this.state !== 'open' || !this.ws) return false;
    this.ws.send(text);
    return true;
  }

  /** The URL the next connect uses (the options' until `setUrl`). */
  get url(): string {
    return this.currentUrl ?? this.o.url;
  }

  /**
   * Use another URL (a combined stream that gained or lost a symbol): an open or connecting socket is dropped and
   * reconnects to it after backoff; a recorded connection just notes it. False when it is the URL already in use.
   */
  setUrl(url: string): boolean {
    if (url === this.url) return false;
    this.currentUrl = url;
    this.forceReconnect('stream URL changed');
    return true;
  }

  /** Drop the socket and reconnect after backoff (stall, crossed book the owner cannot repair, server hint). */
  forceReconnect(reason: string, retryAfterMs?: number): void {
    if (this.state !== 'open' && this.state !== 'connecting') return;
    if (this.recorded) {
      this.lastReconnectReason = reason;
      return;
    }
    this.nextRetryAfterMs = retryAfterMs;
    // Not a runtime.error (the risk engine counts those): staleness is reported by feed.stale / feed.health.
    this.lastReconnectReason = reason;
    this.dropAndRetry();
  }

  private setState(s: ConnectionState): void {
    if (s === this.state) return;
    this.state = transition('connection', CONNECTION, this.state, s);
    this.health.setState(s);
  }

  private connect(): void {
    this.setState('connecting');
    const ws = new WebSocket(this.url, {
      maxPayload: this.o.maxFrameBytes ?? 4 * 1024 * 1024,
      perMessageDeflate: false,
      handshakeTimeout: 10_000,
      headers: { 'user-agent': USER_AGENT },
    });
    this.ws = ws;
    ws.on('open', () => {
      if (this.ws !== ws) return;
      this.setState('open');
      this.backoff.reset();
      if (this.connectedOnce) {
        this.health.reconnected();
        this.o.onReconnect?.();
      }
      this.connectedOnce = true;
      this.o.onOpen((t) => ws.send(t));
      if (this.o.pingText && this.o.pingEveryMs) {
        this.pingTimer?.();
        this.pingTimer = this.o.clock.every(this.o.pingEveryMs, `ping:${this.o.name}`, () => {
          if (this.ws === ws && ws.readyState === WebSocket.OPEN) ws.send(this.o.pingText!);
        });
      }
    });
    ws.on('message', (data, isBinary) => {
      if (this.ws !== ws) return;
      const text = isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString();
      this.o.onRaw?.(this.o.name, this.o.clock.nowMs(), text);
      let counted = true;
      try {
        counted = this.o.onText(text);
      } catch (err) {
        this.health.badFrame(err instanceof Error ? err.message : String(err));
      }
      if (counted) this.health.message();
    });
    ws.on('error', (err) => {
      if (this.ws !== ws) return;
      if (/max payload|Max payload/i.test(err.message)) this.health.badFrame('frame too large');
    });
    ws.on('unexpected-response', (_req, res) => {
      if (this.ws !== ws) return;
      const ra = Number(res.headers['retry-after']);
      if (Number.isFinite(ra)) this.nextRetryAfterMs = ra * 1000;
      // With a listener, ws leaves the handshake to us: give up on this attempt and back off.
      this.dropAndRetry();
    });
    ws.on('close', (code, reason) => {
      if (this.ws !== ws) return;
      this.o.onClose?.(code, reason.toString());
      // PolyBolt 4003 (draining): reconnect after a random 0–10 s.
      if (code === 4003) this.nextRetryAfterMs = Math.floor(this.o.prng.next() * 10_000);
      this.dropAndRetry();
    });
  }

  /** Drop the socket without letting its late events (close, error) reach us. */
  private discardSocket(): void {
    const ws = this.ws;
    this.ws = undefined;
    if (!ws) return;
    ws.removeAllListeners();
    ws.on('error', () => {});
    ws.terminate();
  }

  private dropAndRetry(): void {
    if (this.state === 'closed') return;
    this.pingTimer?.();
    this.pingTimer = undefined;
    this.discardSocket();
    this.setState('backoff');
    const delay = this.backoff.next(this.nextRetryAfterMs);
    this.nextRetryAfterMs = undefined;
    this.retryTimer = this.o.clock.after(delay, `reconnect:${this.o.name}`, () => {
      if (this.state === 'backoff') this.connect();
    });
  }
}
