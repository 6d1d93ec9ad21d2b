import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { botEventSchema, type BotEvent } from '../../../lib/schemas/events';

function bus(historySize = 100) {
  const clock = new SimClock(1_000);
  return { clock, bus: new EventBus({ clock, historySize }) };
}

const err = (message: string) => ({ type: 'runtime.error' as const, source: 'test', message });

describe('EventBus', () => {
  it('stamps strictly increasing seq numbers and clock times', () => {
    const { clock, bus: b } = bus();
    const a = b.publish(err('a'));
    clock.advanceBy(5);
    const c = b.publish({ ...err('b'), tsEventMs: 17 });
    expect([a.seq, c.seq]).toEqual([1, 2]);
    expect(a.tsRecvMs).toBe(1_000);
    expect(c.tsRecvMs).toBe(1_005);
    expect(c.tsEventMs).toBe(17);
    expect(botEventSchema.parse(c)).toEqual(c);
  });

  it('dispatches typed subscriptions only for their type, and onAny for all', () => {
    const { bus: b } = bus();
    const typed: string[] = [];
    const any: string[] = [];
    b.on('killswitch.changed', (e) => typed.push(e.state));
    b.onAny((e) => any.push(e.type));
    b.publish(err('x'));
    b.publish({ type: 'killswitch.changed', state: 'halted', prevState: 'active', reason: 'r', actor: 'op', automatic: false });
    expect(typed).toEqual(['halted']);
    expect(any).toEqual(['runtime.error', 'killswitch.changed']);
  });

  it('queues publishes made inside handlers (FIFO, never nested)', () => {
    const { bus: b } = bus();
    const order: string[] = [];
    b.onAny((e) => {
      if (e.type !== 'runtime.error') return;
      order.push(`start ${e.message}`);
      if (e.message === 'first') {
        b.publish(err('second'));
        b.publish(err('third'));
      }
      order.push(`end ${e.message}`);
    });
    b.publish(err('first'));
    expect(order).toEqual(['start first', 'end first', 'start second', 'end second', 'start third', 'end third']);
    expect(b.history.recent(10).map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('turns a throwing handler into a runtime.error event and keeps delivering', () => {
    const { bus: b } = bus();
    const seen: BotEvent[] = [];
    b.on('killswitch.changed', () => {
      throw new Error('boom');
    });
    b.onAny((e) => seen.push(e));
    b.publish({ type: 'killswitch.changed', state: 'halted', prevState: 'active', reason: 'r', actor: 'op', automatic: false });
    expect(seen.map((e) => e.type)).toEqual(['killswitch.changed', 'runtime.error']);
    const e = seen[1]!;
    expect(e.type === 'runtime.error' && e.message).toBe('boom');
    expect(b.stats.handlerErrors).toBe(1);
  });

  it('does not loop when a runtime.error handler throws', () => {
    const { bus: b } = bus();
    b.on('runtime.error', () => {
      throw new Error('again');
    });
    b.publish(err('x'));
    expect(b.stats.published).toBe(1);
    expect(b.stats.droppedErrorEvents).toBe(1);
  });

  it('unsubscribes, and a handler added during dispatch sees only later events', () => {
    const { bus: b } = bus();
    const late: number[] = [];
    const off = b.onAny(() => {
      b.onAny((e) => late.push(e.seq));
    });
    b.publish(err('1'));
    off();
    b.publish(err('2'));
    expect(late).toEqual([2]);
    expect(b.listenerCount()).toBe(1);
  });

  it('keeps a bounded history and answers since(seq)', () => {
    const { bus: b } = bus(5);
    for (let i = 0; i < 12; i++) b.publish(err(String(i)));
    expect(b.history.size).toBe(5);
    expect(b.history.since(9)!.map((e) => e.seq)).toEqual([10, 11, 12]);
    expect(b.history.since(7)!.map((e) => e.seq)).toEqual([8, 9, 10, 11, 12]);
    expect(b.history.since(6)).toBeNull();
    expect(b.history.since(12)).toEqual([]);
  });

  it('is in the same league as a bare EventEmitter for plain dispatch (sanity, not a benchmark)', () => {
    const { bus: b } = bus(1000);
    let n = 0;
    b.on('runtime.error', () => n++);
    const em = new EventEmitter();
    let m = 0;
    em.on('x', () => m++);
    for (let i = 0; i < 10_000; i++) {
      b.publish(err('x'));
      em.emit('x', i);
    }
    expect(n).toBe(10_000);
    expect(m).toBe(10_000);
  });
});
