/**
 * Fault API: every fault kind is injected through the control HTTP API and observed from a client
 * (WebSocket probe, fetch, or @polymarket/clob-client-v2).
 */
import { Wallet } from '@ethersproject/wallet';
import { ClobClient, OrderType, Side } from '@polymarket/clob-client-v2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import * as P from '../../../bot/protocol';
import { startSim, type SimHandle } from '../../../bot/sim';
import { advance, driveUntil, flushIo, getJson, WsProbe } from './helpers';

const OPEN_SEC = 1791241200;
let sim: SimHandle;
let clock: SimClock;
let U: string;
let D: string;
let C: string;
let client: ClobClient;
let creds: { key: string; secret: string; passphrase: string };
const probes: WsProbe[] = [];

const fault = async (spec: Record<string, unknown>) => {
  const r = await getJson(`${sim.urls.control}/faults`, { method: 'POST', body: JSON.stringify(spec) });
  expect(r.status).toBe(201);
  return r.body as { id: string };
};

async function marketProbe(): Promise<WsProbe> {
  const p = new WsProbe(sim.urls.marketWs);
  probes.push(p);
  await p.opened;
  p.send({ assets_ids: [U, D], type: 'market', custom_feature_enabled: true });
  await p.waitFor(clock, (f) => f.some((x) => x.startsWith('[')));
  return p;
}

const dataFrames = (p: WsProbe) => p.frames.filter((f) => f !== 'PONG');
const bestAsk = async () => Math.min(...P.OrderBookSummary.parse(await client.getOrderBook(U)).asks.map((l) => Number(l.price)));

beforeAll(async () => {
  clock = new SimClock(OPEN_SEC * 1000 + 30_000);
  sim = await startSim({ clock, seed: 'faults-test' });
  await advance(clock, 5_000, 1000);
  const ev = P.GammaEvent.parse((await getJson(`${sim.urls.gamma}/events/slug/btc-updown-15m-${OPEN_SEC}`)).body);
  const pair = P.marketTokenPair(ev.markets[0]!);
  if (!pair.ok) throw new Error(pair.reason);
  [U, D, C] = [pair.upTokenId, pair.downTokenId, ev.markets[0]!.conditionId];
  const wallet = Wallet.createRandom();
  creds = await new ClobClient({ host: sim.urls.clob, chain: 137, signer: wallet }).createOrDeriveApiKey();
  client = new ClobClient({ host: sim.urls.clob, chain: 137, signer: wallet, creds });
});
afterEach(async () => {
  for (const p of probes.splice(0)) p.close();
  await getJson(`${sim.urls.control}/faults`, { method: 'DELETE' });
});
afterAll(async () => sim.close());

