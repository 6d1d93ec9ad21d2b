/**
 * The Strategy page's read model (bot/views/decision-log.ts) on a real EventBus and a SimClock: seeded from the bus
 * history and live after, bounded decision log that keeps final (traded / skipped) records over evaluated ticks,
 * series sampled to one point per second and 30 minutes, per-instance orders / fills / positions / PnL from the
 * instance's client tags with settlement, instance picker order, and schema-valid output.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { slugFor } from '../../../bot/markets/slug';
import { DecisionLog, type ConfiguredInstance } from '../../../bot/views/decision-log';
import type { DecisionRecord } from '../../../lib/schemas/events';
import { appendPoint, strategyViewLimits, strategyViewSchema, type SeriesPoint } from '../../../lib/schemas/strategy-view';

const T0 = 1_795_242_000_000; // start of btc-updown-5m-1795242000
const W5 = 'btc-updown-5m-1795242000';
const W15 = 'btc-updown-15m-1795241700';
const logs: DecisionLog[] = [];

function setup() {
  const clock = new SimClock(T0);
  const bus = new EventBus({ clock });
  const make = () => {
    const log = new DecisionLog({ bus, clock });
    logs.push(log);
    return log;
  };
  return { clock, bus, make };
}

afterEach(() => {
  for (const l of logs.splice(0)) l.dispose();
});

function rec(over: Partial<DecisionRecord> & Pick<DecisionRecord, 'atMs'>): DecisionRecord {
  return { strategyId: 'hammer', strategyType: 'hammer', windowSlug: W5, action: 'evaluated', reason: 'ev<=0', ...over };
}

function evaluated(atMs: number, pHat: number, slug = W5, id = 'hammer'): DecisionRecord {
  return rec({ strategyId: id, windowSlug: slug, atMs, pHat, z: (pHat - 0.5) * 4, up: { pHat, ask: 0.6, ev: pHat - 0.6 }, down: { pHat: 1 - pHat, ask: 0.42, ev: 0.58 - pHat } });
}

describe('DecisionLog', () => {
  it('is seeded from the bus history and then follows the bus live, without counting an event twice', () => {
    const { bus, clock, make } = setup();
    bus.publish({ type: 'strategy.decision', record: rec({ atMs: T0, action: 'skipped', reason: 'not-watched' }) });
    const log = make();
    clock.advanceBy(2_000);
    bus.publish({ type: 'strategy.decision', record: evaluated(T0 + 2_000, 0.7) });
    const v = strategyViewSchema.parse(log.snapshot({ id: 'hammer' }));
    expect(v.strategy!.decisions.map((d) => [d.record.action, d.record.reason])).toEqual([
      ['evaluated', 'ev<=0'],
      ['skipped', 'not-watched'],
    ]);
    expect(v.strategy!.counts).toEqual({ traded: 0, skipped: 1, evaluated: 1 });
    expect(v.seq).toBe(2);
    expect(v.nowMs).toBe(T0 + 2_000);
    expect(v.instances).toEqual([expect.objectContaining({ id: 'hammer', type: 'hammer', configured: false, decisions: 2, lastDecisionMs: T0 + 2_000, lastAction: 'evaluated' })]);
  });

  it('keeps final decisions in preference to evaluated ticks and stays bounded', () => {
    const { bus, make } = setup();
    const log = make();
    // 10 finals early, then far more evaluated ticks than the whole log holds.
    for (let i = 0; i < 10; i++) bus.publish({ type: 'strategy.decision', record: rec({ atMs: T0 + i, windowSlug: `btc-updown-5m-${1795242000 + 300 * i}`, action: i % 2 ? 'traded' : 'skipped', reason: `final-${i}` }) });
    for (let i = 0; i < strategyViewLimits.decisions * 2; i++) bus.publish({ type: 'strategy.decision', record: rec({ atMs: T0 + 100 + i, reason: `tick-${i}` }) });
    const d = log.snapshot({ id: 'hammer' }).strategy!;
    expect(d.decisions).toHaveLength(strategyViewLimits.decisions);
    expect(d.decisions.filter((x) => x.record.action !== 'evaluated').map((x) => x.record.reason)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0].map((i) => `final-${i}`));
    expect(d.decisions[0]!.record.reason).toBe(`tick-${strategyViewLimits.decisions * 2 - 1}`); // newest first
    expect(d.counts.evaluated).toBe(strategyViewLimits.decisions * 2);
    // Finals alone never squeeze the evaluated ticks out: at most `finals` of them are kept.
    for (let i = 0; i < strategyViewLimits.decisions; i++) bus.publish({ type: 'strategy.decision', record: rec({ atMs: T0 + 10_000 + i, action: 'skipped', reason: `late-final-${i}` }) });
    const d2 = log.snapshot({ id: 'hammer' }).strategy!;
    const finals = d2.decisions.filter((x) => x.record.action !== 'evaluated');
    expect(finals).toHaveLength(strategyViewLimits.finals);
    expect(finals[0]!.record.reason).toBe(`late-final-${strategyViewLimits.decisions - 1}`);
    expect(d2.decisions).toHaveLength(strategyViewLimits.decisions);
    expect(d2.decisions.some((x) => x.record.action === 'evaluated')).toBe(true);
  });

  it('samples the series to at most one point per second per series (asset × window length), the latest in the second winning', () => {
    const { bus, clock, make } = setup();
    const log = make();
    // Four evaluations per second for 5 s on the 5m window, and the 15m window in the same seconds.
    for (let ms = 0; ms < 5_000; ms += 250) {
      clock.advanceTo(T0 + ms);
      bus.publish({ type: 'strategy.decision', record: evaluated(T0 + ms, 0.5 + ms / 20_000) });
      bus.publish({ type: 'strategy.decision', record: evaluated(T0 + ms, 0.3, W15) });
    }
    // A final record without figures adds no point.
    bus.publish({ type: 'strategy.decision', record: rec({ atMs: T0 + 6_000, action: 'skipped', reason: 'ev<=0' }) });
    const d = strategyViewSchema.parse(log.snapshot({ id: 'hammer' })).strategy!;
    const s5 = d.series.find((s) => s.key === 'btc-300')!;
    const s15 = d.series.find((s) => s.key === 'btc-900')!;
    expect(s5.points.map((p) => p.tMs)).toEqual([750, 1_750, 2_750, 3_750, 4_750].map((x) => T0 + x));
    expect(s5.points[0]).toEqual({ tMs: T0 + 750, windowSlug: W5, pHat: 0.5375, z: expect.closeTo(0.15, 9), upPHat: 0.5375, upAsk: 0.6, upEv: expect.closeTo(-0.0625, 9), downPHat: 0.4625, downAsk: 0.42, downEv: expect.closeTo(0.0425, 9) });
    expect(s15.points).toHaveLength(5);
    expect(d.decisions).toHaveLength(41); // the log itself is not sampled
  });

  it('puts every hourly window of an asset in one series, apart from the other assets and lengths', () => {
    const { bus, clock, make } = setup();
    const log = make();
    // Hourly slugs carry no start time: three consecutive BTC hours, two ETH hours, a 4h and a 5m window between.
    const H0 = T0 - (T0 % 3_600_000);
    const hour = (asset: string, i: number) => slugFor(asset, '1h', H0 + i * 3_600_000);
    const slugs = [hour('btc', 0), hour('eth', 0), slugFor('btc', '4h', T0 - (T0 % 14_400_000)), W5, hour('btc', 1), hour('eth', 1), hour('btc', 2)];
    expect(new Set(slugs.filter((x) => x.includes('-up-or-down-'))).size).toBe(5); // five distinct hourly windows
    slugs.forEach((slug, i) => {
      clock.advanceTo(T0 + i * 1_000);
      bus.publish({ type: 'strategy.decision', record: evaluated(T0 + i * 1_000, 0.55, slug) });
    });
    const d = strategyViewSchema.parse(log.snapshot({ id: 'hammer' })).strategy!;
    const bySeries = Object.fromEntries(d.series.map((x) => [x.key, x.points.map((p) => p.windowSlug)]));
    expect(bySeries).toEqual({
      'btc-3600': [slugs[0], slugs[4], slugs[6]],
      'eth-3600': [slugs[1], slugs[5]],
      'btc-14400': [slugs[2]],
      'btc-300': [W5],
    });
  });

  it('keeps only the last 30 minutes of series', () => {
    const { bus, clock, make } = setup();
    const log = make();
    for (let s = 0; s <= 40 * 60; s += 10) {
      clock.advanceTo(T0 + s * 1000);
      bus.publish({ type: 'strategy.decision', record: evaluated(T0 + s * 1000, 0.6, `btc-updown-5m-${1795242000 + 300 * Math.floor(s / 300)}`) });
    }
    const pts = log.snapshot({ id: 'hammer' }).strategy!.series[0]!.points;
    expect(pts[0]!.tMs).toBe(T0 + 10 * 60_000);
    expect(pts.at(-1)!.tMs).toBe(T0 + 40 * 60_000);
    expect(pts).toHaveLength(181);
    // Once time moves on, the snapshot drops what fell out of the window even with no new point.
    clock.advanceTo(T0 + 70 * 60_000 + 1);
    expect(log.snapshot({ id: 'hammer' }).strategy!.series[0]!.points).toHaveLength(0);
  });

  it('appendPoint ignores out-of-order points and caps the length', () => {
    const pts: SeriesPoint[] = [];
    const p = (tMs: number): SeriesPoint => ({ tMs, windowSlug: W5, pHat: 0.5, z: 0, upPHat: null, upAsk: null, upEv: null, downPHat: null, downAsk: null, downEv: null });
    expect(appendPoint(pts, p(T0 + 5_000))).toBe(true);
    expect(appendPoint(pts, p(T0 + 1_000))).toBe(false);
    for (let i = 1; i <= strategyViewLimits.pointsPerSeries + 10; i++) appendPoint(pts, p(T0 + 5_000 + i * 1_000));
    expect(pts.length).toBeLessThanOrEqual(strategyViewLimits.pointsPerSeries);
    expect(pts.at(-1)!.tMs).toBe(T0 + 5_000 + (strategyViewLimits.pointsPerSeries + 10) * 1_000);
  });

  it("folds the instance's own orders and fills into positions and PnL, settled at resolution", () => {
    const { bus, clock, make } = setup();
    const log = make();
    bus.publish({ type: 'market.discovered', slug: W5, kind: '5m', conditionId: 'c', upTokenId: 'UP', downTokenId: 'DN', startMs: T0, endMs: T0 + 300_000, tickSize: 0.01, minOrderSize: 5, version: 'v2' });
    const tag = `hammer|${W5}|fok|1`;
    const other = `time-bucket|${W5}|entry|1`;
    bus.publish({ type: 'order.state', clientId: 'c1', clientTag: tag, state: 'submitted', prevState: 'created' });
    clock.advanceBy(100);
    bus.publish({ type: 'order.filled', clientId: 'c1', clientTag: tag, orderId: 'o1', tradeId: 't1', tokenId: 'UP', windowSlug: W5, side: 'BUY', price: 0.6, size: 10, feeUsd: 0.1, liquidity: 'taker', provisional: true, remaining: 0 });
    bus.publish({ type: 'order.filled', clientId: 'c2', clientTag: other, orderId: 'o2', tradeId: 't2', tokenId: 'DN', windowSlug: W5, side: 'BUY', price: 0.4, size: 5, feeUsd: 0, liquidity: 'maker', provisional: false, remaining: 0 });
    bus.publish({ type: 'order.state', clientId: 'c1', clientTag: tag, state: 'filled', prevState: 'submitted' });
    // The same fill again (status update) is not counted twice.
    bus.publish({ type: 'order.filled', clientId: 'c1', clientTag: tag, orderId: 'o1', tradeId: 't1', tokenId: 'UP', windowSlug: W5, side: 'BUY', price: 0.6, size: 10, feeUsd: 0.1, liquidity: 'taker', provisional: false, remaining: 0 });

    let d = strategyViewSchema.parse(log.snapshot({ id: 'hammer' })).strategy!;
    expect(d.orders).toEqual([expect.objectContaining({ clientTag: tag, purpose: 'fok', state: 'filled', side: 'BUY', outcome: 'up', filledSize: 10, avgFillPrice: 0.6 })]);
    expect(d.fills).toEqual([expect.objectContaining({ tradeId: 't1', status: 'confirmed', outcome: 'up', size: 10 })]);
    expect(d.positions).toEqual([expect.objectContaining({ tokenId: 'UP', outcome: 'up', shares: 10, costUsd: 6, settled: false })]);
    expect(d.pnl).toEqual({ realizedUsd: -0.1, feesUsd: 0.1, openCostUsd: 6, fills: 1, wins: 0, losses: 0 });

    bus.publish({ type: 'market.resolved', slug: W5, winner: 'up', winningTokenId: 'UP' });
    bus.publish({ type: 'strategy.decision', record: rec({ atMs: T0 + 300_000, action: 'traded', reason: 'entered', outcome: 'up' }) });
    d = strategyViewSchema.parse(log.snapshot({ id: 'hammer' })).strategy!;
    expect(d.positions[0]).toMatchObject({ settled: true, shares: 0, payoutUsd: 10, realizedUsd: 3.9 });
    expect(d.pnl).toEqual({ realizedUsd: 3.9, feesUsd: 0.1, openCostUsd: 0, fills: 1, wins: 1, losses: 0 });
    expect(d.decisions[0]).toMatchObject({ winner: 'up', record: { action: 'traded' } });

    const tb = log.snapshot({ id: 'time-bucket' }).strategy!;
    expect(tb.positions[0]).toMatchObject({ outcome: 'down', settled: true, realizedUsd: -2 });
    expect(tb.pnl.losses).toBe(1);

    // An order the risk engine refused is listed as rejected with the rule.
    bus.publish({ type: 'risk.denied', strategyId: 'hammer', clientTag: `hammer|${W5}|fok|2`, windowSlug: W5, rule: 'max_usd_per_trade', reason: '25 > 20' });
    expect(log.snapshot({ id: 'hammer' }).strategy!.orders[0]).toMatchObject({ clientTag: `hammer|${W5}|fok|2`, state: 'rejected', reason: 'risk max_usd_per_trade: 25 > 20', filledSize: 0 });

    // A voided fill leaves the position and PnL.
    bus.publish({ type: 'order.fill_voided', clientTag: other, tradeId: 't2', reason: 'chain revert' });
    const tb2 = log.snapshot({ id: 'time-bucket' }).strategy!;
    expect(tb2.fills[0]!.status).toBe('voided');
    expect(tb2.pnl).toMatchObject({ realizedUsd: 0, fills: 0, losses: 0 });
  });

  it('lists the configured instances first in config order, then others seen; unknown ids give no strategy', () => {
    const { bus, make } = setup();
    const log = make();
    bus.publish({ type: 'strategy.decision', record: evaluated(T0, 0.5, W5, 'old-one') });
    bus.publish({ type: 'strategy.decision', record: evaluated(T0, 0.5, W5, 'hammer') });
    const configured: ConfiguredInstance[] = [
      { id: 'time-bucket', type: 'time-bucket', enabled: true, budgetUsd: 30 },
      { id: 'hammer', type: 'hammer', enabled: true, budgetUsd: 50 },
      { id: 'maker', type: 'two-sided-maker', enabled: false, budgetUsd: 60 },
    ];
    const v = strategyViewSchema.parse(log.snapshot({ configured }));
    expect(v.instances.map((i) => [i.id, i.configured, i.enabled, i.decisions])).toEqual([
      ['time-bucket', true, true, 0],
      ['hammer', true, true, 1],
      ['maker', true, false, 0],
      ['old-one', false, null, 1],
    ]);
    expect(v.strategy!.id).toBe('time-bucket'); // no id: the first
    expect(v.strategy!.decisions).toEqual([]);
    expect(log.snapshot({ id: 'nope', configured }).strategy).toBeNull();
    expect(log.snapshot({ id: 'old-one', configured }).strategy!.decisions).toHaveLength(1);
  });

  it('stops listening when disposed', () => {
    const { bus, make } = setup();
    const log = make();
    log.dispose();
    bus.publish({ type: 'strategy.decision', record: evaluated(T0, 0.5) });
    expect(log.snapshot().instances).toEqual([]);
    expect(bus.listenerCount()).toBe(0);
  });
});
