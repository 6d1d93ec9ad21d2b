/**
 * Contract: every reference §9 vector's request is replayed against the simulator and the response is parsed with
 * the same bot/protocol schema that accepts the fixture (REST, market/user WS, PolyBolt, RTDS, spot).
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Wallet } from '@ethersproject/wallet';
import { ClobClient, OrderType, Side } from '@polymarket/clob-client-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import * as P from '../../../bot/protocol';
import { startSim, type SimHandle } from '../../../bot/sim';
import { advance, getJson, WsProbe } from './helpers';
import { waitFor } from '../venue/harness';

const fx = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../fixtures/polymarket', name), 'utf8'));
const OPEN_SEC = 1791241200;
let sim: SimHandle;
let clock: SimClock;
let U: string;
let D: string;
let C: string;
let creds: { key: string; secret: string; passphrase: string };
let client: ClobClient;
let address: string;

function l2(method: string, path: string, body?: string): Record<string, string> {
  const ts = Math.floor(clock.nowMs() / 1000);
  const key = Buffer.from(creds.secret.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  const sig = createHmac('sha256', key).update(`${ts}${method}${path}${body ?? ''}`).digest('base64').replace(/\+/g, '-').replace(/\//g, '_');
  return { POLY_ADDRESS: address, POLY_SIGNATURE: sig, POLY_TIMESTAMP: String(ts), POLY_API_KEY: creds.key, POLY_PASSPHRASE: creds.passphrase, 'Content-Type': 'application/json' };
}
const clob = (path: string, init?: RequestInit) => getJson(`${sim.urls.clob}${path}`, init);

beforeAll(async () => {
  clock = new SimClock(OPEN_SEC * 1000 - 30_000);
  sim = await startSim({ clock, seed: 'contract-test' });
  await advance(clock, 40_000, 1000);
  const ev = P.GammaEvent.parse((await getJson(`${sim.urls.gamma}/events/slug/btc-updown-5m-${OPEN_SEC}`)).body);
  const pair = P.marketTokenPair(ev.markets[0]!);
  if (!pair.ok) throw new Error(pair.reason);
  U = pair.upTokenId;
  D = pair.downTokenId;
  C = ev.markets[0]!.conditionId;
  const wallet = Wallet.createRandom();
  address = wallet.address;
  creds = await new ClobClient({ host: sim.urls.clob, chain: 137, signer: wallet }).createOrDeriveApiKey();
  client = new ClobClient({ host: sim.urls.clob, chain: 137, signer: wallet, creds });
});
afterAll(async () => sim.close());

describe('gamma', () => {
  it('event, market, keyset, unknown slug', async () => {
    const ev = P.GammaEvent.parse((await getJson(`${sim.urls.gamma}/events/slug/btc-updown-15m-${OPEN_SEC}`)).body);
    expect(ev.title).toBe(fx('gamma.json').event15m.title);
    expect(ev.eventMetadata?.priceToBeat).toBeGreaterThan(0);
    expect(typeof ev.markets[0]!.clobTokenIds).toBe('string');
    expect(BigInt(P.parseJsonStringArray(ev.markets[0]!.clobTokenIds!)![0]!) > 2n ** 53n).toBe(true);
    P.GammaMarket.parse((await getJson(`${sim.urls.gamma}/markets/slug/btc-updown-15m-${OPEN_SEC}`)).body);
    const ks = P.GammaKeysetResponse.parse((await getJson(`${sim.urls.gamma}/events/keyset?series_id=10684&closed=false&limit=5`)).body);
    expect(ks.events.map((e) => e.slug)).toContain(`btc-updown-5m-${OPEN_SEC}`);
    const next = P.GammaKeysetResponse.parse((await getJson(`${sim.urls.gamma}/events/keyset?series_id=10684&closed=false&limit=5&after_cursor=${ks.next_cursor}`)).body);
    expect(next.events[0]!.slug).not.toBe(ks.events[0]!.slug);
    expect((await getJson(`${sim.urls.gamma}/events/keyset?series_id=10684&offset=5`)).status).toBe(422);
    const missing = await fetch(`${sim.urls.gamma}/events/slug/btc-updown-15m-1`);
    expect(missing.status).toBe(404);
  });
});

describe('clob public', () => {
  it('time, tick, neg-risk, fee, price, midpoint, book, books, clob-markets', async () => {
    expect(P.ServerTime.parse((await clob('/time')).body)).toBe(Math.floor(clock.nowMs() / 1000));
    expect(P.TickSizeResponse.parse((await clob(`/tick-size?token_id=${U}`)).body).minimum_tick_size).toBe(0.01);
    P.NegRiskResponse.parse((await clob(`/neg-risk?token_id=${U}`)).body);
    expect(P.FeeRateResponse.parse((await clob(`/fee-rate?token_id=${U}`)).body).base_fee).toBe(1000);
    const bid = P.PriceResponse.parse((await clob(`/price?token_id=${U}&side=BUY`)).body).price;
    const ask = P.PriceResponse.parse((await clob(`/price?token_id=${U}&side=SELL`)).body).price;
    expect(bid).toBeLessThan(ask);
    P.MidpointResponse.parse((await clob(`/midpoint?token_id=${U}`)).body);
    const unknown = await clob('/book?token_id=123');
    expect(unknown).toMatchObject({ status: 404, body: fx('clob-rest.json').bookUnknown.body });
    expect(await clob('/book?token_id=abc')).toMatchObject({ status: 400, body: fx('clob-rest.json').bookInvalid.body });
    const up = P.OrderBookSummary.parse((await clob(`/book?token_id=${U}`)).body);
    const down = P.OrderBookSummary.parse((await clob(`/book?token_id=${D}`)).body);
    const bestBidUp = Math.max(...up.bids.map((l) => Number(l.price)));
    const bestAskDown = Math.min(...down.asks.map((l) => Number(l.price)));
    expect(Math.round((bestBidUp + bestAskDown) * 1000)).toBe(1000);
    expect(Number(up.bids[up.bids.length - 1]!.price)).toBe(bestBidUp);
    const books = P.BooksResponse.parse((await clob('/books', { method: 'POST', body: JSON.stringify([{ token_id: U }, { token_id: D }]) })).body);
    expect(books).toHaveLength(2);
    const info = P.ClobMarketInfo.parse((await clob(`/clob-markets/${C}`)).body);
    expect(info.t).toEqual([{ t: U, o: 'Up' }, { t: D, o: 'Down' }]);
    expect(info.fd).toEqual({ r: 0.07, e: 1, to: true });
  });
});

describe('auth and orders', () => {
  it('L1 and L2 failures use the venue messages', async () => {
    expect(await clob('/auth/api-key', { method: 'POST', headers: { POLY_ADDRESS: address, POLY_SIGNATURE: '0x00', POLY_TIMESTAMP: '1', POLY_NONCE: '0' } })).toMatchObject(fx('auth.json').badL1);
    const h = l2('GET', '/data/orders');
    expect(await clob('/data/orders', { headers: { ...h, POLY_SIGNATURE: 'bad' } })).toMatchObject(fx('auth.json').badL2);
  });

  it('batch limit, mixed batch, cancels, open orders, trades', async () => {
    const many = JSON.stringify(new Array(16).fill({}));
    expect(await clob('/orders', { method: 'POST', body: many, headers: l2('POST', '/orders', many) })).toMatchObject(fx('orders.json').batchTooMany);
    const good = await client.createOrder({ tokenID: U, price: 0.2, size: 10, side: Side.BUY }, { tickSize: '0.01', negRisk: false });
    const poor = await client.createOrder({ tokenID: U, price: 0.5, size: 50_000, side: Side.BUY }, { tickSize: '0.01', negRisk: false });
    const batch = P.PostOrdersResponse.parse(await client.postOrders([{ order: good, orderType: OrderType.GTC }, { order: poor, orderType: OrderType.GTC }]));
    expect(batch.map(P.isOrderAccepted)).toEqual([true, false]);
    expect(batch[1]!.errorMsg).toBe('not enough balance / allowance');
    const open = P.OpenOrdersPage.parse((await clob(`/data/orders?market=${C}`, { headers: l2('GET', '/data/orders') })).body);
    expect(open.data.map((o) => o.id)).toContain(batch[0]!.orderID);
    expect(open.next_cursor).toBe(P.END_CURSOR);
    const body = JSON.stringify({ orderID: batch[0]!.orderID });
    expect(P.CancelResponse.parse((await clob('/order', { method: 'DELETE', body, headers: l2('DELETE', '/order', body) })).body).canceled).toEqual([batch[0]!.orderID]);
    const book = P.OrderBookSummary.parse(await client.getOrderBook(U));
    const ask = Math.min(...book.asks.map((l) => Number(l.price)));
    const m = P.PostOrderResponse.parse(await client.createAndPostOrder({ tokenID: U, price: ask, size: 5, side: Side.BUY }, { tickSize: '0.01', negRisk: false }));
    const b2 = JSON.stringify({ orderID: m.orderID });
    const matched = P.CancelResponse.parse((await clob('/order', { method: 'DELETE', body: b2, headers: l2('DELETE', '/order', b2) })).body);
    expect(matched.not_canceled[m.orderID]).toBe('Order already matched');
    const trades = P.TradesPage.parse((await clob(`/data/trades?market=${C}`, { headers: l2('GET', '/data/trades') })).body);
    expect(trades.data.some((t) => t.taker_order_id === m.orderID && t.trader_side === 'TAKER')).toBe(true);
    P.OpenOrder.parse((await clob(`/data/order/${m.orderID}`, { headers: l2('GET', `/data/order/${m.orderID}`) })).body);
    const all = P.CancelResponse.parse((await clob('/cancel-all', { method: 'DELETE', headers: l2('DELETE', '/cancel-all') })).body);
    expect(all.not_canceled).toEqual({});
  });

  it('heartbeats chain ids, reject stale ones and cancel orders after the timeout', async () => {
    const post = (path: string, b: string) => clob(path, { method: 'POST', body: b, headers: l2('POST', path, b) });
    const first = await post('/v1/heartbeats', '{"heartbeat_id":""}');
    const id1 = P.HeartbeatResponse.parse(first.body).heartbeat_id;
    const second = await post('/v1/heartbeats', JSON.stringify({ heartbeat_id: id1 }));
    const id2 = P.HeartbeatResponse.parse(second.body).heartbeat_id;
    const stale = await post('/v1/heartbeats', '{"heartbeat_id":"stale"}');
    expect(stale.status).toBe(400);
    expect(P.HeartbeatError.parse(stale.body)).toEqual({ error_msg: 'Invalid Heartbeat ID', heartbeat_id: id2 });
    expect(P.LegacyHeartbeatResponse.parse((await post('/heartbeats', '')).body)).toEqual({ status: 'ok' });
    const r = P.PostOrderResponse.parse(await client.createAndPostOrder({ tokenID: U, price: 0.1, size: 10, side: Side.BUY }, { tickSize: '0.01', negRisk: false }));
    await advance(clock, 16_000, 1000);
    expect(P.OpenOrder.parse((await clob(`/data/order/${r.orderID}`, { headers: l2('GET', `/data/order/${r.orderID}`) })).body).status).toBe('CANCELED');
    const bal = P.BalanceAllowance.parse((await clob('/balance-allowance?asset_type=COLLATERAL', { headers: l2('GET', '/balance-allowance') })).body);
    expect(Number(bal.balance)).toBeGreaterThan(0);
  });
});

describe('bad input', () => {
  it('gets the venue error, never a crash', async () => {
    const post = (b: string) => clob('/order', { method: 'POST', body: b, headers: l2('POST', '/order', b) });
    expect(await post('{not json')).toMatchObject({ status: 400, body: { error: 'Invalid order payload' } });
    const order = await client.createOrder({ tokenID: U, price: 0.2, size: 10, side: Side.BUY }, { tickSize: '0.01', negRisk: false });
    const huge = JSON.stringify({ order: { ...order, salt: Number(order.salt), tokenId: '9'.repeat(100) }, owner: creds.key, orderType: 'GTC' });
    expect(await post(huge)).toMatchObject({ status: 400, body: { error: 'Invalid order payload' } });
    const wrongOwner = JSON.stringify({ order: { ...order, salt: Number(order.salt) }, owner: 'someone-else', orderType: 'GTC' });
    expect(await post(wrongOwner)).toMatchObject({ status: 400, body: { error: 'the order owner has to be the owner of the API KEY' } });
    expect((await clob('/price?token_id=abc&side=BUY')).status).toBe(400);
    expect((await getJson(`${sim.urls.gamma}/events/slug/%00%00`)).status).toBe(404);
    const p = new WsProbe(sim.urls.polybolt);
    await p.opened;
    p.send('{garbage');
    p.send({ op: 'auth', rid: 'x', auth: { apiKey: 'nope', secret: 'nope', passphrase: 'nope' } });
    await p.waitFor(clock, (f) => f.length >= 2);
    expect(p.frames.map((f) => JSON.parse(f).code)).toEqual(['bad_request', 'auth_invalid']);
    const m = new WsProbe(sim.urls.marketWs);
    await m.opened;
    m.send('\u0000{]');
    m.send('PING');
    await m.waitFor(clock, (f) => f.includes('PONG'));
    p.close();
    m.close();
    expect((await clob('/time')).status).toBe(200);
  });
});

describe('sockets', () => {
  it('market channel: array dump, price_change with both tokens, best_bid_ask, last_trade_price, market_resolved', async () => {
    const p = new WsProbe(sim.urls.marketWs);
    await p.opened;
    p.send({ assets_ids: [U, D], type: 'market', initial_dump: true, level: 2, custom_feature_enabled: true });
    p.send('PING');
    await p.waitFor(clock, (f) => f.includes('PONG') && f.some((x) => x.startsWith('[')));
    const seen = new Set<string>();
    const resolvedAt = (OPEN_SEC + 300) * 1000 + 10_000;
    await p.waitFor(clock, (f) => f.some((x) => x.includes('market_resolved')) || clock.nowMs() > resolvedAt + 5000, 1000, 2000);
    for (const f of p.frames) {
      const r = P.parseMarketFrame(f);
      expect(r.kind, f.slice(0, 200)).not.toBe('invalid');
      if (r.kind !== 'events') continue;
      for (const e of r.events) {
        seen.add(e.event_type);
        if (e.event_type === 'price_change' && 'price_changes' in e) expect(new Set(e.price_changes.map((c) => c.asset_id))).toEqual(new Set([U, D]));
      }
    }
    for (const k of ['book', 'price_change', 'best_bid_ask', 'last_trade_price', 'tick_size_change', 'market_resolved', 'new_market']) expect(seen, k).toContain(k);
    p.close();
  });

  it('polybolt: auth_required, auth, subscribe, snapshot, live seq', async () => {
    const p = new WsProbe(sim.urls.polybolt);
    await p.opened;
    p.send({ op: 'subscribe', rid: 's0', subscriptions: [{ channel: 'price.crypto', filter: { symbol: 'btcusd' } }] });
    p.send({ op: 'auth', rid: 'a1', auth: { apiKey: creds.key, secret: creds.secret, passphrase: creds.passphrase } });
    p.send({ op: 'subscribe', rid: 's1', subscriptions: [{ channel: 'price.crypto.twap', filter: { symbol: 'btcusd', window_seconds: 60 } }, { channel: 'price.crypto', filter: { symbol: 'btc/usd' } }] });
    await p.waitFor(clock, (f) => f.filter((x) => x.includes('"seq"')).length >= 4, 500);
    const frames = p.frames.map((f) => P.PolyboltServerFrame.parse(JSON.parse(f)));
    expect(frames[0]).toEqual({ op: 'error', code: 'auth_required', channel: 'price.crypto', rid: 's0' });
    expect(frames).toContainEqual({ op: 'authed', rid: 'a1' });
    expect(frames).toContainEqual({ op: 'error', code: 'invalid_filter', channel: 'price.crypto', rid: 's1' });
    const data = frames.filter((f): f is P.PolyboltData => 'seq' in f);
    expect(data[0]!.snapshot).toBe(true);
    expect(data.map((d) => d.seq)).toEqual(data.map((_d, i) => i + 1));
    p.close();
  });

  it('rtds and spot streams', async () => {
    const r = new WsProbe(sim.urls.rtds);
    await r.opened;
    r.send(fx('rtds.json').subscribe);
    const s = new WsProbe(`${sim.urls.spot}/stream?streams=btcusdt@trade/btcusdt@bookTicker`);
    await s.opened;
    await r.waitFor(clock, (f) => f.filter((x) => x.includes('"update"')).length >= 4, 500);
    await s.waitFor(clock, (f) => f.length >= 4, 500);
    for (const f of r.frames) P.RtdsMessage.parse(JSON.parse(f));
    for (const f of s.frames) P.SpotFrame.parse(JSON.parse(f));
    r.close();
    s.close();
  });

  it('user channel: order PLACEMENT and CANCELLATION; bad auth closes', async () => {
    const bad = new WsProbe(sim.urls.userWs);
    await bad.opened;
    bad.send({ auth: { apiKey: creds.key, secret: 'x', passphrase: 'y' }, type: 'user' });
    await bad.waitFor(clock, () => bad.closeCode !== undefined);
    const u = new WsProbe(sim.urls.userWs);
    await u.opened;
    const listening = sim.model.hub.user.size;
    u.send({ auth: { apiKey: creds.key, secret: creds.secret, passphrase: creds.passphrase }, type: 'user' });
    // By condition, not a timed wait: the venue has registered this user subscription before the order is placed.
    await waitFor(() => sim.model.hub.user.size === listening + 1, 'user subscription registered');
    const mk = P.GammaEvent.parse((await getJson(`${sim.urls.gamma}/events/slug/btc-updown-15m-${OPEN_SEC}`)).body);
    const pair = P.marketTokenPair(mk.markets[0]!);
    if (!pair.ok) throw new Error(pair.reason);
    const r = P.PostOrderResponse.parse(await client.createAndPostOrder({ tokenID: pair.upTokenId, price: 0.05, size: 10, side: Side.BUY }, { tickSize: '0.01', negRisk: false }));
    await client.cancelOrder({ orderID: r.orderID });
    await u.waitFor(clock, (f) => f.some((x) => x.includes('CANCELLATION')));
    const types = u.frames.map((f) => P.parseUserFrame(f)).flatMap((x) => (x.kind === 'events' ? x.events : [])).map((e) => (e.event_type === 'order' ? e.type : e.status));
    expect(types).toEqual(['PLACEMENT', 'CANCELLATION']);
    u.close();
  });
});
