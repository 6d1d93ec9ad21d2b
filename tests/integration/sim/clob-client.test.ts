/**
 * Acceptance: an order built and signed by @polymarket/clob-client-v2 with a fresh random wallet is accepted,
 * matched and reported on the user socket (MATCHED -> MINED -> CONFIRMED); tampered signature, wrong tick, size
 * under the minimum and a crossing post-only order are rejected with the venue's messages.
 */
import { Wallet } from '@ethersproject/wallet';
import { ClobClient, OrderType, Side } from '@polymarket/clob-client-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import * as P from '../../../bot/protocol';
import { startSim, type SimHandle } from '../../../bot/sim';
import { advance, getJson, WsProbe } from './helpers';

const START_MS = 1791241200000 + 120_000;
let sim: SimHandle;
let clock: SimClock;
let client: ClobClient;
let creds: { key: string; secret: string; passphrase: string };
let up: string;
let cid: string;

beforeAll(async () => {
  clock = new SimClock(START_MS);
  sim = await startSim({ clock, seed: 'clob-client-test' });
  await advance(clock, 5_000, 1000);
  const wallet = Wallet.createRandom();
  const l1 = new ClobClient({ host: sim.urls.clob, chain: 137, signer: wallet });
  creds = await l1.createOrDeriveApiKey();
  client = new ClobClient({ host: sim.urls.clob, chain: 137, signer: wallet, creds });
  const ev = await getJson(`${sim.urls.gamma}/events/slug/btc-updown-15m-1791241200`);
  const event = P.GammaEvent.parse(ev.body);
  const pair = P.marketTokenPair(event.markets[0]!);
  if (!pair.ok) throw new Error(pair.reason);
  up = pair.upTokenId;
  cid = event.markets[0]!.conditionId;
});

afterAll(async () => {
  await sim.close();
});

