/**
 * The per-series and per-asset parts of the trading snapshot (bot/views/trading-series.ts) over several assets and
 * window lengths (BTC 5m and hourly, ETH 15m and a switched-off ETH 5m) on a fixed clock: each series' window from its
 * own slug scheme, the slug prefix/suffix the browser filter matches rows by, catalog state and books read per series,
 * resolutions landing on their own series only, and each asset's reference read from its own store with its own age.
 */
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { OrderBook } from '../../../bot/core/order-book';
import { ReferenceSet } from '../../../bot/core/reference-set';
import type { WindowRecord } from '../../../bot/markets';
import { assetViews, ResolvedLog, seriesViews, type SeriesSessionView } from '../../../bot/views/trading-series';
import { TradingView } from '../../../bot/views/trading-snapshot';
import { defaultRuntimeConfig, type SeriesConfig } from '../../../lib/schemas/config';
import { botEventSchema, type BotEvent } from '../../../lib/schemas/events';
import { tradingSnapshotSchema } from '../../../lib/schemas/trading';

const T0 = 1_795_242_123_456; // 2026-11-21 06:22:03.456 UTC = 01:22 ET
const S5 = 1_795_242_000_000; // 06:20 UTC
const S15 = 1_795_241_700_000; // 06:15 UTC
const S1H = 1_795_240_800_000; // 06:00 UTC = 1 am ET
const SERIES: SeriesConfig[] = [
  { asset: 'btc', windowSec: 300, enabled: true },
  { asset: 'eth', windowSec: 900, enabled: true },
  { asset: 'btc', windowSec: 3_600, enabled: true },
  { asset: 'eth', windowSec: 300, enabled: false },
];

function rec(asset: string, kind: string, startMs: number, lenMs: number, slug: string, over: Partial<WindowRecord> = {}): WindowRecord {
  return {
    window: { asset, kind, startMs, endMs: startMs + lenMs, slug },
    state: 'open', eventId: `e-${slug}`, conditionId: `c-${slug}`, upTokenId: `${slug}:up`, downTokenId: `${slug}:down`, tickSize: 0.01, minOrderSize: 5,
    negRisk: false, version: 'v2', fees: { rate: 0, exponent: 1, takerOnly: true },
    ...over,
  } as WindowRecord;
}

function session(records: WindowRecord[], books: Map<string, OrderBook>, references: ReferenceSet, hasRefFeed = true): SeriesSessionView {
  return {
    catalog: { all: () => records, get: (slug) => records.find((r) => r.window.slug === slug) },
    marketFeed: { book: (t) => books.get(t) },
    references,
    refFeed: hasRefFeed ? {} : undefined,
  };
}

const ev = (e: Record<string, unknown>): BotEvent => botEventSchema.parse({ seq: 1, tsEventMs: T0, tsRecvMs: T0, ...e });

