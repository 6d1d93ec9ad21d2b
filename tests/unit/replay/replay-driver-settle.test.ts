/**
 * The replay driver's settles after timers (bot/replay/replay-driver.ts, bot/replay/promise-activity.ts): timers that
 * start promise work get a settle before the next frame, so their work is done first; timers that start none get no
 * settle (no event-loop turn). Checked on a bare SimClock, an in-memory source and a target that records the order:
 * - a 1 s timer that, every third tick, runs an async chain (three awaits) ending in a mark; every frame after the tick
 *   must see that mark, whatever the chunk size;
 * - a timer that resolves an earlier promise (a sleep on the clock) is seen too: the sleeper's continuation runs
 *   before the next frame;
 * - the event-loop turns the run took (setImmediate calls) are exactly the ticks that started work plus the reader's
 *   chunk turns: none for the quiet ticks.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { holdPromiseActivity, promiseActivity } from '../../../bot/replay/promise-activity';
import { ReplayDriver } from '../../../bot/replay/replay-driver';
import { manifestSchema, memorySource, type RecordedFrame } from '../../../bot/replay/session';

const T0 = 1_767_225_600_000;
const SECONDS = 30;

function source() {
  const frames: RecordedFrame[] = [];
  // Four frames a second, never on the whole second (timers fire between frames).
  for (let s = 0; s < SECONDS; s++) for (const ms of [100, 350, 600, 850]) frames.push({ source: 'spot', tsRecvMs: T0 + s * 1000 + ms, raw: `${s}.${ms}` });
  const manifest = manifestSchema.parse({
    version: 1, id: 'settle-test', format: 'synthetic', createdAtMs: T0, startMs: T0, endMs: T0 + SECONDS * 1000, frames: frames.length, bytes: 0,
    sources: ['spot'], segments: [], markets: [{ slug: 'btc-updown-5m-1767225600', kind: '5m', startMs: T0, endMs: T0 + 300_000, conditionId: '0x01', upTokenId: '1', downTokenId: '2' }],
    capabilities: { books: false, reference: false, spot: true, resolutions: 'none' },
  });
  return memorySource(manifest, frames);
}

async function run(chunkSize: number) {
  const clock = new SimClock(T0);
  const log: string[] = [];
  let tick = 0;
  let busyTicks = 0;
  clock.every(1_000, 'test-tick', () => {
    tick++;
    if (tick % 3 !== 0) return; // quiet: nothing asynchronous
    busyTicks++;
    const n = tick;
    void (async () => {
      await Promise.resolve();
      await Promise.resolve();
      await Promise.resolve();
      log.push(`work${n}`);
    })();
  });
  // A sleeper on the clock: its continuation runs when the timer resolves the promise (no new promise created then).
  const sleeper = (async () => {
    await new Promise<void>((r) => clock.after(10_500, 'sleep', r));
    log.push('woke');
  })();
  const frames: { ts: number; logLength: number }[] = [];
  const immediates = vi.spyOn(globalThis, 'setImmediate');
  const driver = new ReplayDriver({
    source: source(), clock, chunkSize, tailMs: 0,
    target: {
      ingest: (f) => {
        frames.push({ ts: f.tsRecvMs, logLength: log.length });
        log.push(`frame${f.raw}`);
        return true;
      },
      activity: () => 0,
    },
  });
  await driver.run();
  await sleeper;
  const turns = immediates.mock.calls.length;
  immediates.mockRestore();
  return { log, turns, busyTicks };
}

describe('replay driver: settles after timers', () => {
  afterEach(() => vi.restoreAllMocks());

  it('finishes a timer’s async work before the next frame, and a woken sleeper too', async () => {
    const { log } = await run(7);
    for (let s = 1; s < SECONDS; s++) {
      const t = s * 1000; // tick number s fires at T0 + s s
      const firstFrame = log.indexOf(`frame${s}.100`);
      expect(firstFrame).toBeGreaterThan(0);
      if (s % 3 === 0) {
        // The work of tick s is logged after the previous second's last frame and before this second's first.
        const work = log.indexOf(`work${s}`);
        expect(work, `tick at ${t}`).toBeGreaterThan(log.indexOf(`frame${s - 1}.850`));
        expect(work, `tick at ${t}`).toBeLessThan(firstFrame);
      }
    }
    // The sleep ends at +10.5 s: after the frame at 10.350 s, before the one at 10.600 s.
    const woke = log.indexOf('woke');
    expect(woke).toBeGreaterThan(log.indexOf('frame10.350'));
    expect(woke).toBeLessThan(log.indexOf('frame10.600'));
  });

  it('takes the same order at any chunk size', async () => {
    const a = await run(1);
    const b = await run(5);
    const c = await run(4096);
    expect(b.log).toEqual(a.log);
    expect(c.log).toEqual(a.log);
  });

  it('turns the event loop only for timers that started promise work (none for quiet ticks)', async () => {
    const chunkSize = 4096; // one chunk: the source's own turns are a fixed few
    const { turns, busyTicks } = await run(chunkSize);
    expect(busyTicks).toBe(SECONDS / 3); // ticks 3, 6, … 30 (the last one in the tail)
    // busy ticks + the sleep’s wake-up (+ the tail’s own settle); the 30 ticks would otherwise each take one.
    expect(turns).toBeGreaterThanOrEqual(busyTicks + 1);
    expect(turns).toBeLessThanOrEqual(busyTicks + 1 + 2);
  });

  it('counts promise creation and settlement only while held', async () => {
    const before = promiseActivity();
    await Promise.resolve();
    expect(promiseActivity()).toBe(before);
    const release = holdPromiseActivity();
    const held = promiseActivity();
    let resolve!: () => void;
    const p = new Promise<void>((r) => (resolve = r));
    const afterCreate = promiseActivity();
    expect(afterCreate).toBeGreaterThan(held);
    resolve();
    expect(promiseActivity()).toBeGreaterThan(afterCreate);
    await p;
    release();
    release(); // a second release is a no-op
    const after = promiseActivity();
    await Promise.resolve().then(() => undefined);
    expect(promiseActivity()).toBe(after);
  });
});
