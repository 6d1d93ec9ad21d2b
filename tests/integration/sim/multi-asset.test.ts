/**
 * The multi-asset simulator over its real sockets (BTC and ETH, 5m/15m/hourly/4h series): Gamma serves events by
 * slug in both schemes, `/series`, and a keyset listing whose cursors walk every qualifying event exactly once
 * within `start_time_min` / `end_date_min|max` bounds; PolyBolt carries several symbols on one connection (own
 * snapshots and values per symbol, one seq per channel, the 64-subscription limit); RTDS and the Binance-style spot
 * stream serve every simulated asset. Every frame is parsed with the bot's protocol schemas.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import * as P from '../../../bot/protocol';
import { startSim, type SimHandle } from '../../../bot/sim';
import { simSeriesFor } from '../../../bot/sim/series';
import { simAssetsFor } from '../../../bot/sim/sim-assets';
import { advance, getJson, WsProbe } from './helpers';

// 2026-12-01T20:00Z = 3 PM EST.
const T0 = Date.UTC(2026, 11, 1, 20);
const T0S = T0 / 1000;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
let sim: SimHandle;
let clock: SimClock;

beforeAll(async () => {
  clock = new SimClock(T0 - 30_000);
  sim = await startSim({
    clock,
    seed: 'multi-asset',
    series: simSeriesFor([300, 900].flatMap((w) => ['btc', 'eth'].map((asset) => ({ asset, windowSec: w }))).concat([{ asset: 'btc', windowSec: 3600 }, { asset: 'eth', windowSec: 14_400 }])),
    assets: simAssetsFor(['btc', 'eth']),
    correlation: 0.8,
    crowd: { makerRequoteMs: 5000, takerMeanIntervalMs: 5000 },
  });
  await advance(clock, 45_000, 1000);
});
afterAll(async () => sim.close());

const gamma = (path: string) => getJson(`${sim.urls.gamma}${path}`);

describe('gamma', () => {
  it('serves hourly and updown events by slug, with the series source as price to beat', async () => {
    const hourly = await gamma('/events/slug/bitcoin-up-or-down-december-1-3pm-et');
    expect(hourly.status).toBe(200);
    const ev = P.GammaEvent.parse(hourly.body);
    expect(ev.title).toBe('Bitcoin Up or Down - December 1, 3PM ET');
    expect(ev.series?.[0]).toMatchObject({ slug: 'btc-up-or-down-hourly', recurrence: 'hourly', title: 'BTC Up or Down Hourly' });
    expect(ev.markets[0]!.eventStartTime).toBe(iso(T0));
    expect(ev.endDate).toBe(iso(T0 + 3_600_000));
    expect(ev.markets[0]!.resolutionSource).toBe('https://www.binance.com/en/trade/BTC_USDT');
    expect(ev.eventMetadata?.priceToBeat).toBe(sim.model.pricesFor('btc')!.spotAt(T0)); // the candle open
    expect(P.marketTokenPair(ev.markets[0]!).ok).toBe(true);

    const eth = P.GammaEvent.parse((await gamma(`/events/slug/eth-updown-5m-${T0S}`)).body);
    expect(eth.title).toBe('Ethereum Up or Down - December 1, 3:00PM-3:05PM ET');
    expect(eth.eventMetadata?.priceToBeat).toBe(sim.model.pricesFor('eth')!.twapAtSecond(T0S));
    expect(eth.markets[0]!.cryptoMarketConfig?.id).toBe('eth-5m-twap-60');
    expect(eth.eventMetadata!.priceToBeat!).toBeLessThan(10_000); // ETH's own reference, not BTC's
    expect((await gamma('/events/slug/ethereum-up-or-down-december-1-3pm-et')).status).toBe(404);
    expect((await gamma(`/events/slug/eth-updown-4h-${T0S}`)).status).toBe(200);
  });

  it('lists every series and looks one up by slug', async () => {
    const all = (await gamma('/series')).body as { id: string; slug: string; recurrence: string }[];
    expect(all.map((s) => s.slug)).toEqual(['btc-up-or-down-5m', 'eth-up-or-down-5m', 'btc-up-or-down-15m', 'eth-up-or-down-15m', 'btc-up-or-down-hourly', 'eth-up-or-down-4h']);
    const one = (await gamma('/series?slug=eth-up-or-down-15m')).body as { id: string; title: string }[];
    expect(one).toEqual([expect.objectContaining({ id: '10191', title: 'ETH Up or Down 15m' })]);
  });

  it('walks a keyset listing page by page: every open window from the current one to the listing horizon, once', async () => {
    const starts: number[] = [];
    let cursor: string | null | undefined;
    let pages = 0;
    do {
      const r = await gamma(`/events/keyset?series_id=10683&closed=false&limit=100${cursor ? `&after_cursor=${cursor}` : ''}`);
      const page = P.GammaKeysetResponse.parse(r.body);
      expect(page.events.length).toBeLessThanOrEqual(100);
      for (const e of page.events) {
        expect(e.series?.[0]?.id).toBe('10683');
        starts.push(Date.parse(e.markets[0]!.eventStartTime!) / 1000);
      }
      cursor = page.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    // The window of 19:55 resolved at 20:00:10; windows are listed 24 h ahead of their start.
    const last = Math.floor((clock.nowMs() + 86_400_000) / 1000 / 300) * 300;
    const expected = Array.from({ length: (last - T0S) / 300 + 1 }, (_, i) => T0S + i * 300);
    expect(starts).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 100));
  });

  it('bounds hourly and 4h listings by start and end, and continues after a cursor', async () => {
    const p1 = P.GammaKeysetResponse.parse((await gamma(`/events/keyset?series_id=10114&limit=5&start_time_min=${iso(T0 + 2 * 3_600_000)}`)).body);
    expect(p1.events.map((e) => e.slug)).toEqual(['5pm', '6pm', '7pm', '8pm', '9pm'].map((h) => `bitcoin-up-or-down-december-1-${h}-et`));
    const p2 = P.GammaKeysetResponse.parse((await gamma(`/events/keyset?series_id=10114&limit=5&start_time_min=${iso(T0 + 2 * 3_600_000)}&after_cursor=${p1.next_cursor}`)).body);
    expect(p2.events.map((e) => e.slug)).toEqual(['december-1-10pm', 'december-1-11pm', 'december-2-12am', 'december-2-1am', 'december-2-2am'].map((h) => `bitcoin-up-or-down-${h}-et`));
    expect(p2.events[2]!.markets[0]!.eventStartTime).toBe('2026-12-02T05:00:00Z');

    const s4h = ((await gamma('/series?slug=eth-up-or-down-4h')).body as { id: string }[])[0]!.id;
    const wr = await gamma(`/events/keyset?series_id=${s4h}&end_date_min=2026-12-02T04:00:00Z&end_date_max=2026-12-02T12:00:00Z`);
    const w = P.GammaKeysetResponse.parse(wr.body);
    expect(w.events.map((e) => [e.markets[0]!.eventStartTime, e.endDate])).toEqual([
      ['2026-12-02T00:00:00Z', '2026-12-02T04:00:00Z'],
      ['2026-12-02T04:00:00Z', '2026-12-02T08:00:00Z'],
      ['2026-12-02T08:00:00Z', '2026-12-02T12:00:00Z'],
    ]);
    expect((wr.body as { next_cursor: unknown }).next_cursor).toBeNull();
  });

  it('refuses offset, a malformed bound and a cursor that is not one of its own', async () => {
    expect((await gamma('/events/keyset?series_id=10683&offset=100')).status).toBe(422);
    expect((await gamma('/events/keyset?series_id=10683&start_time_min=tomorrow')).status).toBe(400);
    expect((await gamma('/events/keyset?series_id=10683&after_cursor=bm90LWEtY3Vyc29y')).status).toBe(400);
    const open = P.GammaKeysetResponse.parse((await gamma('/events/keyset?series_id=10683&limit=1')).body);
    expect((await gamma(`/events/keyset?series_id=10683&closed=true&after_cursor=${open.next_cursor}`)).status).toBe(400);
    expect((await gamma(`/events/keyset?series_id=10684&after_cursor=${open.next_cursor}`)).status).toBe(400);
  });
});

describe('gamma, later', () => {
  it('lists resolved windows newest first, page by page, back to the oldest the simulator holds', async () => {
    await advance(clock, T0 + 15 * 60_000 + 15_000 - clock.nowMs(), 10_000);
    const p1r = await gamma('/events/keyset?series_id=10683&closed=true&limit=2');
    const p1 = P.GammaKeysetResponse.parse(p1r.body);
    const p2r = await gamma(`/events/keyset?series_id=10683&closed=true&limit=2&after_cursor=${p1.next_cursor}`);
    const p2 = P.GammaKeysetResponse.parse(p2r.body);
    // 19:55 (running when the simulator started), 20:00, 20:05 and 20:10 have resolved; 20:15 is open.
    expect([...p1.events, ...p2.events].map((e) => e.slug)).toEqual([T0S + 600, T0S + 300, T0S, T0S - 300].map((s) => `eth-updown-5m-${s}`));
    for (const e of [...p1.events, ...p2.events]) {
      expect(e.closed).toBe(true);
      expect(e.eventMetadata?.finalPrice).toBe(sim.model.registry.slug(e.slug)!.finalPrice);
    }
    expect((p2r.body as { next_cursor: unknown }).next_cursor).toBeNull();
  });
});

describe('price streams', () => {
  it('carries btcusd and ethusd on one PolyBolt connection: own snapshots and values, one seq per channel', async () => {
    const creds = sim.auth.register('0x00000000000000000000000000000000000000e7');
    const pb = new WsProbe(sim.urls.polybolt);
    await pb.opened;
    pb.send({ op: 'auth', rid: 'a', auth: { apiKey: creds.apiKey, secret: creds.secret, passphrase: creds.passphrase } });
    await pb.waitFor(clock, (f) => f.some((x) => x.includes('"authed"')));
    const subs = ['btcusd', 'ethusd', 'solusd'].flatMap((symbol) => [
      { channel: 'price.crypto.twap', filter: { symbol, window_seconds: 60 } },
      { channel: 'price.crypto', filter: { symbol } },
    ]);
    pb.send({ op: 'subscribe', rid: 's', subscriptions: [...subs, { channel: 'price.crypto', filter: { symbol: 'adausd' } }] });
    await pb.waitFor(clock, (f) => f.filter((x) => x.includes('"snapshot":true')).length === 6);
    await advance(clock, 3_000, 500);
    const frames = pb.json().map((x) => P.PolyboltServerFrame.parse(x));
    expect(frames.filter((f) => 'op' in f && f.op === 'subscribed')).toHaveLength(6);
    expect(frames.find((f) => 'op' in f && f.op === 'error')).toMatchObject({ code: 'invalid_filter', channel: 'price.crypto' });
    const data = frames.filter((f): f is P.PolyboltData => 'v' in f);
    for (const channel of ['price.crypto', 'price.crypto.twap']) {
      expect(data.filter((d) => d.channel === channel).map((d) => d.seq), channel).toEqual(data.filter((d) => d.channel === channel).map((_, i) => i + 1));
    }
    for (const asset of ['btc', 'eth']) {
      const pm = sim.model.pricesFor(asset)!;
      const ref = new Map(pm.referenceHistory.toArray().map((p) => [p.tMs, p.value]));
      const twap = new Map(pm.twapHistory.toArray().map((p) => [p.tMs, p.value]));
      for (const d of data) {
        const payload = d.payload as { symbol?: string; data?: { timestamp: number; value: number }[]; timestamp?: number; value?: number };
        if (payload.symbol !== `${asset}usd`) continue;
        const want = d.channel === 'price.crypto.twap' ? twap : ref;
        const points = payload.data ?? [{ timestamp: payload.timestamp!, value: payload.value! }];
        if (d.snapshot) expect(points.length, `${asset} ${d.channel} snapshot`).toBeGreaterThan(100);
        for (const p of points) expect(p.value, `${asset} ${d.channel} @${p.timestamp}`).toBe(want.get(p.timestamp));
      }
      expect(data.filter((d) => !d.snapshot && (d.payload as { symbol: string }).symbol === `${asset}usd`).length, `${asset} live`).toBeGreaterThanOrEqual(4);
    }
    // solusd is a venue symbol the simulator does not walk: empty snapshots, no live data.
    const sol = data.filter((d) => (d.payload as { symbol?: string }).symbol === 'solusd');
    expect(sol.map((d) => [d.snapshot, (d.payload as { data: unknown[] }).data])).toEqual([[true, []], [true, []]]);
    pb.close();
  });

  it('serves every simulated asset on RTDS and on raw and combined spot streams', async () => {
    const eth = sim.model.pricesFor('eth')!;
    const ethSpot = new Map<number, number>();
    eth.onSpot((p) => ethSpot.set(p.tMs, p.value));
    const rtds = new WsProbe(sim.urls.rtds);
    const raw = new WsProbe(`${sim.urls.spot}/ws/ethusdt@trade`);
    const combined = new WsProbe(`${sim.urls.spot}/stream?streams=btcusdt@trade/ethusdt@bookTicker`);
    const none = new WsProbe(`${sim.urls.spot}/ws/dogeusdt@trade`);
    await Promise.all([rtds.opened, raw.opened, combined.opened, none.opened]);
    rtds.send({ action: 'subscribe', subscriptions: [{ topic: 'crypto_prices', type: 'update', filters: 'btcusdt,ethusdt' }, { topic: 'crypto_prices_chainlink', type: '*', filters: '{"symbol":"eth/usd"}' }] });
    await rtds.waitFor(clock, (f) => f.filter((x) => x.includes('"type":"subscribe"')).length === 3);
    await advance(clock, 3_000, 250);

    const msgs = rtds.json().map((x) => P.RtdsMessage.parse(x));
    expect(msgs.filter((m) => m.type === 'subscribe').map((m) => m.payload.symbol)).toEqual(['btcusdt', 'ethusdt', 'eth/usd']);
    const ethRef = new Map(eth.referenceHistory.toArray().map((p) => [p.tMs, p.value]));
    const updates = msgs.filter((m) => m.type === 'update').map((m) => m.payload as P.RtdsMessage['payload'] & { timestamp: number; value: number });
    expect(new Set(updates.map((u) => u.symbol))).toEqual(new Set(['btcusdt', 'ethusdt', 'eth/usd']));
    for (const u of updates.filter((x) => x.symbol === 'ethusdt')) expect(u.value).toBe(ethSpot.get(u.timestamp));
    for (const u of updates.filter((x) => x.symbol === 'eth/usd')) expect(u.value).toBe(ethRef.get(u.timestamp));

    const trades = raw.json().map((x) => P.SpotTrade.parse(x));
    expect(trades.length).toBeGreaterThanOrEqual(10);
    for (const t of trades) {
      expect(t.s).toBe('ETHUSDT');
      expect(Number(t.p)).toBe(ethSpot.get(t.T));
    }
    const comb = combined.json().map((x) => P.SpotCombined.parse(x));
    const byStream = new Map<string, typeof comb>();
    for (const c of comb) byStream.set(c.stream, [...(byStream.get(c.stream) ?? []), c]);
    expect([...byStream.keys()].sort()).toEqual(['btcusdt@trade', 'ethusdt@bookTicker']);
    expect(byStream.get('btcusdt@trade')!.every((c) => c.data.s === 'BTCUSDT')).toBe(true);
    const lastBook = byStream.get('ethusdt@bookTicker')!.at(-1)!.data as P.SpotBookTicker;
    expect(Number(lastBook.b)).toBeCloseTo(eth.spotNow() - 0.01, 8);
    expect(none.frames).toEqual([]);
    for (const p of [rtds, raw, combined, none]) p.close();

    const status = (await getJson(`${sim.urls.control}/status`)).body as { assets: Record<string, { spot: number }> };
    expect(status.assets.eth!.spot).toBe(eth.spotNow());
  });
});

describe('PolyBolt subscription limit', () => {
  it('takes 64 (channel, filter) pairs on one connection and closes 4008 on the 65th', async () => {
    const codes = Array.from({ length: 33 }, (_, i) => `x${String(i).padStart(2, '0')}`);
    const c2 = new SimClock(T0);
    const big = await startSim({ clock: c2, seed: 'many', series: [], assets: simAssetsFor(codes), correlation: 0 });
    try {
      const creds = big.auth.register('0x00000000000000000000000000000000000000e8');
      const pb = new WsProbe(big.urls.polybolt);
      await pb.opened;
      pb.send({ op: 'auth', auth: { apiKey: creds.apiKey, secret: creds.secret, passphrase: creds.passphrase } });
      await pb.waitFor(c2, (f) => f.some((x) => x.includes('"authed"')));
      const pair = (code: string) => [{ channel: 'price.crypto', filter: { symbol: `${code}usd` } }, { channel: 'price.crypto.twap', filter: { symbol: `${code}usd`, window_seconds: 60 } }];
      pb.send({ op: 'subscribe', subscriptions: codes.slice(0, 32).flatMap(pair) });
      await pb.waitFor(c2, (f) => f.filter((x) => x.includes('"op":"subscribed"')).length === 64);
      expect(pb.closeCode).toBeUndefined();
      pb.send({ op: 'subscribe', subscriptions: [pair(codes[32]!)[0]] });
      await pb.waitFor(c2, () => pb.closeCode !== undefined);
      expect(pb.closeCode).toBe(4008);
    } finally {
      await big.close();
    }
  });
});
