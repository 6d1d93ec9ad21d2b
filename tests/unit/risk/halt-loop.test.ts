/**
 * HaltLoop over a fake venue: cancel-all leaves in the same turn as the halt, the loop repeats with backoff on the
 * injected clock until the venue lists no open orders, publishes its progress, survives failing calls, stops when an
 * operator re-activates, and starts on its own when the runtime comes up halted.
 */
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { HaltLoop, KillSwitch } from '../../../bot/risk';
import { openStore, type Store } from '../../../bot/store';
import type { EventOf } from '../../../lib/schemas/events';

async function drain(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

function setup(store: Store = openStore(':memory:')) {
  const clock = new SimClock(1_800_000_000_000);
  const bus = new EventBus({ clock });
  const killSwitch = new KillSwitch({ clock, bus, store: store.killSwitch, audit: store.audit });
  const venue = { open: 3, stubborn: 0, cancels: 0, failNext: false };
  const port = {
    cancelAll: async () => {
      venue.cancels++;
      if (venue.failNext) {
        venue.failNext = false;
        throw new Error('HTTP 503');
      }
      const n = venue.open - venue.stubborn;
      venue.open = venue.stubborn;
      venue.stubborn = Math.max(0, venue.stubborn - 1);
      return n;
    },
    openOrdersAtVenue: async () => venue.open,
  };
  const loop = new HaltLoop({ clock, bus, killSwitch, port, firstDelayMs: 200, maxDelayMs: 1_000 });
  const progress: EventOf<'risk.halt_progress'>[] = [];
  bus.on('risk.halt_progress', (e) => progress.push(e));
  return { clock, bus, killSwitch, loop, venue, progress, store };
}

describe('HaltLoop', () => {
  it('cancels in the same turn and repeats with backoff until the venue shows none', async () => {
    const { clock, killSwitch, loop, venue, progress } = setup();
    loop.start();
    venue.stubborn = 2; // two orders survive the first cancel-all, one the second
    killSwitch.set({ state: 'halted', reason: 'test', actor: 'op' });
    expect(venue.cancels).toBe(1); // synchronously, inside set()
    await drain();
    expect(progress.at(-1)).toMatchObject({ attempt: 1, canceled: 1, openAtVenue: 2, done: false, nextInMs: 200 });
    clock.advanceBy(199);
    await drain();
    expect(venue.cancels).toBe(1);
    clock.advanceBy(1);
    await drain();
    expect(progress.at(-1)).toMatchObject({ attempt: 2, openAtVenue: 1, done: false, nextInMs: 400 });
    clock.advanceBy(400);
    await drain();
    expect(progress.at(-1)).toMatchObject({ attempt: 3, openAtVenue: 0, done: true });
    expect(loop.active).toBe(false);
    clock.advanceBy(10_000);
    await drain();
    expect(venue.cancels).toBe(3);
  });

  it('keeps going through failures (reported, not thrown) and caps the backoff', async () => {
    const { clock, killSwitch, loop, venue, progress } = setup();
    loop.start();
    venue.failNext = true;
    killSwitch.set({ state: 'halted', reason: 'test', actor: 'op' });
    await drain();
    expect(progress.at(-1)).toMatchObject({ attempt: 1, done: false, error: expect.stringMatching(/cancel-all: HTTP 503/) });
    venue.stubborn = 5;
    venue.open = 5;
    for (let i = 0; i < 12; i++) {
      clock.advanceBy(1_000);
      await drain();
    }
    expect(Math.max(...progress.map((p) => p.nextInMs ?? 0))).toBe(1_000);
    expect(progress.at(-1)!.done).toBe(true);
  });

  it('stops when an operator re-activates, and on stop()', async () => {
    const { clock, killSwitch, loop, venue } = setup();
    loop.start();
    venue.stubborn = 100;
    venue.open = 100;
    killSwitch.set({ state: 'halted', reason: 'test', actor: 'op' });
    await drain();
    killSwitch.set({ state: 'active', reason: 'all clear', actor: 'op' });
    const n = venue.cancels;
    clock.advanceBy(5_000);
    await drain();
    expect(venue.cancels).toBe(n);
    killSwitch.set({ state: 'halted', reason: 'again', actor: 'op' });
    expect(venue.cancels).toBe(n + 1);
    loop.stop();
    clock.advanceBy(5_000);
    await drain();
    expect(venue.cancels).toBe(n + 1);
  });

  it('a runtime that comes up halted starts cancelling at start()', async () => {
    const store = openStore(':memory:');
    const first = setup(store);
    first.killSwitch.set({ state: 'halted', reason: 'before the restart', actor: 'op' });
    const second = setup(store);
    expect(second.killSwitch.state).toBe('halted');
    expect(second.venue.cancels).toBe(0);
    second.loop.start();
    expect(second.venue.cancels).toBe(1);
    await drain();
    expect(second.progress.at(-1)).toMatchObject({ done: true, openAtVenue: 0 });
  });

  it('does not run for reducing', async () => {
    const { killSwitch, loop, venue } = setup();
    loop.start();
    killSwitch.set({ state: 'reducing', reason: 'wind down', actor: 'op' });
    await drain();
    expect(venue.cancels).toBe(0);
  });
});
