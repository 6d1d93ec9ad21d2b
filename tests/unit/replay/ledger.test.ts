/**
 * The replay ledger collector: which bus events become entries, the per (strategy, token) position fold behind the
 * settlement entries, the flush of working orders at the end, and the hash (covers every entry, in order).
 */
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import type { TrackedOrder } from '../../../bot/execution/order-tracker';
import { LedgerCollector } from '../../../bot/replay/ledger';

const UP = '111';
const DOWN = '222';
const W = 'btc-updown-5m-1776327600';

function rig() {
  const clock = new SimClock(1_776_327_600_000);
  const bus = new EventBus({ clock });
  const orders = new Map<string, TrackedOrder>();
  const ledger = new LedgerCollector({ bus, order: (id) => orders.get(id), outcomeOf: (t) => (t === UP ? 'up' : t === DOWN ? 'down' : undefined) });
  const order = (clientId: string, tag: string, state: TrackedOrder['state'], filledSize: number): TrackedOrder => {
    const o = { clientId, clientTag: tag, strategyId: tag.split('|')[0]!, windowSlug: W, tokenId: UP, side: 'BUY', price: 0.6, size: 10, orderType: 'GTC', postOnly: true, state, filledSize, createdMs: 0, updatedMs: 0, conditionId: '0x1' } as TrackedOrder;
    orders.set(clientId, o);
    return o;
  };
  const fill = (tag: string, tradeId: string, tokenId: string, side: 'BUY' | 'SELL', price: number, size: number, feeUsd: number) =>
    bus.publish({ type: 'order.filled', clientId: 'c', clientTag: tag, orderId: 'o', tradeId, tokenId, windowSlug: W, side, price, size, feeUsd, liquidity: 'taker', provisional: false, remaining: 0 });
  return { clock, bus, ledger, order, fill };
}

describe('replay ledger collector', () => {
  it('settles each strategy position at resolution: payout, realised PnL after fees and sells', () => {
    const { bus, ledger, fill } = rig();
    // tb buys 10 Up at 0.60 (fee 0.10), sells 4 at 0.70 (fee 0.05): realised on the sale 4 x 0.10 = 0.40
    fill('tb|w|entry|1', 't1', UP, 'BUY', 0.6, 10, 0.1);
    fill('tb|w|tp|2', 't2', UP, 'SELL', 0.7, 4, 0.05);
    // hm buys 5 Down at 0.30 (no fee)
    fill('hm|w|fok|1', 't3', DOWN, 'BUY', 0.3, 5, 0);
    bus.publish({ type: 'market.resolved', slug: W, winner: 'up', winningTokenId: UP });
    const settles = ledger.entries.filter((e) => e.kind === 'settle');
    expect(settles).toHaveLength(2);
    const hm = settles.find((e) => e.strategyId === 'hm')!;
    const tb = settles.find((e) => e.strategyId === 'tb')!;
    // hm: lost 5 x 0.30 = 1.50
    expect(hm).toMatchObject({ won: false, shares: 5, payoutUsd: 0, outcome: 'down' });
    expect(hm.kind === 'settle' && hm.realizedUsd).toBeCloseTo(-1.5, 12);
    // tb: 6 shares left at 0.60 pay 6; PnL = 0.40 (sale) + 6 − 3.60 (cost left) − 0.15 (fees) = 2.65
    expect(tb).toMatchObject({ won: true, shares: 6, payoutUsd: 6, outcome: 'up' });
    expect(tb.kind === 'settle' && tb.realizedUsd).toBeCloseTo(2.65, 12);
    expect(ledger.openPositions()).toHaveLength(0);
  });

  it('records terminal orders once, flushes working ones at the end, keeps final decisions only', () => {
    const { bus, ledger, order } = rig();
    order('c1', 'tb|w|entry|1', 'filled', 10);
    order('c2', 'tb|w|entry|2', 'live', 0);
    bus.publish({ type: 'order.state', clientId: 'c1', clientTag: 'tb|w|entry|1', state: 'filled', prevState: 'live' });
    bus.publish({ type: 'order.state', clientId: 'c1', clientTag: 'tb|w|entry|1', state: 'filled', prevState: 'live' });
    bus.publish({ type: 'order.state', clientId: 'c2', clientTag: 'tb|w|entry|2', state: 'live', prevState: 'submitted' });
    const rec = { strategyId: 'hm', strategyType: 'hammer', windowSlug: W, atMs: 0 };
    bus.publish({ type: 'strategy.decision', record: { ...rec, action: 'evaluated', reason: 'ev<=0' } });
    bus.publish({ type: 'strategy.decision', record: { ...rec, action: 'traded', reason: 'fok', outcome: 'up', up: { pHat: 0.8, ask: 0.6, ev: 0.18 } } });
    ledger.finish(1_776_327_900_000);
    const kinds = ledger.entries.map((e) => `${e.kind}:${'clientTag' in e ? e.clientTag : e.kind === 'decision' ? e.action : ''}`);
    expect(kinds).toEqual(['order:tb|w|entry|1', 'decision:traded', 'order:tb|w|entry|2']);
    const d = ledger.entries[1]!;
    expect(d).toMatchObject({ kind: 'decision', pHat: 0.8, ev: 0.18, ask: 0.6, outcome: 'up' });
  });

  it('the hash covers every entry in order', () => {
    const a = rig();
    const b = rig();
    a.fill('tb|w|entry|1', 't1', UP, 'BUY', 0.6, 10, 0.1);
    a.fill('tb|w|entry|1', 't2', UP, 'BUY', 0.61, 1, 0);
    b.fill('tb|w|entry|1', 't2', UP, 'BUY', 0.61, 1, 0);
    b.fill('tb|w|entry|1', 't1', UP, 'BUY', 0.6, 10, 0.1);
    expect(a.ledger.hash()).not.toBe(b.ledger.hash());
    const c = rig();
    c.fill('tb|w|entry|1', 't1', UP, 'BUY', 0.6, 10, 0.1);
    c.fill('tb|w|entry|1', 't2', UP, 'BUY', 0.61, 1, 0);
    expect(c.ledger.hash()).toBe(a.ledger.hash());
  });
});
