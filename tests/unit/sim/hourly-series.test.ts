/**
 * Series maths of the multi-series simulator: the hourly ET slug and title scheme (with both DST transitions),
 * slug parsing for both schemes, simSeriesFor's mapping of a runtime's series and simAssetsFor's walks.
 * Expected slugs are worked out by hand from the US Eastern offset of each instant (EDT = UTC-4, EST = UTC-5;
 * 2026 DST ends Sun Nov 1 at 06:00Z and starts Sun Mar 8 at 07:00Z).
 */
import { describe, expect, it } from 'vitest';
import { hourlySlug, hourlyTitle, parseHourlySlug } from '../../../bot/sim/et-hourly';
import { DEFAULT_PRICE_OPTIONS } from '../../../bot/sim/price-model';
import { DEFAULT_SERIES, parseSlug, simSeriesFor, windowSlug, windowTitle } from '../../../bot/sim/series';
import { simAssetsFor } from '../../../bot/sim/sim-assets';

const H = 3_600_000;
const utc = (y: number, mo: number, d: number, h: number) => Date.UTC(y, mo - 1, d, h);

describe('hourly ET slugs and titles', () => {
  it('names a window by the ET wall-clock hour of its start, winter and summer', () => {
    expect(hourlySlug('Bitcoin', utc(2026, 12, 1, 20))).toBe('bitcoin-up-or-down-december-1-3pm-et');
    expect(hourlyTitle('Bitcoin', utc(2026, 12, 1, 20))).toBe('Bitcoin Up or Down - December 1, 3PM ET');
    expect(hourlySlug('Ethereum', utc(2026, 7, 4, 16))).toBe('ethereum-up-or-down-july-4-12pm-et');
    expect(hourlySlug('Bitcoin', utc(2026, 3, 2, 5))).toBe('bitcoin-up-or-down-march-2-12am-et');
    expect(hourlySlug('XRP', utc(2026, 1, 10, 14))).toBe('xrp-up-or-down-january-10-9am-et');
    // 23:00Z on Dec 31 is still Dec 31 in New York (6 PM).
    expect(hourlySlug('Bitcoin', utc(2026, 12, 31, 23))).toBe('bitcoin-up-or-down-december-31-6pm-et');
  });

  it('gives the repeated fall-back hour two slugs and skips the missing spring-forward hour', () => {
    const slugs = [4, 5, 6, 7].map((h) => hourlySlug('Bitcoin', utc(2026, 11, 1, h)));
    expect(slugs).toEqual(['bitcoin-up-or-down-november-1-12am-et', 'bitcoin-up-or-down-november-1-1am-et', 'bitcoin-up-or-down-november-1-1am-et-2', 'bitcoin-up-or-down-november-1-2am-et']);
    const spring = [6, 7].map((h) => hourlySlug('Bitcoin', utc(2026, 3, 8, h)));
    expect(spring).toEqual(['bitcoin-up-or-down-march-8-1am-et', 'bitcoin-up-or-down-march-8-3am-et']);
    // No 2026 instant is 2 AM ET on March 8: the nearest such hour is a year earlier (2025 switched on March 9).
    expect(parseHourlySlug('bitcoin-up-or-down-march-8-2am-et', 'bitcoin', utc(2026, 3, 8, 0))).toBe(utc(2025, 3, 8, 7));
    expect(parseHourlySlug('bitcoin-up-or-down-november-1-1am-et-2', 'bitcoin', utc(2026, 11, 1, 0))).toBe(utc(2026, 11, 1, 6));
    expect(parseHourlySlug('bitcoin-up-or-down-november-15-1am-et-2', 'bitcoin', utc(2026, 11, 1, 0))).toBeUndefined(); // never a fall-back day (Nov 1-7)
  });

  it('parses every hour of a year back to its start (nearest to the reference time)', () => {
    const from = utc(2026, 1, 1, 0);
    for (let t = from; t < from + 366 * 24 * H; t += 7 * H) {
      const slug = hourlySlug('Solana', t);
      expect(parseHourlySlug(slug, 'solana', t + 30 * 24 * H), slug).toBe(t);
      expect(parseHourlySlug(slug, 'bitcoin', t)).toBeUndefined();
    }
    // A year away, the same wall-clock slug names the next year's window.
    expect(parseHourlySlug('bitcoin-up-or-down-december-1-3pm-et', 'bitcoin', utc(2027, 11, 20, 0))).toBe(utc(2027, 12, 1, 20));
  });
});

