import { describe, expect, it } from 'vitest';
import { normCdf } from '../../../bot/strategies/hammer/normal';
import { fairProb, observedTwap, observedTwapPart, pHatSpot, pHatTwap, twapVariance } from '../../../bot/strategies/hammer/fair-prob';
import { sigmaLogPerSqrtSec, trailingReturn } from '../../../bot/strategies/hammer/sigma';
import { takerFeePerShare, takerFeeUsd } from '../../../bot/core/fees';
import { evOfBuy, sizeFok } from '../../../bot/strategies/hammer/ev';
import { FEE, levels } from './world';
import { Prng } from '../../../bot/util/prng';

describe('normal CDF', () => {
  it('matches tabulated values', () => {
    expect(normCdf(0)).toBeCloseTo(0.5, 7);
    expect(normCdf(1)).toBeCloseTo(0.8413447461, 6);
    expect(normCdf(-1.96)).toBeCloseTo(0.0249978952, 6);
    expect(normCdf(3)).toBeCloseTo(0.9986501020, 6);
    expect(normCdf(1.2) + normCdf(-1.2)).toBeCloseTo(1, 7);
  });
});

describe('TWAP settlement variance (1 Hz samples: σ²·Q(u)/60² for u ≤ 60, σ²(u − 60 + Q(60)/60²) above; Q(u) = u(u+1)(2u+1)/6)', () => {
  const sigma = 3; // USD per √s
  const Q = (u: number) => (u * (u + 1) * (2 * u + 1)) / 6;
  it.each([
    [90, 9 * (30 + Q(60) / 3600)],
    [60, (9 * Q(60)) / 3600],
    [30, (9 * Q(30)) / 3600],
    [1, 9 / 3600],
    [0, 0],
  ])('u = %i s → %f', (u, v) => {
    expect(twapVariance(sigma, u)).toBeCloseTo(v, 9);
  });
  it('Q(u) is the variance of the sum of u future 1 s walk values (Monte Carlo)', () => {
    const rng = new Prng('q-of-u');
    for (const u of [1, 3, 15]) {
      let s2 = 0;
      const trials = 40_000;
      for (let t = 0; t < trials; t++) {
        let w = 0;
        let sum = 0;
        for (let k = 1; k <= u; k++) {
          w += rng.normal();
          sum += w;
        }
        s2 += sum * sum;
      }
      // Relative SE of a variance estimate from N normal draws is √(2/N) ≈ 0.7 %: 4 % is > 5 SE.
      expect(Math.abs(s2 / trials / Q(u) - 1)).toBeLessThan(0.04);
    }
    // The continuum σ²u³/3 understates it most in the last seconds (3× at u = 1).
    expect(Q(1) / (1 / 3)).toBeCloseTo(3, 12);
  });
  it('is continuous at u = 60', () => {
    expect(twapVariance(sigma, 60.000001)).toBeCloseTo(twapVariance(sigma, 60), 4);
  });
  it('p_hat at u = 90, 60, 30, 0 against closed-form values', () => {
    const S = 100_010;
    const K = 100_000;
    // u = 90: mean S, sd = 3·√(30 + Q(60)/3600)
    expect(pHatTwap(S, K, sigma, 90, 0).pHat).toBeCloseTo(normCdf(10 / (3 * Math.sqrt(30 + Q(60) / 3600))), 10);
    // u = 60: nothing observed yet, mean S, sd = 3·√(Q(60)/3600)
    expect(pHatTwap(S, K, sigma, 60, 0).z).toBeCloseTo(10 / (3 * Math.sqrt(Q(60) / 3600)), 10);
    // u = 30: observed 30 s averaging 99 990 → mean = (30·99 990 + 30·S)/60 = 100 000 → p = 0.5 (tie region)
    const obs = 30 * 99_990;
    const p30 = pHatTwap(S, K, sigma, 30, obs);
    expect(p30.mean).toBeCloseTo(100_000, 9);
    expect(p30.pHat).toBeCloseTo(0.5, 7);
    // u = 30 with observed average 100 004: mean 100 007, sd = 3·√(Q(30)/3600)
    expect(pHatTwap(S, K, sigma, 30, 30 * 100_004).z).toBeCloseTo(7 / (3 * Math.sqrt(Q(30) / 3600)), 9);
    // interpolated seconds add σ²·gapVarSec3/60²
    expect(pHatTwap(S, K, sigma, 30, 30 * 100_004, 2).sd).toBeCloseTo(3 * Math.sqrt((Q(30) + 2) / 3600), 9);
    // u = 0: deterministic, ties resolve Up
    expect(pHatTwap(S, K, sigma, 0, 60 * K).pHat).toBe(1);
    expect(pHatTwap(S, K, sigma, 0, 60 * (K - 0.01)).pHat).toBe(0);
  });
  it('spot model: Φ(d / (σ√T))', () => {
    expect(pHatSpot(100_010, 100_000, 3, 16).pHat).toBeCloseTo(normCdf(10 / 12), 10);
    expect(pHatSpot(99_990, 100_000, 3, 0).pHat).toBe(0);
  });
  it('observed part averages the samples inside (end − 60 s, asOf] and fills a missing second by interpolation', () => {
    const end = 1_000_000;
    const flat = [];
    for (let t = end - 70_000; t <= end - 20_000; t += 1000) if (t !== end - 30_000) flat.push({ tsMs: t, price: t > end - 60_000 ? 200 : 100 });
    expect(observedTwapPart(flat, end, end - 20_000, 999)).toBeCloseTo(200 * 40, 9);
    expect(observedTwapPart([], end, end - 20_000, 150)).toBeCloseTo(150 * 40, 9);
    // A ramp with a missing second: the filled value is the neighbours' mean, not the window mean.
    const ramp = [];
    for (let t = end - 70_000; t <= end - 20_000; t += 1000) if (t !== end - 30_000) ramp.push({ tsMs: t, price: t / 1000 });
    let exact = 0;
    for (let t = end - 59_000; t <= end - 20_000; t += 1000) exact += t / 1000;
    const o = observedTwap(ramp, end, end - 20_000, 999);
    expect(o.sum).toBeCloseTo(exact, 9);
    expect(o.gapVarSec3).toBeCloseTo((1 * 2 * 3) / 12, 12); // one missing second in a 2 s gap: bridge variance ½
    // A gap at the window's start is anchored by the sample just before the window.
    const lateStart = ramp.filter((s) => s.tsMs <= end - 60_000 || s.tsMs >= end - 57_000);
    expect(observedTwap(lateStart, end, end - 20_000, 999).sum).toBeCloseTo(exact, 9);
  });
  it('twap u is counted from the latest sample: a missing last second widens p_hat by one unknown second', () => {
    const end = 100_000;
    const hist = [];
    for (let t = 0; t <= end - 10_000; t += 1000) hist.push({ tsMs: t, price: 100_000 });
    const base = { model: 'twap' as const, spot: 100_000, priceToBeat: 99_999, sigmaLog: 3e-5, endMs: end };
    const current = fairProb({ ...base, nowMs: end - 10_000, history: hist });
    const late = fairProb({ ...base, nowMs: end - 9_000, history: hist }); // the sample at end − 9 s is missing
    expect(current.sd).toBeCloseTo(3 * Math.sqrt(Q(10) / 3600), 9);
    expect(late.sd).toBeCloseTo(current.sd, 12);
    expect(late.pHat).toBeCloseTo(current.pHat, 12);
  });
  it('fairProb converts σ_log to price units (× spot)', () => {
    const hist = [{ tsMs: 0, price: 100_000 }];
    const fp = fairProb({ model: 'spot', spot: 100_000, priceToBeat: 99_990, sigmaLog: 1e-4, endMs: 9_000, nowMs: 0, history: hist });
    expect(fp.sd).toBeCloseTo(10 * 3, 9);
    expect(fp.pHat).toBeCloseTo(normCdf(10 / 30), 10);
  });
});

