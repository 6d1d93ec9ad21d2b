/**
 * Live venue against the simulator over real sockets: startup reconciliation, a post-only GTC round trip
 * (live -> cancel), a FOK taker fill that ends CONFIRMED with the ledger equal to the simulator's, and the plain
 * clob-client-v2 path (createAndPostOrder + cancelOrder) against the same endpoints.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Wallet } from '@ethersproject/wallet';
import { ClobClient, OrderType, Side } from '@polymarket/clob-client-v2';
import { orderMarketInfo } from '../../../bot/markets';
import { obtainApiCreds } from '../../../bot/execution';
import { DAY0_MS, readyLive, startStack, waitFor, type Stack } from './harness';
import { ClobPublicClient } from '../../../bot/http';
import { expectInvariants } from './invariants';

describe('live venue on the simulator', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack({ mode: 'live', kinds: ['5m'], startMs: DAY0_MS + 30_000 });
    await s.start();
  });
  afterAll(async () => s?.stop());

  it('reconciles before the first order and reports ready', async () => {
    await readyLive(s);
    expect(s.events.some((e) => e.type === 'reconcile.completed' && e.ok)).toBe(true);
    expectInvariants(s);
  });

  it('create-then-derive: the wallet already has a key, so create is refused (400) and derive (SDK L1 headers) returns it', async () => {
    const c = await obtainApiCreds({ host: s.sim.urls.clob, privateKey: '0x' + '42'.repeat(32), nowSec: Math.floor(s.clock.nowMs() / 1000) });
    expect(c.how).toBe('derived');
    expect(c.creds).toEqual(s.creds);
    expectInvariants(s);
  });

  it('verifies the REST /book summary hash and the best-level computation on the venue payload', async () => {
    const { up } = await readyLive(s);
    const r = await new ClobPublicClient(s.sim.urls.clob).bookChecked(up);
    expect(r.ok && r.value.hashOk).toBe(true);
    if (r.ok) {
      const bestBid = Math.max(...r.value.bids.map((l) => Number(l.price)));
      expect(s.marketFeed.book(up)!.bestBid()).toBe(bestBid);
    }
    expectInvariants(s);
  });

  it('places a post-only GTC, sees it live on the user socket, cancels it', async () => {
    const { slug } = await readyLive(s);
    const rec = s.catalog.get(slug)!;
    const market = orderMarketInfo(rec, 'up');
    const r = await s.engine.place({ clientTag: 'it|' + slug + '|maker|1', strategyId: 'it', market, side: 'BUY', price: 0.05, size: 10, orderType: 'GTC', postOnly: true });
    expect(r.ok && r.outcome.kind).toBe('accepted');
    const o = s.tracker.getByTag('it|' + slug + '|maker|1')!;
    await waitFor(() => o.state === 'live', 'order live');
    expect(s.sim.model.exchange.orders.get(o.orderId!)?.status).toBe('LIVE');
    expect(await s.engine.cancel(o.clientTag)).toBe(true);
    expect(o.state).toBe('canceled');
    expect(s.sim.model.exchange.orders.get(o.orderId!)?.status).toBe('CANCELED');
    expect(s.journal.log.indexOf(`order:${o.clientId}:submitted`)).toBeGreaterThanOrEqual(0);
    expectInvariants(s);
  });

  it('fills a FOK taker, confirms it, and the position equals the simulator ledger', async () => {
    const { slug, up } = await readyLive(s);
    const rec = s.catalog.get(slug)!;
    const ask = Math.min(0.99, Number((s.marketFeed.book(up)!.bestAsk()! + 0.02).toFixed(2)));
    const r = await s.engine.place({ clientTag: 'it|' + slug + '|fok|1', strategyId: 'it', market: orderMarketInfo(rec, 'up'), side: 'BUY', price: ask, usd: 10, orderType: 'FOK', postOnly: false });
    expect(r.ok && r.outcome.kind === 'accepted' && r.outcome.status).toBe('matched');
    const o = s.tracker.getByTag('it|' + slug + '|fok|1')!;
    await s.advance(8_000, 1_000);
    await waitFor(() => s.tracker.allFills().some((f) => f.orderId === o.orderId && f.status === 'CONFIRMED'), 'fill confirmed');
    const pos = s.tracker.positions.get(slug, up)!;
    expect(pos.provisionalShares).toBe(0);
    expect(Math.round(pos.shares * 1e6)).toBe(s.sim.model.ledger.position(s.address.toLowerCase(), up));
    expect(o.state).toBe('filled');
    // order.sent once, when the request left (after submitted, before the venue's answer): the latency metrics' mark.
    const mine = s.events.filter((e) => 'clientId' in e && e.clientId === o.clientId).map((e) => (e.type === 'order.state' ? e.state : e.type));
    expect(mine.filter((t) => t === 'order.sent')).toHaveLength(1);
    expect(mine.indexOf('order.sent')).toBeGreaterThan(mine.indexOf('submitted'));
    expect(mine.indexOf('order.sent')).toBeLessThan(mine.indexOf('filled'));
    expectInvariants(s);
  });

  it('B16: a resting maker bid filled by the crowd (incl. complementary matches) keeps the ledger equal to the venue', async () => {
    const { slug, up } = await readyLive(s);
    const rec = s.catalog.get(slug)!;
    const bid = s.marketFeed.book(up)!.bestBid()!;
    const tag = 'it|' + slug + '|maker|b16';
    const r = await s.engine.place({ clientTag: tag, strategyId: 'it', market: orderMarketInfo(rec, 'up'), side: 'BUY', price: bid, size: 20, orderType: 'GTC', postOnly: true });
    expect(r.ok && r.outcome.kind).toBe('accepted');
    const o = s.tracker.getByTag(tag)!;
    for (let i = 0; i < 90 && o.filledSize === 0; i++) await s.advance(1_000, 1_000);
    expect(o.filledSize).toBeGreaterThan(0);
    if (o.state !== 'filled') await s.engine.cancel(tag);
    await s.advance(8_000, 1_000);
    const fills = s.tracker.allFills().filter((f) => f.orderId === o.orderId);
    expect(fills.every((f) => f.liquidity === 'maker' && f.side === 'BUY' && f.tokenId === up)).toBe(true);
    expect(Math.round(s.tracker.positions.get(slug, up)!.shares * 1e6)).toBe(s.sim.model.ledger.position(s.account, up));
    expectInvariants(s);
  });

  it('round-trips an order through clob-client-v2 (plain path) against the same endpoints', async () => {
    const { slug, up } = await readyLive(s);
    const sdk = new ClobClient({ host: s.sim.urls.clob, chain: 137, signer: new Wallet('0x' + '42'.repeat(32)) as never, creds: s.creds, signatureType: 0, throwOnError: true });
    const resp = await sdk.createAndPostOrder({ tokenID: up, price: 0.04, size: 10, side: Side.BUY }, { tickSize: '0.01', negRisk: false }, OrderType.GTC, true);
    expect(resp.success).toBe(true);
    expect(resp.status).toBe('live');
    const open = await sdk.getOpenOrders({ asset_id: up });
    expect(open.some((x: { id: string }) => x.id === resp.orderID)).toBe(true);
    const c = await sdk.cancelOrder({ orderID: resp.orderID });
    expect(c.canceled).toContain(resp.orderID);
    void slug;
  });
});

describe('live venue with a funder wallet (signature type 2, Gnosis Safe)', () => {
  let s: Stack;
  const funder = '0x' + 'f0'.repeat(20);
  beforeAll(async () => {
    s = await startStack({ mode: 'live', kinds: ['5m'], startMs: DAY0_MS + 30_000, signatureType: 2, funder });
    await s.start();
  });
  afterAll(async () => s?.stop());

  it('signs with the EOA, trades for the funder, and the funder ledger matches', async () => {
    const { slug, up } = await readyLive(s);
    const rec = s.catalog.get(slug)!;
    const price = Math.min(0.99, Number((s.marketFeed.book(up)!.bestAsk()! + 0.02).toFixed(2)));
    const r = await s.engine.place({ clientTag: 'sig2|' + slug + '|fok|1', strategyId: 'it', market: orderMarketInfo(rec, 'up'), side: 'BUY', price, usd: 10, orderType: 'FOK', postOnly: false });
    expect(r.ok && r.outcome.kind === 'accepted' && r.outcome.status).toBe('matched');
    await s.advance(8_000, 1_000);
    const o = s.tracker.getByTag('sig2|' + slug + '|fok|1')!;
    await waitFor(() => s.tracker.allFills().some((f) => f.orderId === o.orderId && f.status === 'CONFIRMED'), 'confirmed');
    expect(s.sim.model.ledger.position(funder, up)).toBeGreaterThan(0);
    expect(Math.round(s.tracker.positions.get(slug, up)!.shares * 1e6)).toBe(s.sim.model.ledger.position(funder, up));
    expectInvariants(s);
  });
});
