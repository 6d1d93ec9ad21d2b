import { describe, expect, it } from 'vitest';
import { MarkoutTracker, markoutAction } from '../../../../bot/strategies/two-sided-maker/markout';

const fill = (tsMs: number, side: 'BUY' | 'SELL', tokenId = 'T') => ({ tsMs, tokenId, side, price: 0.5, size: 10 });
const A = { adverseToxicThreshold: 0.4, adversePauseThreshold: 0.7, markoutMinSamples: 10 };

describe('MarkoutTracker', () => {
  it('signs the mid move by our side (negative = picked off) and completes each horizon at, not before, its time', () => {
    const t = new MarkoutTracker([5, 30]);
    t.onFill(fill(0, 'BUY'), 0.5);
    t.onFill(fill(0, 'SELL'), 0.5);
    expect(t.onMid('T', 4_999, 0.4)).toEqual([]);
    expect(t.onMid('OTHER', 5_000, 0.9)).toEqual([]);
    const done = t.onMid('T', 5_000, 0.45);
    expect(done.map((d) => [d.fill.side, d.horizonSec, d.markout])).toEqual([['BUY', 5, -0.05 + 0], ['SELL', 5, 0.05]].map(([s, h, m]) => [s, h, expect.closeTo(m as number, 12)]));
    expect(t.onMid('T', 6_000, 0.1)).toEqual([]); // horizon 5 already done, 30 not yet
    const s = t.summary();
    expect(s).toMatchObject({ horizonsSec: [5, 30], counts: [2, 0], samples: 2, n: 2, toxicity: 0.5 });
    expect(s.meanMarkout[0]).toBeCloseTo(0, 12);
    t.onMid('T', 30_000, 0.6);
    expect(t.summary()).toMatchObject({ counts: [2, 2], toxicity: 0.5 });
    expect(t.summary().meanMarkout[1]).toBeCloseTo(0, 12);
  });
  it('is bounded: old fills leave every statistic', () => {
    const t = new MarkoutTracker([1], 3);
    t.onFill(fill(0, 'BUY'), 0.5);
    t.onMid('T', 1_000, 0.4); // adverse
    for (let i = 1; i <= 3; i++) {
      t.onFill(fill(i * 10_000, 'BUY'), 0.5);
      t.onMid('T', i * 10_000 + 1_000, 0.6); // favourable
    }
    expect(t.summary()).toMatchObject({ n: 3, samples: 3, toxicity: 0, counts: [3] });
  });
});

describe('markout action (ADVERSE_TOXIC_THRESHOLD 0.4, pause 0.7)', () => {
  it('acts only with enough samples', () => {
    expect(markoutAction({ toxicity: 1, samples: 9 }, A)).toBe('none');
    expect(markoutAction({ toxicity: 1, samples: 10 }, A)).toBe('pause');
  });
  it('widens at and above 0.4, pauses at and above 0.7', () => {
    expect(markoutAction({ toxicity: 0.39, samples: 20 }, A)).toBe('none');
    expect(markoutAction({ toxicity: 0.4, samples: 20 }, A)).toBe('widen');
    expect(markoutAction({ toxicity: 0.41, samples: 20 }, A)).toBe('widen');
    expect(markoutAction({ toxicity: 0.69, samples: 20 }, A)).toBe('widen');
    expect(markoutAction({ toxicity: 0.7, samples: 20 }, A)).toBe('pause');
  });
});
