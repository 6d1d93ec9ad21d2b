import { describe, expect, it } from 'vitest';
import { ScaledClock, SimClock } from '../../../bot/clock';
import { Prng } from '../../../bot/util/prng';

describe('SimClock', () => {
  it('fires timers in (due, name) order regardless of scheduling order', () => {
    const c = new SimClock(0);
    const fired: string[] = [];
    c.at(20, 'b', () => fired.push('b@20'));
    c.at(10, 'z', () => fired.push('z@10'));
    c.at(20, 'a', () => fired.push('a@20'));
    c.at(10, 'a', () => fired.push('a@10'));
    expect(c.advanceTo(15)).toBe(2);
    expect(fired).toEqual(['a@10', 'z@10']);
    expect(c.nowMs()).toBe(15);
    c.advanceTo(100);
    expect(fired).toEqual(['a@10', 'z@10', 'a@20', 'b@20']);
  });

  it('shows the due time while a timer runs and fires timers scheduled during the advance', () => {
    const c = new SimClock(0);
    const seen: number[] = [];
    c.after(10, 't', () => {
      seen.push(c.nowMs());
      c.after(5, 't2', () => seen.push(c.nowMs()));
    });
    c.advanceTo(100);
    expect(seen).toEqual([10, 15]);
  });

  it('cancels timers and repeats with every()', () => {
    const c = new SimClock(0);
    const ticks: number[] = [];
    const stop = c.every(100, 'tick', () => ticks.push(c.nowMs()));
    const cancel = c.after(50, 'never', () => ticks.push(-1));
    cancel();
    c.advanceTo(350);
    stop();
    c.advanceTo(1_000);
    expect(ticks).toEqual([100, 200, 300]);
  });

  it('never goes backwards', () => {
    const c = new SimClock(500);
    c.advanceTo(100);
    expect(c.nowMs()).toBe(500);
    let at = 0;
    c.at(10, 'past', () => (at = c.nowMs()));
    c.advanceBy(0);
    expect(at).toBe(500);
  });
});

describe('ScaledClock', () => {
  it('runs faster than real time and fires timers at scaled times', async () => {
    const c = new ScaledClock(1_000_000, 1_000);
    const firedAt = await new Promise<number>((resolve) => c.after(5_000, 'x', () => resolve(c.nowMs())));
    expect(firedAt).toBeGreaterThanOrEqual(1_005_000);
    c.dispose();
  });
});

describe('Prng', () => {
  it('is deterministic per seed and roughly uniform/normal', () => {
    const a = new Prng(7);
    const b = new Prng(7);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(new Prng(8).next()).not.toBe(xs[0]);
    const r = new Prng('seed');
    let sum = 0;
    let sq = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      sum += z;
      sq += z * z;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.03);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.05);
  });
});
