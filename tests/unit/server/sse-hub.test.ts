/**
 * SseHub: one bus subscription per source however many clients, each event serialised once, frames in order with
 * no gap or duplicate across a resume, a slow client dropped at its byte bound without touching the others.
 */
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import type { BotEvent } from '../../../lib/schemas/events';
import { SseHub, type SseSource } from '../../../lib/server/sse';

function setup(maxClientBytes = 1 << 20) {
  const bus = new EventBus({ clock: new SimClock(1_000), historySize: 100 });
  let subscriptions = 0;
  const source: SseSource = {
    instanceId: 't',
    lastSeq: () => bus.stats.lastSeq,
    since: (s) => bus.history.since(s),
    subscribe: (fn: (e: BotEvent) => void) => {
      subscriptions++;
      const off = bus.onAny(fn);
      return () => {
        subscriptions--;
        off();
      };
    },
  };
  const hub = new SseHub({ maxClientBytes, heartbeatMs: 60_000 });
  return { bus, source, hub, subs: () => subscriptions };
}

const publish = (bus: EventBus, message: string) => bus.publish({ type: 'runtime.error', source: 'test', message });

/**
 * Read what a stream has queued so far (the hub enqueues on pull). The hub's fan-out and pull run in microtasks, so a
 * read still pending after two macrotask turns has nothing behind it: no wall-clock wait.
 */
const macrotasks = (n: number) => new Promise<undefined>((res) => {
  const step = (k: number): void => void (k === 0 ? res(undefined) : setImmediate(() => step(k - 1)));
  step(n);
});
async function drain(stream: ReadableStream<Uint8Array>): Promise<{ ids: number[]; text: string }> {
  const reader = stream.getReader();
  let text = '';
  for (;;) {
    const next = reader.read();
    const r = await Promise.race([next, macrotasks(2)]);
    if (!r || r.done) break;
    text += new TextDecoder().decode(r.value);
  }
  reader.releaseLock();
  const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
  return { ids, text };
}

describe('SseHub', () => {
  it('subscribes once per source and serialises each event once for all clients', async () => {
    const { bus, source, hub, subs } = setup();
    const streams = Array.from({ length: 5 }, () => hub.open(source, undefined));
    expect(subs()).toBe(1);
    let serialised = 0;
    const input = { type: 'runtime.error' as const, source: 'test', message: 'one' };
    // The bus stamps the input in place, so this toJSON counts every serialisation of the event.
    Object.defineProperty(input, 'toJSON', { enumerable: false, value: () => (serialised++, { ...input, seq: 1 }) });
    bus.publish(input);
    publish(bus, 'two');
    for (const s of streams) {
      const got = await drain(s);
      expect(got.ids).toEqual([1, 2]);
      expect(got.text).toContain('"message":"one"');
    }
    expect(serialised).toBe(1);
    hub.closeAll();
    expect(subs()).toBe(0);
  });

  it('resumes from Last-Event-ID with no gap and no duplicate, even with events pending in the fan-out', async () => {
    const { bus, source, hub } = setup();
    const first = hub.open(source, undefined);
    publish(bus, 'a'); // seq 1
    publish(bus, 'b'); // seq 2, still pending (no microtask yet) when the second client opens
    const resumed = hub.open(source, 1);
    const fresh = hub.open(source, undefined);
    publish(bus, 'c'); // seq 3
    expect((await drain(first)).ids).toEqual([1, 2, 3]);
    expect((await drain(resumed)).ids).toEqual([2, 3]);
    expect((await drain(fresh)).ids).toEqual([3]);
    hub.closeAll();
  });

  it('drops a client whose queue passes the bound; the others keep receiving', async () => {
    const { bus, source, hub } = setup(2_000);
    const slow = hub.open(source, undefined);
    const fast = hub.open(source, undefined);
    // The fast client reads after every batch; the slow one never reads until the end.
    const fastIds: number[] = [];
    for (let batch = 0; batch < 10; batch++) {
      for (let i = 0; i < 3; i++) publish(bus, 'x'.repeat(100));
      fastIds.push(...(await drain(fast)).ids);
    }
    expect(fastIds).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(hub.stats.dropped).toBe(1);
    expect(hub.stats.clients).toBe(1);
    const more = hub.open(source, undefined);
    publish(bus, 'after');
    expect((await drain(more)).ids).toEqual([31]);
    const slowGot = await drain(slow);
    // What the slow client got before the drop is a gap-free prefix; it reconnects and resumes from there.
    expect(slowGot.ids.length).toBeLessThan(30);
    expect(slowGot.ids).toEqual(slowGot.ids.map((_, i) => i + 1));
    hub.closeAll();
  });
});
