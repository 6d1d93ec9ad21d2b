/** `npm run sim` world flags: --assets / --series / --correlation (and SIM_* env) parse, or fail with the reason. */
import { describe, expect, it } from 'vitest';
import { parseWorldFlags } from '../../../bot/sim/cli-args';

describe('sim CLI world flags', () => {
  it('builds series, assets and correlation from flags in both spellings', () => {
    const w = parseWorldFlags(['--assets', 'btc,eth', '--series=btc:5m,btc:15m,eth:5m,eth-900,btc:1h', '--correlation', '0.7']);
    expect(w.assets?.map((a) => a.asset)).toEqual(['btc', 'eth']);
    expect(w.series?.map((s) => [s.asset, s.durationSec, s.seriesSlug])).toEqual([
      ['btc', 300, 'btc-up-or-down-5m'],
      ['btc', 900, 'btc-up-or-down-15m'],
      ['eth', 300, 'eth-up-or-down-5m'],
      ['eth', 900, 'eth-up-or-down-15m'],
      ['btc', 3600, 'btc-up-or-down-hourly'],
    ]);
    expect(w.correlation).toBe(0.7);
    expect(parseWorldFlags(['--correlation=[[1,0.5],[0.5,1]]']).correlation).toEqual([[1, 0.5], [0.5, 1]]);
  });

  it('falls back to SIM_* env, flags first; --assets alone simulates each asset 5m and 15m; nothing -> defaults', () => {
    const w = parseWorldFlags(['--series', 'sol:4h'], { SIM_SERIES: 'btc:5m', SIM_ASSETS: 'sol', SIM_CORRELATION: '0' });
    expect(w.series?.map((s) => s.seriesSlug)).toEqual(['sol-up-or-down-4h']);
    expect(w.correlation).toBe(0);
    expect(parseWorldFlags(['--assets', 'xrp']).series?.map((s) => s.seriesSlug)).toEqual(['xrp-up-or-down-5m', 'xrp-up-or-down-15m']);
    expect(parseWorldFlags([], {})).toEqual({});
  });

  it('names the flag and the expected form on bad values', () => {
    expect(() => parseWorldFlags(['--series', 'btc:7x'])).toThrow(/--series: "btc:7x" is not <asset>:<length>/);
    expect(() => parseWorldFlags(['--series', 'btc:90s'])).toThrow(/--series/);
    expect(() => parseWorldFlags(['--series', 'btc:5m,btc-300'])).toThrow(/listed twice/);
    expect(() => parseWorldFlags(['--assets', 'BTC'])).toThrow(/--assets: "BTC" is not an asset code/);
    expect(() => parseWorldFlags(['--assets', 'btc', '--series', 'eth:5m'])).toThrow(/eth is not in --assets/);
    expect(() => parseWorldFlags(['--correlation', '1.5'])).toThrow(/not a number in \[-1, 1\]/);
    expect(() => parseWorldFlags(['--correlation', '[[1,0.5],[0.5]'])).toThrow(/not valid JSON/);
    expect(() => parseWorldFlags(['--correlation', '[1,2]'])).toThrow(/array of arrays/);
    expect(() => parseWorldFlags(['--speed', '2'])).toThrow(/unknown argument "--speed"/);
    expect(() => parseWorldFlags(['--series'])).toThrow(/--series needs a value/);
  });
});
