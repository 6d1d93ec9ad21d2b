/**
 * Paper venue over the simulator's live books: taker fills equal the shared fill model's walk of the same book
 * (prices, sizes, taker fees), a maker order queues behind the visible size, and positions settle at resolution.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinQueue, onLevelSize, onOppositeTouch, onTradePrint, walkBook } from '../../../bot/execution';
import { orderMarketInfo } from '../../../bot/markets';
import { DAY0_MS, readyLive, startStack, waitFor, type Stack } from './harness';
import { takerFeeUsd } from '../../../bot/core';
import { expectInvariants } from './invariants';

describe('paper venue on the simulator books', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack({ mode: 'paper', kinds: ['5m'], startMs: DAY0_MS + 20_000 });
    await s.start();
    await readyLive(s);
  });
  afterAll(async () => s?.stop());

  it('fills a FOK BUY exactly as the fill model walks the visible book, charging the real taker fee', async () => {
    const { slug, up } = await readyLive(s);
    const rec = s.catalog.get(slug)!;
    const book = s.marketFeed.book(up)!;
    const asks = book.levels('ask');
    const limit = Math.min(0.99, Number((asks[0]!.price + 0.03).toFixed(2)));
    const usd = Math.min(40, asks.filter((l) => l.price <= limit).reduce((a, l) => a + l.price * l.size, 0) * 0.9);
    const expected = walkBook(asks, 'BUY', limit, usd, rec.fees, { usd: true, allOrNothing: true });
    expect(expected.complete).toBe(true);
    const r = await s.engine.place({ clientTag: `paper|${slug}|fok|1`, strategyId: 'it', market: orderMarketInfo(rec, 'up'), side: 'BUY', price: limit, usd, orderType: 'FOK', postOnly: false });
    expect(r.ok && r.outcome.kind === 'accepted' && r.outcome.status).toBe('matched');
    const o = s.tracker.getByTag(`paper|${slug}|fok|1`)!;
    const fills = s.tracker.allFills().filter((f) => f.orderId === o.orderId);
    expect(fills.map((f) => [f.price, f.size, f.feeUsd])).toEqual(expected.fills.map((f) => [f.price, f.size, f.feeUsd]));
    for (const f of fills) expect(f.feeUsd).toBe(takerFeeUsd(rec.fees, f.size, f.price));
    const pos = s.tracker.positions.get(slug, up)!;
    expect(pos.shares).toBeCloseTo(expected.shares, 6);
    expect(pos.feesUsd).toBeCloseTo(expected.feeUsd, 6);
    expect(o.state).toBe('filled');
    expectInvariants(s);
  });

  it('rejects a FOK that the visible book cannot fill completely', async () => {
    const { slug, up } = await readyLive(s);
    const rec = s.catalog.get(slug)!;
    const ask = s.marketFeed.book(up)!.bestAsk()!;
    const r = await s.engine.place({ clientTag: `paper|${slug}|fok|2`, strategyId: 'it', market: orderMarketInfo(rec, 'up'), side: 'BUY', price: ask, usd: 1_000_000, orderType: 'FOK', postOnly: false });
    expect(r.ok && r.outcome.kind).toBe('rejected');
    expectInvariants(s);
  });

  it('queues a maker bid behind the visible size and fills exactly as the fill model says', async () => {
    const { slug, up } = await readyLive(s);
    const rec = s.catalog.get(slug)!;
    const book = s.marketFeed.book(up)!;
    const bid = book.bestBid()!;
    const tag = `paper|${slug}|maker|1`;
    // Shadow of the fill model fed by the same market-data stream (registered after the paper venue).
    const shadow = joinQueue('BUY', bid, 10, book.sizeAt('bid', bid));
    let shadowFilled = 0;
    s.marketFeed.addListener({
      onTrade: (t, price, size, side) => {
        if (t === up) shadowFilled += onTradePrint(shadow, side, price, size);
      },
      onBook: (t, b) => {
        if (t !== up) return;
        onLevelSize(shadow, b.sizeAt('bid', bid));
        const a = b.top().bestAsk;
        shadowFilled += onOppositeTouch(shadow, a?.price, a?.size ?? 0);
      },
    });
    const r = await s.engine.place({ clientTag: tag, strategyId: 'it', market: orderMarketInfo(rec, 'up'), side: 'BUY', price: bid, size: 10, orderType: 'GTC', postOnly: true });
    expect(r.ok && r.outcome.kind === 'accepted' && r.outcome.status).toBe('live');
    const o = s.tracker.getByTag(tag)!;
    for (let i = 0; i < 90 && o.state !== 'filled'; i++) {
      await s.advance(1_000, 1_000);
      expect(o.filledSize).toBeCloseTo(Math.round(shadowFilled * 100) / 100, 6);
    }
    expect(o.filledSize).toBeGreaterThan(0);
    if (o.state !== 'filled') await s.engine.cancel(tag);
    for (const f of s.tracker.allFills().filter((x) => x.orderId === o.orderId)) {
      expect(f.liquidity).toBe('maker');
      expect(f.feeUsd).toBe(0);
      expect(f.price).toBe(bid);
    }
    expectInvariants(s);
  });

  it('settles paper positions at resolution (winner pays 1, PnL = payout − cost − fees)', async () => {
    const { slug, up } = await readyLive(s);
    const rec = s.catalog.get(slug)!;
    const before = s.tracker.positions.get(slug, up)!;
    await s.advance(rec.window.endMs + 20_000 - s.clock.nowMs(), 2_000);
    await waitFor(() => rec.state === 'resolved', 'resolved');
    const p = s.tracker.positions.get(slug, up)!;
    expect(p.settled).toBe(true);
    const won = rec.winner === 'up';
    expect(p.payoutUsd).toBeCloseTo(won ? before.shares : 0, 6);
    expect(p.realizedUsd).toBeCloseTo(before.realizedUsd + p.payoutUsd - before.costUsd, 6);
    expect(s.events.some((e) => e.type === 'position.settled' && e.windowSlug === slug)).toBe(true);
    expectInvariants(s);
  });
});
