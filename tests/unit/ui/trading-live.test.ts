/**
 * The dashboard's live overlay (components/live/trading-live.ts) and the shared alert helpers
 * (lib/schemas/trading.ts): newer bus events win over the snapshot, older ones and other instances never do,
 * the overlay is bounded, alerts fold repeats, and the server-clock anchor does not jitter.
 */
import { describe, expect, it } from 'vitest';
import { applyEvent, createOverlay, mergeTrading, nextAnchor, REFETCH_ON, serverNowAt } from '../../../components/live/trading-live';
import { botEventSchema, type BotEvent } from '../../../lib/schemas/events';
import { alertFromEvent, collapseAlerts, tradingSnapshotSchema, type Alert, type TradingSnapshot } from '../../../lib/schemas/trading';

const T0 = 1_795_242_000_000;
const UP = 'up-token';
const DOWN = 'down-token';

function ev(e: Record<string, unknown>): BotEvent {
  return botEventSchema.parse({ tsEventMs: T0, tsRecvMs: T0, ...e });
}

function snapshot(over: Partial<TradingSnapshot> = {}): TradingSnapshot {
  const top = (tokenId: string, bid: number, ask: number) => ({ tokenId, bestBid: bid, bestAsk: ask, bidSize: 10, askSize: 10 });
  return tradingSnapshotSchema.parse({
    instanceId: 'inst-1', runtimeState: 'running', tradingUp: true, mode: 'paper', venue: 'sim', nowMs: T0 + 60_000, clockRate: 1, seq: 100,
    series: [{
      key: 'btc-300', asset: 'btc', kind: '5m', windowSec: 300, enabled: true, settlement: 'twap60', slugPrefix: 'btc-updown-5m-', slugSuffix: '',
      current: { slug: 'btc-updown-5m-1795242000', kind: '5m', startMs: T0, endMs: T0 + 300_000, state: 'open', priceToBeatUsd: 62_400, priceToBeatSource: 'twap', tickSize: 0.01, up: top(UP, 0.55, 0.57), down: top(DOWN, 0.43, 0.45), winner: null },
      next: null,
      lastResolved: { slug: 'btc-updown-5m-1795241700', endMs: T0, winner: 'down' },
    }],
    assets: [
      { asset: 'btc', live: { priceUsd: 62_410, tsMs: T0 + 59_000 }, twap: null, spot: null, refRecvMs: T0 + 59_100, refAgeMs: 900, staleAfterMs: 5_000, stale: false },
      { asset: 'eth', live: { priceUsd: 3_300, tsMs: T0 + 50_000 }, twap: null, spot: null, refRecvMs: T0 + 50_100, refAgeMs: 9_900, staleAfterMs: 5_000, stale: true },
    ],
    correlation: null,
    feeds: [
      { feed: 'clob-market', used: true, state: 'open', lastMsgAgeMs: 100, msgsPerSec: 5, reconnects: 0, stale: false, badFrames: 0, reportedMs: T0, seq: 90 },
      { feed: 'clob-user', used: false, state: 'closed', lastMsgAgeMs: null, msgsPerSec: 0, reconnects: 0, stale: false, badFrames: 0, reportedMs: null, seq: 0 },
    ],
    degraded: { degraded: false, reason: '', ordersAllowed: true, sinceMs: null },
    pnl: { realizedTodayUsd: 0, realizedTotalUsd: 0, feesTodayUsd: 0, costBasisUsd: 0, workingBuyUsd: 0, exposureUsd: 0, unrealizedUsd: null, fillsToday: 0, maxTotalExposureUsd: 300, maxDailyLossUsd: 100 },
    tradingAsOfMs: null, openOrders: [], openOrdersTotal: 0, fills: [], positions: [],
    alerts: [{ seq: 50, tsMs: T0, kind: 'feed.stale', severity: 'danger', title: 'spot stale', detail: 'no data for 6.0 s' }],
    ...over,
  });
}

