/**
 * The weight learner's bounds and bookkeeping: the step is capped at exactly maxStep (just below / at / above the
 * full-step evidence), the floor holds (just above / at / below it), the total is preserved, zero votes do not count,
 * a step is due at N settled trades and not at N−1, and a trade settles only when filled and resolved.
 */
import { describe, expect, it } from 'vitest';
import { Z_FULL, emptyLearnerState, learningStep, recordBuy, recordFinal, recordWinner, stepDue, takeStepTrades } from '../../../bot/learning/weight-learner';
import type { SettledTrade } from '../../../lib/schemas/learning';

const P = { everyTrades: 16, maxStep: 0.05, minWeight: 0.01 };
const sum = (w: Record<string, number>) => Object.values(w).reduce((a, b) => a + b, 0);

/** n trades where signal `a` is right `hitsA` times and `b` votes the opposite of `a` every time (so b's z = −a's). */
function mirrored(n: number, hitsA: number, extra: Record<string, (i: number) => number> = {}): SettledTrade[] {
  return Array.from({ length: n }, (_, i) => {
    const winner = i % 2 === 0 ? 'up' : 'down';
    const ws = winner === 'up' ? 1 : -1;
    const a = i < hitsA ? ws : -ws;
    const votes: Record<string, number> = { a, b: -a };
    for (const [k, f] of Object.entries(extra)) votes[k] = f(i);
    return { windowSlug: `w${i}`, votes, winner };
  });
}

describe('learningStep: the step cap', () => {
  // n = 16: z = (2h − 16) / 4, so h = 12 gives z = 2 = Z_FULL (the full step).
  it.each([
    [11, 0.75 * 0.05],
    [12, 0.05],
    [13, 0.05],
    [16, 0.05],
  ])('%i of 16 hits moves the weight by %f (full step at z = Z_FULL, capped above)', (hits, expected) => {
    expect(Z_FULL).toBe(2);
    const r = learningStep({ a: 0.4, b: 0.4 }, mirrored(16, hits), P);
    expect(r.after.a! - 0.4).toBeCloseTo(expected, 9);
    expect(r.after.b! - 0.4).toBeCloseTo(-expected, 9);
    expect(Math.abs(r.after.a! - r.before.a!)).toBeLessThanOrEqual(P.maxStep + 1e-9);
    expect(r.accuracy.a).toBeCloseTo(hits / 16, 12);
  });

  it('never moves any signal by more than maxStep, even when several push the same way', () => {
    const t = mirrored(16, 16, { c: (i) => (i % 2 === 0 ? 1 : -1), d: (i) => (i % 2 === 0 ? -1 : 1) });
    const r = learningStep({ a: 0.2, b: 0.3, c: 0.2, d: 0.3 }, t, P);
    for (const k of ['a', 'b', 'c', 'd']) expect(Math.abs(r.after[k]! - r.before[k]!)).toBeLessThanOrEqual(P.maxStep + 1e-9);
    expect(r.after.a! - 0.2).toBeCloseTo(0.05, 9);
    expect(r.after.d! - 0.3).toBeCloseTo(-0.05, 9);
    expect(sum(r.after)).toBeCloseTo(1, 9);
  });
});