describe('clob-client-v2 against the simulator', () => {
  it('derives API creds deterministically', async () => {
    expect(creds.key).toMatch(/^[0-9a-f-]{36}$/);
    const again = await new ClobClient({ host: sim.urls.clob, chain: 137, signer: (client as unknown as { signer: Wallet }).signer }).deriveApiKey();
    expect(again.key).toBe(creds.key);
  });

  it('accepts, matches and reports a signed order through MATCHED -> MINED -> CONFIRMED', async () => {
    const user = new WsProbe(sim.urls.userWs);
    await user.opened;
    user.send({ auth: { apiKey: creds.key, secret: creds.secret, passphrase: creds.passphrase }, type: 'user', markets: [cid] });
    const book = P.OrderBookSummary.parse(await client.getOrderBook(up));
    const bestAsk = Math.min(...book.asks.map((l) => Number(l.price)));
    const res = await client.createAndPostOrder({ tokenID: up, price: bestAsk, size: 10, side: Side.BUY }, { tickSize: '0.01', negRisk: false }, OrderType.GTC);
    const r = P.PostOrderResponse.parse(res);
    expect(r.success).toBe(true);
    expect(r.status).toBe('matched');
    expect(r.tradeIDs!.length).toBeGreaterThan(0);
    await user.waitFor(clock, (f) => f.some((x) => /"status":"(TRADE_STATUS_)?CONFIRMED"/.test(x)), 500);
    const events = user.frames.map((f) => P.parseUserFrame(f)).flatMap((x) => (x.kind === 'events' ? x.events : []));
    const statuses = events.filter((e) => e.event_type === 'trade' && e.id === r.tradeIDs![0]).map((e) => e.status);
    expect(statuses).toEqual(['MATCHED', 'MINED', 'CONFIRMED']);
    const orderEv = events.find((e) => e.event_type === 'order' && e.id === r.orderID);
    expect(orderEv?.event_type === 'order' && Number(orderEv.size_matched)).toBeGreaterThan(0);
    const trades = await client.getTrades({ id: r.tradeIDs![0] });
    expect(P.RestTrade.parse(trades[0]).status).toBe('CONFIRMED');
    const bal = P.BalanceAllowance.parse(await client.getBalanceAllowance({ asset_type: 'CONDITIONAL' as never, token_id: up }));
    expect(Number(bal.balance)).toBeGreaterThanOrEqual(10_000_000);
    user.close();
  });

  it('fills a resting order as maker from the synthetic takers and reports trader_side MAKER', async () => {
    const user = new WsProbe(sim.urls.userWs);
    await user.opened;
    user.send({ auth: { apiKey: creds.key, secret: creds.secret, passphrase: creds.passphrase }, type: 'user' });
    const book = P.OrderBookSummary.parse(await client.getOrderBook(up));
    const bid = Math.max(...book.bids.map((l) => Number(l.price)));
    const ask = Math.min(...book.asks.map((l) => Number(l.price)));
    const price = Math.round((ask - bid > 0.015 ? bid + 0.01 : bid) * 100) / 100;
    const r = P.PostOrderResponse.parse(await client.createAndPostOrder({ tokenID: up, price, size: 5, side: Side.BUY }, { tickSize: '0.01', negRisk: false }, OrderType.GTC, true));
    expect(r.status).toBe('live');
    await user.waitFor(clock, (f) => f.some((x) => x.includes('"trader_side":"MAKER"')), 1000, 300);
    const ev = user.frames.map((f) => P.parseUserFrame(f)).flatMap((x) => (x.kind === 'events' ? x.events : [])).find((e) => e.event_type === 'trade' && e.trader_side === 'MAKER');
    expect(ev?.event_type === 'trade' && ev.maker_orders?.some((m) => m.order_id === r.orderID)).toBe(true);
    await client.cancelAll();
    user.close();
  });

  it('rests a GTC order, lists it and cancels it', async () => {
    const book = P.OrderBookSummary.parse(await client.getOrderBook(up));
    const bestBid = Math.max(...book.bids.map((l) => Number(l.price)));
    const price = Math.round((bestBid - 0.05) * 100) / 100;
    const r = P.PostOrderResponse.parse(await client.createAndPostOrder({ tokenID: up, price, size: 6, side: Side.BUY }, { tickSize: '0.01', negRisk: false }));
    expect(r.status).toBe('live');
    const open = await client.getOpenOrders({ id: r.orderID });
    expect(P.OpenOrder.parse(open[0]).status).toBe('LIVE');
    const c = P.CancelResponse.parse(await client.cancelOrder({ orderID: r.orderID }));
    expect(c.canceled).toEqual([r.orderID]);
    const again = P.CancelResponse.parse(await client.cancelOrder({ orderID: r.orderID }));
    expect(again.not_canceled[r.orderID]).toBe('Order not found or already canceled');
  });

  it('drops a GTD order one minute before its expiration and refuses one less than 3 minutes ahead', async () => {
    const nowSec = Math.floor(clock.nowMs() / 1000);
    const short = await client.createOrder({ tokenID: up, price: 0.05, size: 10, side: Side.BUY, expiration: nowSec + 179 }, { tickSize: '0.01', negRisk: false });
    const bad = (await client.postOrder(short, OrderType.GTD)) as unknown as { error: string; status: number };
    expect(bad).toMatchObject({ status: 400, error: 'invalid expiration' });
    const o = await client.createOrder({ tokenID: up, price: 0.05, size: 10, side: Side.BUY, expiration: nowSec + 180 }, { tickSize: '0.01', negRisk: false });
    const r = P.PostOrderResponse.parse(await client.postOrder(o, OrderType.GTD));
    expect(r.status).toBe('live');
    await advance(clock, 115_000, 5000);
    expect(P.OpenOrder.parse(await client.getOrder(r.orderID)).status).toBe('LIVE');
    await advance(clock, 10_000, 5000);
    expect(P.OpenOrder.parse(await client.getOrder(r.orderID)).status).toBe('CANCELED');
  });

  it('rejects a tampered signature', async () => {
    const order = await client.createOrder({ tokenID: up, price: 0.3, size: 10, side: Side.BUY }, { tickSize: '0.01', negRisk: false });
    const sig = order.signature;
    const flipped = sig.slice(0, 10) + (sig[10] === 'a' ? 'b' : 'a') + sig.slice(11);
    const res = (await client.postOrder({ ...order, signature: flipped }, OrderType.GTC)) as unknown as { error: string; status: number };
    expect(res.status).toBe(400);
    expect(res.error).toMatch(/invalid/i);
    const res2 = (await client.postOrder({ ...order, makerAmount: String(Number(order.makerAmount) + 10_000) }, OrderType.GTC)) as unknown as { error: string; status: number };
    expect(res2.status).toBe(400);
  });

  it('rejects a wrong tick with the venue message', async () => {
    const m = sim.model.registry.token(up)!;
    m.tickMilli = 1;
    const fresh = new ClobClient({ host: sim.urls.clob, chain: 137, signer: (client as unknown as { signer: Wallet }).signer, creds });
    const order = await fresh.createOrder({ tokenID: up, price: 0.305, size: 10, side: Side.BUY }, { tickSize: '0.001', negRisk: false });
    m.tickMilli = 10;
    const res = (await client.postOrder(order, OrderType.GTC)) as unknown as { error: string; status: number };
    expect(res.status).toBe(400);
    expect(res.error).toMatch(/^order 0x[0-9a-f]{64} is invalid\. Price \(0\.305\) breaks minimum tick size rule: 0\.01$/);
  });

  it('rejects a size under the minimum with the venue message', async () => {
    const order = await client.createOrder({ tokenID: up, price: 0.3, size: 4.99, side: Side.BUY }, { tickSize: '0.01', negRisk: false });
    const res = (await client.postOrder(order, OrderType.GTC)) as unknown as { error: string; status: number };
    expect(res.status).toBe(400);
    expect(res.error).toMatch(/^order 0x[0-9a-f]{64} is invalid\. Size \(4\.99\) lower than the minimum: 5$/);
  });

  it('rejects a post-only order that would cross', async () => {
    const book = P.OrderBookSummary.parse(await client.getOrderBook(up));
    const bestAsk = Math.min(...book.asks.map((l) => Number(l.price)));
    const order = await client.createOrder({ tokenID: up, price: bestAsk, size: 10, side: Side.BUY }, { tickSize: '0.01', negRisk: false });
    const res = (await client.postOrder(order, OrderType.GTC, true)) as unknown as { error: string; status: number };
    expect(res.status).toBe(400);
    expect(res.error).toBe('invalid post-only order: order crosses book');
  });

  it('FAK keeps a partial fill at the limit; FOK fills completely within its budget', async () => {
    const book = P.OrderBookSummary.parse(await client.getOrderBook(up));
    const ask = Math.min(...book.asks.map((l) => Number(l.price)));
    const atAsk = book.asks.filter((l) => Number(l.price) === ask).reduce((x, l) => x + Number(l.size), 0);
    const usd = Math.ceil((atAsk + 50) * ask);
    const fak = await client.createMarketOrder({ tokenID: up, amount: usd, side: Side.BUY, price: ask, orderType: OrderType.FAK }, { tickSize: '0.01', negRisk: false });
    const r = P.PostOrderResponse.parse(await client.postOrder(fak, OrderType.FAK));
    expect(r.status).toBe('matched');
    expect(Number(r.takingAmount) / 1e6).toBeCloseTo(Math.floor(atAsk * 100) / 100, 2);
    expect(Number(r.makingAmount)).toBeLessThan(usd * 1e6);
    const after = P.OrderBookSummary.parse(await client.getOrderBook(up));
    const ask2 = Math.min(...after.asks.map((l) => Number(l.price)));
    const fok = await client.createMarketOrder({ tokenID: up, amount: 5, side: Side.BUY, price: Math.min(0.99, ask2 + 0.02), orderType: OrderType.FOK }, { tickSize: '0.01', negRisk: false });
    const f = P.PostOrderResponse.parse(await client.postOrder(fok, OrderType.FOK));
    expect(f.status).toBe('matched');
    expect(Number(f.makingAmount)).toBeLessThanOrEqual(5_000_000);
  });

  it('sells owned shares: proceeds minus the taker fee, and refuses to sell more than owned', async () => {
    const coll = async () => Number(P.BalanceAllowance.parse(await client.getBalanceAllowance({ asset_type: 'COLLATERAL' as never })).balance);
    const owned = Number(P.BalanceAllowance.parse(await client.getBalanceAllowance({ asset_type: 'CONDITIONAL' as never, token_id: up })).balance);
    const tooMany = await client.createOrder({ tokenID: up, price: 0.5, size: owned / 1e6 + 1, side: Side.SELL }, { tickSize: '0.01', negRisk: false });
    expect(((await client.postOrder(tooMany)) as unknown as { error: string }).error).toBe('not enough balance / allowance');
    const book = P.OrderBookSummary.parse(await client.getOrderBook(up));
    const bid = Math.max(...book.bids.map((l) => Number(l.price)));
    const atBid = book.bids.filter((l) => Number(l.price) === bid).reduce((x, l) => x + Number(l.size), 0);
    expect(atBid).toBeGreaterThanOrEqual(5);
    const before = await coll();
    const r = P.PostOrderResponse.parse(await client.createAndPostOrder({ tokenID: up, price: bid, size: 5, side: Side.SELL }, { tickSize: '0.01', negRisk: false }));
    expect(r.status).toBe('matched');
    const fee = Math.round(5 * 0.07 * bid * (1 - bid) * 1e5) / 1e5;
    expect((await coll()) - before).toBe(Math.round((5 * bid - fee) * 1e6));
  });

  it('rejects an unmatched FOK and reports balance shortfall', async () => {
    const order = await client.createMarketOrder({ tokenID: up, amount: 5, side: Side.BUY, price: 0.02, orderType: OrderType.FOK }, { tickSize: '0.01', negRisk: false });
    const res = (await client.postOrder(order, OrderType.FOK)) as unknown as { error: string; status: number };
    expect(res.error).toBe("order couldn't be fully filled. FOK orders are fully filled or killed.");
    const big = await client.createOrder({ tokenID: up, price: 0.5, size: 100_000, side: Side.BUY }, { tickSize: '0.01', negRisk: false });
    const res2 = (await client.postOrder(big, OrderType.GTC)) as unknown as { error: string; status: number };
    expect(res2.error).toBe('not enough balance / allowance');
  });

  it('settles positions at resolution and cancels resting orders as CANCELED_MARKET_RESOLVED', async () => {
    const coll = async () => Number(P.BalanceAllowance.parse(await client.getBalanceAllowance({ asset_type: 'COLLATERAL' as never })).balance);
    const shares = Number(P.BalanceAllowance.parse(await client.getBalanceAllowance({ asset_type: 'CONDITIONAL' as never, token_id: up })).balance);
    expect(shares).toBeGreaterThan(0);
    const resting = P.PostOrderResponse.parse(await client.createAndPostOrder({ tokenID: up, price: 0.02, size: 10, side: Side.BUY }, { tickSize: '0.01', negRisk: false }));
    const before = await coll();
    const endMs = (1791241200 + 900) * 1000;
    await advance(clock, endMs + 15_000 - clock.nowMs(), 5000);
    const ev = P.GammaEvent.parse((await getJson(`${sim.urls.gamma}/events/slug/btc-updown-15m-1791241200`)).body);
    expect(ev.closed).toBe(true);
    const upWon = P.parseJsonStringArray(ev.markets[0]!.outcomePrices!)![0] === '1';
    expect(upWon).toBe((ev.eventMetadata?.finalPrice ?? 0) >= (ev.eventMetadata?.priceToBeat ?? 0));
    expect(P.OpenOrder.parse(await client.getOrder(resting.orderID)).status).toBe('CANCELED_MARKET_RESOLVED');
    // The resting bid's reservation (10 x 0.02) is released and winning shares pay 1 pUSD each.
    expect(await coll()).toBe(before + 200_000 + (upWon ? shares : 0));
  });
});