describe('sigma from 1 s log returns', () => {
  it('is exact for alternating ±a returns', () => {
    const a = 2e-4;
    const full = [];
    let p = 100_000;
    for (let i = 0; i <= 60; i++) {
      full.push({ tsMs: i * 1000, price: p });
      p *= Math.exp(i % 2 === 0 ? a : -a);
    }
    expect(sigmaLogPerSqrtSec(full, 60_000)!.sigmaLog).toBeCloseTo(a, 12);
    expect(sigmaLogPerSqrtSec(full.slice(0, 10), 10_000)).toBeUndefined();
    expect(sigmaLogPerSqrtSec([], 10_000)).toBeUndefined();
    expect(sigmaLogPerSqrtSec(full.slice(0, 1), 10_000, 60, 0)).toBeUndefined();
  });
  it('is robust to gaps on a random walk (Σr²/Σdt)', () => {
    const rng = new Prng('sigma-gaps');
    const sigma = 1e-4;
    const full = [];
    let p = 100_000;
    for (let i = 0; i <= 3600; i++) {
      full.push({ tsMs: i * 1000, price: p });
      p *= Math.exp(sigma * rng.normal());
    }
    const gappy = full.filter(() => !rng.chance(0.3));
    const a = sigmaLogPerSqrtSec(full, 3_600_000, 3600)!;
    const b = sigmaLogPerSqrtSec(gappy, 3_600_000, 3600)!;
    expect(b.n).toBeLessThan(a.n * 0.8);
    expect(Math.abs(a.sigmaLog / sigma - 1)).toBeLessThan(0.05);
    expect(Math.abs(b.sigmaLog / sigma - 1)).toBeLessThan(0.05);
    // A naive per-return std would see the 2-3 s returns as bigger 1 s moves:
    const naive = Math.sqrt(gappy.slice(1).reduce((s2, x, i) => s2 + Math.log(x.price / gappy[i]!.price) ** 2, 0) / (gappy.length - 1));
    expect(naive / sigma).toBeGreaterThan(1.1);
  });
  it('60 s trailing return', () => {
    const hist = [];
    for (let i = 0; i <= 90; i++) hist.push({ tsMs: i * 1000, price: 100 + i * 0.01 });
    expect(trailingReturn(hist, 90_000, 60)).toBeCloseTo(100.9 / 100.3 - 1, 12);
    expect(trailingReturn(hist.slice(0, 30), 29_000, 60)).toBeUndefined();
  });
});

