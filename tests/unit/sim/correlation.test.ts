/**
 * Correlated price walks: the correlation option is checked (symmetric, unit diagonal, in [-1, 1], positive
 * semi-definite) with a clear error, its Cholesky factor reproduces it, a long simulated run shows the configured
 * correlation between the assets' spot returns (within a Fisher-z tolerance derived from the sample size) and each
 * asset's configured volatility, and adding assets never changes BTC's path.
 */
import { describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { startSim } from '../../../bot/sim';
import { cholesky, correlationMatrix } from '../../../bot/sim/correlation';
import { simAssetsFor, type SimAsset } from '../../../bot/sim/sim-assets';

const T0 = 1791241200000;
const YEAR_SEC = 365 * 24 * 3600;

describe('correlation option', () => {
  it('accepts one number or a valid matrix and refuses the rest with the reason', () => {
    expect(correlationMatrix(3, 0.5)).toEqual([[1, 0.5, 0.5], [0.5, 1, 0.5], [0.5, 0.5, 1]]);
    expect(correlationMatrix(2, [[1, -0.3], [-0.3, 1]])).toEqual([[1, -0.3], [-0.3, 1]]);
    expect(correlationMatrix(2, 1)).toEqual([[1, 1], [1, 1]]); // semi-definite is fine
    expect(() => correlationMatrix(2, 1.2)).toThrow(/\[-1, 1\]/);
    expect(() => correlationMatrix(3, -0.6)).toThrow(/positive semi-definite.*-1\/\(n-1\)/);
    expect(() => correlationMatrix(2, [[1, 0.5], [0.4, 1]])).toThrow(/not symmetric/);
    expect(() => correlationMatrix(2, [[1, 0.5], [0.5, 0.9]])).toThrow(/unit diagonal/);
    expect(() => correlationMatrix(3, [[1, 0.5], [0.5, 1]])).toThrow(/3 x 3/);
    expect(() => correlationMatrix(2, [[1, Number.NaN], [Number.NaN, 1]])).toThrow(/finite/);
    // Pairwise fine, jointly impossible: a=b strongly, b=c strongly, a and c opposite.
    expect(() => correlationMatrix(3, [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]])).toThrow(/positive semi-definite/);
  });

  it('factors a matrix into L with L x L^T equal to it and a first row of [1, 0, ...]', () => {
    const m = [[1, 0.8, 0.5, 0.2], [0.8, 1, 0.3, 0.1], [0.5, 0.3, 1, -0.2], [0.2, 0.1, -0.2, 1]];
    const L = cholesky(m);
    expect(L[0]).toEqual([1, 0, 0, 0]);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        expect(L[i]![j], 'lower triangular').toBe(j > i ? 0 : L[i]![j]);
        expect(L[i]!.reduce((s, v, k) => s + v * L[j]![k]!, 0)).toBeCloseTo(m[i]![j]!, 12);
      }
    }
  });

  it('startSim refuses a bad correlation before it starts anything', async () => {
    await expect(startSim({ clock: new SimClock(T0), noServers: true, series: [], assets: simAssetsFor(['btc', 'eth', 'sol']), correlation: -0.7 })).rejects.toThrow(/positive semi-definite/);
  });
});

interface Run {
  returns: Map<string, number[]>;
  spots: Map<string, number[]>;
}

async function walk(assets: SimAsset[], correlation: number | number[][], hours: number, seed = 'corr'): Promise<Run> {
  const clock = new SimClock(T0);
  const sim = await startSim({ clock, seed, noServers: true, series: [], assets, correlation, price: { jumpsPerHour: 0 } });
  const spots = new Map<string, number[]>();
  for (const pm of sim.model.world.models) {
    const list: number[] = [];
    spots.set(pm.asset, list);
    pm.onSpot((p) => list.push(p.value));
  }
  clock.advanceBy(hours * 3_600_000);
  await sim.close();
  const returns = new Map([...spots].map(([a, s]) => [a, s.slice(1).map((v, i) => Math.log(v / s[i]!))]));
  return { returns, spots };
}

function corr(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** |atanh(r) - atanh(rho)| within 5 standard errors of Fisher's z (1 / sqrt(n - 3)): a wrong rho fails. */
function expectCorrelation(r: number, rho: number, n: number, what: string): void {
  const tol = 5 / Math.sqrt(n - 3);
  expect(Math.abs(Math.atanh(r) - Math.atanh(rho)), `${what}: sample ${r.toFixed(4)} vs ${rho} (n=${n}, z-tol ${tol.toFixed(4)})`).toBeLessThan(tol);
}

describe('correlated walks', () => {
  it.each([0.8, 0.0])('over 3 simulated hours the BTC/ETH spot returns correlate at %s', async (rho) => {
    const assets = simAssetsFor(['btc', 'eth']);
    const { returns } = await walk(assets, rho, 3);
    const btc = returns.get('btc')!;
    const eth = returns.get('eth')!;
    expect(btc.length).toBeGreaterThan(40_000); // 4 steps a second
    expectCorrelation(corr(btc, eth), rho, btc.length, 'btc/eth');
    // Each walk keeps its own volatility: sd of 250 ms log returns = vol x sqrt(0.25 s / year), to 5 standard errors.
    for (const a of assets) {
      const r = returns.get(a.asset)!;
      const sd = Math.sqrt(r.reduce((s, v) => s + v * v, 0) / r.length);
      const expected = a.annualVol * Math.sqrt(0.25 / YEAR_SEC);
      expect(Math.abs(sd / expected - 1), a.asset).toBeLessThan(5 / Math.sqrt(2 * r.length) + 0.002);
    }
  });

  it('a full matrix given in any asset order correlates every pair as configured', async () => {
    // Caller's order eth, btc, sol: the world puts btc first and reorders the matrix with it.
    const m = [[1, 0.8, 0.5], [0.8, 1, 0.3], [0.5, 0.3, 1]];
    const { returns } = await walk(simAssetsFor(['eth', 'btc', 'sol']), m, 2);
    const n = returns.get('btc')!.length;
    expectCorrelation(corr(returns.get('eth')!, returns.get('btc')!), 0.8, n, 'eth/btc');
    expectCorrelation(corr(returns.get('eth')!, returns.get('sol')!), 0.5, n, 'eth/sol');
    expectCorrelation(corr(returns.get('btc')!, returns.get('sol')!), 0.3, n, 'btc/sol');
  });

  it('adding assets (in any order, at any correlation) leaves BTC walking exactly as it does alone', async () => {
    const alone = await walk(simAssetsFor(['btc']), 0.8, 1, 'same-seed');
    const withOthers = await walk(simAssetsFor(['xrp', 'eth', 'btc']), [[1, 0.2, 0.6], [0.2, 1, 0.9], [0.6, 0.9, 1]], 1, 'same-seed');
    expect(withOthers.spots.get('btc')).toEqual(alone.spots.get('btc'));
    // ... and ETH's own path does not depend on which other assets walk beside it at zero correlation.
    const ethA = await walk(simAssetsFor(['btc', 'eth']), 0, 1, 'same-seed');
    const ethB = await walk(simAssetsFor(['btc', 'sol', 'eth']), 0, 1, 'same-seed');
    expect(ethB.spots.get('eth')).toEqual(ethA.spots.get('eth'));
  });
});
