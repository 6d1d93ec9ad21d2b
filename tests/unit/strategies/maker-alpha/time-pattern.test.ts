import { describe, expect, it } from 'vitest';
import { TimePatterns, timeKey } from '../../../../bot/strategies/two-sided-maker/time-pattern';

const T0 = 1_790_000_100_000; // 900 s boundary; UTC 14:15 (1790000100 s mod 86400 = 51300 s)
const C = { timeToxicThreshold: 0.5, timeMinSamples: 4 };

describe('time patterns', () => {
  it('buckets by fraction of the window and by UTC hour of the injected time', () => {
    expect(timeKey(T0, 900, T0, 10)).toEqual({ window: 0, hour: 14 });
    expect(timeKey(T0, 900, T0 + 89_999, 10).window).toBe(0);
    expect(timeKey(T0, 900, T0 + 90_000, 10).window).toBe(1);
    expect(timeKey(T0, 900, T0 + 900_000, 10).window).toBe(9); // clamped
    expect(timeKey(T0, 900, T0 + 2_699_999, 10).hour).toBe(14);
    expect(timeKey(T0, 900, T0 + 2_700_000, 10).hour).toBe(15);
  });
  it('a bucket is toxic at the threshold with enough markouts, and only that bucket', () => {
    const tp = new TimePatterns(10);
    const late = timeKey(T0, 900, T0 + 850_000, 10);
    const early = { window: 0, hour: 5 };
    for (const m of [-0.01, -0.01, 0.01]) tp.observeMarkout(late, m);
    expect(tp.read(late, C).toxic).toBe(false); // 3 < minSamples
    tp.observeMarkout(late, 0); // zero move is not adverse: 2/4 = 0.5
    expect(tp.read(late, C)).toMatchObject({ toxic: true, window: { toxicity: 0.5, markouts: 4 } });
    expect(tp.read(late, { ...C, timeToxicThreshold: 0.51 }).toxic).toBe(false);
    expect(tp.read(early, C).toxic).toBe(false);
  });
  it('learns spread and volume per bucket and stays bounded', () => {
    const tp = new TimePatterns(4);
    const k = { window: 2, hour: 7 };
    tp.observeSpread(k, 0.02);
    tp.observeSpread(k, 0.04);
    tp.observeVolume(k, 12);
    expect(tp.read(k, C).window).toMatchObject({ volume: 12 });
    expect(tp.read(k, C).window.meanSpread).toBeCloseTo(0.03, 12);
    for (let i = 0; i < 5000; i++) tp.observeMarkout(k, -1);
    expect(tp.read(k, C).hour.markouts).toBeLessThanOrEqual(500);
    expect(tp.read(k, C).hour.toxicity).toBe(1);
  });
});
