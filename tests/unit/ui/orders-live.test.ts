/**
 * The Orders page's live overlay (components/orders/orders-live.ts): order states and new fills newer than the answer
 * are laid over it; older ones (already in the answer) are not; the overlay stays bounded.
 */
import { describe, expect, it } from 'vitest';
import { applyOrdersEvent, createOrdersOverlay, mergeOrders } from '../../../components/orders/orders-live';
import type { BotEvent } from '../../../lib/schemas/events';
import type { OrdersResponse } from '../../../lib/schemas/orders';

const base = { tsRecvMs: 0 };
const answer = (seq: number): OrdersResponse => ({
  nowMs: 1_000, seq, source: 'session', limit: 200,
  orders: [{ clientTag: 'a|w|entry|1', strategyId: 'a', windowSlug: 'w', outcome: 'up', side: 'BUY', price: 0.4, size: 10, usd: null, filledSize: 0, orderType: 'GTC', postOnly: false, state: 'live', reason: null, createdMs: 1, updatedMs: 1 }],
  ordersTotal: 1, fills: [], fillsTotal: 0,
  positions: [{ windowSlug: 'w', tokenId: 'UP', outcome: 'up', shares: 0, provisionalShares: 0, avgPrice: 0, costUsd: 0, realizedUsd: 0, feesUsd: 0, settled: false, payoutUsd: 0, markPrice: null }],
  positionsTotal: 1, settlements: [], settlementsTotal: 0, equity: { points: [], realizedUsd: 0, unrealizedUsd: null, events: 0 }, strategies: [],
});
const stateEv = (seq: number, state: 'filled' | 'canceled'): BotEvent => ({ ...base, seq, tsEventMs: 500 + seq, type: 'order.state', clientId: 'c', clientTag: 'a|w|entry|1', state, prevState: 'live' });
const fillEv = (seq: number, tradeId: string): BotEvent => ({
  ...base, seq, tsEventMs: 600 + seq, type: 'order.filled', clientId: 'c', clientTag: 'a|w|entry|1', orderId: 'o', tradeId, tokenId: 'UP', windowSlug: 'w', side: 'BUY',
  price: 0.4, size: 10, feeUsd: 0.01, liquidity: 'taker', provisional: true, remaining: 0,
});

describe('orders live overlay', () => {
  it('lays newer order states and fills over the answer, with strategy and outcome filled in', () => {
    const ov = createOrdersOverlay('i');
    expect(applyOrdersEvent(ov, stateEv(11, 'filled'))).toBe(true);
    expect(applyOrdersEvent(ov, fillEv(12, 't1'))).toBe(true);
    const m = mergeOrders(answer(10), ov);
    expect(m.orders[0]!.state).toBe('filled');
    expect(m.fills).toHaveLength(1);
    expect(m.fills[0]).toMatchObject({ tradeId: 't1', strategyId: 'a', outcome: 'up', provisional: true, status: 'MATCHED' });
    expect(m.fillsTotal).toBe(1);
  });

  it('ignores what the answer already holds (seq not newer) and other events', () => {
    const ov = createOrdersOverlay('i');
    applyOrdersEvent(ov, stateEv(9, 'canceled'));
    applyOrdersEvent(ov, fillEv(10, 't0'));
    expect(applyOrdersEvent(ov, { ...base, seq: 13, tsEventMs: 1, type: 'runtime.heartbeat' } as BotEvent)).toBe(false);
    const a = answer(10);
    expect(mergeOrders(a, ov)).toBe(a);
  });

  it('stays bounded under a long stream of fills', () => {
    const ov = createOrdersOverlay('i');
    for (let i = 0; i < 1_000; i++) applyOrdersEvent(ov, fillEv(100 + i, `t${i}`));
    expect(ov.fills.length).toBeLessThanOrEqual(200);
    expect(ov.fills[ov.fills.length - 1]!.tradeId).toBe('t999');
  });
});
