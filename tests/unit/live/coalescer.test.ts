/**
 * The coalescer behind the console's live state (components/live/coalescer.ts): every update is folded in at once,
 * but the folded value reaches `onFlush` (React state) at most once per interval, only when something changed,
 * and an idle coalescer holds no timer. Fake timers; no sleeps.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCoalescer, intervalForHz } from '../../../components/live/coalescer';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(0);
});
afterEach(() => {
  vi.useRealTimers();
});

/** A counter coalescer that records when each flush happened and with what value. */
function counter(intervalMs = 100) {
  const flushes: { atMs: number; value: number }[] = [];
  const c = createCoalescer<number>({ initial: 0, intervalMs, onFlush: (value) => flushes.push({ atMs: Date.now(), value }) });
  return { c, flushes };
}

describe('createCoalescer', () => {
  it('folds every update but flushes a 1 kHz stream at most 10 times a second, at least 100 ms apart', () => {
    const { c, flushes } = counter(100);
    for (let i = 0; i < 1000; i++) {
      c.update((n) => n + 1);
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(100);
    expect(c.value).toBe(1000);
    expect(flushes.length).toBeLessThanOrEqual(11); // 1000 ms of events + the trailing flush
    expect(flushes.length).toBeGreaterThanOrEqual(9);
    for (let i = 1; i < flushes.length; i++) expect(flushes[i]!.atMs - flushes[i - 1]!.atMs).toBeGreaterThanOrEqual(100);
    // Values only grow, and the last flush carries every update.
    for (let i = 1; i < flushes.length; i++) expect(flushes[i]!.value).toBeGreaterThan(flushes[i - 1]!.value);
    expect(flushes.at(-1)!.value).toBe(1000);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('delivers a lone update after the interval, not before, and not twice', () => {
    const { c, flushes } = counter(100);
    vi.advanceTimersByTime(37);
    c.update((n) => n + 5);
    vi.advanceTimersByTime(99);
    expect(flushes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(flushes).toEqual([{ atMs: 137, value: 5 }]);
    vi.advanceTimersByTime(1_000);
    expect(flushes).toHaveLength(1);
  });

  it('ignores updates that return undefined: no timer, no flush, value kept', () => {
    const { c, flushes } = counter(100);
    for (let i = 0; i < 50; i++) c.update(() => undefined);
    expect(vi.getTimerCount()).toBe(0);
    expect(c.dirty).toBe(false);
    vi.advanceTimersByTime(500);
    expect(flushes).toEqual([]);
    expect(c.value).toBe(0);
  });

  it('holds no timer while idle and re-arms on the next relevant update', () => {
    const { c, flushes } = counter(100);
    c.update((n) => n + 1);
    expect(vi.getTimerCount()).toBe(1);
    c.update((n) => n + 1);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(100);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(5_000);
    c.update((n) => n + 1);
    vi.advanceTimersByTime(100);
    expect(flushes.map((f) => f.value)).toEqual([2, 3]);
    expect(flushes.map((f) => f.atMs)).toEqual([100, 5_200]);
  });

  it('flush() delivers at once and disarms the timer; with nothing pending it does nothing', () => {
    const { c, flushes } = counter(100);
    c.flush();
    expect(flushes).toEqual([]);
    c.update((n) => n + 7);
    vi.advanceTimersByTime(10);
    c.flush();
    expect(flushes).toEqual([{ atMs: 10, value: 7 }]);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(500);
    expect(flushes).toHaveLength(1);
  });

  it('pause() keeps pending changes and delivers nothing until resume(), which re-arms the interval', () => {
    const { c, flushes } = counter(100);
    c.update((n) => n + 1);
    c.pause();
    expect(vi.getTimerCount()).toBe(0);
    c.update((n) => n + 1); // folded while paused (a listener outlived its effect), still not delivered
    vi.advanceTimersByTime(1_000);
    expect(flushes).toEqual([]);
    expect(c.value).toBe(2);
    c.resume();
    vi.advanceTimersByTime(100);
    expect(flushes).toEqual([{ atMs: 1_100, value: 2 }]);
    c.resume(); // nothing pending: no timer
    expect(vi.getTimerCount()).toBe(0);
  });

  it('hands over the folded object itself (reducers return new objects; consumers compare by identity)', () => {
    const seen: { list: number[] }[] = [];
    const c = createCoalescer<{ list: number[] }>({ initial: { list: [] }, intervalMs: 50, onFlush: (v) => seen.push(v) });
    c.update((s) => ({ list: [...s.list, 1] }));
    c.update((s) => ({ list: [...s.list, 2] }));
    vi.advanceTimersByTime(50);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBe(c.value);
    expect(seen[0]!.list).toEqual([1, 2]);
  });

  it('setIntervalMs changes the spacing of the next flushes', () => {
    const { c, flushes } = counter(100);
    c.setIntervalMs(250);
    c.update((n) => n + 1);
    vi.advanceTimersByTime(249);
    expect(flushes).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(flushes).toEqual([{ atMs: 250, value: 1 }]);
  });

  it('uses injected timers when given', () => {
    const armed: { fn: () => void; ms: number }[] = [];
    const flushed: number[] = [];
    const c = createCoalescer<number>({
      initial: 0,
      intervalMs: 40,
      onFlush: (v) => flushed.push(v),
      timers: { setTimeout: (fn, ms) => armed.push({ fn, ms }), clearTimeout: () => {} },
    });
    c.update(() => 3);
    c.update(() => 4);
    expect(armed).toHaveLength(1);
    expect(armed[0]!.ms).toBe(40);
    armed[0]!.fn();
    expect(flushed).toEqual([4]);
  });
});

describe('intervalForHz', () => {
  it('turns a rate into a minimum spacing and clamps nonsense', () => {
    expect(intervalForHz(10)).toBe(100);
    expect(intervalForHz(4)).toBe(250);
    expect(intervalForHz(0)).toBe(10_000);
    expect(intervalForHz(1e9)).toBe(1);
    expect(intervalForHz(Number.NaN)).toBe(100);
  });
});
