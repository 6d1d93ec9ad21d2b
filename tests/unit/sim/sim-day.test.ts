/**
 * A simulated day at accelerated time: windows roll every 5 and 15 minutes, every window resolves by the TWAP rule
 * (checked against an independent TWAP of the reference reports; ties Up), settled payouts equal the winning shares
 * (and both token supplies), and every fee charged equals 0.07 x p x (1 - p) per share to 5 decimals.
 */
import { describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { MICRO } from '../../../bot/sim/book';
import { TICK_DWELL_MS } from '../../../bot/sim/crowd';
import { startSim } from '../../../bot/sim';

const DAY0 = 1791244800000;

describe('a simulated day', () => {
  it('rolls, resolves, settles and charges fees correctly', async () => {
    const clock = new SimClock(DAY0 - 30_000);
    const sim = await startSim({
      clock,
      seed: 'sim-day',
      noServers: true,
      price: { spotStepMs: 1000 },
      crowd: { makerRequoteMs: 5000, takerMeanIntervalMs: 4000 },
      resolutionDelayMs: 5000,
    });
    const refs: { tMs: number; value: number }[] = [];
    sim.model.prices.onReference((r) => refs.push(r));
    let tickChanges = 0;
    const tickTimes = new Map<string, { tMs: number; fine: boolean }[]>();
    sim.model.hub.tap((stream, text) => {
      if (stream === 'market' && text.startsWith('{"event_type":"tick_size_change"')) {
        tickChanges++;
        const e = JSON.parse(text) as { asset_id: string; timestamp: string; new_tick_size: string };
        tickTimes.set(e.asset_id, [...(tickTimes.get(e.asset_id) ?? []), { tMs: Number(e.timestamp), fine: e.new_tick_size === '0.001' }]);
      }
    });
    const user = '0x00000000000000000000000000000000000000aa';
    let userOrders = 0;
    for (let t = DAY0 - 30_000; t < DAY0 + 86_400_000 + 30_000; t += 60_000) {
      clock.advanceTo(t);
      for (const m of sim.model.activeMarkets()) {
        if (m.status !== 'open' || (t - m.startMs) % 300_000 !== 60_000 - ((DAY0 - 30_000) % 60_000)) continue;
        const top = m.book.top('Up');
        if (top.ask === undefined || top.ask > 950) continue;
        const r = sim.model.exchange.submit({
          id: `0x${(++userOrders).toString(16).padStart(64, '0')}`,
          owner: 'user-key',
          makerAddress: user,
          market: m,
          outcome: userOrders % 2 === 0 ? 'Up' : 'Down',
          side: 'BUY',
          ownPriceMilli: userOrders % 2 === 0 ? top.ask : 1000 - (top.bid ?? 500),
          sharesMicro: 10 * MICRO,
          orderType: 'FAK',
          postOnly: false,
          expiration: '0',
        });
        expect(r.ok).toBe(true);
      }
    }
    const settlements = sim.model.settlements.toArray();
    const by5 = settlements.filter((s) => s.slug.startsWith('btc-updown-5m-'));
    const by15 = settlements.filter((s) => s.slug.startsWith('btc-updown-15m-'));
    expect(by5.length).toBeGreaterThanOrEqual(288);
    expect(by15.length).toBeGreaterThanOrEqual(96);
    expect(userOrders).toBeGreaterThan(100);
    const twapAt = (tMs: number) => {
      const w = refs.filter((r) => r.tMs > tMs - 60_000 && r.tMs <= tMs);
      return w.reduce((s, r) => s + r.value, 0) / w.length;
    };
    for (const list of [by5, by15]) {
      const starts = list.map((s) => Number(s.slug.split('-').pop()));
      const step = list === by5 ? 300 : 900;
      for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBe(step);
      for (let i = 0; i < list.length; i++) {
        const s = list[i]!;
        const startMs = starts[i]! * 1000;
        if (startMs > DAY0) {
          expect(s.priceToBeat).toBeCloseTo(twapAt(startMs), 6);
          expect(s.finalPrice).toBeCloseTo(twapAt(startMs + step * 1000), 6);
        }
        if (i > 0) expect(s.priceToBeat).toBe(list[i - 1]!.finalPrice);
        expect(s.winner).toBe(s.finalPrice >= s.priceToBeat ? 'Up' : 'Down');
        expect(s.paidMicro).toBe(s.winningSharesMicro);
        expect(s.upSupplyMicro).toBe(s.downSupplyMicro);
        expect(s.paidMicro).toBe(s.winner === 'Up' ? s.upSupplyMicro : s.downSupplyMicro);
      }
    }
    expect(new Set(settlements.map((s) => s.winner))).toEqual(new Set(['Up', 'Down']));
    const audit = sim.model.exchange.feeAudit.toArray();
    expect(audit.length).toBeGreaterThan(5_000);
    for (const a of audit) {
      const p = a.priceMilli / 1000;
      const exact = (a.sizeMicro / MICRO) * 0.07 * p * (1 - p);
      expect(a.feeMicro % 10).toBe(0);
      expect(Math.abs(a.feeMicro / MICRO - exact)).toBeLessThanOrEqual(0.000005 + 1e-12);
    }
    expect(tickChanges).toBeGreaterThan(0);
    // No flapping: a switch to 0.001 comes at least TICK_DWELL_MS after the market's previous tick change, so a
    // market makes at most one 0.01 -> 0.001 -> 0.01 round trip per TICK_DWELL_MS. (The switch back to 0.01 is
    // immediate: a 0.001 tick must not be shown once the price is back inside [0.04, 0.96]; see tick-rule.ts.)
    let switchesBack = 0;
    for (const [asset, times] of tickTimes) {
      for (let i = 0; i < times.length; i++) expect(times[i]!.fine, `${asset} alternates`).toBe(i % 2 === 0);
      for (let i = 1; i < times.length; i++) {
        if (times[i]!.fine) expect(times[i]!.tMs - times[i - 1]!.tMs, asset).toBeGreaterThanOrEqual(TICK_DWELL_MS);
        else switchesBack++;
      }
    }
    expect(switchesBack).toBeGreaterThan(0);
    expect(sim.model.registry.size).toBeLessThanOrEqual(2000);
    await sim.close();
  });
});
