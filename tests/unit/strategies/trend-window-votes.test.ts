/**
 * Trend-window weighted voting (issue 14): the `weights` refinement, the per-signal direction / strength /
 * confidence, the fused vote formula, and the `signal` intents the strategy returns for every decision in its band.
 */
import { describe, expect, it } from 'vitest';
import { signalRecordSchema, type SignalRecord } from '../../../lib/schemas/events/strategy';
import { DEFAULT_TREND_WEIGHTS, TREND_SIGNAL_IDS, trendWindowConfigSchema, type TrendWindowConfig } from '../../../bot/strategies/trend-window/config';
import { fuseVotes, splitScore, type SignalVote } from '../../../bot/strategies/trend-window/fusion';
import { SignalThrottle } from '../../../bot/strategies/trend-window/signal-record';
import { TrendWindowStrategy } from '../../../bot/strategies/trend-window/strategy';
import type { Intent } from '../../../bot/strategies/intents';
import { World, makeMarket, places } from './world';

const zero = { bookImbalance: 0, tickVelocity: 0, divergence: 0, spike: 0, putCallRatio: 0, fearGreed: 0 };

function setup(cfg: Partial<TrendWindowConfig> = {}) {
  const w = new World();
  const m = w.add(makeMarket({ windowSec: 900 }));
  const s = new TrendWindowStrategy(trendWindowConfigSchema.parse(cfg));
  return { w, m, s };
}

const signalsOf = (out: readonly Intent[]): SignalRecord[] => out.flatMap((i) => (i.kind === 'signal' ? [i.record] : []));

describe('trend-window weights', () => {
  it('defaults are the seed\'s 0.30 / 0.25 / 0.18 / 0.12 / 0.10 / 0.05 and are accepted (sum 1 up to float noise)', () => {
    expect(trendWindowConfigSchema.parse({}).weights).toEqual({ bookImbalance: 0.3, tickVelocity: 0.25, divergence: 0.18, spike: 0.12, putCallRatio: 0.1, fearGreed: 0.05 });
    expect(trendWindowConfigSchema.parse({ weights: { ...DEFAULT_TREND_WEIGHTS } }).weights).toEqual(DEFAULT_TREND_WEIGHTS);
  });
  it('a sum of exactly 1 is accepted, just under too; 1.0001 is refused with the sum in the message', () => {
    expect(trendWindowConfigSchema.parse({ weights: { ...zero, bookImbalance: 0.5, fearGreed: 0.5 } }).weights.fearGreed).toBe(0.5);
    expect(() => trendWindowConfigSchema.parse({ weights: { ...zero, bookImbalance: 0.5, fearGreed: 0.4999 } })).not.toThrow();
    expect(() => trendWindowConfigSchema.parse({ weights: { ...zero, bookImbalance: 0.5, fearGreed: 0.5001 } })).toThrow(/sum to at most 1; they sum to 1\.0001/);
    // A partial object fills the rest with defaults: 0.9 on top of the other defaults is over 1.
    expect(() => trendWindowConfigSchema.parse({ weights: { fearGreed: 0.9 } })).toThrow(/sum to at most 1/);
  });
  it('each weight is in [0, 1]; unknown signal ids are refused', () => {
    expect(() => trendWindowConfigSchema.parse({ weights: { ...zero, spike: -0.01 } })).toThrow();
    expect(() => trendWindowConfigSchema.parse({ weights: { ...zero, spike: 1.01 } })).toThrow();
    expect(() => trendWindowConfigSchema.parse({ weights: { ...zero, sentiment: 0.1 } })).toThrow(/unrecognized/i);
  });
});