describe('fees and EV', () => {
  it('fee = 0.07·p·(1 − p) per share, 5-decimal rounding', () => {
    expect(takerFeePerShare(0.5, FEE)).toBe(0.0175);
    expect(takerFeePerShare(0.3, FEE)).toBe(0.0147);
    expect(takerFeePerShare(0.9, FEE)).toBe(0.0063);
    expect(takerFeePerShare(0.99, FEE)).toBe(0.00069);
    expect(takerFeeUsd(FEE, 100, 0.5)).toBe(1.75);
    expect(takerFeeUsd(FEE, 0.0001, 0.5)).toBe(0);
  });
  it('EV = p − ask − fee', () => {
    const e = evOfBuy(0.7, 0.6, FEE);
    expect(e.fee).toBe(0.0168);
    expect(e.ev).toBeCloseTo(0.7 - 0.6 - 0.0168, 12);
    expect(evOfBuy(0.61, 0.6, FEE).ev).toBeLessThan(0); // edge of 0.01 is eaten by the 0.0168 fee
  });
  it('FOK sizing: capped by QUOTE_SIZE_USD, MAX_USD_PER_TRADE and positive-EV depth', () => {
    const asks = levels([[0.6, 10], [0.62, 10], [0.7, 100]]);
    const s = sizeFok(asks, 0.7, FEE, 0.97, 20, 50)!;
    expect(s.limitPrice).toBe(0.62); // 0.70 has negative EV
    expect(s.depthUsd).toBeCloseTo(12.2, 9);
    expect(s.usd).toBe(12.2);
    expect(sizeFok(levels([[0.6, 1000]]), 0.7, FEE, 0.97, 20, 15)!.usd).toBe(15);
    expect(sizeFok(levels([[0.98, 1000]]), 1, FEE, 0.97, 20, 50)).toBeUndefined();
  });
  it("extraFee (seed 001's fee_bps / 10,000) is added to the fee and can make a level's EV negative", () => {
    const e = evOfBuy(0.7, 0.6, FEE, 0.05);
    expect(e.fee).toBeCloseTo(0.0168 + 0.05, 12);
    expect(e.ev).toBeCloseTo(0.7 - 0.6 - 0.0668, 12);
    // 0.62 has EV 0.7 − 0.62 − 0.0165 − 0.07 < 0 with a 700 bps extra fee: only the 0.60 level is bought
    const s = sizeFok(levels([[0.6, 10], [0.62, 10]]), 0.7, FEE, 0.97, 20, 50, 0.07)!;
    expect(s.limitPrice).toBe(0.6);
    expect(s.depthUsd).toBeCloseTo(6, 9);
  });
});
