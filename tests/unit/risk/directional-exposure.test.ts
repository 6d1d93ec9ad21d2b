/**
 * Directional exposure (bot/risk/directional-exposure.ts): signed USD per asset (Up minus Down) and the aggregate
 * sqrt(xᵀCx) at ρ = 0, 0.5, 1, with negative estimates clipped to 0 and missing pairs at the fallback (prior).
 * Expected values are computed here from the formula, with numbers of the test's own choosing.
 */
import { describe, expect, it } from 'vitest';
import type { CorrelationMatrix } from '../../../bot/risk/correlation';
import {
  aggregateDirectionalUsd, clipRho, describePairs, directionalChange, directionalUsdFromLegs, rhoLookup, signedUsdByAsset,
} from '../../../bot/risk/directional-exposure';

const constRho = (r: number) => () => r;
const twoAsset = (a: number, b: number, rho: number) => Math.sqrt(a * a + b * b + 2 * rho * a * b);

function matrix(assets: string[], rho: number[][], isPrior = false): CorrelationMatrix {
  return { assets, rho, samples: rho.map((r) => r.map(() => 123)), isPrior: rho.map((r, i) => r.map((_, j) => i !== j && isPrior)) };
}

describe('signed exposure per asset', () => {
  it('counts Up positive and Down negative, netting within an asset', () => {
    const x = signedUsdByAsset([
      { asset: 'btc', outcome: 'up', usd: 37 },
      { asset: 'btc', outcome: 'down', usd: 12 },
      { asset: 'eth', outcome: 'down', usd: 21 },
      { asset: 'sol', outcome: 'up', usd: Number.NaN },
    ]);
    expect(x).toEqual({ btc: 37 - 12, eth: -21 });
  });

  it('resolves held and working legs plus a proposal; unresolved legs are counted, not guessed', () => {
    const legOf = (w: string, t: string) => (w.startsWith('eth') ? { asset: 'eth', outcome: t === 'up' ? 'up' as const : 'down' as const } : undefined);
    const r = directionalUsdFromLegs(
      [{ windowSlug: 'eth-a', tokenId: 'up', usd: 14 }, { windowSlug: 'eth-b', tokenId: 'down', usd: 5 }, { windowSlug: 'xyz', tokenId: 'up', usd: 9 }],
      legOf,
      { windowSlug: 'eth-c', tokenId: 'up', usd: 3 },
    );
    expect(r).toEqual({ byAsset: { eth: 14 - 5 + 3 }, unresolved: 1 });
  });
});

describe('aggregate directional exposure', () => {
  const a = 33;
  const b = 56;

  it.each([0, 0.5, 1])('two Up bets at rho = %s: sqrt(a² + b² + 2ρab)', (rho) => {
    expect(aggregateDirectionalUsd({ btc: a, eth: b }, constRho(rho))).toBeCloseTo(twoAsset(a, b, rho), 9);
  });

  it('is the sum at rho = 1 (one bet), the Pythagorean sum at rho = 0, and in between at 0.5', () => {
    expect(aggregateDirectionalUsd({ btc: a, eth: b }, constRho(1))).toBeCloseTo(a + b, 9);
    expect(aggregateDirectionalUsd({ btc: a, eth: b }, constRho(0))).toBeCloseTo(Math.hypot(a, b), 9);
    const mid = aggregateDirectionalUsd({ btc: a, eth: b }, constRho(0.5));
    expect(mid).toBeGreaterThan(Math.hypot(a, b));
    expect(mid).toBeLessThan(a + b);
  });

  it('offsets opposite bets on positively correlated assets (a hedge), fully at rho = 1', () => {
    expect(aggregateDirectionalUsd({ btc: a, eth: -b }, constRho(0.5))).toBeCloseTo(twoAsset(a, -b, 0.5), 9);
    expect(aggregateDirectionalUsd({ btc: a, eth: -b }, constRho(1))).toBeCloseTo(Math.abs(a - b), 9);
  });

  it('clips a negative estimate to 0: two bets in the same direction never offset', () => {
    expect(clipRho(-0.7)).toBe(0);
    expect(clipRho(1.3)).toBe(1);
    expect(clipRho(Number.NaN)).toBe(1);
    expect(aggregateDirectionalUsd({ btc: a, eth: b }, constRho(-0.7))).toBeCloseTo(Math.hypot(a, b), 9);
  });

  it('three assets from a matrix, an asset outside it at the fallback rho, zero exposure ignored', () => {
    const m = matrix(['btc', 'eth', 'sol'], [[1, 0.6, 0.2], [0.6, 1, 0.4], [0.2, 0.4, 1]]);
    const x = { btc: 10, eth: -20, sol: 30, xrp: 0 };
    const expected = Math.sqrt(10 ** 2 + 20 ** 2 + 30 ** 2 + 2 * (10 * -20 * 0.6 + 10 * 30 * 0.2 + -20 * 30 * 0.4));
    expect(aggregateDirectionalUsd(x, rhoLookup(m, 0.8))).toBeCloseTo(expected, 9);
    const withXrp = { btc: 10, xrp: 25 };
    expect(aggregateDirectionalUsd(withXrp, rhoLookup(m, 0.8))).toBeCloseTo(twoAsset(10, 25, 0.8), 9);
    expect(aggregateDirectionalUsd({}, constRho(1))).toBe(0);
  });

  it("reports a proposal's before and after, and names the rho used and its provenance", () => {
    const m = matrix(['btc', 'eth'], [[1, 0.75], [0.75, 1]], true);
    const c = directionalChange({ btc: 40 }, { btc: 40, eth: 15 }, m, 0.8);
    expect(c.beforeUsd).toBeCloseTo(40, 9);
    expect(c.afterUsd).toBeCloseTo(twoAsset(40, 15, 0.75), 9);
    expect(c.pairs).toEqual([{ a: 'btc', b: 'eth', rho: 0.75, samples: 123, isPrior: true }]);
    expect(describePairs(c.pairs)).toBe('ρ btc/eth 0.75 (prior)');
    expect(describePairs(directionalChange({}, { btc: 5 }, m, 0.8).pairs)).toMatch(/not used/);
  });
});