describe('socket faults', () => {
  it('drop: sockets are cut and reconnects refused while the fault lasts', async () => {
    const p = await marketProbe();
    await fault({ kind: 'drop', scope: 'market', durationMs: 5000 });
    await p.waitFor(clock, () => p.closeCode !== undefined);
    await expect(new WsProbe(sim.urls.marketWs).opened).rejects.toThrow(/503/);
    await advance(clock, 6000, 1000);
    await marketProbe();
  });

  it('drop with a close code: PolyBolt clients see 4003 (draining)', async () => {
    const p = new WsProbe(sim.urls.polybolt);
    probes.push(p);
    await p.opened;
    await fault({ kind: 'drop', scope: 'polybolt', closeCode: 4003 });
    await p.waitFor(clock, () => p.closeCode !== undefined);
    expect(p.closeCode).toBe(4003);
    const again = new WsProbe(sim.urls.polybolt);
    probes.push(again);
    await again.opened;
  });

  it('http_status on a stream: the upgrade is refused with 429 and Retry-After', async () => {
    await fault({ kind: 'http_status', scope: 'polybolt', status: 429, retryAfterSec: 3, count: 1 });
    const refused = new WsProbe(sim.urls.polybolt);
    probes.push(refused);
    let headers: Record<string, unknown> = {};
    refused.ws.once('unexpected-response', (_req, res) => (headers = res.headers));
    await expect(refused.opened).rejects.toThrow(/429/);
    expect(headers['retry-after']).toBe('3');
    const ok = new WsProbe(sim.urls.polybolt);
    probes.push(ok);
    await ok.opened;
  });

  it('stall: socket open, PING answered, no data; data resumes after', async () => {
    const p = await marketProbe();
    await fault({ kind: 'stall', scope: 'market', durationMs: 10_000 });
    p.frames.length = 0;
    const before = sim.model.hub.published.market;
    await advance(clock, 5000, 500);
    p.send('PING');
    await p.waitFor(clock, (f) => f.includes('PONG'));
    expect(sim.model.hub.published.market).toBeGreaterThan(before);
    expect(p.frames).toEqual(['PONG']);
    await advance(clock, 7000, 500);
    expect(dataFrames(p).length).toBeGreaterThan(0);
  });

  it('malformed: garbage frames are injected alongside real ones', async () => {
    const p = await marketProbe();
    p.frames.length = 0;
    await fault({ kind: 'malformed', scope: 'market', count: 3 });
    await advance(clock, 5000, 500);
    // A garbage frame is not JSON (invalid), an element the schema drops, or an unknown event type; good frames
    // yield events.
    const results = dataFrames(p).map((f) => P.parseMarketFrame(f));
    const bad = results.filter((r) => r.kind === 'invalid' || (r.kind === 'events' && r.events.length === 0 && r.dropped.length + r.unknownTypes.length > 0));
    expect(bad).toHaveLength(3);
    expect(results.filter((r) => r.kind === 'events' && r.events.length > 0).length).toBeGreaterThan(3);
  });

  it('duplicate: frames arrive twice', async () => {
    const p = await marketProbe();
    p.frames.length = 0;
    await fault({ kind: 'duplicate', scope: 'market', count: 5 });
    await advance(clock, 3000, 500);
    const f = dataFrames(p);
    const dups = f.filter((x, i) => i > 0 && f[i - 1] === x);
    expect(dups.length).toBeGreaterThanOrEqual(4);
  });

  it('out_of_order: adjacent frames are swapped relative to publication order', async () => {
    const p = await marketProbe();
    const published: string[] = [];
    const untap = sim.model.hub.tap((s, t) => {
      if (s === 'market' && t.includes(C)) published.push(t);
    });
    p.frames.length = 0;
    await fault({ kind: 'out_of_order', scope: 'market', durationMs: 3000 });
    await advance(clock, 5000, 500);
    untap();
    const got = dataFrames(p);
    const swapped = got.some((x, i) => i > 0 && published.indexOf(x) < published.indexOf(got[i - 1]!));
    expect(swapped).toBe(true);
    expect([...got].sort()).toEqual([...published.slice(0, got.length)].sort());
  });

  it('latency: frames are delayed by the configured simulated time', async () => {
    const p = await marketProbe();
    await fault({ kind: 'latency', scope: 'market', delayMs: 3000, durationMs: 60_000 });
    p.frames.length = 0;
    await advance(clock, 2000, 250);
    expect(dataFrames(p)).toHaveLength(0);
    await advance(clock, 2000, 250);
    expect(dataFrames(p).length).toBeGreaterThan(0);
  });
});

