import { describe, expect, it } from 'vitest';
import { nextWindow, parseSlug, secondsLeft, slugFor, windowAt } from '../../../bot/markets/slug';
import { canTransition, stateByTime, transition } from '../../../bot/markets/lifecycle';

describe('slug maths', () => {
  it('matches the reference vectors for 15m and 5m', () => {
    const t = 1791241200_000;
    expect(windowAt('btc', '15m', t + 123_456).slug).toBe('btc-updown-15m-1791241200');
    expect(windowAt('btc', '5m', t + 299_999).slug).toBe('btc-updown-5m-1791241200');
    expect(windowAt('btc', '5m', t + 300_000).slug).toBe('btc-updown-5m-1791241500');
    const w = windowAt('btc', '15m', t);
    expect(w.endMs - w.startMs).toBe(900_000);
    expect(nextWindow(w).slug).toBe('btc-updown-15m-1791242100');
    expect(secondsLeft(w, t + 600_000)).toBe(300);
  });
  it('parses aligned slugs only', () => {
    expect(parseSlug('btc-updown-15m-1791241200')?.startMs).toBe(1791241200_000);
    expect(parseSlug('btc-updown-15m-1791241201')).toBeUndefined();
    // Any whole-unit window length parses on the updown scheme (4h), misaligned starts and unknown units do not.
    const h4 = parseSlug('eth-updown-4h-1791244800');
    expect([h4?.asset, h4?.kind, h4 ? h4.endMs - h4.startMs : 0, h4?.slug]).toEqual(['eth', '4h', 14_400_000, 'eth-updown-4h-1791244800']);
    expect(parseSlug('eth-updown-4h-1791241200')).toBeUndefined(); // not a multiple of 4 h
    expect(parseSlug('btc-updown-15x-1791241200')).toBeUndefined();
    expect(() => slugFor('btc', '5m', 1)).toThrow();
  });

  it('makes and parses the hourly ET slug scheme, across the DST change', () => {
    // 1791241200 = 2026-10-05T23:00:00Z = 7 PM EDT (UTC−4).
    expect(windowAt('btc', '1h', 1791241200_000 + 1_234).slug).toBe('bitcoin-up-or-down-october-5-7pm-et');
    expect(windowAt('eth', '1h', Date.UTC(2026, 11, 1, 17)).slug).toBe('ethereum-up-or-down-december-1-12pm-et'); // EST (UTC−5)
    expect(windowAt('btc', '1h', Date.UTC(2026, 11, 2, 5)).slug).toBe('bitcoin-up-or-down-december-2-12am-et');
    const near = Date.UTC(2026, 11, 1, 12);
    const w = parseSlug('ethereum-up-or-down-december-1-12pm-et', near);
    expect([w?.asset, w?.kind, w?.startMs, w?.endMs]).toEqual(['eth', '1h', Date.UTC(2026, 11, 1, 17), Date.UTC(2026, 11, 1, 18)]);
    // Without a time near it an hourly slug has no year: it does not parse.
    expect(parseSlug('ethereum-up-or-down-december-1-12pm-et')).toBeUndefined();
    // Round trip over a week that spans the November DST change: every hour's slug parses back to its own start.
    let t = Date.UTC(2026, 9, 29, 0);
    const seen = new Set<string>();
    for (let i = 0; i < 24 * 7; i++, t += 3_600_000) {
      const x = windowAt('btc', '1h', t);
      seen.add(x.slug);
      expect(parseSlug(x.slug, t + 1_800_000)?.startMs).toBe(t); // near = mid-window: the nearest candidate is the window itself
    }
    // The repeated 1 AM hour on 2026-11-01 gives two windows the same slug (titles are ET): 167 distinct slugs.
    expect(seen.size).toBe(24 * 7 - 1);
  });
  it('covers a day: 288 five-minute and 96 fifteen-minute windows, contiguous', () => {
    for (const [kind, n] of [['5m', 288], ['15m', 96]] as const) {
      const day = 1791158400_000;
      const seen = new Set<string>();
      let w = windowAt('btc', kind, day);
      while (w.startMs < day + 86_400_000) {
        seen.add(w.slug);
        const nw = nextWindow(w);
        expect(nw.startMs).toBe(w.endMs);
        w = nw;
      }
      expect(seen.size).toBe(n);
    }
  });
});

describe('market lifecycle table', () => {
  it('allows the natural order and refuses going back', () => {
    expect(transition('discovered', 'open')).toBe('open');
    expect(transition('open', 'closing')).toBe('closing');
    expect(transition('closing', 'closed')).toBe('closed');
    expect(transition('closed', 'resolved')).toBe('resolved');
    expect(() => transition('closed', 'open')).toThrow(/illegal/);
    expect(() => transition('resolved', 'closed')).toThrow(/illegal/);
    expect(canTransition('discovered', 'resolved')).toBe(true);
  });
  it('derives the state from time', () => {
    expect(stateByTime(1000, 2000, 100, 999)).toBe('discovered');
    expect(stateByTime(1000, 2000, 100, 1000)).toBe('open');
    expect(stateByTime(1000, 2000, 100, 1900)).toBe('closing');
    expect(stateByTime(1000, 2000, 100, 2000)).toBe('closed');
  });
});