describe('series specs', () => {
  const series = simSeriesFor([
    { asset: 'btc', windowSec: 300 },
    { asset: 'btc', windowSec: 900 },
    { asset: 'btc', windowSec: 3600 },
    { asset: 'sol', windowSec: 3600 },
    { asset: 'eth', windowSec: 14_400 },
    { asset: 'eth', windowSec: 300, seriesId: '424242' },
  ]);

  it('maps a runtime series list: updown for 5m/15m/4h, the hourly scheme settled on the spot candle for 1h', () => {
    expect(series.slice(0, 2)).toEqual(DEFAULT_SERIES);
    expect(series[2]).toMatchObject({ seriesSlug: 'btc-up-or-down-hourly', label: '1h', slugScheme: 'hourly-et', settlement: 'spot-candle', recurrence: 'hourly', assetName: 'Bitcoin' });
    expect(series[3]).toMatchObject({ seriesSlug: 'solana-up-or-down-hourly', assetName: 'Solana' });
    expect(series[4]).toMatchObject({ seriesSlug: 'eth-up-or-down-4h', label: '4h', assetName: 'Ethereum' });
    expect(series[4]!.slugScheme ?? 'updown').toBe('updown');
    expect(series[4]!.settlement ?? 'twap60').toBe('twap60');
    expect(series[4]!.seriesId).toMatch(/^99[0-9]{7}$/);
    expect(series[5]!.seriesId).toBe('424242');
    expect(() => simSeriesFor([{ asset: 'btc', windowSec: 90 }])).toThrow(/whole number of minutes/);
  });

  it('round-trips slugs of both schemes and titles hourly windows by their hour', () => {
    const start = utc(2026, 12, 1, 20) / 1000;
    const now = start * 1000 + 5 * 60_000;
    for (const s of series) {
      const aligned = start - (start % s.durationSec);
      const slug = windowSlug(s, aligned);
      expect(parseSlug(series, slug, now), slug).toEqual({ spec: s, startSec: aligned });
    }
    expect(windowSlug(series[4]!, start - (start % 14_400))).toBe(`eth-updown-4h-${start - (start % 14_400)}`);
    expect(windowTitle(series[2]!, start)).toBe('Bitcoin Up or Down - December 1, 3PM ET');
    expect(windowTitle(series[1]!, start)).toBe('Bitcoin Up or Down - December 1, 3:00PM-3:15PM ET');
    expect(parseSlug(series, 'bitcoin-up-or-down-december-1-3pm-et')).toBeUndefined(); // hourly needs a reference time
    expect(parseSlug(series, 'ethereum-up-or-down-december-1-3pm-et', now)).toBeUndefined(); // no ETH hourly series
    expect(parseSlug(series, `btc-updown-5m-${start + 60}`, now)).toBeUndefined(); // misaligned
  });
});

describe('simAssetsFor', () => {
  it('gives BTC the default walk and every asset a name, a price and a precision that a step does not round away', () => {
    const [btc, eth, sol, xrp, doge] = simAssetsFor(['btc', 'eth', 'sol', 'xrp', 'doge']);
    expect(btc).toMatchObject({ asset: 'btc', name: 'Bitcoin', startPrice: DEFAULT_PRICE_OPTIONS.startPrice, annualVol: DEFAULT_PRICE_OPTIONS.annualVol, decimals: 2 });
    expect([eth!.name, sol!.name, xrp!.name, doge!.name]).toEqual(['Ethereum', 'Solana', 'XRP', 'Dogecoin']);
    const stepSd = (a: { startPrice: number; annualVol: number }) => a.startPrice * a.annualVol * Math.sqrt(DEFAULT_PRICE_OPTIONS.spotStepMs / (365 * 24 * 3600 * 1000));
    for (const a of [btc!, eth!, sol!, xrp!, doge!]) expect(stepSd(a), a.asset).toBeGreaterThan(10 * 10 ** -(a.decimals ?? 2));
    expect(() => simAssetsFor(['ETH'])).toThrow(/asset code/);
  });
});
