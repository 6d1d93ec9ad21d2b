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
    expect(parseSlug('btc-updown-1h-1791241200')).toBeUndefined();
    expect(() => slugFor('btc', '5m', 1)).toThrow();
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