describe('http faults', () => {
  it('425 / 429 / 500 / 503 with Retry-After on the scoped route only', async () => {
    const bodies: Record<number, string> = { 425: 'matching engine restarting', 429: 'Too Many Requests', 500: 'could not insert order', 503: 'Trading is currently disabled. Check polymarket.com for updates' };
    for (const status of [425, 429, 500, 503] as const) {
      await fault({ kind: 'http_status', scope: 'GET /book', status, retryAfterSec: 2, count: 1 });
      expect((await getJson(`${sim.urls.clob}/time`)).status).toBe(200);
      const r = await getJson(`${sim.urls.clob}/book?token_id=${U}`);
      expect(r.status).toBe(status);
      expect(r.headers.get('retry-after')).toBe('2');
      if (status === 429) expect(r.headers.get('poly-ratelimit-remaining')).toBe('0');
      expect(P.ErrorBody.parse(r.body).error).toBe(bodies[status]);
      expect((await getJson(`${sim.urls.clob}/book?token_id=${U}`)).status).toBe(200);
    }
    expect((await getJson(`${sim.urls.control}/faults`, { method: 'POST', body: '{"kind":"nope"}' })).status).toBe(400);
  });

  it('engine-restart scenario: 425 with Retry-After, then post-only 503, then normal', async () => {
    const r = await getJson(`${sim.urls.control}/scenarios/engine-restart`, { method: 'POST', body: JSON.stringify({ restartMs: 10_000, postOnlyMs: 20_000 }) });
    expect(r.status).toBe(201);
    const during = await getJson(`${sim.urls.clob}/book?token_id=${U}`);
    expect(during.status).toBe(425);
    expect(during.headers.get('retry-after')).toBe('1');
    await advance(clock, 11_000, 1000);
    const po = (await client.createAndPostOrder({ tokenID: U, price: 0.05, size: 10, side: Side.BUY }, { tickSize: '0.01', negRisk: false })) as unknown as Record<string, unknown>;
    expect(po).toMatchObject({ status: 503, code: 'post_only_mode' });
    await advance(clock, 21_000, 1000);
    const ok = P.PostOrderResponse.parse(await client.createAndPostOrder({ tokenID: U, price: 0.05, size: 10, side: Side.BUY }, { tickSize: '0.01', negRisk: false }));
    expect(ok.status).toBe('live');
    await client.cancelAll();
  });

  it('cancel_only: new orders get 503, cancels still work', async () => {
    const resting = P.PostOrderResponse.parse(await client.createAndPostOrder({ tokenID: U, price: 0.05, size: 10, side: Side.BUY }, { tickSize: '0.01', negRisk: false }));
    await fault({ kind: 'cancel_only', scope: 'clob', durationMs: 60_000 });
    const r = (await client.createAndPostOrder({ tokenID: U, price: 0.05, size: 10, side: Side.BUY }, { tickSize: '0.01', negRisk: false })) as unknown as { status: number; error: string };
    expect(r.status).toBe(503);
    expect(r.error).toBe('Trading is currently cancel-only. New orders are not accepted, but cancels are allowed.');
    expect(P.CancelResponse.parse(await client.cancelOrder({ orderID: resting.orderID })).canceled).toEqual([resting.orderID]);
  });

  it('post_only: only post-only orders pass, with code and Retry-After', async () => {
    await fault({ kind: 'post_only', scope: 'clob', durationMs: 60_000, retryAfterSec: 79 });
    const r = (await client.createAndPostOrder({ tokenID: U, price: 0.05, size: 10, side: Side.BUY }, { tickSize: '0.01', negRisk: false })) as unknown as Record<string, unknown>;
    expect(r).toMatchObject({ status: 503, error: 'post-only mode: only post-only orders and cancels are allowed', code: 'post_only_mode', retry_after_seconds: 79 });
    const ok = P.PostOrderResponse.parse(await client.createAndPostOrder({ tokenID: U, price: 0.05, size: 10, side: Side.BUY }, { tickSize: '0.01', negRisk: false }, OrderType.GTC, true));
    expect(ok.status).toBe('live');
    await client.cancelAll();
  });

  it('latency: a response waits for the simulated delay', async () => {
    await fault({ kind: 'latency', scope: 'GET /time', delayMs: 3000, count: 1 });
    const t0 = clock.nowMs();
    let done = false;
    const pending = getJson(`${sim.urls.clob}/time`).then((r) => ((done = true), r));
    await flushIo(10);
    expect(done).toBe(false);
    const r = await driveUntil(clock, pending, 500);
    expect(r.status).toBe(200);
    expect(clock.nowMs() - t0).toBeGreaterThanOrEqual(3000);
    expect((await getJson(`${sim.urls.clob}/time`)).status).toBe(200);
  });

  it('late_ack: the order fills (user socket) before the HTTP acknowledgement arrives', async () => {
    const u = new WsProbe(sim.urls.userWs);
    probes.push(u);
    await u.opened;
    u.send({ auth: { apiKey: creds.key, secret: creds.secret, passphrase: creds.passphrase }, type: 'user' });
    const price = await bestAsk();
    await fault({ kind: 'late_ack', scope: 'POST /order', delayMs: 5000, count: 1 });
    let acked = false;
    const pending = client.createAndPostOrder({ tokenID: U, price, size: 5, side: Side.BUY }, { tickSize: '0.01', negRisk: false }).then((r) => ((acked = true), r));
    await u.waitFor(clock, (f) => f.some((x) => /"status":"(TRADE_STATUS_)?MATCHED"/.test(x) && x.includes('"trade"')));
    expect(acked).toBe(false);
    const r = P.PostOrderResponse.parse(await driveUntil(clock, pending, 500));
    expect(r.status).toBe('matched');
  });

  it('delay_match: a marketable order is answered "delayed" and matched later', async () => {
    const u = new WsProbe(sim.urls.userWs);
    probes.push(u);
    await u.opened;
    u.send({ auth: { apiKey: creds.key, secret: creds.secret, passphrase: creds.passphrase }, type: 'user' });
    await fault({ kind: 'delay_match', scope: 'clob', delayMs: 3000, count: 1 });
    const r = P.PostOrderResponse.parse(await client.createAndPostOrder({ tokenID: U, price: await bestAsk(), size: 5, side: Side.BUY }, { tickSize: '0.01', negRisk: false }));
    expect(r).toMatchObject({ status: 'delayed', makingAmount: '0', takingAmount: '0' });
    await flushIo(10);
    expect(u.frames.some((x) => x.includes(r.orderID))).toBe(false);
    await u.waitFor(clock, (f) => f.some((x) => x.includes(r.orderID) && x.includes('"trade"')), 500);
    expect(P.OpenOrder.parse(await client.getOrder(r.orderID)).status).toBe('MATCHED');
  });

  it('fail_fill: a fill goes MATCHED -> RETRYING -> FAILED and the balance is restored', async () => {
    const u = new WsProbe(sim.urls.userWs);
    probes.push(u);
    await u.opened;
    u.send({ auth: { apiKey: creds.key, secret: creds.secret, passphrase: creds.passphrase }, type: 'user' });
    await advance(clock, 10_000, 1000);
    const balance = async () => Number(P.BalanceAllowance.parse(await client.getBalanceAllowance({ asset_type: 'COLLATERAL' as never })).balance);
    const before = await balance();
    await fault({ kind: 'fail_fill', scope: 'user', count: 1 });
    const r = P.PostOrderResponse.parse(await client.createAndPostOrder({ tokenID: U, price: await bestAsk(), size: 5, side: Side.BUY }, { tickSize: '0.01', negRisk: false }));
    expect(await balance()).toBeLessThan(before);
    await u.waitFor(clock, (f) => f.some((x) => /"status":"(TRADE_STATUS_)?FAILED"/.test(x)), 500);
    const statuses = u.frames.map((f) => P.parseUserFrame(f)).flatMap((x) => (x.kind === 'events' ? x.events : [])).filter((e) => e.event_type === 'trade' && e.id === r.tradeIDs![0]).map((e) => e.status);
    expect(statuses).toEqual(['MATCHED', 'RETRYING', 'FAILED']);
    expect(await balance()).toBe(before);
  });
});
