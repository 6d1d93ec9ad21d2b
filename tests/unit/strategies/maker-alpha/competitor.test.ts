import { describe, expect, it } from 'vitest';
import { CompetitorTracker, competitorResponse } from '../../../../bot/strategies/two-sided-maker/competitor';

const P = { competitorFastSec: 3, competitorPennyShare: 0.5, competitorMinObservations: 3, competitorJoinShares: 20 };
const QUIET = { medianRequoteSec: undefined, pennyShare: 0, observations: 0 };
const base = { modelBid: 0.46, bestBid: 0.46, bestAsk: 0.5, othersAtLevel: 0, fair: 0.5, minSpread: 0.02, tick: 0.01, stats: QUIET };

describe('CompetitorTracker', () => {
  it('measures the median time between touch changes', () => {
    const t = new CompetitorTracker();
    const seq: [number, number][] = [[0, 0.45], [1000, 0.45], [2000, 0.46], [5000, 0.45], [6000, 0.47]];
    for (const [ms, bid] of seq) t.onTouch(ms, bid, 2);
    expect(t.stats().medianRequoteSec).toBe(2); // intervals 2, 3, 1
  });
  it('counts a better bid within competitorReactSec of our requote as pennied, at the boundary too', () => {
    const t = new CompetitorTracker();
    t.onOurQuote(0, 0.46);
    t.onTouch(2000, 0.47, 2); // exactly 2 s later
    t.onOurQuote(10_000, 0.46);
    t.onTouch(12_001, 0.47, 2); // too late: not pennied
    t.onOurQuote(20_000, 0.46);
    t.onTouch(20_500, 0.46, 2); // same price: still pending
    t.onTouch(23_000, 0.46, 2); // expired
    expect(t.stats()).toMatchObject({ observations: 3 });
    expect(t.stats().pennyShare).toBeCloseTo(1 / 3, 12);
  });
});

describe('competitor response', () => {
  it('alone at the touch: keep the model bid; others at our level ≥ competitorJoinShares: join', () => {
    expect(competitorResponse(base, P)).toEqual({ state: 'alone', price: 0.46 });
    expect(competitorResponse({ ...base, othersAtLevel: 19.9 }, P).state).toBe('alone');
    expect(competitorResponse({ ...base, othersAtLevel: 20 }, P)).toEqual({ state: 'join', price: 0.46 });
  });
  it('improves by one tick only up to the fair-value floor and never crossing', () => {
    // floor = fair − minSpread/2 = 0.49
    expect(competitorResponse({ ...base, modelBid: 0.45, bestBid: 0.47 }, P)).toEqual({ state: 'improve', price: 0.48 });
    expect(competitorResponse({ ...base, modelBid: 0.45, bestBid: 0.48 }, P)).toEqual({ state: 'improve', price: 0.49 });
    expect(competitorResponse({ ...base, modelBid: 0.45, bestBid: 0.49 }, P)).toEqual({ state: 'join', price: 0.49 });
    expect(competitorResponse({ ...base, modelBid: 0.45, bestBid: 0.49, bestAsk: 0.495 }, P)).toEqual({ state: 'join', price: 0.49 });
    expect(competitorResponse({ ...base, modelBid: 0.45, bestBid: 0.48, bestAsk: 0.49 }, P)).toEqual({ state: 'join', price: 0.48 });
    expect(competitorResponse({ ...base, modelBid: 0.45, bestBid: 0.5, bestAsk: 0.51 }, P)).toEqual({ state: 'hold', price: 0.45 });
  });
  it('steps back one tick from a fast competitor that pennies us, at and around the thresholds', () => {
    const fast = { medianRequoteSec: 3, pennyShare: 0.5, observations: 3 };
    expect(competitorResponse({ ...base, stats: fast }, P)).toEqual({ state: 'step-back', price: 0.45 });
    expect(competitorResponse({ ...base, stats: { ...fast, medianRequoteSec: 3.01 } }, P).state).toBe('alone');
    expect(competitorResponse({ ...base, stats: { ...fast, pennyShare: 0.49 } }, P).state).toBe('alone');
    expect(competitorResponse({ ...base, stats: { ...fast, observations: 2 } }, P).state).toBe('alone');
    expect(competitorResponse({ ...base, modelBid: 0.01, stats: fast }, P)).toEqual({ state: 'hold', price: 0.01 });
  });
});