describe('weighted voting', () => {
  const v = (id: string, direction: -1 | 0 | 1, strength: number, confidence: number, weight: number, available = true): SignalVote => ({ id, direction, strength, confidence, weight, available });
  it('fused = Σ w·d·s·c / Σ w over available signals with weight > 0', () => {
    const f = fuseVotes([v('a', 1, 0.5, 0.8, 0.3), v('b', -1, 1, 0.5, 0.1), v('off', 1, 1, 1, 0), v('gone', -1, 1, 1, 0.6, false)]);
    expect(f.totalWeight).toBeCloseTo(0.4, 12);
    expect(f.fused).toBeCloseTo((0.3 * 0.5 * 0.8 - 0.1 * 0.5) / 0.4, 12);
    expect(f.contributions.get('a')).toBeCloseTo((0.3 * 0.5 * 0.8) / 0.4, 12);
    expect(f.contributions.get('b')).toBeCloseTo(-0.05 / 0.4, 12);
    expect(f.contributions.has('off')).toBe(false);
    expect(f.contributions.has('gone')).toBe(false);
  });
  it('confidence scales a vote; no counted signal gives 0', () => {
    expect(fuseVotes([v('a', 1, 1, 0, 0.5)]).fused).toBe(0);
    expect(fuseVotes([v('a', 1, 1, 0.25, 0.5)]).fused).toBeCloseTo(0.25, 12);
    expect(fuseVotes([]).fused).toBe(0);
  });
  it('splitScore: sign and magnitude, clamped', () => {
    expect(splitScore(-0.3)).toEqual({ direction: -1, strength: 0.3 });
    expect(splitScore(0)).toEqual({ direction: 0, strength: 0 });
    expect(splitScore(2)).toEqual({ direction: 1, strength: 1 });
  });
});

describe('trend-window votes', () => {
  it('book imbalance confidence is depth / bookDepthForConfidence (capped); external values carry their own', () => {
    const { w, m, s } = setup({ bookDepthForConfidence: 800 });
    w.atSec(800);
    w.setBook(m, 'up', [[0.7, 300]], [[0.72, 100]]); // up imbalance +0.5
    w.setBook(m, 'down', [[0.28, 100]], [[0.3, 100]]); // down imbalance 0 → score +0.25, depth 600
    w.external.set('putCallRatio', { value: -0.4, tsMs: w.nowMs - 1_000, raw: 0.92, direction: -1, strength: 0.4, confidence: 0.5 });
    const votes = new Map(s.votes(m, w.ctx()).map((x) => [x.id, x]));
    expect([...votes.keys()]).toEqual([...TREND_SIGNAL_IDS]);
    expect(votes.get('bookImbalance')).toMatchObject({ direction: 1, available: true });
    expect(votes.get('bookImbalance')!.strength).toBeCloseTo(0.25, 12);
    expect(votes.get('bookImbalance')!.confidence).toBeCloseTo(600 / 800, 12);
    expect(votes.get('putCallRatio')).toMatchObject({ value: 0.92, direction: -1, strength: 0.4, confidence: 0.5, available: true });
    expect(votes.get('fearGreed')).toMatchObject({ available: false, state: 'absent' });
    expect(votes.get('divergence')).toMatchObject({ available: false, state: 'no-data' }); // no reference history
  });
  it('an external value is fresh up to externalMaxAgeSec and stale just past it', () => {
    const { w, m, s } = setup({ externalMaxAgeSec: 60 });
    w.atSec(800);
    w.external.set('fearGreed', { value: 0.5, tsMs: w.nowMs - 60_000 });
    expect(s.votes(m, w.ctx()).find((x) => x.id === 'fearGreed')).toMatchObject({ available: true, direction: 1, strength: 0.5, confidence: 1 });
    w.external.set('fearGreed', { value: 0.5, tsMs: w.nowMs - 60_001 });
    expect(s.votes(m, w.ctx()).find((x) => x.id === 'fearGreed')).toMatchObject({ available: false, state: 'stale' });
  });
});

