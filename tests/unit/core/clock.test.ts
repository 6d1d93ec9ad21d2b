import { describe, expect, it } from 'vitest';
import { ScaledClock, SimClock } from '../../../bot/clock';
import { type CancelTimer, everyFromAfter } from '../../../bot/clock/clock';
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

  it('fires periodic timers in exactly the order of one-shot timers re-armed first thing in the callback', () => {
    // The reference: every() built on after() (everyFromAfter), as SimClock did before periodic timers were re-keyed in
    // place. A random script of periodic and one-shot timers with clashing names and due times, timers started and
    // cancelled from inside callbacks (also a periodic one cancelling itself), must log the same (time, timer) list.
    class Reference extends SimClock {
      override every(periodMs: number, name: string, fn: () => void): CancelTimer {
        return everyFromAfter((d, n, f) => this.after(d, n, f), periodMs, name, fn);
      }
    }
    const run = (c: SimClock): string[] => {
      const prng = new Prng('sim-clock-every');
      const log: string[] = [];
      const cancels: CancelTimer[] = [];
      let id = 0;
      const names = ['a', 'b', 'health', 'tick'];
      const start = (depth: number): void => {
        const me = id++;
        const name = names[Math.floor(prng.next() * names.length)]!;
        const periodic = prng.next() < 0.5;
        const delay = [0, 250, 500, 1000][Math.floor(prng.next() * 4)]!;
        let firings = 0;
        const fn = (): void => {
          firings++;
          log.push(`${c.nowMs()}:${name}#${me}`);
          if (depth < 3 && (me + firings) % 3 === 0) start(depth + 1);
          if ((me * 7 + firings) % 5 === 0 && cancels.length) cancels[(me + firings) % cancels.length]!();
          if (periodic && firings === 4 + (me % 3)) cancels[me]!();
        };
        cancels[me] = periodic ? c.every(delay || 250, name, fn) : c.after(delay, name, fn);
      };
      for (let i = 0; i < 12; i++) start(0);
      for (let t = 0; t < 6_000; t += Math.floor(prng.next() * 700)) c.advanceTo(t);
      c.advanceTo(8_000);
      return log;
    };
    const expected = run(new Reference(0));
    expect(expected.length).toBeGreaterThan(60);
    expect(run(new SimClock(0))).toEqual(expected);
    expect(() => new SimClock(0).every(0, 'x', () => {})).toThrow(/every\(x\): period must be > 0, got 0/);
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
