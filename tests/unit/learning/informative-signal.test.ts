/**
 * THE ACCEPTANCE TEST of the learning engine (issue 14): a synthetic session of trend-window trades in which one
 * signal is informative (its vote matches the winner 75 % of the time) and the others are noise (50 %). The trades
 * flow as the runtime sees them (buy signal → final 'traded' record → market.resolved) through the learning
 * component, and every step is a config change through the config service. After enough steps the informative
 * signal's weight has risen and every other weight has fallen; the total never changed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Prng } from '../../../bot/util/prng';
import { SIGNALS, WEIGHTS0, learningParams, openLearningHarness, type LearningHarness, type SignalKey } from './harness';


const STEPS = 40;
const EVERY = 20;

function session(h: LearningHarness, informative: SignalKey, seed: number): void {
  const rng = new Prng(seed);
  for (let i = 0; i < STEPS * EVERY; i++) {
    const winner = rng.next() < 0.5 ? 'up' : 'down';
    const ws = winner === 'up' ? 1 : -1;
    const votes: Partial<Record<SignalKey, number>> = {};
    for (const k of SIGNALS) {
      const strength = 0.2 + 0.8 * rng.next();
      votes[k] = (rng.next() < (k === informative ? 0.75 : 0.5) ? ws : -ws) * strength;
    }
    h.trade(`btc-updown-15m-${seed}-${i}`, votes, winner);
  }
}

describe('learning: one informative signal among noise', () => {
  let h: LearningHarness | undefined;
  afterEach(() => {
    h?.close();
    h = undefined;
  });

  it.each([
    ['spike', 7],
    ['fearGreed', 11],
    ['bookImbalance', 13],
  ] as const)('%s, right 3 times in 4, gains weight and every noise signal loses weight (seed %i)', (informative, seed) => {
    h = openLearningHarness({ params: learningParams({ learningEveryTrades: EVERY }) });
    const v0 = h.svc.version;
    session(h, informative, seed);
    const w = h.weights();
    expect(w[informative]).toBeGreaterThan(WEIGHTS0[informative] + 0.2);
    for (const k of SIGNALS) if (k !== informative) expect(w[k], k).toBeLessThan(WEIGHTS0[k]);
    const total = SIGNALS.reduce((a, k) => a + w[k]!, 0);
    expect(total).toBeCloseTo(1, 9);
    const updates = h.updates();
    expect(updates).toHaveLength(STEPS);
    expect(updates.every((u) => u.update.trades === EVERY)).toBe(true);
    // The informative signal's measured hit rate over the session is near its true 75 %.
    const mean = updates.reduce((a, u) => a + (u.update.accuracy[informative] ?? 0), 0) / updates.length;
    expect(mean).toBeGreaterThan(0.68);
    expect(mean).toBeLessThan(0.82);
    // Each step that changed the weights is one config version by "learning".
    const versions = updates.filter((u) => u.update.configVersion !== undefined);
    expect(versions.length).toBeGreaterThan(STEPS / 2);
    expect(h.svc.version).toBe(v0 + versions.length);
    expect(h.svc.history(1)[0]!.actor).toBe('learning');
  });
});
