import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { FeedGate } from '../../../bot/feeds';
import { Prng } from '../../../bot/util/prng';
import { Backoff, FeedHealth } from '../../../bot/net';
import { ReferenceStore } from '../../../bot/core';
import { fillStatus, tradeToFills } from '../../../bot/execution';

describe('FeedHealth watchdog', () => {
  it('goes stale on silence while open (pongs are not data), calls onStall, recovers on data', () => {
    const clock = new SimClock(0);
    const bus = new EventBus({ clock });
    const stalls: number[] = [];
    const h = new FeedHealth({ name: 'clob-market', clock, bus, staleMs: 3000, onStall: (a) => stalls.push(a) });
    const ev: string[] = [];
    bus.onAny((e) => e.type !== 'feed.health' && ev.push(e.type));
    h.start();
    h.setState('open');
    h.message();
    expect(h.stale).toBe(false);
    clock.advanceBy(3000);
    expect(h.stale).toBe(false);
    clock.advanceBy(1000);
    expect(h.stale).toBe(true);
    expect(stalls.length).toBe(1);
    h.message();
    expect(h.stale).toBe(false);
    expect(ev).toEqual(['feed.stale', 'feed.recovered']);
    for (let i = 0; i < 10; i++) {
      clock.advanceBy(100);
      h.message();
    }
    expect(h.msgsPerSec()).toBeGreaterThan(0);
    h.stop();
  });
});

describe('FeedGate', () => {
  it('blocks on a stale market feed, enters degraded mode when only spot is alive, honours allowDegraded', () => {
    const clock = new SimClock(0);
    const bus = new EventBus({ clock });
    const g = new FeedGate({ bus, reference: 'polybolt', allowDegraded: false });
    expect(g.blockReason()).toMatch(/market feed stale/);
    bus.publish({ type: 'feed.recovered', feed: 'clob-market' });
    expect(g.blockReason()).toMatch(/reference and spot/);
    bus.publish({ type: 'feed.recovered', feed: 'spot' });
    expect(g.isDegraded()).toBe(true);
    expect(g.blockReason()).toMatch(/degraded/);
    g.setAllowDegraded(true);
    expect(g.blockReason()).toBeUndefined();
    g.setAllowDegraded(false);
    bus.publish({ type: 'feed.recovered', feed: 'polybolt' });
    expect(g.isDegraded()).toBe(false);
    expect(g.blockReason()).toBeUndefined();
    g.dispose();
  });
});

describe('Backoff', () => {
  it('is jittered, capped, floored and yields to Retry-After', () => {
    const b = new Backoff(new Prng(7), { baseMs: 100, capMs: 1000, floorMs: 50 });
    const ds = Array.from({ length: 20 }, () => b.next());
    expect(Math.max(...ds)).toBeLessThanOrEqual(1000);
    expect(Math.min(...ds)).toBeGreaterThanOrEqual(50);
    expect(b.next(5000)).toBe(5000);
  });
});

describe('ReferenceStore', () => {
  it('takes the TWAP at an instant from the sample at/before it, else the live 60 s mean', () => {
    const r = new ReferenceStore(100);
    for (let i = 0; i < 70; i++) r.addLive(1000 * i, 100 + i);
    expect(r.twapAt(65_000)?.source).toBe('live-mean');
    r.addTwap(59_000, 1);
    r.addTwap(60_000, 2);
    r.addTwap(61_000, 3);
    expect(r.twapAt(60_000)).toEqual({ price: 2, source: 'twap' });
    r.addTwap(10_000, 9);
    expect(r.twap.dropped).toBe(1);
  });
});

describe('user trade normalisation', () => {
  const base = {
    event_type: 'trade' as const, id: 'T', taker_order_id: '0xT', market: '0x' + 'cd'.repeat(32), asset_id: '1', side: 'BUY' as const,
    size: '10', price: '0.53', owner: 'other', timestamp: '1791241812', status: 'MATCHED' as const,
    maker_orders: [{ order_id: '0xM', owner: 'me', matched_amount: '10', price: '0.53', asset_id: '1', side: 'SELL' as const }],
  };
  it('yields our maker fill, or our taker fill, never someone else’s', () => {
    expect(tradeToFills(base, { apiKey: 'me', isOurOrder: () => false })).toEqual([
      expect.objectContaining({ orderId: '0xM', side: 'SELL', size: 10, liquidity: 'maker', tsMs: 1791241812000, feeUsd: 0 }),
    ]);
    expect(tradeToFills(base, { apiKey: 'x', isOurOrder: (id) => id === '0xT' })).toEqual([expect.objectContaining({ orderId: '0xT', liquidity: 'taker', side: 'BUY' })]);
    expect(tradeToFills(base, { apiKey: 'x', isOurOrder: () => false })).toEqual([]);
    // B16: our BUY Up maker order matched by a taker BUY of Down (complementary): side inferred as BUY, token Up.
    const cross = { ...base, asset_id: '2', maker_orders: [{ order_id: '0xM', owner: 'me', matched_amount: '10', price: '0.47', asset_id: '1' }] };
    expect(tradeToFills(cross, { apiKey: 'me', isOurOrder: () => false })).toEqual([expect.objectContaining({ tokenId: '1', side: 'BUY', price: 0.47 })]);
    expect(fillStatus('TRADE_STATUS_CONFIRMED')).toBe('CONFIRMED');
    expect(fillStatus('TRADE_STATUS_MATCHED_NOT_BROADCASTED')).toBe('MATCHED');
  });
});
