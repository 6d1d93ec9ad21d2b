import { describe, expect, it } from 'vitest';
import { RegimeWindow, classifyRegime, regimeMultipliers } from '../../../../bot/strategies/two-sided-maker/regime';
import { twoSidedMakerConfigSchema } from '../../../../bot/strategies/two-sided-maker/config';

const C = twoSidedMakerConfigSchema.parse({}); // tight ≤ 0.015, thin ≥ 0.04 or depth < 100, one-sided ≥ 0.6, min 10
const st = (meanSpread: number, meanDepth = 500, meanAbsImbalance = 0, n = 50) => ({ n, meanSpread, meanDepth, meanAbsImbalance });

describe('liquidity regime', () => {
  it('REGIME_WINDOW_SIZE bounds the ring; stats are means over the kept snapshots', () => {
    const w = new RegimeWindow();
    for (let i = 0; i < 60; i++) w.push({ spread: i < 10 ? 1 : 0.02, depth: 200, imbalance: i % 2 ? 0.2 : -0.2 }, 50);
    const s = w.stats();
    expect(s.n).toBe(50);
    expect(s.meanSpread).toBeCloseTo(0.02, 9); // the first 10 (spread 1) fell out
    expect(s.meanAbsImbalance).toBeCloseTo(0.2, 9);
  });
  it('is normal before regimeMinSnapshots, whatever the stats', () => {
    expect(classifyRegime(st(0.2, 0, 0.9, 9), C)).toBe('normal');
    expect(classifyRegime(st(0.2, 0, 0.9, 10), C)).toBe('one-sided');
  });
  it('classifies at and around each threshold', () => {
    expect(classifyRegime(st(0.014), C)).toBe('tight');
    expect(classifyRegime(st(0.015), C)).toBe('tight');
    expect(classifyRegime(st(0.016), C)).toBe('normal');
    expect(classifyRegime(st(0.039), C)).toBe('normal');
    expect(classifyRegime(st(0.04), C)).toBe('thin');
    expect(classifyRegime(st(0.02, 99.9), C)).toBe('thin');
    expect(classifyRegime(st(0.02, 100), C)).toBe('normal');
    expect(classifyRegime(st(0.02, 500, 0.59), C)).toBe('normal');
    expect(classifyRegime(st(0.02, 500, 0.6), C)).toBe('one-sided');
  });
  it('maps each regime to its configured multipliers', () => {
    expect(regimeMultipliers('normal', C)).toEqual({ spreadMult: 1, sizeMult: 1 });
    expect(regimeMultipliers('tight', C)).toEqual({ spreadMult: 0.8, sizeMult: 1 });
    expect(regimeMultipliers('thin', C)).toEqual({ spreadMult: 1.5, sizeMult: 0.5 });
    expect(regimeMultipliers('one-sided', { ...C, regimeOneSidedSizeMult: 0.25 })).toEqual({ spreadMult: 2, sizeMult: 0.25 });
  });
});