describe('seriesViews', () => {
  it('gives every configured series its own current window, slug scheme and filter prefix, with no session', () => {
    const views = seriesViews(SERIES, undefined, new ResolvedLog(), T0);
    expect(views.map((v) => [v.key, v.asset, v.kind, v.windowSec, v.enabled, v.settlement, v.current.slug, v.current.startMs, v.current.endMs])).toEqual([
      ['btc-300', 'btc', '5m', 300, true, 'twap60', 'btc-updown-5m-1795242000', S5, S5 + 300_000],
      ['eth-900', 'eth', '15m', 900, true, 'twap60', 'eth-updown-15m-1795241700', S15, S15 + 900_000],
      ['btc-3600', 'btc', '1h', 3_600, true, 'spot-candle', 'bitcoin-up-or-down-november-21-1am-et', S1H, S1H + 3_600_000],
      ['eth-300', 'eth', '5m', 300, false, 'twap60', 'eth-updown-5m-1795242000', S5, S5 + 300_000],
    ]);
    for (const v of views) {
      expect(v.current.slug.startsWith(v.slugPrefix) && v.current.slug.endsWith(v.slugSuffix)).toBe(true);
      expect(v.current.state).toBeNull();
      expect(v.next).toBeNull();
    }
    // A prefix never claims another series' slugs (BTC 5m vs ETH 5m, BTC 5m vs BTC hourly).
    const claims = (slug: string) => views.filter((v) => slug.startsWith(v.slugPrefix) && slug.endsWith(v.slugSuffix)).map((v) => v.key);
    expect(claims('eth-updown-5m-1795242300')).toEqual(['eth-300']);
    expect(claims('btc-updown-15m-1795241700')).toEqual([]);
    expect(claims('bitcoin-up-or-down-december-1-3pm-et')).toEqual(['btc-3600']);
  });

  it('reads each series\' windows, books and last winner from the catalog, never another series\'', () => {
    const btc5 = rec('btc', '5m', S5, 300_000, 'btc-updown-5m-1795242000', { priceToBeat: 97_100, priceToBeatSource: 'twap' });
    const btc5next = rec('btc', '5m', S5 + 300_000, 300_000, 'btc-updown-5m-1795242300', { state: 'discovered' });
    const btc5prev = rec('btc', '5m', S5 - 300_000, 300_000, 'btc-updown-5m-1795241700', { state: 'resolved', winner: 'down' });
    const eth15 = rec('eth', '15m', S15, 900_000, 'eth-updown-15m-1795241700', { state: 'closing', priceToBeat: 3_412.5, priceToBeatSource: 'twap' });
    const eth15prev = rec('eth', '15m', S15 - 900_000, 900_000, 'eth-updown-15m-1795240800', { state: 'resolved', winner: 'up' });
    const hourly = rec('btc', '1h', S1H, 3_600_000, 'bitcoin-up-or-down-november-21-1am-et', { priceToBeat: 97_000, priceToBeatSource: 'gamma' });
    const up = new OrderBook(btc5.upTokenId);
    up.applySnapshot([{ price: 0.55, size: 120 }], [{ price: 0.57, size: 80 }], T0);
    const stack = session([btc5, btc5next, btc5prev, eth15, eth15prev, hourly], new Map([[btc5.upTokenId, up]]), new ReferenceSet('btc', ['eth']));
    const [b5, e15, b1h, e5] = seriesViews(SERIES, stack as never, new ResolvedLog(), T0);
    expect(b5!.current).toMatchObject({ state: 'open', priceToBeatUsd: 97_100, priceToBeatSource: 'twap', up: { tokenId: btc5.upTokenId, bestBid: 0.55, bestAsk: 0.57, bidSize: 120, askSize: 80 }, down: null });
    expect(b5!.next).toMatchObject({ slug: 'btc-updown-5m-1795242300', state: 'discovered' });
    expect(b5!.lastResolved).toEqual({ slug: 'btc-updown-5m-1795241700', endMs: S5, winner: 'down' });
    expect(e15!.current).toMatchObject({ state: 'closing', priceToBeatUsd: 3_412.5, up: null });
    expect(e15!.next).toBeNull();
    expect(e15!.lastResolved).toEqual({ slug: 'eth-updown-15m-1795240800', endMs: S15, winner: 'up' });
    expect(b1h!.current).toMatchObject({ slug: 'bitcoin-up-or-down-november-21-1am-et', priceToBeatUsd: 97_000, priceToBeatSource: 'gamma' });
    expect(b1h!.lastResolved).toBeNull();
    expect(e5!.current.state).toBeNull(); // switched off and not in the catalog: identity from the clock only
  });

  it('files bus resolutions under their own series: hourly slugs by the event time, listing slugs by their discovery', () => {
    const log = new ResolvedLog();
    log.onResolved(ev({ type: 'market.resolved', slug: 'eth-updown-15m-1795240800', winner: 'up', winningTokenId: 'u' }) as never);
    log.onResolved(ev({ type: 'market.resolved', slug: 'bitcoin-up-or-down-november-21-12am-et', winner: 'down', winningTokenId: 'd' }) as never);
    log.onDiscovered(ev({ type: 'market.discovered', slug: 'sol-daily-listing-77', kind: '1d', asset: 'sol', conditionId: 'c', upTokenId: 'a', downTokenId: 'b', startMs: T0 - 86_400_000 * 2, endMs: T0 - 86_400_000, tickSize: 0.01, minOrderSize: 5, version: 'v2' }) as never);
    log.onResolved(ev({ type: 'market.resolved', slug: 'sol-daily-listing-77', winner: 'up', winningTokenId: 'a' }) as never);
    log.onResolved(ev({ type: 'market.resolved', slug: 'not-a-window', winner: 'up', winningTokenId: 'x' }) as never);
    expect(log.get('eth-900')).toEqual({ slug: 'eth-updown-15m-1795240800', endMs: S15, winner: 'up' });
    expect(log.get('btc-900')).toBeUndefined();
    expect(log.get('btc-3600')).toEqual({ slug: 'bitcoin-up-or-down-november-21-12am-et', endMs: S1H, winner: 'down' });
    expect(log.get('sol-86400')).toEqual({ slug: 'sol-daily-listing-77', endMs: T0 - 86_400_000, winner: 'up' });
    // An older resolution never replaces a newer one of the same series.
    log.onResolved(ev({ type: 'market.resolved', slug: 'eth-updown-15m-1795239900', winner: 'down', winningTokenId: 'd' }) as never);
    expect(log.get('eth-900')!.slug).toBe('eth-updown-15m-1795240800');
    const [, e15, b1h] = seriesViews(SERIES, undefined, log, T0);
    expect(e15!.lastResolved?.winner).toBe('up');
    expect(b1h!.lastResolved?.winner).toBe('down');
  });
});

