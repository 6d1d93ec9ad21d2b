/** GuardedClock reports a timer's due time inside its callback and never runs backwards. */
import { expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { GuardedClock } from '../../../bot/sim/guarded-clock';

it('freezes time inside callbacks and delegates scheduling', () => {
  const inner = new SimClock(1000);
  const g = new GuardedClock(inner);
  const seen: number[] = [];
  g.after(500, 'a', () => seen.push(g.nowMs()));
  const stop = g.every(1000, 'b', () => seen.push(g.nowMs()));
  inner.advanceTo(3500);
  stop();
  inner.advanceTo(10_000);
  expect(seen).toEqual([1500, 2000, 3000]);
  expect(g.nowMs()).toBe(10_000);
  expect(g.kind).toBe('sim');
});
