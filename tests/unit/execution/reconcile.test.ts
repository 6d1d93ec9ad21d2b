import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { ExecutionEngine, MemoryJournal, OrderTracker, reconcile, type Venue } from '../../../bot/execution';
import { DEFAULT_CRYPTO_FEES, type OrderMarketInfo, type VenueFill, type VenueOrder } from '../../../bot/core';

const market: OrderMarketInfo = { windowSlug: 'w', conditionId: 'c', tokenId: 'U', tickSize: '0.01', minOrderSize: 5, negRisk: false, version: 'v1', fees: DEFAULT_CRYPTO_FEES };
const vo = (orderId: string, status: VenueOrder['status'], sizeMatched = 0): VenueOrder => ({ orderId, tokenId: 'U', conditionId: 'c', side: 'BUY', price: 0.5, originalSize: 10, sizeMatched, status, tsMs: 0 });

function fakeVenue(open: VenueOrder[], byId: Record<string, VenueOrder>, fills: VenueFill[], fail = false) {
  const canceled: string[] = [];
  const v: Venue = {
    kind: 'live',
    setListener: () => {},
    prepare: () => { throw new Error('no'); },
    send: async () => { throw new Error('no sends during reconciliation'); },
    cancel: async (ids) => { canceled.push(...ids); return { canceled: [...ids], notCanceled: {} }; },
    cancelAll: async () => ({ canceled: [], notCanceled: {} }),
    getOrder: async (id) => byId[id],
    openOrders: async () => { if (fail) throw new Error('HTTP 500'); return open; },
    fills: async () => fills,
  };
  return { v, canceled };
}

function setup(journal = new MemoryJournal()) {
  const clock = new SimClock(0);
  const bus = new EventBus({ clock });
  const tracker = new OrderTracker({ clock, bus, journal, tokenInfo: () => ({ windowSlug: 'w', fees: DEFAULT_CRYPTO_FEES }) });
  return { clock, bus, tracker, journal };
}

describe('startup reconciliation', () => {
  it('restores the journal, cancels orphans, resolves unknown orders, replays trades once, then allows trading', async () => {
    const a = setup();
    const mk = (tag: string, id?: string) => {
      const o = a.tracker.create({ clientTag: tag, strategyId: 's', market, side: 'BUY', price: 0.5, size: 10, orderType: 'GTC', postOnly: true });
      if (id) a.tracker.markSubmitted(o.clientId, id);
      return o;
    };
    mk('s|w|a|1', '0xlive');
    mk('s|w|a|2', '0xsent-unknown');
    mk('s|w|a|3');
    // "restart": a new tracker over the same journal
    const b = setup(a.journal);
    const fill: VenueFill = { tradeId: 't1', orderId: '0xlive', tokenId: 'U', conditionId: 'c', side: 'BUY', price: 0.5, size: 4, liquidity: 'maker', status: 'CONFIRMED', feeUsd: 0, tsMs: 0 };
    const { v, canceled } = fakeVenue([vo('0xlive', 'LIVE', 4), vo('0xorphan', 'LIVE')], { '0xsent-unknown': vo('0xsent-unknown', 'MATCHED', 10) }, [fill, fill]);
    const engine = new ExecutionEngine({ clock: b.clock, bus: b.bus, tracker: b.tracker, venue: v });
    expect(engine.denyReason({ clientTag: 'x', strategyId: 's', market, side: 'BUY', price: 0.5, size: 10, orderType: 'GTC', postOnly: true })).toMatch(/not ready/);
    const r = await reconcile({ bus: b.bus, tracker: b.tracker, venue: v, engine, restore: true });
    expect(r).toMatchObject({ ok: true, openOrders: 2, canceledOrphans: 1, trades: 1 });
    expect(canceled).toEqual(['0xorphan']);
    expect(b.tracker.getByTag('s|w|a|1')!.state).toBe('partial');
    expect(b.tracker.getByTag('s|w|a|2')!.state).toBe('filled');
    expect(b.tracker.getByTag('s|w|a|3')!.state).toBe('rejected');
    expect(b.tracker.positions.get('w', 'U')!.shares).toBe(4);
    expect(engine.ready).toBe(true);
  });

  it('refuses to trade when the venue snapshot is incomplete', async () => {
    const a = setup();
    const { v } = fakeVenue([], {}, [], true);
    const engine = new ExecutionEngine({ clock: a.clock, bus: a.bus, tracker: a.tracker, venue: v });
    const r = await reconcile({ bus: a.bus, tracker: a.tracker, venue: v, engine, restore: true });
    expect(r.ok).toBe(false);
    expect(engine.ready).toBe(false);
    expect(engine.denyReason({ clientTag: 'x', strategyId: 's', market, side: 'BUY', price: 0.5, size: 10, orderType: 'GTC', postOnly: true })).toMatch(/reconciliation incomplete/);
  });

  it('adopts orphans when configured not to cancel them', async () => {
    const a = setup();
    const { v, canceled } = fakeVenue([vo('0xorphan', 'LIVE')], {}, []);
    const r = await reconcile({ bus: a.bus, tracker: a.tracker, venue: v, cancelOrphans: false });
    expect(r.adopted).toBe(1);
    expect(canceled).toEqual([]);
    expect(a.tracker.getByOrderId('0xorphan')!.state).toBe('live');
  });
});