describe('learningStep: the floor and the total', () => {
  it.each([
    [0.011, 0.01],
    [0.03, 0.01],
  ])('a losing signal at %f falls to the floor and no further (just above / above the floor)', (wb, floorAfter) => {
    const r = learningStep({ a: 0.5, b: wb, c: 0.2 }, mirrored(16, 16, { c: () => 0 }), P);
    expect(r.after.b).toBeCloseTo(floorAfter, 9);
    expect(r.after.a! - 0.5).toBeCloseTo(wb - 0.01, 9);
    expect(r.after.c).toBe(0.2);
    expect(sum(r.after)).toBeCloseTo(sum(r.before), 9);
  });

  it('a losing signal exactly at the floor stays there, and then nothing can rise against it', () => {
    const r = learningStep({ a: 0.5, b: 0.01 }, mirrored(16, 16), P);
    expect(r.after).toEqual({ a: 0.5, b: 0.01 });
    expect(r.changed).toBe(false);
  });

  it('a signal already below the floor is neither pushed down nor forced up', () => {
    const r = learningStep({ a: 0.5, b: 0.005, c: 0.3 }, mirrored(16, 16, { c: (i) => (i % 2 === 0 ? -1 : 1) }), P);
    expect(r.after.b).toBeCloseTo(0.005, 12);
    expect(r.after.c).toBeCloseTo(0.25, 9);
    expect(r.after.a).toBeCloseTo(0.55, 9);
  });

  it('keeps the total (≤ 1) with the six default weights and mixed evidence', () => {
    const w = { bookImbalance: 0.3, tickVelocity: 0.25, divergence: 0.18, spike: 0.12, putCallRatio: 0.1, fearGreed: 0.05 };
    const trades: SettledTrade[] = Array.from({ length: 20 }, (_, i) => {
      const winner = i % 3 === 0 ? 'down' : 'up';
      const ws = winner === 'up' ? 1 : -1;
      return { windowSlug: `w${i}`, winner, votes: { bookImbalance: -ws * 0.7, tickVelocity: i % 2 ? ws : -ws, divergence: ws * 0.3, spike: i % 4 ? ws : 0, putCallRatio: -ws, fearGreed: ws } };
    });
    const r = learningStep(w, trades, { ...P, everyTrades: 20 });
    expect(r.changed).toBe(true);
    expect(Math.abs(sum(r.after) - sum(w))).toBeLessThan(1e-9);
    expect(sum(r.after)).toBeLessThanOrEqual(1 + 1e-9);
    for (const k of Object.keys(w)) {
      expect(r.after[k]).toBeGreaterThanOrEqual(0.01 - 1e-12);
      expect(Math.abs(r.after[k]! - r.before[k]!)).toBeLessThanOrEqual(0.05 + 1e-9);
    }
    expect(r.after.bookImbalance).toBeLessThan(w.bookImbalance);
    expect(r.after.fearGreed).toBeGreaterThan(w.fearGreed);
  });

  it('zero votes do not count: a silent signal keeps its weight and has no accuracy', () => {
    const r = learningStep({ a: 0.4, b: 0.4, s: 0.2 }, mirrored(16, 12, { s: () => 0 }), P);
    expect(r.after.s).toBe(0.2);
    expect(r.accuracy).not.toHaveProperty('s');
    expect(r.counted.s).toBe(0);
  });

  it('a single voting signal cannot move (the total is kept)', () => {
    const r = learningStep({ a: 0.4, s: 0.2 }, mirrored(16, 16, { s: () => 0 }).map((t) => ({ ...t, votes: { a: t.votes.a!, s: 0 } })), P);
    expect(r.after).toEqual({ a: 0.4, s: 0.2 });
  });

  it('is deterministic', () => {
    const t = mirrored(16, 11, { c: (i) => (i % 3 ? 0.5 : -0.5) });
    expect(learningStep({ a: 0.3, b: 0.3, c: 0.3 }, t, P)).toEqual(learningStep({ a: 0.3, b: 0.3, c: 0.3 }, t, P));
  });
});

describe('learner state: pending, settled, due', () => {
  const buy = (s: ReturnType<typeof emptyLearnerState>, slug: string) => recordBuy(s, { windowSlug: slug, atMs: 1, votes: { a: 1 } });

  it('settles a trade only when filled and resolved, in either order; a skipped window is dropped', () => {
    let s = buy(emptyLearnerState(), 'w1');
    s = recordWinner(s, 'w1', 'up');
    expect(s.settled).toHaveLength(0);
    s = recordFinal(s, 'w1', 'traded');
    expect(s.settled).toEqual([{ windowSlug: 'w1', votes: { a: 1 }, winner: 'up' }]);
    s = recordFinal(buy(s, 'w2'), 'w2', 'traded');
    expect(s.settled).toHaveLength(1);
    s = recordWinner(s, 'w2', 'down');
    expect(s.settled).toHaveLength(2);
    s = recordFinal(buy(s, 'w3'), 'w3', 'skipped');
    s = recordWinner(s, 'w3', 'up');
    expect(s.pending).toHaveLength(0);
    expect(s.settled).toHaveLength(2);
    expect(recordWinner(s, 'unknown', 'up')).toBe(s);
  });

  it('a later buy in the same window replaces the earlier attempt', () => {
    let s = recordBuy(emptyLearnerState(), { windowSlug: 'w', atMs: 1, votes: { a: 1 } });
    s = recordBuy(s, { windowSlug: 'w', atMs: 2, votes: { a: -1 } });
    expect(s.pending).toHaveLength(1);
    expect(s.pending[0]!.votes).toEqual({ a: -1 });
  });

  it('is due at N settled trades, not at N−1, and a step takes exactly N', () => {
    let s = emptyLearnerState();
    for (let i = 0; i < 19; i++) s = recordWinner(recordFinal(buy(s, `w${i}`), `w${i}`, 'traded'), `w${i}`, 'up');
    expect(stepDue(s, 20)).toBe(false);
    s = recordWinner(recordFinal(buy(s, 'w19'), 'w19', 'traded'), 'w19', 'up');
    expect(stepDue(s, 20)).toBe(true);
    const { trades, rest } = takeStepTrades(s, 20);
    expect(trades).toHaveLength(20);
    expect(rest.settled).toHaveLength(0);
    expect(rest.steps).toBe(1);
    expect(rest.settledTotal).toBe(20);
  });
});
