/**
 * EventBus: typed, synchronous, in-process publish/subscribe.
 *
 * Invariants:
 * - Every published event gets the next seq (1, 2, 3, ...) and tsRecvMs from the injected clock.
 * - Dispatch is synchronous in publish order. A publish from inside a handler is queued and dispatched
 *   after the current event has reached every handler (FIFO, never nested).
 * - A throwing handler never kills the bus: the error becomes a `runtime.error` event (an error raised
 *   while handling `runtime.error` is only counted, so errors cannot loop).
 * - Handlers added during dispatch see the next event, not the current one.
 */
import type { BotEvent, BotEventType, EventInput, EventOf } from '../../lib/schemas/events';
import type { Clock } from '../clock';
import { SeqHistory } from './ring-buffer';

type Handler<E> = (event: E) => void;
export type Unsubscribe = () => void;

export interface BusStats {
  published: number;
  handlerErrors: number;
  droppedErrorEvents: number;
  queueHighWater: number;
  lastSeq: number;
}

export interface EventBusOptions {
  clock: Clock;
  /** How many recent events to keep for SSE resume. */
  historySize?: number;
  /** Maximum queued (not yet dispatched) events; beyond it publish throws (a runaway feedback loop). */
  maxQueue?: number;
}

export class EventBus {
  private readonly clock: Clock;
  private readonly typed = new Map<BotEventType, Handler<BotEvent>[]>();
  private any: Handler<BotEvent>[] = [];
  private queue: BotEvent[] = [];
  private queueHead = 0;
  private dispatching = false;
  private seq = 0;
  private readonly maxQueue: number;
  readonly history: SeqHistory<BotEvent>;
  readonly stats: BusStats = { published: 0, handlerErrors: 0, droppedErrorEvents: 0, queueHighWater: 0, lastSeq: 0 };

  constructor(opts: EventBusOptions) {
    this.clock = opts.clock;
    this.history = new SeqHistory<BotEvent>(opts.historySize ?? 10_000);
    this.maxQueue = opts.maxQueue ?? 100_000;
  }

  /** Subscribe to one event type. */
  on<T extends BotEventType>(type: T, handler: Handler<EventOf<T>>): Unsubscribe {
    const list = this.typed.get(type) ?? [];
    const h = handler as Handler<BotEvent>;
    // Copy-on-write so that dispatch can iterate without being disturbed by (un)subscription.
    this.typed.set(type, [...list, h]);
    return () => {
      const cur = this.typed.get(type);
      if (cur) this.typed.set(type, cur.filter((x) => x !== h));
    };
  }

  /** Subscribe to every event. */
  onAny(handler: Handler<BotEvent>): Unsubscribe {
    this.any = [...this.any, handler];
    return () => {
      this.any = this.any.filter((x) => x !== handler);
    };
  }

  listenerCount(): number {
    let n = this.any.length;
    for (const l of this.typed.values()) n += l.length;
    return n;
  }

  /** Publish an event; returns the stamped event. The bus takes ownership of `input` (it is stamped in place, not copied). */
  publish<T extends BotEventType>(input: EventInput<T>): EventOf<T> {
    const now = this.clock.nowMs();
    // Stamped in place, as Object.assign(input, { seq, tsRecvMs, tsEventMs }) would (same keys, same order), without
    // the temporary object: this runs for every event.
    const stamped = input as EventInput<T> & { seq: number; tsRecvMs: number; tsEventMs: number };
    stamped.seq = ++this.seq;
    stamped.tsRecvMs = now;
    stamped.tsEventMs = input.tsEventMs ?? now;
    const event = stamped as unknown as EventOf<T>;
    this.stats.published++;
    this.stats.lastSeq = event.seq;
    this.history.push(event);
    if (!this.dispatching) {
      // Fast path: nothing queued, dispatch directly, then drain anything the handlers published.
      this.dispatching = true;
      try {
        this.dispatch(event);
        if (this.queue.length > 0) this.drain();
      } finally {
        this.dispatching = false;
      }
      return event;
    }
    const pending = this.queue.length - this.queueHead;
    if (pending >= this.maxQueue) throw new Error(`event bus queue full (${this.maxQueue}): publish loop?`);
    this.queue.push(event);
    if (pending + 1 > this.stats.queueHighWater) this.stats.queueHighWater = pending + 1;
    return event;
  }

  private dispatch(event: BotEvent): void {
    const typed = this.typed.get(event.type);
    if (typed) for (let i = 0; i < typed.length; i++) this.call(typed[i]!, event);
    const any = this.any;
    for (let i = 0; i < any.length; i++) this.call(any[i]!, event);
  }

  private drain(): void {
    try {
      while (this.queueHead < this.queue.length) this.dispatch(this.queue[this.queueHead++]!);
    } finally {
      this.queue = [];
      this.queueHead = 0;
    }
  }

  private call(h: Handler<BotEvent>, event: BotEvent): void {
    try {
      h(event);
    } catch (err) {
      this.stats.handlerErrors++;
      if (event.type === 'runtime.error') {
        this.stats.droppedErrorEvents++;
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      this.publish({ type: 'runtime.error', source: `bus:${event.type}`, message, count: this.stats.handlerErrors });
    }
  }
}
