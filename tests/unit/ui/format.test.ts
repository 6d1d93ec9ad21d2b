/** Dashboard formatting and derivation helpers (lib/format.ts): prices, PnL, countdown, distance to the price to beat. */
import { describe, expect, it } from 'vitest';
import { distanceToBeat, formatAge, formatBps, formatBtcUsd, formatClock, formatCountdown, formatProb, formatShares, formatSignedUsd, pnlSign, probDigits, shortSlug } from '../../../lib/format';

describe('distanceToBeat', () => {
  it('is reference minus price to beat, in USD and bps of the price to beat', () => {
    const d = distanceToBeat(100_050, 100_000)!;
    expect(d.usd).toBeCloseTo(50, 9);
    expect(d.bps).toBeCloseTo(5, 9);
    const below = distanceToBeat(62_000, 62_400)!;
    expect(below.usd).toBeCloseTo(-400, 9);
    expect(below.bps).toBeCloseTo((-400 / 62_400) * 10_000, 9);
    expect(distanceToBeat(62_400, 62_400)).toEqual({ usd: 0, bps: 0 });
  });
  it('is null when either side is unknown or the price to beat is not positive', () => {
    expect(distanceToBeat(null, 100)).toBeNull();
    expect(distanceToBeat(100, undefined)).toBeNull();
    expect(distanceToBeat(100, 0)).toBeNull();
    expect(distanceToBeat(Number.NaN, 100)).toBeNull();
  });
  it('formats bps with a sign and one decimal', () => {
    expect(formatBps(5)).toBe('+5.0 bps');
    expect(formatBps(-64.1026)).toBe('−64.1 bps');
    expect(formatBps(0.04)).toBe('0.0 bps');
    expect(formatBps(-0.04)).toBe('0.0 bps');
    expect(formatBps(null)).toBe('—');
  });
});

describe('formatCountdown', () => {
  it('shows m:ss, rounding partial seconds up so 0:00 means the end', () => {
    expect(formatCountdown(300_000)).toBe('5:00');
    expect(formatCountdown(299_001)).toBe('5:00');
    expect(formatCountdown(299_000)).toBe('4:59');
    expect(formatCountdown(61_000)).toBe('1:01');
    expect(formatCountdown(9_500)).toBe('0:10');
    expect(formatCountdown(1)).toBe('0:01');
    expect(formatCountdown(0)).toBe('0:00');
  });
  it('clamps past ends to 0:00, shows hours past 60 minutes and a dash when unknown', () => {
    expect(formatCountdown(-5_000)).toBe('0:00');
    expect(formatCountdown(3_600_000 + 61_000)).toBe('1:01:01');
    expect(formatCountdown(undefined)).toBe('—');
    expect(formatCountdown(Number.POSITIVE_INFINITY)).toBe('—');
  });
  it('decreases monotonically as time passes', () => {
    const end = 900_000;
    let prev = Infinity;
    for (let now = 0; now <= end; now += 250) {
      const [m, s] = formatCountdown(end - now).split(':').map(Number);
      const secs = m! * 60 + s!;
      expect(secs).toBeLessThanOrEqual(prev);
      prev = secs;
    }
    expect(prev).toBe(0);
  });
});

describe('prices and money', () => {
  it('probabilities get 2 dp, or 3 dp on 0.001 ticks', () => {
    expect(formatProb(0.6)).toBe('0.60');
    expect(formatProb(0.29)).toBe('0.29');
    expect(formatProb(0.995)).toBe('0.995');
    expect(formatProb(0.001)).toBe('0.001');
    expect(formatProb(1)).toBe('1.00');
    expect(formatProb(null)).toBe('—');
    expect(formatProb(0.99, 3)).toBe('0.990');
  });
  it('a book column uses 3 dp on a 0.001 tick or when any price needs it, so decimals stay aligned', () => {
    expect(probDigits(0.01, [0.55, 0.57])).toBe(2);
    expect(probDigits(0.001, [0.55])).toBe(3);
    expect(probDigits(0.01, [0.979, 0.99])).toBe(3);
    expect(probDigits(null, [null, undefined])).toBe(2);
  });
  it('BTC in USD has separators and 2 dp', () => {
    expect(formatBtcUsd(62409.91)).toBe('62,409.91');
    expect(formatBtcUsd(62400.16516667)).toBe('62,400.17');
    expect(formatBtcUsd(100000)).toBe('100,000.00');
    expect(formatBtcUsd(undefined)).toBe('—');
  });
  it('PnL carries its sign; the sign helper says which colour', () => {
    expect(formatSignedUsd(1.2)).toBe('+$1.20');
    expect(formatSignedUsd(-0.345)).toBe('−$0.34');
    expect(formatSignedUsd(-0.004)).toBe('$0.00');
    expect(formatSignedUsd(0)).toBe('$0.00');
    expect(pnlSign(0.12)).toBe(1);
    expect(pnlSign(-3)).toBe(-1);
    expect(pnlSign(0.001)).toBe(0);
    expect(pnlSign(null)).toBe(0);
  });
  it('shares, ages, clock times and slugs', () => {
    expect(formatShares(12)).toBe('12');
    expect(formatShares(11.5)).toBe('11.5');
    expect(formatShares(11.05)).toBe('11.05');
    expect(formatAge(454)).toBe('454 ms');
    expect(formatAge(4_240)).toBe('4.2 s');
    expect(formatAge(185_000)).toBe('3 m 05 s');
    expect(formatAge(null)).toBe('—');
    expect(formatClock(Date.UTC(2026, 10, 21, 6, 15, 7, 900))).toBe('06:15:07');
    expect(shortSlug('btc-updown-5m-1795241700')).toBe('5m 06:15');
    expect(shortSlug('btc-updown-15m-1795242600')).toBe('15m 06:30');
    expect(shortSlug('something-else')).toBe('something-else');
  });
});
