import { describe, expect, it } from 'vitest';
import { timeBucketConfigSchema, type TimeBucketConfig } from '../../../bot/strategies/time-bucket/config';
import { TimeBucketStrategy } from '../../../bot/strategies/time-bucket/strategy';
import { capAt, entrySize, isLate, stopRule, takeProfitPrice } from '../../../bot/strategies/time-bucket/rules';
import { World, makeMarket, places, cancels } from './world';

function setup(cfg: Partial<TimeBucketConfig> = {}, windowSec = 900) {
  const w = new World();
  const m = w.add(makeMarket({ windowSec }));
  const s = new TimeBucketStrategy(timeBucketConfigSchema.parse(cfg));
  return { w, m, s };
}

/** Enter at `bid` at `sec` into the window and fill the whole entry. */
function enterAndFill(w: World, m: ReturnType<typeof makeMarket>, s: TimeBucketStrategy, sec: number, bid: number) {
  w.atSec(sec);
  w.setUp(m, bid, Math.round((bid + 0.02) * 100) / 100);
  const entry = places(w.book(s, m))[0]!;
  expect(entry.side).toBe('BUY');
  const out = w.fill(s, entry, entry.size!);
  return { entry, out };
}

describe('time-bucket rules (pure)', () => {
  const schedules = timeBucketConfigSchema.parse({}).capSchedule;
  it('cap schedule slices for 15m and 5m windows', () => {
    expect([0, 299.9, 300, 599, 600, 899].map((t) => capAt(schedules, 900, t))).toEqual([7, 7, 7.5, 7.5, 8, 8]);
    expect([0, 99, 100, 199, 200, 299].map((t) => capAt(schedules, 300, t))).toEqual([7, 7, 7.5, 7.5, 8, 8]);
    // A window length without its own schedule scales the 15m one (3600 s: slices at 0/1200/2400).
    expect([0, 1199, 1200, 2400].map((t) => capAt(schedules, 3600, t))).toEqual([7, 7, 7.5, 8]);
  });
  it('size = floor(cap / price), never below MIN_TRADE_SIZE', () => {
    expect(entrySize(7, 0.6, 5)).toBe(11);
    expect(entrySize(7.5, 0.75, 5)).toBe(10);
    expect(entrySize(2, 0.9, 5)).toBe(5);
  });
  it('TP = min(entry + MIN_TP_INCREMENT, MAX_TP_PRICE)', () => {
    expect(takeProfitPrice(0.62, 0.01, 0.99, 0.01)).toBe(0.63);
    expect(takeProfitPrice(0.985, 0.01, 0.99, 0.001)).toBe(0.99);
    expect(takeProfitPrice(0.99, 0.01, 0.99, 0.01)).toBe(0.99);
  });
  it('SL trigger = max(entry − SL_OFFSET, SL_FLOOR); late uses LATE_SL_TRIGGER only for entry ≥ 0.9', () => {
    const p = { slOffset: 0.2, slFloor: 0.5, lateWindowSec: 120, lateReentryEntryThreshold: 0.9, lateSlTrigger: 0.7 };
    expect(stopRule(0.62, 500, p).trigger).toBe(0.5);
    expect(stopRule(0.8, 500, p).trigger).toBeCloseTo(0.6, 12);
    expect(stopRule(0.92, 121, p)).toMatchObject({ takeProfit: true, late: false });
    expect(stopRule(0.92, 121, p).trigger).toBeCloseTo(0.72, 12);
    expect(stopRule(0.92, 120, p)).toEqual({ trigger: 0.7, takeProfit: false, late: true });
    expect(stopRule(0.85, 60, p)).toMatchObject({ takeProfit: true, late: true });
    expect(isLate(120, 120)).toBe(true);
    expect(isLate(120.001, 120)).toBe(false);
  });
});