describe('trend-window signal intents', () => {
  it('a buy returns one signal record: six readings keyed by weight, model.action buy, valid against the contract', () => {
    const { w, m, s } = setup();
    w.atSec(800);
    w.setBook(m, 'up', [[0.7, 500]], [[0.72, 100]]); // up imbalance 2/3
    w.setBook(m, 'down', [[0.28, 100]], [[0.3, 100]]); // down 0 → score 1/3
    w.external.set('putCallRatio', { value: 0.2, tsMs: w.nowMs, raw: 0.61, direction: 1, strength: 0.2, confidence: 1 });
    const out = w.book(s, m);
    expect(places(out)).toHaveLength(1);
    const [rec] = signalsOf(out);
    expect(signalRecordSchema.parse(rec)).toEqual(rec);
    expect(rec!.model).toMatchObject({ action: 'buy', outcome: 'up' });
    expect(rec!.readings.map((r) => r.id)).toEqual([...TREND_SIGNAL_IDS]);
    const byId = new Map(rec!.readings.map((r) => [r.id, r]));
    // Counted: bookImbalance (w 0.30, vote +1/3, confidence 1) and putCallRatio (w 0.10, vote +0.20): fused = (0.1 + 0.02) / 0.4.
    expect(rec!.model!.fused).toBeCloseTo(0.12 / 0.4, 12);
    expect(byId.get('bookImbalance')).toMatchObject({ active: true, weight: 0.3, direction: 1, effect: 'vote +0.250' });
    expect(byId.get('putCallRatio')).toMatchObject({ active: true, value: 0.61, weight: 0.1, effect: 'vote +0.050' });
    expect(byId.get('fearGreed')).toMatchObject({ active: false, effect: 'absent' });
    expect(rec!.summary).toMatch(/^buy up: /);
  });
  it('a veto returns a veto record; a skip in the dead zone a skip record; a weight of 0 reads "off"', () => {
    const v = setup({ enableVeto: true, vetoThreshold: 0.2, weights: { ...zero, bookImbalance: 0.5 } });
    v.w.atSec(800);
    v.w.setBook(v.m, 'up', [[0.7, 10]], [[0.72, 1000]]);
    v.w.setBook(v.m, 'down', [[0.28, 1000]], [[0.3, 10]]);
    const vetoed = v.w.book(v.s, v.m);
    expect(places(vetoed)).toHaveLength(0);
    const [rec] = signalsOf(vetoed);
    expect(rec!.model).toMatchObject({ action: 'veto', outcome: 'up' });
    expect(rec!.readings.find((r) => r.id === 'spike')).toMatchObject({ active: false, weight: 0, effect: 'off (weight 0)' });

    const k = setup();
    k.w.atSec(800);
    k.w.setUp(k.m, 0.49, 0.51);
    const [skip] = signalsOf(k.w.book(k.s, k.m));
    expect(skip!.model).toMatchObject({ action: 'skip' });
    expect(skip!.model!.outcome).toBeUndefined();
    expect(skip!.summary).toContain('up-price 0.500 in [0.4, 0.6]');
  });
  it('throttled: the same skip again within 1 s gives no record, at 1 s one more; a new reason at once; nothing outside the band', () => {
    const { w, m, s } = setup();
    w.atSec(779);
    w.setUp(m, 0.49, 0.51);
    expect(signalsOf(w.book(s, m))).toHaveLength(0); // before the band
    w.atSec(800);
    expect(signalsOf(w.book(s, m))).toHaveLength(1);
    w.at(w.nowMs + 999);
    w.setUp(m, 0.5, 0.52); // another figure, same reason code
    expect(signalsOf(w.book(s, m))).toHaveLength(0);
    w.at(w.nowMs + 1);
    expect(signalsOf(w.book(s, m))).toHaveLength(1);
    w.setUp(m, 0.7, 0.72); // now a buy: always emitted
    const out = w.book(s, m);
    expect(signalsOf(out).map((r) => r.model!.action)).toEqual(['buy']);
  });
  it('SignalThrottle: buys always, a changed code at once, the same code after 1 s', () => {
    const t = new SignalThrottle();
    expect(t.shouldEmit('skip', 'dead-zone', 0)).toBe(true);
    expect(t.shouldEmit('skip', 'dead-zone', 999)).toBe(false);
    expect(t.shouldEmit('skip', 'dead-zone', 1_000)).toBe(true);
    expect(t.shouldEmit('veto', 'veto', 1_001)).toBe(true);
    expect(t.shouldEmit('buy', 'buy', 1_002)).toBe(true);
    expect(t.shouldEmit('buy', 'buy', 1_003)).toBe(true);
  });
});
