import { describe, expect, it } from 'vitest';
import { kellyFraction, kellyShares } from '../../../../bot/strategies/two-sided-maker/kelly';

const K = { kellyFraction: 0.25, kellyBankrollUsd: 1000, cap: 10, minOrderSize: 5 };

describe('Kelly sizing (KELLY_FRACTION 0.25)', () => {
  it('f* = (q − p)/(1 − p), zero without edge', () => {
    expect(kellyFraction(0.6, 0.5)).toBeCloseTo(0.2, 12);
    expect(kellyFraction(0.5, 0.5)).toBe(0);
    expect(kellyFraction(0.4, 0.5)).toBe(0);
    expect(kellyFraction(0.6, 1)).toBe(0);
  });
  it('stakes fraction × f* × bankroll, in shares at p, capped by the quote size', () => {
    // f* = 0.02/0.52; stake = 0.25 × 1000 × f* = 9.615 USD → 20.03 shares → capped at 10
    const k = kellyShares(0.5, 0.48, K);
    expect(k.kellyShares).toBeCloseTo((0.25 * 1000 * (0.02 / 0.52)) / 0.48, 9);
    expect(k.shares).toBe(10);
    expect(kellyShares(0.5, 0.48, { ...K, kellyBankrollUsd: 300 }).shares).toBe(6); // 6.0096 rounded down to 2 decimals
  });
  it('below the market minimum or without edge: 0 (no quote)', () => {
    // bankroll 250: 0.25 × 250 × f* / 0.48 = 5.008 → 5 (at the minimum); 249 → 4.98 → 0
    expect(kellyShares(0.5, 0.48, { ...K, kellyBankrollUsd: 250 }).shares).toBe(5);
    expect(kellyShares(0.5, 0.48, { ...K, kellyBankrollUsd: 249 }).shares).toBe(0);
    expect(kellyShares(0.48, 0.48, K).shares).toBe(0);
    expect(kellyShares(0.6, 0.48, { ...K, cap: -3 }).shares).toBe(0); // no room under the position limit
  });
});