describe('time-bucket strategy', () => {
  it('enters with a post-only maker buy at the bid only at/above ENTRY_BID_THRESHOLD', () => {
    const { w, m, s } = setup();
    w.atSec(10);
    w.setUp(m, 0.59, 0.61);
    expect(places(w.book(s, m))).toHaveLength(0);
    w.setUp(m, 0.6, 0.62);
    const [p] = places(w.book(s, m));
    expect(p).toMatchObject({ side: 'BUY', price: 0.6, size: 11, orderType: 'GTC', postOnly: true, tokenId: m.upTokenId });
  });

  it('leg choice: HIGHEST_BID picks the higher bid; DOWN_ONLY ignores Up', () => {
    const a = setup();
    a.w.atSec(5);
    a.w.setUp(a.m, 0.3, 0.32); // Down bid 0.68
    expect(places(a.w.book(a.s, a.m))[0]).toMatchObject({ tokenId: a.m.downTokenId, price: 0.68 });
    const b = setup({ legChoice: 'DOWN_ONLY' });
    b.w.atSec(5);
    b.w.setUp(b.m, 0.7, 0.72);
    expect(places(b.w.book(b.s, b.m))).toHaveLength(0);
    const c = setup({ legChoice: 'UP_ONLY' });
    c.w.atSec(5);
    c.w.setUp(c.m, 0.3, 0.32);
    expect(places(c.w.book(c.s, c.m))).toHaveLength(0);
  });

  it('sizes by the cap-schedule slice of the moment', () => {
    for (const [sec, bid, size] of [[100, 0.7, 10], [350, 0.75, 10], [650, 0.8, 10], [650, 0.61, 13]] as const) {
      const { w, m, s } = setup();
      w.atSec(sec);
      w.setUp(m, bid, bid + 0.02);
      expect(places(w.book(s, m))[0]!.size).toBe(size);
    }
    const five = setup({}, 300);
    five.w.atSec(150);
    five.w.setUp(five.m, 0.75, 0.77);
    expect(places(five.w.book(five.s, five.m))[0]!.size).toBe(10); // 7.5 / 0.75
  });

  it('requotes only after ENTRY_REQUOTE_WAIT_SEC and only on a bid improvement ≥ ENTRY_REQUOTE_MIN_IMPROVE', () => {
    const { w, m, s } = setup();
    w.atSec(10);
    w.setUp(m, 0.62, 0.64);
    const first = places(w.book(s, m))[0]!;
    w.atSec(11);
    w.setUp(m, 0.7, 0.72);
    expect(w.book(s, m)).toHaveLength(0); // improved but too early
    w.atSec(12);
    w.setUp(m, 0.64, 0.66);
    expect(w.book(s, m)).toHaveLength(0); // waited, but +0.02 < 0.03
    w.setUp(m, 0.6, 0.66);
    expect(w.book(s, m)).toHaveLength(0); // worse bid: keep resting
    w.setUp(m, 0.65, 0.67);
    const out = w.book(s, m);
    expect(cancels(out)).toEqual([{ kind: 'cancel', clientTag: first.clientTag, reason: expect.any(String) }]);
    expect(places(out)).toHaveLength(0); // cancel first; replace only once the venue confirms it
    expect(w.book(s, m)).toHaveLength(0); // still waiting for the cancel confirmation
    const replaced = places(w.cancelled(s, first.clientTag));
    const again = replaced.length > 0 ? replaced : places(w.book(s, m));
    expect(again[0]).toMatchObject({ price: 0.65, side: 'BUY', postOnly: true, size: Math.floor(7 / 0.65) });
    expect(again[0]!.clientTag).not.toBe(first.clientTag);
  });

  it('a fill that races a requote cancel is subtracted from the replacement (never above the cap)', () => {
    const { w, m, s } = setup();
    w.atSec(10);
    w.setUp(m, 0.62, 0.64);
    const first = places(w.book(s, m))[0]!; // 11 shares (7 USD / 0.62)
    w.atSec(13);
    w.setUp(m, 0.66, 0.68);
    expect(cancels(w.book(s, m))).toHaveLength(1);
    w.fill(s, first, 3, 0.62, first.size! - 3); // part of it fills before the cancel lands
    const out = [...w.cancelled(s, first.clientTag), ...w.book(s, m)];
    const entries = places(out).filter((p) => p.side === 'BUY');
    expect(entries).toHaveLength(1);
    expect(entries[0]!.size).toBe(Math.floor(7 / 0.66) - 3); // the cap's shares minus what already filled
  });

  it('no replacement when what is missing after a racing fill is below MIN_TRADE_SIZE', () => {
    const { w, m, s } = setup();
    w.atSec(10);
    w.setUp(m, 0.62, 0.64);
    const first = places(w.book(s, m))[0]!;
    w.atSec(13);
    w.setUp(m, 0.66, 0.68);
    expect(cancels(w.book(s, m))).toHaveLength(1);
    w.fill(s, first, 6, 0.62, first.size! - 6);
    const out = [...w.cancelled(s, first.clientTag), ...w.book(s, m)];
    expect(places(out).filter((p) => p.side === 'BUY')).toHaveLength(0);
  });

  it('places a TP at entry + MIN_TP_INCREMENT after the fill, capped at MAX_TP_PRICE', () => {
    const { w, m, s } = setup();
    const { entry, out } = enterAndFill(w, m, s, 10, 0.62);
    const tp = places(out)[0]!; // placed on the fill itself
    expect(tp).toMatchObject({ side: 'SELL', price: 0.63, size: entry.size, tokenId: m.upTokenId, orderType: 'GTC' });
    expect(w.book(s, m)).toHaveLength(0); // not re-placed while resting
    const capped = setup({ maxTpPrice: 0.95 });
    const c = enterAndFill(capped.w, capped.m, capped.s, 10, 0.95);
    expect(places(c.out)[0]).toMatchObject({ side: 'SELL', price: 0.95 });
  });

  it('stop triggers at max(entry − SL_OFFSET, SL_FLOOR) and sells at SL_ORDER_PRICE', () => {
    for (const [entryBid, above, at] of [[0.62, 0.51, 0.5], [0.8, 0.61, 0.6]] as const) {
      const { w, m, s } = setup();
      const { entry } = enterAndFill(w, m, s, 10, entryBid); // TP placed on the fill
      w.atSec(20);
      w.setUp(m, above, above + 0.02);
      expect(places(w.book(s, m))).toHaveLength(0);
      w.setUp(m, at, at + 0.02);
      const out = w.book(s, m);
      const sl = places(out)[0]!;
      expect(sl).toMatchObject({ side: 'SELL', price: 0.01, orderType: 'FAK', size: entry.size });
      expect(cancels(out)).toHaveLength(1); // the TP
      expect(w.book(s, m)).toHaveLength(0); // one stop in flight
    }
  });

  it('switches to late mode at exactly LATE_WINDOW_SEC: entry ≥ 0.9 loses its TP and uses LATE_SL_TRIGGER', () => {
    const a = setup();
    expect(places(enterAndFill(a.w, a.m, a.s, 600, 0.92).out)[0]).toMatchObject({ side: 'SELL', price: 0.93 });
    a.w.atSec(900 - 121);
    a.w.setUp(a.m, 0.715, 0.73);
    expect(places(a.w.book(a.s, a.m))[0]).toMatchObject({ price: 0.01 }); // normal trigger 0.72
    const b = setup();
    const tp = places(enterAndFill(b.w, b.m, b.s, 600, 0.92).out)[0]!;
    b.w.atSec(900 - 120);
    b.w.setUp(b.m, 0.715, 0.73);
    const out = b.w.book(b.s, b.m);
    expect(places(out)).toHaveLength(0);
    expect(cancels(out)).toEqual([{ kind: 'cancel', clientTag: tp.clientTag, reason: 'late: no TP' }]);
    b.w.setUp(b.m, 0.7, 0.72);
    expect(places(b.w.book(b.s, b.m))[0]).toMatchObject({ side: 'SELL', price: 0.01 });
  });

  it('re-enters after a full late stop-out at most MAX_LATE_REENTRIES times', () => {
    for (const max of [1, 2]) {
      const { w, m, s } = setup({ maxLateReentries: max });
      enterAndFill(w, m, s, 790, 0.92);
      let reentries = 0;
      for (let k = 0; k < 4; k++) {
        w.atSec(800 + k * 10);
        w.setUp(m, 0.69, 0.71);
        const sl = places(w.book(s, m)).find((p) => p.side === 'SELL' && p.price === 0.01)!;
        expect(sl).toBeDefined();
        w.fill(s, sl, sl.size!);
        w.atSec(805 + k * 10);
        w.setUp(m, 0.91, 0.93);
        const re = places(w.book(s, m));
        if (re.length === 0) break;
        expect(re[0]).toMatchObject({ side: 'BUY', price: 0.91 });
        expect(re[0]!.clientTag).toContain('|reentry|');
        reentries++;
        w.fill(s, re[0]!, re[0]!.size!);
      }
      expect(reentries).toBe(max);
    }
  });

  it('does not re-enter after a stop-out outside late mode, nor after a TP (one round per window)', () => {
    const a = setup();
    enterAndFill(a.w, a.m, a.s, 10, 0.62);
    a.w.setUp(a.m, 0.5, 0.52);
    const sl = places(a.w.book(a.s, a.m)).find((p) => p.price === 0.01)!;
    a.w.fill(a.s, sl, sl.size!);
    a.w.atSec(850);
    a.w.setUp(a.m, 0.95, 0.97);
    expect(places(a.w.book(a.s, a.m))).toHaveLength(0);
    const b = setup();
    const tp = places(enterAndFill(b.w, b.m, b.s, 10, 0.62).out)[0]!;
    b.w.fill(b.s, tp, tp.size!);
    b.w.atSec(30);
    b.w.setUp(b.m, 0.7, 0.72);
    expect(places(b.w.book(b.s, b.m))).toHaveLength(0);
  });

  it('a TP that completes the round withdraws the rest of a partially filled entry', () => {
    const { w, m, s } = setup();
    w.atSec(10);
    w.setUp(m, 0.62, 0.64);
    const entry = places(w.book(s, m))[0]!;
    const tp = places(w.fill(s, entry, 6, 0.62, entry.size! - 6))[0]!;
    expect(tp).toMatchObject({ side: 'SELL', size: 6, price: 0.63 });
    const out = w.fill(s, tp, 6, 0.63);
    expect(out).toContainEqual({ kind: 'cancel', clientTag: entry.clientTag, reason: 'round complete' });
    w.atSec(30);
    w.setUp(m, 0.7, 0.72);
    expect(places(w.book(s, m))).toHaveLength(0);
  });

  it('dust (position < MIN_TRADE_SIZE) never produces a TP or stop order', () => {
    const { w, m, s } = setup();
    w.atSec(10);
    w.setUp(m, 0.62, 0.64);
    const entry = places(w.book(s, m))[0]!;
    w.fill(s, entry, 4, 0.62, entry.size! - 4);
    w.cancelled(s, entry.clientTag);
    for (let k = 0; k < 50; k++) {
      w.atSec(20 + k);
      const bid = k % 2 === 0 ? 0.2 : 0.9;
      w.setUp(m, bid, bid + 0.02);
      expect(places(w.book(s, m))).toHaveLength(0);
      expect(places(w.tick(s))).toHaveLength(0);
    }
  });

  it('a stop that leaves dust is not repeated', () => {
    const { w, m, s } = setup();
    enterAndFill(w, m, s, 10, 0.62);
    w.setUp(m, 0.45, 0.47);
    const sl = places(w.book(s, m)).find((p) => p.price === 0.01)!;
    w.fill(s, sl, sl.size! - 3, 0.45, 0); // FAK done with 3 shares unsold
    for (let k = 0; k < 20; k++) {
      w.atSec(20 + k);
      w.setUp(m, 0.3, 0.32);
      expect(places(w.book(s, m))).toHaveLength(0);
    }
  });

  it('emits one final decision per window and nothing once the window is closed', () => {
    const { w, m, s } = setup();
    w.atSec(10);
    w.setUp(m, 0.55, 0.57);
    w.book(s, m);
    w.atSec(900);
    m.state = 'closed';
    w.setUp(m, 0.8, 0.82);
    expect(places(w.book(s, m))).toHaveLength(0);
    const out = w.send(s, { kind: 'window.closed', slug: m.slug });
    const decisions = out.filter((i) => i.kind === 'decision');
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({ record: { action: 'skipped', reason: 'bid<ENTRY_BID_THRESHOLD', windowSlug: m.slug } });
    expect(w.send(s, { kind: 'window.closed', slug: m.slug }).filter((i) => i.kind === 'decision')).toHaveLength(0);
  });
});
