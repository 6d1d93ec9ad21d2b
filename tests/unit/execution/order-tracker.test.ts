import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { DEFAULT_CRYPTO_FEES, takerFeeUsd } from '../../../bot/core/fees';
import { MemoryJournal } from '../../../bot/execution/journal';
import { clientIdFor, saltFor } from '../../../bot/execution/order-state';
import { OrderTracker } from '../../../bot/execution/order-tracker';
import type { OrderMarketInfo, VenueFill } from '../../../bot/core/orders';

const market: OrderMarketInfo = {
  windowSlug: 'btc-updown-5m-1791241200', conditionId: '0x' + 'cd'.repeat(32), tokenId: 'U', tickSize: '0.01',
  minOrderSize: 5, negRisk: false, version: 'v1', fees: DEFAULT_CRYPTO_FEES,
};

function setup() {
  const clock = new SimClock(1791241200_000);
  const bus = new EventBus({ clock });
  const journal = new MemoryJournal();
  const tracker = new OrderTracker({ clock, bus, journal, tokenInfo: () => ({ windowSlug: market.windowSlug, fees: DEFAULT_CRYPTO_FEES }) });
  const events: string[] = [];
  bus.onAny((e) => events.push(e.type));
  return { clock, bus, journal, tracker, events };
}

const fill = (over: Partial<VenueFill> = {}): VenueFill => ({
  tradeId: 't1', orderId: '0xo1', tokenId: 'U', conditionId: market.conditionId, side: 'BUY', price: 0.5, size: 10,
  liquidity: 'taker', status: 'MATCHED', tsMs: 1, ...over,
});

describe('OrderTracker', () => {
  it('derives deterministic client ids and salts', () => {
    expect(clientIdFor('s|w|entry|1')).toBe(clientIdFor('s|w|entry|1'));
    expect(clientIdFor('s|w|entry|1')).not.toBe(clientIdFor('s|w|entry|2'));
    expect(Number.isSafeInteger(saltFor(clientIdFor('x')))).toBe(true);
  });

  it('journals before sending, refuses tag reuse, walks the state table', () => {
    const { tracker, journal } = setup();
    const o = tracker.create({ clientTag: 's|w|e|1', strategyId: 's', market, side: 'BUY', price: 0.5, size: 10, orderType: 'GTC', postOnly: true });
    tracker.markSubmitted(o.clientId, '0xo1', 1);
    expect(journal.log.slice(0, 2)).toEqual([`order:${o.clientId}:created`, `order:${o.clientId}:submitted`]);
    expect(() => tracker.create({ clientTag: 's|w|e|1', strategyId: 's', market, side: 'BUY', price: 0.5, size: 10, orderType: 'GTC', postOnly: true })).toThrow(/reused/);
    tracker.onVenueOrder({ orderId: '0xo1', tokenId: 'U', conditionId: '', side: 'BUY', price: 0.5, originalSize: 10, sizeMatched: 0, status: 'LIVE', tsMs: 1 });
    expect(o.state).toBe('live');
    expect(() => tracker.setState(o, 'created')).toThrow(/illegal/);
  });

  it('de-duplicates fills, keeps them provisional until CONFIRMED, reverses on FAILED', () => {
    const { tracker } = setup();
    const o = tracker.create({ clientTag: 's|w|e|1', strategyId: 's', market, side: 'BUY', price: 0.5, size: 20, orderType: 'GTC', postOnly: false });
    tracker.markSubmitted(o.clientId, '0xo1');
    expect(tracker.onFill(fill())).toBe(true);
    expect(tracker.onFill(fill())).toBe(false);
    expect(tracker.stats.duplicateFills).toBe(1);
    let p = tracker.positions.get(market.windowSlug, 'U')!;
    expect(p.shares).toBe(10);
    expect(p.provisionalShares).toBe(10);
    expect(o.state).toBe('partial');
    tracker.onFill(fill({ status: 'CONFIRMED' }));
    tracker.onFill(fill({ status: 'MATCHED' })); // late, stale
    p = tracker.positions.get(market.windowSlug, 'U')!;
    expect(p.provisionalShares).toBe(0);
    expect(p.shares).toBe(10);
    tracker.onFill(fill({ tradeId: 't2', size: 10, price: 0.6 }));
    expect(o.state).toBe('filled');
    tracker.onFill(fill({ tradeId: 't2', size: 10, price: 0.6, status: 'RETRYING' }));
    tracker.onFill(fill({ tradeId: 't2', size: 10, price: 0.6, status: 'FAILED' }));
    p = tracker.positions.get(market.windowSlug, 'U')!;
    expect(p.shares).toBe(10);
    expect(o.filledSize).toBe(10);
    expect(p.feesUsd).toBeCloseTo(takerFeeUsd(DEFAULT_CRYPTO_FEES, 10, 0.5), 9);
    expect(tracker.stats.reversedFills).toBe(1);
  });

  it('computes realised PnL and settles at resolution', () => {
    const { tracker, events } = setup();
    const o = tracker.create({ clientTag: 's|w|e|1', strategyId: 's', market, side: 'BUY', price: 0.6, size: 10, orderType: 'GTC', postOnly: true });
    tracker.markSubmitted(o.clientId, '0xo1');
    tracker.onFill(fill({ price: 0.6, liquidity: 'maker', status: 'CONFIRMED' }));
    const s = tracker.create({ clientTag: 's|w|tp|1', strategyId: 's', market, side: 'SELL', price: 0.7, size: 4, orderType: 'GTC', postOnly: true });
    tracker.markSubmitted(s.clientId, '0xo2');
    tracker.onFill(fill({ tradeId: 't9', orderId: '0xo2', side: 'SELL', price: 0.7, size: 4, liquidity: 'maker', status: 'CONFIRMED' }));
    let p = tracker.positions.get(market.windowSlug, 'U')!;
    expect(p.shares).toBe(6);
    expect(p.realizedUsd).toBeCloseTo(0.4, 9);
    tracker.settle(market.windowSlug, 'U');
    p = tracker.positions.get(market.windowSlug, 'U')!;
    expect(p.settled).toBe(true);
    expect(p.realizedUsd).toBeCloseTo(0.4 + 6 * (1 - 0.6), 9);
    expect(tracker.settle(market.windowSlug, 'U')).toEqual([]);
    expect(events).toContain('position.settled');
  });

  it('restores orders and the ledger from the journal', () => {
    const a = setup();
    const o = a.tracker.create({ clientTag: 's|w|e|1', strategyId: 's', market, side: 'BUY', price: 0.5, size: 10, orderType: 'GTC', postOnly: false });
    a.tracker.markSubmitted(o.clientId, '0xo1');
    a.tracker.onFill(fill({ status: 'CONFIRMED' }));
    const clock = new SimClock(0);
    const b = new OrderTracker({ clock, bus: new EventBus({ clock }), journal: a.journal, tokenInfo: () => undefined });
    b.restore();
    expect(b.getByOrderId('0xo1')?.clientTag).toBe('s|w|e|1');
    expect(b.positions.get(market.windowSlug, 'U')?.shares).toBe(10);
    expect(b.onFill(fill({ status: 'CONFIRMED' }))).toBe(false);
  });
});