describe('mergeTrading', () => {
  it('lays newer book tops, reference prices and feed health over the snapshot', () => {
    const ov = createOverlay('inst-1');
    expect(applyEvent(ov, ev({ type: 'book.top', seq: 101, tokenId: UP, epoch: 1, bestBid: 0.61, bestAsk: 0.63, bidSize: 5, askSize: 7 }))).toBe(true);
    applyEvent(ov, ev({ type: 'book.top', seq: 102, tokenId: DOWN, epoch: 1 }));
    applyEvent(ov, ev({ type: 'ref.price', seq: 103, source: 'polybolt', kind: 'live', symbol: 'btcusd', priceUsd: 62_450.5, tsEventMs: T0 + 61_000 }));
    applyEvent(ov, ev({ type: 'ref.price', seq: 104, source: 'polybolt', kind: 'twap60', symbol: 'btcusd', priceUsd: 62_420 }));
    applyEvent(ov, ev({ type: 'feed.health', seq: 105, feed: 'clob-market', state: 'backoff', msgsPerSec: 0, reconnects: 1, stale: true, badFrames: 0 }));
    const m = mergeTrading(snapshot(), ov);
    expect(m.series[0]!.current.up).toEqual({ tokenId: UP, bestBid: 0.61, bestAsk: 0.63, bidSize: 5, askSize: 7 });
    expect(m.series[0]!.current.down).toEqual({ tokenId: DOWN, bestBid: null, bestAsk: null, bidSize: null, askSize: null });
    expect(m.assets[0]!.live).toEqual({ priceUsd: 62_450.5, tsMs: T0 + 61_000 });
    expect(m.assets[0]!.twap?.priceUsd).toBe(62_420);
    expect(m.feeds[0]).toMatchObject({ feed: 'clob-market', state: 'backoff', stale: true, reconnects: 1, lastMsgAgeMs: null, seq: 105 });
    expect(m.feeds[1]).toMatchObject({ feed: 'clob-user', used: false });
    expect(tradingSnapshotSchema.safeParse(m).success).toBe(true);
  });

  it('ignores overlay values older than the snapshot and values from another runtime instance', () => {
    const ov = createOverlay('inst-1');
    applyEvent(ov, ev({ type: 'book.top', seq: 99, tokenId: UP, epoch: 1, bestBid: 0.1, bestAsk: 0.2 }));
    applyEvent(ov, ev({ type: 'ref.price', seq: 100, source: 'polybolt', kind: 'live', symbol: 'btcusd', priceUsd: 1 }));
    const snap = snapshot();
    const m = mergeTrading(snap, ov);
    expect(m.series[0]!.current.up?.bestBid).toBe(0.55);
    expect(m.assets[0]!.live?.priceUsd).toBe(62_410);

    const other = createOverlay('inst-2');
    applyEvent(other, ev({ type: 'book.top', seq: 500, tokenId: UP, epoch: 1, bestBid: 0.9, bestAsk: 0.95 }));
    expect(mergeTrading(snap, other)).toBe(snap);
  });

  it('lays each price on the asset its symbol names, and a fresh reference point clears that asset\'s stale flag only', () => {
    const ov = createOverlay('inst-1');
    applyEvent(ov, ev({ type: 'ref.price', seq: 101, source: 'polybolt', kind: 'live', symbol: 'ethusd', priceUsd: 3_321.5, tsEventMs: T0 + 61_000, tsRecvMs: T0 + 61_200 }));
    applyEvent(ov, ev({ type: 'spot.price', seq: 102, source: 'binance', symbol: 'ETHUSDT', priceUsd: 3_322.75 }));
    applyEvent(ov, ev({ type: 'ref.price', seq: 103, source: 'polybolt', kind: 'twap60', symbol: 'sol/usd', priceUsd: 187.2 }));
    const m = mergeTrading(snapshot(), ov);
    const [btc, eth] = m.assets;
    expect(btc).toEqual(snapshot().assets[0]); // untouched by the ETH and SOL events
    expect(eth).toMatchObject({ asset: 'eth', live: { priceUsd: 3_321.5, tsMs: T0 + 61_000 }, spot: { priceUsd: 3_322.75, tsMs: T0 }, refRecvMs: T0 + 61_200, stale: false });
    expect(m.assets).toHaveLength(2); // an asset the snapshot does not list waits for the next refetch
    expect(tradingSnapshotSchema.safeParse(m).success).toBe(true);
  });

  it('shows a newer risk.correlation event over the snapshot\'s, never an older one', () => {
    const corr = (seq: number, aggregateUsd: number) => ev({
      type: 'risk.correlation', seq, assets: ['btc', 'eth'], rho: [[1, 0.8], [0.8, 1]], samples: [[0, 40], [40, 0]], isPrior: [[false, false], [false, false]],
      exposureUsd: [10, 5], aggregateUsd, capUsd: 250, windowSec: 3_600, sampleSec: 10,
    });
    const ov = createOverlay('inst-1');
    applyEvent(ov, corr(90, 11));
    expect(mergeTrading(snapshot(), ov).correlation).toBeNull();
    expect(applyEvent(ov, corr(130, 14.7))).toBe(true);
    const m = mergeTrading(snapshot(), ov);
    expect(m.correlation).toMatchObject({ seq: 130, aggregateUsd: 14.7, assets: ['btc', 'eth'] });
    expect(tradingSnapshotSchema.safeParse(m).success).toBe(true);
  });

  it('adds live alerts newest first without duplicating the ones the snapshot already has; degraded mode shows at once', () => {
    const ov = createOverlay('inst-1');
    applyEvent(ov, ev({ type: 'feed.stale', seq: 50, feed: 'spot', ageMs: 6000 }));
    applyEvent(ov, ev({ type: 'risk.denied', seq: 110, strategyId: 'hammer', clientTag: 'h|1', windowSlug: 'btc-updown-5m-1795242000', rule: 'feed', reason: 'market feed stale' }));
    applyEvent(ov, ev({ type: 'feed.degraded', seq: 111, degraded: true, reason: 'polybolt stale, spot alive', ordersAllowed: false }));
    expect(applyEvent(ov, ev({ type: 'runtime.heartbeat', seq: 112, instanceId: 'inst-1', state: 'running', uptimeMs: 1, eventsPerSec: 1 }))).toBe(false);
    const m = mergeTrading(snapshot(), ov);
    expect(m.alerts.map((a) => a.seq)).toEqual([111, 110, 50]);
    expect(m.alerts[0]).toMatchObject({ kind: 'feed.degraded', severity: 'danger' });
    expect(m.degraded).toMatchObject({ degraded: true, ordersAllowed: false });
  });

  it('feeds going stale while the bot stops are not alerts', () => {
    const ov = createOverlay('inst-1');
    applyEvent(ov, ev({ type: 'runtime.state', seq: 120, instanceId: 'inst-1', state: 'stopping', prevState: 'running' }));
    applyEvent(ov, ev({ type: 'feed.stale', seq: 121, feed: 'spot', ageMs: 0 }));
    applyEvent(ov, ev({ type: 'runtime.state', seq: 122, instanceId: 'inst-1', state: 'stopped', prevState: 'stopping' }));
    applyEvent(ov, ev({ type: 'runtime.state', seq: 123, instanceId: 'inst-1', state: 'starting', prevState: 'stopped' }));
    applyEvent(ov, ev({ type: 'runtime.state', seq: 124, instanceId: 'inst-1', state: 'running', prevState: 'starting' }));
    applyEvent(ov, ev({ type: 'feed.stale', seq: 125, feed: 'spot', ageMs: 5_100 }));
    expect(ov.alerts.map((a) => a.seq)).toEqual([125]);
  });

  it('keeps the overlay bounded', () => {
    const ov = createOverlay('inst-1');
    for (let i = 0; i < 1_000; i++) applyEvent(ov, ev({ type: 'book.top', seq: 200 + i, tokenId: `t${i}`, epoch: 1, bestBid: 0.5 }));
    for (let i = 0; i < 500; i++) applyEvent(ov, ev({ type: 'runtime.error', seq: 2_000 + i, source: 'x', message: 'boom' }));
    expect(ov.tops.size).toBeLessThanOrEqual(200);
    expect(ov.tops.has('t999')).toBe(true);
    expect(ov.alerts.length).toBeLessThanOrEqual(60);
  });

  it('order, fill, position and window events trigger a refetch; data events do not', () => {
    for (const t of ['order.state', 'order.filled', 'position.changed', 'market.resolved', 'market.state'] as const) expect(REFETCH_ON.has(t)).toBe(true);
    for (const t of ['book.top', 'ref.price', 'feed.health', 'runtime.heartbeat'] as const) expect(REFETCH_ON.has(t)).toBe(false);
  });
});

