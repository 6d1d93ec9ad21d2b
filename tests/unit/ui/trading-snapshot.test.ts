/**
 * The server-side trading snapshot (bot/views/trading-snapshot.ts) over a bare runtime (no venue session) on a
 * simulated clock: current windows from the clock, the event log seeded from the bus history and then live
 * (alerts, last resolved window per series), bounded alerts, stop-time staleness not alerted, schema-valid output.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { createRuntime, type Runtime } from '../../../bot/runtime';
import { openStore, type Store } from '../../../bot/store';
import { TradingView } from '../../../bot/views/trading-snapshot';
import { defaultRuntimeConfig } from '../../../lib/schemas/config';
import { tradingSnapshotSchema } from '../../../lib/schemas/trading';

const T0 = 1_795_242_123_456; // 06:22:03.456 UTC, inside btc-updown-5m-1795242000 and btc-updown-15m-1795241700
const stores: Store[] = [];

function make(instanceId: string): { rt: Runtime; clock: SimClock } {
  const clock = new SimClock(T0);
  const store = openStore(':memory:');
  stores.push(store);
  return { rt: createRuntime({ instanceId, version: 't', config: defaultRuntimeConfig(), clock, store, bare: true }), clock };
}

afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

describe('buildTradingSnapshot', () => {
  it('names the current 5m and 15m windows from the clock even with no venue session', () => {
    const { rt } = make('snap-1');
    const s = tradingSnapshotSchema.parse(rt.views.trading.snapshot());
    expect(s.tradingUp).toBe(false);
    expect(s.nowMs).toBe(T0);
    expect(s.series.map((x) => [x.key, x.asset, x.kind, x.enabled, x.current.slug, x.current.endMs, x.current.state])).toEqual([
      ['btc-300', 'btc', '5m', true, 'btc-updown-5m-1795242000', 1_795_242_300_000, null],
      ['btc-900', 'btc', '15m', true, 'btc-updown-15m-1795241700', 1_795_242_600_000, null],
    ]);
    // One reference row per asset: nothing priced yet, so stale; no correlation estimate yet.
    expect(s.assets).toEqual([{ asset: 'btc', live: null, twap: null, spot: null, refRecvMs: null, refAgeMs: null, staleAfterMs: 5_000, stale: true }]);
    expect(s.correlation).toBeNull();
    expect(s.feeds.map((f) => [f.feed, f.state, f.used])).toEqual([
      ['clob-market', 'closed', true],
      ['polybolt', 'closed', true],
      ['spot', 'closed', true],
      ['clob-user', 'idle', false],
    ]);
    expect(s.openOrders).toEqual([]);
    expect(s.pnl.exposureUsd).toBe(0);
    expect(s.pnl.maxTotalExposureUsd).toBeNull(); // bare runtime: no risk engine
  });

  it('keeps alerts and resolutions from before the first request (history) and after it (live), newest first', () => {
    const { rt, clock } = make('snap-2');
    rt.bus.publish({ type: 'runtime.error', source: 'feed:spot', message: 'socket hang up' });
    rt.bus.publish({ type: 'market.resolved', slug: 'btc-updown-5m-1795241700', winner: 'down', winningTokenId: 'd' });
    rt.bus.publish({ type: 'runtime.heartbeat', instanceId: 'snap-2', state: 'running', uptimeMs: 1, eventsPerSec: 1 });
    let s = rt.views.trading.snapshot();
    expect(s.alerts.map((a) => a.kind)).toEqual(['runtime.error']);
    expect(s.series[0]!.lastResolved).toEqual({ slug: 'btc-updown-5m-1795241700', endMs: 1_795_242_000_000, winner: 'down' });
    expect(s.series[1]!.lastResolved).toBeNull();

    clock.advanceTo(T0 + 1_000);
    rt.killSwitch.set({ state: 'halted', reason: 'daily loss', actor: 'risk', automatic: true });
    rt.killSwitch.set({ state: 'active', reason: 'operator resumes', actor: 'operator(local)', automatic: false });
    rt.bus.publish({ type: 'risk.denied', strategyId: 'hammer', clientTag: 'h|1', windowSlug: 'btc-updown-5m-1795242000', rule: 'kill_switch', reason: 'trading halted' });
    rt.bus.publish({ type: 'market.resolved', slug: 'btc-updown-15m-1795240800', winner: 'up', winningTokenId: 'u' });
    s = tradingSnapshotSchema.parse(rt.views.trading.snapshot());
    expect(s.alerts.map((a) => a.kind)).toEqual(['risk.denied', 'killswitch.auto', 'runtime.error']);
    expect(s.alerts[1]).toMatchObject({ severity: 'danger', title: 'kill switch active → halted' });
    expect(s.series[1]!.lastResolved).toMatchObject({ slug: 'btc-updown-15m-1795240800', winner: 'up' });
  });

  it('does not alert on feeds going stale while the bot stops, and keeps the alert list bounded', async () => {
    const { rt } = make('snap-3');
    rt.views.trading.snapshot();
    await rt.start();
    rt.bus.publish({ type: 'feed.stale', feed: 'spot', ageMs: 6_000 });
    rt.bus.publish({ type: 'runtime.state', instanceId: 'snap-3', state: 'stopping', prevState: 'running' });
    rt.bus.publish({ type: 'feed.stale', feed: 'polybolt', ageMs: 0 });
    rt.bus.publish({ type: 'feed.degraded', degraded: true, reason: 'polybolt stale, spot alive', ordersAllowed: false });
    let s = rt.views.trading.snapshot();
    expect(s.alerts.map((a) => a.title)).toEqual(['spot stale']);
    for (let i = 0; i < 500; i++) rt.bus.publish({ type: 'runtime.error', source: 'x', message: `e${i}` });
    s = tradingSnapshotSchema.parse(rt.views.trading.snapshot());
    expect(s.alerts.length).toBeLessThanOrEqual(60);
    expect(s.alerts[0]!.detail).toBe('e499');
  });

  it('keeps the latest risk.correlation event, from the bus history and then live', () => {
    const { rt } = make('snap-5');
    const corr = (aggregateUsd: number) => ({
      type: 'risk.correlation' as const, assets: ['btc', 'eth'], rho: [[1, 0.83], [0.83, 1]], samples: [[0, 120], [120, 0]], isPrior: [[false, false], [false, false]],
      exposureUsd: [40, -12.5], aggregateUsd, capUsd: 250, windowSec: 3_600, sampleSec: 10,
    });
    rt.bus.publish(corr(30));
    const late = new TradingView(rt); // created after the event: seeded from the bus history
    expect(late.snapshot().correlation).toMatchObject({ assets: ['btc', 'eth'], aggregateUsd: 30, capUsd: 250, exposureUsd: [40, -12.5] });
    rt.bus.publish(corr(44));
    const s = tradingSnapshotSchema.parse(late.snapshot());
    expect(s.correlation!.aggregateUsd).toBe(44);
    expect(s.correlation!.seq).toBe(rt.bus.stats.lastSeq);
    late.dispose();
  });

  it('starts a fresh log for a new runtime instance', () => {
    const a = make('snap-4a').rt;
    a.bus.publish({ type: 'runtime.error', source: 'a', message: 'from a' });
    expect(a.views.trading.snapshot().alerts).toHaveLength(1);
    const b = make('snap-4b').rt;
    expect(b.views.trading.snapshot().alerts).toHaveLength(0);
    a.bus.publish({ type: 'runtime.error', source: 'a', message: 'late from a' });
    expect(b.views.trading.snapshot().alerts).toHaveLength(0);
  });
});
