/**
 * Correlation estimator (bot/risk/correlation.ts): recovers the correlation of a seeded correlated walk within a
 * tolerance set by the sample size, falls back to the prior with too few paired returns or none in the window,
 * treats a silent feed as a gap (no run of zero returns), and drops out-of-order prices.
 */
import { describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { CorrelationEstimator, correlationSettingsOf, type CorrelationSettings } from '../../../bot/risk/correlation';
import { Prng } from '../../../bot/util/prng';
import { riskConfigSchema } from '../../../lib/schemas/config';

const T0 = 1_800_000_000_000; // a multiple of 10 s

function setup(over: Partial<CorrelationSettings> = {}) {
  const clock = new SimClock(T0);
  const settings: CorrelationSettings = { windowSec: 7_200, sampleSec: 10, prior: 0.8, minSamples: 30, ...over };
  const est = new CorrelationEstimator({ clock, settings: () => settings });
  return { clock, est, settings };
}

/**
 * Two assets ticking every second (ETH `ethLagMs` after BTC) whose one-second log returns have correlation rho:
 * e_btc = z1, e_eth = rho·z1 + sqrt(1 − rho²)·z2. Sums of such increments over a sample period keep correlation rho.
 */
function feedWalk(est: CorrelationEstimator, clock: SimClock, seed: number, rho: number, seconds: number, ethLagMs = 0) {
  const prng = new Prng(seed);
  let btc = 60_000;
  let eth = 3_000;
  const sigma = 0.0005;
  for (let s = 0; s < seconds; s++) {
    const z1 = prng.normal();
    const z2 = prng.normal();
    btc *= Math.exp(sigma * z1);
    eth *= Math.exp(sigma * (rho * z1 + Math.sqrt(1 - rho * rho) * z2));
    const t = T0 + s * 1_000;
    clock.advanceTo(t);
    est.observe('btc', t, btc);
    clock.advanceTo(t + ethLagMs);
    est.observe('eth', t + ethLagMs, eth);
  }
}

describe('CorrelationEstimator', () => {
  it.each([
    { seed: 7, rho: 0.3 },
    { seed: 11, rho: -0.5 },
    { seed: 13, rho: 0.9 },
  ])('recovers rho = $rho of a seeded correlated walk within 4 standard errors (seed $seed)', ({ seed, rho }) => {
    const { clock, est } = setup();
    feedWalk(est, clock, seed, rho, 7_200);
    const p = est.pair('btc', 'eth');
    expect(p.isPrior).toBe(false);
    // 7200 s at 10 s per sample, both assets sampled on the same grid: about 719 paired returns in the window.
    expect(p.samples).toBeGreaterThan(700);
    expect(p.samples).toBeLessThanOrEqual(720);
    const se = (1 - rho * rho) / Math.sqrt(p.samples - 1);
    expect(Math.abs(p.rho - rho)).toBeLessThan(4 * se);
    // Symmetric, and the matrix agrees with pair().
    expect(est.pair('eth', 'btc')).toEqual(p);
    const m = est.matrix(['btc', 'eth']);
    expect(m.rho[0]![1]).toBe(p.rho);
    expect(m.rho[1]![0]).toBe(p.rho);
    expect(m.rho[0]![0]).toBe(1);
    expect(m.isPrior[0]![1]).toBe(false);
    expect(m.samples[0]![1]).toBe(p.samples);
  });

  it('with asynchronous ticks shares the bias of last-price sampling (Epps effect): lag/sample of the returns do not overlap', () => {
    const { clock, est } = setup();
    const rho = 0.9;
    // ETH ticks 300 ms after BTC, so at each 10 s grid point ETH's last price is one one-second increment behind:
    // consecutive 10 s returns share 9 of their 10 increments, and their correlation is rho · 9/10.
    feedWalk(est, clock, 13, rho, 7_200, 300);
    const p = est.pair('btc', 'eth');
    const expected = rho * (9 / 10);
    const se = (1 - expected * expected) / Math.sqrt(p.samples - 1);
    expect(Math.abs(p.rho - expected)).toBeLessThan(4 * se);
    expect(p.rho).toBeLessThan(rho);
  });

  it('gives the prior (flagged) below minSamples paired returns and for an asset never seen', () => {
    const { clock, est } = setup({ minSamples: 30, prior: 0.8 });
    feedWalk(est, clock, 3, 0.1, 200); // 200 s: about 19 returns of 10 s
    const p = est.pair('btc', 'eth');
    expect(p).toMatchObject({ rho: 0.8, isPrior: true });
    expect(p.samples).toBeGreaterThan(10);
    expect(p.samples).toBeLessThan(30);
    expect(est.pair('btc', 'sol')).toEqual({ rho: 0.8, samples: 0, isPrior: true });
    // Same walk, enough samples once minSamples is lowered below the count: the estimate replaces the prior.
    const low = setup({ minSamples: 10 });
    feedWalk(low.est, low.clock, 3, 0.1, 200);
    expect(low.est.pair('btc', 'eth').isPrior).toBe(false);
    expect(low.est.pair('btc', 'eth').rho).not.toBe(0.8);
  });

  it('falls back to the prior once the returns have left the rolling window (injected clock)', () => {
    const { clock, est } = setup({ windowSec: 600, minSamples: 30 });
    feedWalk(est, clock, 5, 0.5, 900);
    expect(est.pair('btc', 'eth').isPrior).toBe(false);
    expect(est.pair('btc', 'eth').samples).toBeLessThanOrEqual(60); // 600 s / 10 s
    clock.advanceBy(400_000); // no prices for 400 s: only about 20 returns remain inside the last 600 s
    expect(est.pair('btc', 'eth')).toMatchObject({ rho: 0.8, isPrior: true });
    clock.advanceBy(600_000);
    expect(est.pair('btc', 'eth').samples).toBe(0);
  });

  it('treats a silent feed as a gap: at most 3 carried samples, no return across the gap', () => {
    const { clock, est } = setup({ windowSec: 3_600 });
    const at = (sec: number, price: number) => {
      clock.advanceTo(T0 + sec * 1_000);
      est.observe('btc', T0 + sec * 1_000, price);
    };
    for (let s = 0; s <= 99; s++) at(s, 100 + s);
    for (let s = 220; s <= 319; s++) at(s, 100 + s);
    // Grid every 10 s from T0. Before the gap, the points at 0..90 s are sampled by the ticks up to 99 s (9 returns).
    // The tick at 220 s samples the points at 100, 110, 120 s with the 99 s price (carried at most 3 periods: 3
    // more returns, all zero), 130..210 s are a gap. After it, 220..310 s are sampled again, but the first of them has
    // no predecessor: 9 returns. 9 + 3 + 9 = 21.
    expect(est.matrix(['btc']).samples[0]![0]).toBe(21);
    expect(est.stats.gaps).toBe(1);
  });

  it('drops out-of-order and invalid prices, and changing the sample grid starts over', () => {
    const { clock, est, settings } = setup();
    feedWalk(est, clock, 9, 0.5, 300);
    const before = est.pair('btc', 'eth').samples;
    est.observe('btc', T0, 1); // older than the last BTC price
    est.observe('btc', clock.nowMs(), Number.NaN);
    est.observe('btc', clock.nowMs(), -5);
    expect(est.stats.outOfOrder).toBe(1);
    expect(est.stats.invalid).toBe(2);
    expect(est.pair('btc', 'eth').samples).toBe(before);
    settings.sampleSec = 5;
    est.observe('btc', clock.nowMs() + 1_000, 60_000);
    expect(est.assets()).toEqual(['btc']);
    expect(est.pair('btc', 'eth').samples).toBe(0);
  });

  it('reads its settings from the hot risk config, whose defaults never assume independence', () => {
    const risk = riskConfigSchema.parse({});
    expect(correlationSettingsOf(risk)).toEqual({ windowSec: 3_600, sampleSec: 10, prior: 0.8, minSamples: 30 });
    expect(correlationSettingsOf(risk).prior).toBeGreaterThan(0);
  });
});
