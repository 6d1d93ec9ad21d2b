/**
 * The browser-safe series vocabulary (lib/schemas/series.ts) and the Strategy page's series key of a window slug
 * (lib/schemas/strategy-view.ts `seriesKeyOf`): for 5m / 15m / 4h / hourly windows of BTC and ETH, made by the bot's
 * own slug maker (bot/markets/slug.ts) at times spread over a year (both sides of the DST changes), the key equals
 * the runtime's key of the window the bot parses back; hourly slugs (no trailing number) of different hours share one
 * key; the bot's series module re-exports the very same helpers (one copy), and the trading schema's symbol helper is
 * that copy too.
 */
import { describe, expect, it } from 'vitest';
import * as core from '../../../bot/core/series';
import { parseSlug, seriesKeyOfWindow, slugFor } from '../../../bot/markets/slug';
import { windowLabel } from '../../../components/ui/window-label';
import * as lib from '../../../lib/schemas/series';
import { seriesKeyOf } from '../../../lib/schemas/strategy-view';
import { assetOfPriceSymbol } from '../../../lib/schemas/trading';

const HOUR = 3_600_000;
// 2026-01-15, 2026-03-08 (US DST starts), 2026-07-04, 2026-11-01 (DST ends), 2026-12-31 (year end) at 00:00 UTC.
const DAYS = [Date.UTC(2026, 0, 15), Date.UTC(2026, 2, 8), Date.UTC(2026, 6, 4), Date.UTC(2026, 10, 1), Date.UTC(2026, 11, 31)];
const KINDS = ['5m', '15m', '1h', '4h'] as const;

const etHour = (ms: number) => Number(new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: 'numeric', hour12: false }).format(new Date(ms))) % 24;

describe('series key of a window slug', () => {
  it('is the runtime key of the window the bot parses, for 5m, 15m, 4h and hourly windows of btc and eth', () => {
    let checked = 0;
    for (const asset of ['btc', 'eth']) {
      for (const kind of KINDS) {
        for (const day of DAYS) {
          for (let h = 0; h < 24; h += 5) {
            const t = day + h * HOUR;
            const slug = slugFor(asset, kind, t - (t % (lib.windowSecOf(kind) * 1000)));
            const w = parseSlug(slug, t)!;
            expect(w, slug).toBeDefined();
            expect(seriesKeyOf(slug), slug).toBe(seriesKeyOfWindow(w));
            expect(seriesKeyOf(slug), slug).toBe(`${asset}-${lib.windowSecOf(kind)}`);
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(2 * KINDS.length * DAYS.length * 5);
  });

  it('reads the known slugs of each scheme', () => {
    expect(seriesKeyOf('btc-updown-5m-1795241700')).toBe('btc-300');
    expect(seriesKeyOf('eth-updown-15m-1795242600')).toBe('eth-900');
    expect(seriesKeyOf('btc-updown-4h-1795233600')).toBe('btc-14400');
    expect(seriesKeyOf('bitcoin-up-or-down-december-1-3pm-et')).toBe('btc-3600');
    expect(seriesKeyOf('ethereum-up-or-down-november-21-12am-et')).toBe('eth-3600');
    // Different hours and days of one asset are one series (the old key kept each hourly slug apart).
    expect(new Set(['bitcoin-up-or-down-december-1-3pm-et', 'bitcoin-up-or-down-december-2-11am-et'].map(seriesKeyOf))).toEqual(new Set(['btc-3600']));
  });

  it('keys a slug of no known scheme by itself without its trailing number', () => {
    expect(seriesKeyOf('btc-updown-5m-1795241701')).toBe('btc-updown-5m'); // not aligned to 5 minutes: not a window
    expect(seriesKeyOf('some-venue-market-1795241700')).toBe('some-venue-market');
    expect(seriesKeyOf('bitcoin-up-or-down-smarch-1-3pm-et')).toBe('bitcoin-up-or-down-smarch-1-3pm-et');
    expect(lib.seriesKeyOfSlug('bitcoin-up-or-down-december-1-13pm-et')).toBeUndefined();
  });
});

describe('parseSeriesSlug and windowLabel', () => {
  it('give the ET opening hour of hourly slugs the bot makes, and the UTC start of updown ones', () => {
    for (const day of DAYS) {
      for (let h = 0; h < 24; h += 3) {
        const t = day + h * HOUR;
        const hourly = lib.parseSeriesSlug(slugFor('eth', '1h', t));
        expect(hourly).toMatchObject({ scheme: 'hourly-et', asset: 'eth', kind: '1h', windowSec: 3_600, hour: etHour(t) });
        const h12 = etHour(t) % 12 === 0 ? 12 : etHour(t) % 12;
        expect(windowLabel(slugFor('eth', '1h', t))).toBe(`ETH 1h ${h12}${etHour(t) < 12 ? 'am' : 'pm'} ET`);
        expect(lib.parseSeriesSlug(slugFor('btc', '15m', t))).toEqual({ scheme: 'updown', asset: 'btc', kind: '15m', windowSec: 900, startSec: t / 1000 });
      }
    }
  });

  it('maps asset names both ways and an unknown hourly name to itself', () => {
    for (const [asset, name] of Object.entries(lib.ASSET_NAMES)) expect(lib.assetOfName(name)).toBe(asset);
    expect(lib.parseSeriesSlug('cardano-up-or-down-may-3-9am-et')).toMatchObject({ asset: 'cardano', month: 5, day: 3, hour: 9 });
    expect(windowLabel('cardano-up-or-down-may-3-9am-et')).toBe('CARDANO 1h 9am ET');
  });
});

describe('one copy of the series helpers', () => {
  it('bot/core/series.ts re-exports the lib functions themselves, and the trading schema uses the same symbol helper', () => {
    expect(core.assetOfSymbol).toBe(lib.assetOfSymbol);
    expect(core.windowSecOf).toBe(lib.windowSecOf);
    expect(core.kindOf).toBe(lib.kindOf);
    expect(core.seriesKeyOf).toBe(lib.seriesKeyOf);
    expect(core.assetName).toBe(lib.assetName);
    expect(core.ASSET_NAMES).toBe(lib.ASSET_NAMES);
    expect(assetOfPriceSymbol).toBe(lib.assetOfSymbol);
  });

  it('reads feed symbols of either feed, kind labels and series keys', () => {
    expect(['btcusd', 'btcusdt', 'BTC/USD', 'eth-usd', 'ethusdt', 'sol_usdt'].map(lib.assetOfSymbol)).toEqual(['btc', 'btc', 'btc', 'eth', 'eth', 'sol']);
    for (const sec of [60, 300, 900, 3_600, 14_400, 86_400, 5_400]) expect(lib.windowSecOf(lib.kindOf(sec))).toBe(sec);
    expect(lib.kindOf(5_400)).toBe('90m');
    expect(lib.seriesKeyParts('eth-900')).toEqual({ asset: 'eth', windowSec: 900 });
    expect(lib.seriesKeyParts('btc-updown-5m')).toBeUndefined();
    expect(['btc-300', 'eth-3600', 'btc-14400', 'odd'].map(lib.seriesKeyLabel)).toEqual(['BTC 5m', 'ETH 1h', 'BTC 4h', 'odd']);
  });
});
