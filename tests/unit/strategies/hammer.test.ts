import { describe, expect, it } from 'vitest';
import { hammerConfigSchema, type HammerConfig } from '../../../bot/strategies/hammer/config';
import { HammerStrategy } from '../../../bot/strategies/hammer/strategy';
import type { DecisionIntent } from '../../../bot/strategies/intents';
import { World, makeMarket, places } from './world';

/**
 * 15m window, price to beat 100 000. Reference flat at `from` until end − 90 s, ramps to `to` by end − 85 s,
 * flat (±0.005 % noise) afterwards. A tick at end − 70 s lets the strategy see the 60 s return (watch).
 */
function setup(cfg: Partial<HammerConfig> = {}, opts: { from?: number; to?: number } = {}) {
  const w = new World();
  const m = w.add(makeMarket({ priceToBeat: 100_000 }));
  const s = new HammerStrategy(hammerConfigSchema.parse(cfg));
  const from = opts.from ?? 99_500;
  const to = opts.to ?? 100_050;
  for (let t = m.endMs - 200_000; t <= m.endMs; t += 1000) {
    const k = Math.min(1, Math.max(0, (t - (m.endMs - 90_000)) / 5000));
    const noise = ((t / 1000) % 2 ? 1 : -1) * 5e-5;
    w.history.push({ tsMs: t, price: (from + (to - from) * k) * (1 + noise) });
  }
  w.at(m.endMs - 70_000);
  w.setUp(m, 0.6, 0.62);
  expect(w.tick(s)).toHaveLength(0);
  return { w, m, s };
}

const decisions = (out: readonly unknown[]) => out.filter((i): i is DecisionIntent => (i as DecisionIntent).kind === 'decision');

describe('hammer strategy', () => {
  it('publishes p_hat, z, ask, fee and EV on every evaluation and stays out before HAMMER_SECS', () => {
    const { w, m, s } = setup();
    w.at(m.endMs - 16_000);
    expect(w.tick(s)).toHaveLength(0);
    w.at(m.endMs - 10_000);
    w.setUp(m, 0.6, 0.62);
    const out = w.tick(s);
    const d = decisions(out)[0]!.record;
    expect(d.pHat).toBeGreaterThan(0.9);
    expect(d.z).toBeGreaterThan(1);
    expect(d.up).toMatchObject({ ask: 0.62, fee: 0.01649 });
    expect(d.up!.ev).toBeCloseTo(d.pHat! - 0.62 - 0.01649, 12);
    expect(d.down!.ev).toBeCloseTo(1 - d.pHat! - 0.4 - 0.0168, 12);
    const p = places(out)[0]!;
    expect(p).toMatchObject({ side: 'BUY', orderType: 'FOK', usd: 20, tokenId: m.upTokenId, price: 0.62 });
    // throttle: same instant, no second evaluation; FOK in flight blocks a second order
    expect(w.tick(s)).toHaveLength(0);
    w.at(m.endMs - 9_000);
    expect(decisions(w.tick(s))[0]!.record.reason).toBe('order-in-flight');
  });

  it('does not trade when the window was never put on watch', () => {
    const { w, m, s } = setup({}, { from: 100_050 });
    w.at(m.endMs - 10_000);
    w.setUp(m, 0.6, 0.62);
    const out = w.tick(s);
    expect(places(out)).toHaveLength(0);
    expect(decisions(out)[0]!.record).toMatchObject({ reason: 'not-watched', action: 'evaluated' });
    expect(decisions(out)[0]!.record.pHat).toBeGreaterThan(0.5);
  });

  it('respects D_MIN, MAX_ENTRY_PRICE and positive EV', () => {
    const a = setup({ dMin: 60 });
    a.w.at(a.m.endMs - 10_000);
    a.w.setUp(a.m, 0.6, 0.62);
    expect(decisions(a.w.tick(a.s))[0]!.record.reason).toBe('|d|<D_MIN');
    const b = setup({ maxEntryPrice: 0.5 });
    b.w.at(b.m.endMs - 10_000);
    b.w.setUp(b.m, 0.6, 0.62);
    expect(decisions(b.w.tick(b.s))[0]!.record.reason).toBe('ask>MAX_ENTRY_PRICE');
    const c = setup({ dMin: 0 }, { from: 99_400, to: 100_000.5 });
    c.w.at(c.m.endMs - 10_000);
    c.w.setBook(c.m, 'up', [[0.4, 100]], [[0.6, 100]]);
    c.w.setBook(c.m, 'down', [[0.4, 100]], [[0.6, 100]]);
    const r = decisions(c.w.tick(c.s))[0]!.record;
    expect(r.pHat).toBeGreaterThan(0.4);
    expect(r.pHat).toBeLessThan(0.6);
    expect(r.reason).toBe('ev<=0');
    const d = setup();
    d.w.at(d.m.endMs - 10_000);
    d.w.setUp(d.m, 0.98, 0.99);
    expect(decisions(d.w.tick(d.s))[0]!.record.reason).toBe('ask>MAX_ENTRY_PRICE'); // EV > 0 but 0.99 > 0.97
  });

  it('caps the FOK by MAX_USD_PER_TRADE and by visible depth', () => {
    const a = setup({ quoteSizeUsd: 40, maxUsdPerTrade: 25 });
    a.w.at(a.m.endMs - 10_000);
    a.w.setUp(a.m, 0.6, 0.62);
    expect(places(a.w.tick(a.s))[0]!.usd).toBe(25);
    const b = setup();
    b.w.at(b.m.endMs - 10_000);
    b.w.setUp(b.m, 0.6, 0.62, 12);
    expect(places(b.w.tick(b.s))[0]!.usd).toBe(7.44);
  });

  it('buys Down when the reference is below the price to beat', () => {
    const { w, m, s } = setup({}, { from: 100_500, to: 99_950 });
    w.at(m.endMs - 10_000);
    w.setUp(m, 0.38, 0.4); // Down ask 0.62
    const out = w.tick(s);
    expect(decisions(out)[0]!.record.pHat).toBeLessThan(0.01);
    expect(places(out)[0]).toMatchObject({ tokenId: m.downTokenId, price: 0.62 });
  });

  it('final record says traded after a fill, and one entry per window', () => {
    const { w, m, s } = setup();
    w.at(m.endMs - 10_000);
    w.setUp(m, 0.6, 0.62);
    const p = places(w.tick(s))[0]!;
    w.fill(s, p, 32, 0.62);
    w.at(m.endMs - 8_000);
    expect(places(w.tick(s))).toHaveLength(0);
    const fin = decisions(w.send(s, { kind: 'window.closed', slug: m.slug }));
    expect(fin).toHaveLength(1);
    expect(fin[0]!.record.action).toBe('traded');
  });
});