describe('alerts', () => {
  it('derives alerts from the listed event types only; manual kill-switch moves are not alerts', () => {
    expect(alertFromEvent(ev({ type: 'runtime.error', seq: 1, source: 'feed:spot', message: 'socket hang up' }))).toMatchObject({ kind: 'runtime.error', severity: 'danger', title: 'error in feed:spot' });
    expect(alertFromEvent(ev({ type: 'risk.cooldown', seq: 2, rule: 'error_cooldown', untilMs: T0 + 30_000, reason: 'error burst' }))?.detail).toBe('error burst (until 06:20:30 UTC)');
    expect(alertFromEvent(ev({ type: 'killswitch.changed', seq: 3, state: 'halted', prevState: 'active', reason: 'daily loss', actor: 'risk', automatic: true }))).toMatchObject({ kind: 'killswitch.auto', severity: 'danger' });
    expect(alertFromEvent(ev({ type: 'killswitch.changed', seq: 4, state: 'halted', prevState: 'active', reason: 'operator', actor: 'operator(local)', automatic: false }))).toBeUndefined();
    expect(alertFromEvent(ev({ type: 'feed.recovered', seq: 5, feed: 'spot' }))).toMatchObject({ severity: 'ok', feed: 'spot' });
    expect(alertFromEvent(ev({ type: 'feed.stale', seq: 8, feed: 'polybolt', ageMs: 6_200 }))).toMatchObject({ feed: 'polybolt', detail: 'no data for 6.2 s' });
    expect(alertFromEvent(ev({ type: 'feed.stale', seq: 9, feed: 'polybolt', ageMs: 0 }))?.detail).toBe('connection not open');
    expect(alertFromEvent(ev({ type: 'book.top', seq: 6, tokenId: UP, epoch: 1 }))).toBeUndefined();
    expect(alertFromEvent(ev({ type: 'runtime.error', seq: 7, source: 's', message: 'x'.repeat(1_000) }))!.detail.length).toBeLessThanOrEqual(300);
  });

  it('folds consecutive repeats into one row with a count, newest first, at most max rows', () => {
    const a = (seq: number, title: string): Alert => ({ seq, tsMs: T0 + seq, kind: 'risk.denied', severity: 'warn', title, detail: `#${seq}` });
    const rows = collapseAlerts([a(1, 'denied: feed'), a(2, 'denied: feed'), a(3, 'denied: kill_switch'), a(4, 'denied: feed'), a(5, 'denied: feed'), a(5, 'denied: feed')], 10);
    expect(rows.map((r) => [r.seq, r.title, r.count])).toEqual([[5, 'denied: feed', 2], [3, 'denied: kill_switch', 1], [2, 'denied: feed', 2]]);
    expect(rows[0]!.firstMs).toBe(T0 + 4);
    expect(collapseAlerts(Array.from({ length: 40 }, (_, i) => a(i, `t${i}`)), 12)).toHaveLength(12);
  });
});

describe('server clock anchor', () => {
  it('keeps the anchor while samples agree, moves it when they do not, and follows the clock rate', () => {
    const a = { serverMs: 1_000_000, clientMs: 500, rate: 1 };
    expect(serverNowAt(a, 1_500)).toBe(1_001_000);
    expect(nextAnchor(a, { serverMs: 1_003_100, clientMs: 3_500, rate: 1 })).toBe(a);
    const moved = nextAnchor(a, { serverMs: 1_004_000, clientMs: 3_500, rate: 1 });
    expect(moved.serverMs).toBe(1_004_000);
    expect(nextAnchor(null, a)).toBe(a);
    const fast = { serverMs: 0, clientMs: 0, rate: 10 };
    expect(serverNowAt(fast, 1_000)).toBe(10_000);
    expect(nextAnchor(a, fast)).toBe(fast);
  });
});
