/**
 * Server-sent events from the bus to browsers.
 *
 * Invariants:
 * - `id:` is the event's bus seq; a client reconnecting with Last-Event-ID gets exactly the events it
 *   missed from the bus history, or an `event: resync` when they are no longer held.
 * - Each client has a bounded queue (bytes). A client that stops reading is disconnected when its queue
 *   would pass the bound (it reconnects and resumes), so a slow browser cannot grow server memory.
 * - A comment heartbeat keeps proxies and the browser from timing out; every stream closes on shutdown.
 * - One bus subscription per source, however many clients: the hub's handler only appends the event to a pending
 *   list (it runs on the bus's dispatch path, ahead of events queued behind it such as a strategy's decision, so
 *   its cost must not grow with the number of clients). A microtask, after the publisher's synchronous work, then
 *   serialises each event once and hands the frame to every client. The pending list is bounded: at
 *   MAX_PENDING_EVENTS it is fanned out at once. An event that cannot be serialised is skipped (never thrown).
 */
import 'server-only';
import type { BotEvent } from '../schemas/events';

export interface SseSource {
  instanceId: string;
  lastSeq(): number;
  since(seq: number): BotEvent[] | null;
  subscribe(fn: (e: BotEvent) => void): () => void;
}

export interface SseStats {
  clients: number;
  dropped: number;
  maxQueuedBytes: number;
  delivered: number;
}

const encoder = new TextEncoder();

export function encodeEvent(e: BotEvent): string {
  return `id: ${e.seq}\ndata: ${JSON.stringify(e)}\n\n`;
}