describe('assetViews', () => {
  it('reads each asset from its own reference store, with its own age and stale flag', () => {
    const refs = new ReferenceSet('btc', ['eth']);
    refs.get('btc')!.addLive(T0 - 1_500, 97_123.45, T0 - 1_000);
    refs.get('btc')!.addTwap(T0 - 1_500, 97_120, T0 - 1_000);
    refs.get('btc')!.setSpot(T0 - 200, 97_130.1);
    refs.get('eth')!.addLive(T0 - 9_500, 3_410.25, T0 - 9_000);
    const views = assetViews(SERIES, session([], new Map(), refs) as never, T0, 5_000);
    expect(views).toEqual([
      { asset: 'btc', live: { priceUsd: 97_123.45, tsMs: T0 - 1_500 }, twap: { priceUsd: 97_120, tsMs: T0 - 1_500 }, spot: { priceUsd: 97_130.1, tsMs: T0 - 200 }, refRecvMs: T0 - 1_000, refAgeMs: 1_000, staleAfterMs: 5_000, stale: false },
      { asset: 'eth', live: { priceUsd: 3_410.25, tsMs: T0 - 9_500 }, twap: null, spot: null, refRecvMs: T0 - 9_000, refAgeMs: 9_000, staleAfterMs: 5_000, stale: true },
    ]);
    // With no reference feed at all every asset is stale, whatever its store holds.
    expect(assetViews(SERIES, session([], new Map(), refs, false) as never, T0, 5_000).map((a) => a.stale)).toEqual([true, true]);
    // Without a session: the configured assets, nothing priced.
    expect(assetViews(SERIES, undefined, T0, 5_000).map((a) => [a.asset, a.live, a.stale])).toEqual([['btc', null, true], ['eth', null, true]]);
  });
});

describe('TradingView with several series', () => {
  it('lists every configured series and asset in a snapshot that parses with the shared schema', () => {
    const clock = new SimClock(T0);
    const bus = new EventBus({ clock, historySize: 1_000 });
    const config = { ...defaultRuntimeConfig(), series: SERIES };
    const view = new TradingView({ instanceId: 'multi', bus, clock, config, status: () => ({ state: 'stopped', mode: 'paper', venue: 'sim' }), session: undefined });
    const s = tradingSnapshotSchema.parse(view.snapshot());
    expect(s.series.map((x) => x.key)).toEqual(['btc-300', 'eth-900', 'btc-3600', 'eth-300']);
    expect(s.assets.map((a) => a.asset)).toEqual(['btc', 'eth']);
    view.dispose();
  });
});
