/**
 * Market feed against a local scripted WebSocket server (port 0): snapshots and deltas, B4 bad frames
 * (malformed JSON, unknown event_type, missing fields, price "NaN"/"1.5", negative size, 10 MB frame),
 * stale/out-of-order frames, crossed-book and best-bid/ask checks with REST resync, tick-size epochs.
 */
import { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { ClobMarketFeed } from '../../../bot/feeds';
import { fastBookText } from '../../../bot/protocol/market-text';

import { Prng } from '../../../bot/util/prng';
import { type ClobPublicClient } from '../../../bot/http';

const U = '25070934348813416902477876984955073880416401960631253331845590271167412497744';
const C = '0xcd5f9f505e0c0182746aa65963f72f01e7463259e5ea9f56672c0fe3a37f348a';
const book = (ts: number, bids: [string, string][], asks: [string, string][]) =>
  JSON.stringify([{ event_type: 'book', asset_id: U, market: C, timestamp: String(ts), hash: 'h', bids: bids.map(([price, size]) => ({ price, size })), asks: asks.map(([price, size]) => ({ price, size })) }]);
const change = (ts: number, price: string, size: string, side: 'BUY' | 'SELL', extra: object = {}) =>
  JSON.stringify({ event_type: 'price_change', market: C, timestamp: String(ts), price_changes: [{ asset_id: U, price, size, side, ...extra }] });

async function until(cond: () => boolean, label: string) {
  for (let i = 0; i < 5000; i++) {
    if (cond()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`timeout: ${label}`);
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function setup(restBook?: () => object, restBooks?: () => object[]) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((r) => wss.on('listening', () => r()));
  const sockets: WebSocket[] = [];
  const subs: string[] = [];
  wss.on('connection', (s) => {
    sockets.push(s);
    s.on('message', (d) => {
      // Keep-alives are answered like the venue does; only subscriptions are recorded.
      if (d.toString() === 'PING') s.send('PONG');
      else subs.push(d.toString());
    });
  });
  const clock = new SimClock(1791241800000);
  const bus = new EventBus({ clock });
  const calls = { book: 0, books: 0 };
  const rest = {
    bookChecked: async () => {
      calls.book++;
      return restBook ? { ok: true, value: { ...restBook(), hashOk: true } } : { ok: false, status: 500, reason: 'x' };
    },
    books: async () => {
      calls.books++;
      return restBooks ? { ok: true, value: restBooks() } : { ok: false, status: 500, reason: 'x' };
    },
  } as unknown as ClobPublicClient;
  const feed = new ClobMarketFeed({ url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, clock, bus, prng: new Prng(1), rest });
  const events: string[] = [];
  bus.onAny((e) => events.push(e.type));
  feed.setAssets([U]);
  feed.start();
  await until(() => sockets.length === 1 && subs.length === 1, 'subscribed');
  cleanup = async () => {
    feed.stop();
    for (const s of sockets) s.terminate();
    await new Promise((r) => wss.close(r));
  };
  const last = () => sockets[sockets.length - 1]!;
  return { feed, clock, bus, events, sockets, subs, calls, send: (t: string) => last().send(t) };
}

const restSummary = (ts: number, bids: [string, string][], asks: [string, string][]) => ({
  market: C, asset_id: U, timestamp: String(ts), hash: 'r', min_order_size: '5', tick_size: '0.01', neg_risk: false,
  bids: bids.map(([price, size]) => ({ price, size })), asks: asks.map(([price, size]) => ({ price, size })),
});

/** Advance the clock in 1 s steps, letting socket I/O and async checks run after each. */
async function step(t: { clock: SimClock }, ms: number) {
  for (let i = 0; i < ms / 1000; i++) {
    t.clock.advanceBy(1000);
    for (let k = 0; k < 10; k++) await new Promise((r) => setImmediate(r));
  }
}

describe('ClobMarketFeed', () => {
  it('a subscribe that gets no snapshot within 2 s is snapshotted over REST /book', async () => {
    const t = await setup(() => restSummary(1791241800000, [['0.5', '10']], [['0.51', '20']]));
    await step(t, 1000);
    expect(t.feed.book(U)!.ready).toBe(false);
    expect(t.calls.book).toBe(0);
    await step(t, 2000);
    await until(() => t.feed.isFresh(U), 'fresh from REST');
    expect(t.calls.book).toBe(1);
    expect(t.feed.stats.restSnapshots).toBe(1);
    expect(t.feed.book(U)!.top()).toEqual({ bestBid: { price: 0.5, size: 10 }, bestAsk: { price: 0.51, size: 20 } });
  });

  it('a quiet socket (PONG only, REST books unchanged) stays fresh for minutes; once REST differs it is a stall (stale, reconnect)', async () => {
    let restLevels: [[string, string][], [string, string][]] = [[['0.5', '210']], [['0.51', '60']]];
    const t = await setup(undefined, () => [restSummary(1, restLevels[0], restLevels[1])]);
    t.send(book(1, [['0.5', '210']], [['0.51', '60']]));
    await until(() => t.feed.isFresh(U), 'fresh');
    await step(t, 180_000);
    expect(t.feed.isFresh(U)).toBe(true);
    expect(t.feed.conn.health.stale).toBe(false);
    expect(t.feed.conn.health.quiet).toBe(true);
    expect(t.feed.conn.health.quietChecks).toBeGreaterThan(10);
    expect(t.feed.conn.health.reconnects).toBe(0);
    expect(t.events.includes('feed.stale')).toBe(false);
    // The venue's book moved but the socket said nothing: a silent stall.
    restLevels = [[['0.5', '100']], [['0.51', '60']]];
    await step(t, 8_000);
    expect(t.events.includes('feed.stale')).toBe(true);
    expect(t.feed.stats.quietMismatches).toBe(1);
    await until(() => t.sockets.length === 2 || t.feed.conn.connectionState !== 'open', 'reconnecting');
  });

  it('subscribes, applies snapshot + deltas, computes best levels', async () => {
    const t = await setup();
    expect(JSON.parse(t.subs[0]!)).toMatchObject({ assets_ids: [U], type: 'market', initial_dump: true, custom_feature_enabled: true });
    t.send(book(1, [['0.48', '120'], ['0.5', '210']], [['0.52', '44'], ['0.51', '60']]));
    await until(() => t.feed.isFresh(U), 'fresh');
    t.send(change(2, '0.5', '250', 'BUY', { best_bid: '0.5', best_ask: '0.51' }));
    await until(() => t.feed.book(U)!.sizeAt('bid', 0.5) === 250, 'delta');
    expect(t.feed.book(U)!.top()).toEqual({ bestBid: { price: 0.5, size: 250 }, bestAsk: { price: 0.51, size: 60 } });
  });

  it('B4: rejects bad frames at the boundary, counts them, keeps the book and the connection', async () => {
    const t = await setup();
    t.send(book(1, [['0.5', '210']], [['0.51', '60']]));
    await until(() => t.feed.isFresh(U), 'fresh');
    const bad = [
      '{not json',
      JSON.stringify({ event_type: 'surprise', market: C }),
      JSON.stringify({ event_type: 'price_change', market: C }),
      change(2, 'NaN', '10', 'BUY'),
      change(2, '1.5', '10', 'BUY'),
      change(2, '0.5', '-3', 'BUY'),
    ];
    for (const b of bad) t.send(b);
    t.send(change(3, '0.49', '7', 'BUY'));
    await until(() => t.feed.book(U)!.sizeAt('bid', 0.49) === 7, 'good frame after bad ones');
    // The unknown event type is ignored and counted apart from the five bad frames.
    expect(t.feed.conn.health.badFrames).toBe(bad.length - 1);
    expect(t.feed.conn.health.unknownEvents).toBe(1);
    expect(t.feed.book(U)!.sizeAt('bid', 0.5)).toBe(210);
    expect(t.feed.conn.health.reconnects).toBe(0);
    expect(t.events.filter((e) => e === 'feed.bad_frame').length).toBe(6);
  });

  it('an array frame keeps its good elements when one element is bad (the bad one is counted and dropped)', async () => {
    const t = await setup();
    t.send(book(1, [['0.5', '210']], [['0.51', '60']]));
    await until(() => t.feed.isFresh(U), 'fresh');
    const good1 = JSON.parse(change(2, '0.48', '5', 'BUY'));
    const bad = JSON.parse(change(2, '0.47', '-1', 'BUY'));
    const good2 = JSON.parse(change(3, '0.52', '9', 'SELL'));
    t.send(JSON.stringify([good1, bad, { event_type: 'brand_new_event' }, good2]));
    await until(() => t.feed.book(U)!.sizeAt('ask', 0.52) === 9, 'last good element applied');
    expect(t.feed.book(U)!.sizeAt('bid', 0.48)).toBe(5);
    expect(t.feed.book(U)!.sizeAt('bid', 0.47)).toBe(0);
    expect(t.feed.conn.health.badFrames).toBe(1);
    expect(t.feed.conn.health.unknownEvents).toBe(1);
  });

  it('real-venue dialect: "" for absent decimals, lower-case side, no hash or timestamp', async () => {
    const t = await setup();
    t.send(JSON.stringify([{ event_type: 'book', asset_id: U, market: C, bids: [{ price: '0.5', size: '210' }], asks: [{ price: '0.51', size: '60' }], last_trade_price: '', tick_size: '0.01' }]));
    await until(() => t.feed.isFresh(U), 'fresh from a snapshot without timestamp and hash');
    expect(t.feed.book(U)!.lastUpdateMs).toBe(t.clock.nowMs());
    t.send(JSON.stringify({ event_type: 'price_change', market: C, timestamp: String(t.clock.nowMs() + 1), price_changes: [{ asset_id: U, price: '0.49', size: '12', side: 'buy', hash: null, best_bid: '', best_ask: '' }] }));
    await until(() => t.feed.book(U)!.sizeAt('bid', 0.49) === 12, 'lower-case side applied as a bid');
    expect(t.feed.conn.health.badFrames).toBe(0);
    expect(t.feed.stats.mismatches).toBe(0);
  });

  it('B4: a 10 MB frame is refused by the socket; the feed reconnects and resnapshots', async () => {
    const t = await setup();
    t.send(book(1, [['0.5', '210']], [['0.51', '60']]));
    await until(() => t.feed.isFresh(U), 'fresh');
    t.send('x'.repeat(10 * 1024 * 1024));
    await until(() => t.feed.conn.connectionState === 'backoff', 'dropped');
    expect(t.feed.book(U)!.ready).toBe(true);
    for (let i = 0; i < 40 && t.sockets.length < 2; i++) {
      t.clock.advanceBy(1000);
      await new Promise((r) => setTimeout(r, 2));
    }
    await until(() => t.sockets.length === 2 && t.subs.length === 2, 'resubscribed');
    expect(t.feed.book(U)!.ready).toBe(false);
    t.send(book(5, [['0.5', '1']], [['0.51', '2']]));
    await until(() => t.feed.isFresh(U), 'fresh again');
    expect(t.feed.conn.health.reconnects).toBe(1);
  });

  it('B3: ignores frames older than the book; resyncs over REST on a failed best-bid/ask check or a crossed book', async () => {
    let restCalls = 0;
    const t = await setup(() => {
      restCalls++;
      return { market: C, asset_id: U, timestamp: '10', hash: 'r', bids: [{ price: '0.4', size: '1' }], asks: [{ price: '0.6', size: '1' }], min_order_size: '5', tick_size: '0.01', neg_risk: false };
    });
    t.send(book(5, [['0.5', '210']], [['0.51', '60']]));
    await until(() => t.feed.isFresh(U), 'fresh');
    t.send(change(4, '0.5', '1', 'BUY'));
    t.send(change(6, '0.49', '3', 'BUY'));
    await until(() => t.feed.book(U)!.sizeAt('bid', 0.49) === 3, 'newer applied');
    expect(t.feed.book(U)!.sizeAt('bid', 0.5)).toBe(210);
    expect(t.feed.stats.staleFrames).toBe(1);
    t.send(change(7, '0.49', '4', 'BUY', { best_bid: '0.49', best_ask: '0.51' }));
    await until(() => restCalls === 1 && t.feed.isFresh(U), 'resynced after check failure');
    expect(t.feed.book(U)!.bestBid()).toBe(0.4);
    t.send(change(11, '0.65', '5', 'BUY'));
    await until(() => restCalls === 2 && t.feed.isFresh(U), 'resynced after crossed book');
    expect(t.feed.stats.crossed).toBe(1);
    expect(t.events).toContain('book.invalidated');
  });

  it('starts a new epoch on a tick-size change and waits for a snapshot', async () => {
    const t = await setup(() => ({ market: C, asset_id: U, timestamp: '20', hash: 'r', bids: [{ price: '0.951', size: '1' }], asks: [{ price: '0.953', size: '1' }], min_order_size: '5', tick_size: '0.001', neg_risk: false }));
    t.send(book(5, [['0.95', '10']], [['0.96', '10']]));
    await until(() => t.feed.isFresh(U), 'fresh');
    const e = t.feed.book(U)!.epoch;
    t.send(JSON.stringify({ event_type: 'tick_size_change', asset_id: U, market: C, old_tick_size: '0.01', new_tick_size: '0.001', timestamp: '6' }));
    await until(() => t.feed.book(U)!.epoch > e + 1 && t.feed.isFresh(U), 'new epoch + snapshot');
    expect(t.feed.book(U)!.tickSize).toBe(0.001);
    expect(t.events).toContain('book.tick_size');
  });
});

describe('ClobMarketFeed.ingest (replay path)', () => {
  it('normalises raw frames without a socket, through the same parser', () => {
    const clock = new SimClock(0);
    const bus = new EventBus({ clock });
    const feed = new ClobMarketFeed({ url: 'ws://127.0.0.1:1', clock, bus, prng: new Prng(1), rest: {} as ClobPublicClient });
    feed.setAssets([U]);
    feed.ingest(book(1, [['0.5', '10']], [['0.52', '5']]));
    feed.ingest(change(2, '0.51', '3', 'SELL'));
    feed.ingest('garbage');
    expect(feed.book(U)!.top()).toEqual({ bestBid: { price: 0.5, size: 10 }, bestAsk: { price: 0.51, size: 3 } });
    expect(feed.conn.health.badFrames).toBe(1);
  });

  it('a single-object book frame (read as numbers from its text) leaves the same book and events as the parse path', () => {
    const make = () => {
      const clock = new SimClock(0);
      const bus = new EventBus({ clock });
      const events: unknown[] = [];
      bus.onAny((e) => events.push(e));
      const feed = new ClobMarketFeed({ url: 'ws://127.0.0.1:1', clock, bus, prng: new Prng(1), rest: {} as ClobPublicClient });
      feed.setAssets([U]);
      return { feed, events };
    };
    // Levels in the venue's order (bids ascending), a zero size, a repeated price, both key orders, a tick size.
    const snapshots = [
      { ts: 1, tick: '0.01', bids: [{ price: '0.3', size: '7.5' }, { size: '0', price: '0.31' }, { price: '0.32', size: '12' }], asks: [{ price: '0.9', size: '1' }, { price: '0.35', size: '4.25' }, { size: '2', price: '0.35' }] },
      { ts: 2, tick: '0.001', bids: [{ price: '0.401', size: '3' }], asks: [] },
      { ts: 3, tick: undefined, bids: [], asks: [{ price: '0.55', size: '100' }, { price: '0.56', size: '0.5' }] },
    ];
    const text = make();
    const parsed = make();
    for (const x of snapshots) {
      const e = { event_type: 'book', asset_id: U, market: C, bids: x.bids, asks: x.asks, timestamp: String(x.ts), hash: `h${x.ts}`, ...(x.tick ? { tick_size: x.tick } : {}) };
      expect(fastBookText(JSON.stringify(e)), `frame ${x.ts} takes the text path`).toBeDefined();
      text.feed.ingest(JSON.stringify(e)); // one object: the text path (market-text.ts fastBookText)
      parsed.feed.ingest(JSON.stringify([e])); // an array frame: JSON.parse and the schemas
      const [a, b] = [text.feed.book(U)!, parsed.feed.book(U)!];
      for (const side of ['bid', 'ask'] as const) expect(a.levels(side), `${side} after ${x.ts}`).toEqual(b.levels(side));
      expect([a.epoch, a.lastUpdateMs, a.lastHash, a.tickSize, a.ready]).toEqual([b.epoch, b.lastUpdateMs, b.lastHash, b.tickSize, b.ready]);
    }
    expect(text.feed.book(U)!.levels('ask').length).toBe(2);
    expect(text.events).toEqual(parsed.events);
    expect(text.events.filter((e) => (e as { type: string }).type === 'book.snapshot')).toHaveLength(3);
    expect(text.feed.conn.health.badFrames + parsed.feed.conn.health.badFrames).toBe(0);
  });
});