export function encodeNamed(name: string, data: unknown, id?: number): string {
  return `${id !== undefined ? `id: ${id}\n` : ''}event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

interface Client {
  id: number;
  close(): void;
  heartbeat(): void;
}

/** A client as a source's fan-out sees it: its queue, and the last seq it already has (hello / replay). */
interface Sink {
  after: number;
  push(chunk: string): void;
}

/** One source's subscription and the events published since its last fan-out. */
interface Fanout {
  sinks: Set<Sink>;
  pending: BotEvent[];
  scheduled: boolean;
  unsubscribe: () => void;
}

/** Events held for one fan-out before it is forced (a publisher that never yields). */
const MAX_PENDING_EVENTS = 10_000;

export class SseHub {
  private readonly clients = new Map<number, Client>();
  private nextId = 1;
  private hbTimer: ReturnType<typeof setInterval> | undefined;
  private closed = false;
  private readonly fanouts = new Map<SseSource, Fanout>();
  readonly stats: SseStats = { clients: 0, dropped: 0, maxQueuedBytes: 0, delivered: 0 };

  constructor(private readonly opts: { maxClientBytes: number; heartbeatMs: number }) {}

  /** Open a stream for one client. lastEventId: the client's Last-Event-ID (NaN/undefined = fresh). */
  open(source: SseSource, lastEventId: number | undefined, signal?: AbortSignal): ReadableStream<Uint8Array> {
    const id = this.nextId++;
    const max = this.opts.maxClientBytes;
    let queue: string[] = [];
    let queuedBytes = 0;
    let wake: (() => void) | undefined;
    let done = false;
    let unsubscribe: () => void = () => {};
    let ctrl: ReadableStreamDefaultController<Uint8Array> | undefined;

    const finish = () => {
      if (done) return;
      done = true;
      unsubscribe();
      this.clients.delete(id);
      this.stats.clients = this.clients.size;
      queue = [];
      queuedBytes = 0;
      wake?.();
      try {
        ctrl?.close();
      } catch {
        /* already closed or errored */
      }
    };
    const push = (chunk: string) => {
      if (done) return;
      if (queuedBytes + chunk.length > max) {
        this.stats.dropped++;
        finish();
        return;
      }
      queue.push(chunk);
      queuedBytes += chunk.length;
      if (queuedBytes > this.stats.maxQueuedBytes) this.stats.maxQueuedBytes = queuedBytes;
      const w = wake;
      wake = undefined;
      w?.();
    };

    // Replay then subscribe in the same synchronous turn: no event can fall between the two.
    push(encodeNamed('hello', { instanceId: source.instanceId, lastSeq: source.lastSeq() }));
    if (lastEventId !== undefined && Number.isFinite(lastEventId)) {
      const missed = lastEventId > source.lastSeq() ? null : source.since(lastEventId);
      const chunks = missed?.map(encodeEvent);
      const bytes = chunks?.reduce((n, c) => n + c.length, 0) ?? 0;
      if (!chunks || bytes > max / 2) {
        push(encodeNamed('resync', { reason: chunks ? 'too many missed events to replay' : 'history no longer holds the missed events', lastSeq: source.lastSeq() }));
      } else for (const c of chunks) push(c);
    }
    // Events already pending in the fan-out were published before this client opened: it starts after lastSeq.
    unsubscribe = this.join(source, { after: source.lastSeq(), push });

    const client: Client = { id, close: finish, heartbeat: () => push(': hb\n\n') };
    this.clients.set(id, client);
    this.stats.clients = this.clients.size;
    signal?.addEventListener('abort', finish, { once: true });
    if (this.closed) finish();
    this.ensureHeartbeat();

    return new ReadableStream<Uint8Array>(
      {
        start: (c) => {
          ctrl = c;
          if (done) c.close();
        },
        pull: async (c) => {
          while (!done && queue.length === 0) await new Promise<void>((r) => (wake = r));
          if (queue.length > 0) {
            const text = queue.join('');
            this.stats.delivered += queue.length;
            queue = [];
            queuedBytes = 0;
            c.enqueue(encoder.encode(text));
          }
          if (done) {
            try {
              c.close();
            } catch {
              /* closed */
            }
          }
        },
        cancel: () => finish(),
      },
      { highWaterMark: 1 },
    );
  }

  /** Close every open stream (shutdown). */
  closeAll(): void {
    this.closed = true;
    for (const c of [...this.clients.values()]) c.close();
    if (this.hbTimer) clearInterval(this.hbTimer);
    this.hbTimer = undefined;
  }

  /** Add a client to the source's fan-out (subscribing on the first); returns its leave function. */
  private join(source: SseSource, sink: Sink): () => void {
    let f = this.fanouts.get(source);
    if (!f) {
      const fresh: Fanout = { sinks: new Set(), pending: [], scheduled: false, unsubscribe: () => {} };
      fresh.unsubscribe = source.subscribe((e) => {
        fresh.pending.push(e);
        if (fresh.pending.length >= MAX_PENDING_EVENTS) this.fanOut(fresh);
        else if (!fresh.scheduled) {
          fresh.scheduled = true;
          queueMicrotask(() => this.fanOut(fresh));
        }
      });
      this.fanouts.set(source, fresh);
      f = fresh;
    }
    const fanout = f;
    fanout.sinks.add(sink);
    return () => {
      fanout.sinks.delete(sink);
      if (fanout.sinks.size > 0 || this.fanouts.get(source) !== fanout) return;
      fanout.unsubscribe();
      fanout.pending = [];
      this.fanouts.delete(source);
    };
  }

  /** Serialise each pending event once and queue its frame on every client that does not have it yet. */
  private fanOut(f: Fanout): void {
    f.scheduled = false;
    const events = f.pending;
    f.pending = [];
    const sinks = [...f.sinks];
    for (const e of events) {
      let frame: string;
      try {
        frame = encodeEvent(e);
      } catch {
        continue;
      }
      for (const sink of sinks) if (e.seq > sink.after) sink.push(frame);
    }
  }

  private ensureHeartbeat(): void {
    if (this.hbTimer || this.closed) return;
    this.hbTimer = setInterval(() => {
      for (const c of this.clients.values()) c.heartbeat();
    }, this.opts.heartbeatMs);
    this.hbTimer.unref?.();
  }
}
