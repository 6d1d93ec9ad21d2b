/**
 * Execution latency benchmark (issue 4): frame received -> order bytes sent for a FOK taker BUY on loopback.
 *
 * A local WebSocket server pushes `book` frames; the client marks `frame received` in its message handler,
 * parses the frame with the market-feed parser, updates the book, decides a FOK BUY at the best ask and sends it.
 * - ours: ExecutionEngine + LiveVenue (cached tick/fee/keys, fast noble signer, one HMAC, keep-alive write),
 *   tracker + in-memory journal included (the order is journaled before it is sent).
 * - baseline: clob-client-v2 createAndPostMarketOrder with every cache pre-warmed (tick size, neg risk, fee
 *   info, version), measured in the same run.
 * Both are measured to the moment the loopback HTTP server receives the full request (same end mark); ours is
 * also reported to the moment its bytes were handed to the socket.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { Wallet } from '@ethersproject/wallet';
import { ClobClient, OrderType, Side } from '@polymarket/clob-client-v2';
import { EventBus } from '../../bot/bus';
import { LiveClock, monotonicMs } from '../../bot/clock';
import { ExecutionEngine, LiveVenue, MemoryJournal, OrderTracker, RateLimiter, VenueStatus } from '../../bot/execution';

import { parseMarketFrame } from '../../bot/protocol';
import type { Benchmark, BenchRow } from './types';
import { DEFAULT_CRYPTO_FEES, OrderBook, type OrderMarketInfo } from '../../bot/core';

const TOKEN = '25070934348813416902477876984955073880416401960631253331845590271167412497744';
const COND = '0xcd5f9f505e0c0182746aa65963f72f01e7463259e5ea9f56672c0fe3a37f348a';
const PK = '0x' + '11'.repeat(32);
const CREDS = { key: '550e8400-e29b-41d4-a716-446655440000', secret: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I=', passphrase: 'pass-phrase-123' };

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

function frame(i: number): string {
  const ask = (0.5 + (i % 10) / 100).toFixed(2);
  return JSON.stringify([{ event_type: 'book', asset_id: TOKEN, market: COND, timestamp: String(1791241800000 + i), hash: 'h' + i,
    bids: [{ price: '0.45', size: '100' }], asks: [{ price: '0.99', size: '100' }, { price: ask, size: '500' }] }]);
}

async function harness() {
  let onRequest: (() => void) | undefined;
  let orders = 0;
  const server = http.createServer({ keepAlive: true } as http.ServerOptions, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/order') {
        orders++;
        onRequest?.();
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ success: true, errorMsg: '', orderID: '0x' + 'ab'.repeat(32), status: 'matched', makingAmount: '10000000', takingAmount: '19000000', transactionsHashes: ['0x' + 'cd'.repeat(32)], tradeIDs: ['t' + orders] }));
      } else if (req.url?.startsWith('/version')) {
        res.end('{"version":2}');
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((r) => wss.on('listening', () => r()));
  const host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const wsUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  let serverSock: WebSocket | undefined;
  wss.on('connection', (s) => (serverSock = s));
  const client = new WebSocket(wsUrl, { perMessageDeflate: false });
  await new Promise<void>((r) => client.on('open', () => r()));
  while (!serverSock) await new Promise((r) => setImmediate(r));
  return {
    host,
    client,
    push: (t: string) => serverSock!.send(t),
    nextRequest: () => new Promise<number>((r) => (onRequest = () => r(monotonicMs()))),
    close: async () => {
      client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** Run n frames through `handle`, return [frame->sent, frame->server-received] samples in ms. */
async function drive(h: Awaited<ReturnType<typeof harness>>, n: number, handle: (text: string, t0: number, sent: (t: number) => void) => void, before?: (i: number) => void) {
  const toSent: number[] = [];
  const toRecv: number[] = [];
  for (let i = 0; i < n; i++) {
    const recv = h.nextRequest();
    let t0 = 0;
    const got = new Promise<void>((resolve) => {
      h.client.once('message', (data) => {
        t0 = monotonicMs();
        handle(data.toString(), t0, (t) => toSent.push(t - t0));
        resolve();
      });
    });
    before?.(i);
    h.push(frame(i));
    await got;
    toRecv.push((await recv) - t0);
  }
  return { toSent, toRecv };
}

async function runOurs(h: Awaited<ReturnType<typeof harness>>, n: number, presign = false) {
  const clock = new LiveClock();
  const bus = new EventBus({ clock, historySize: 1000 });
  const journal = new MemoryJournal(5000);
  const tracker = new OrderTracker({ clock, bus, journal, tokenInfo: () => undefined, maxOrders: 5000, maxFills: 5000 });
  const limiter = new RateLimiter({ clock, orders: { perSec: 1e6, burst: 1e6 } });
  const status = new VenueStatus(clock, bus);
  const venue = new LiveVenue({ host: h.host, clock, privateKey: PK, signatureType: 0, creds: CREDS, limiter, status, isOurOrder: () => true });
  const engine = new ExecutionEngine({ clock, bus, tracker, venue, limiter, status });
  engine.setReady(true);
  const market: OrderMarketInfo = { windowSlug: 'btc-updown-5m-1791241200', conditionId: COND, tokenId: TOKEN, tickSize: '0.01', minOrderSize: 5, negRisk: false, version: 'v1', fees: DEFAULT_CRYPTO_FEES };
  const book = new OrderBook(TOKEN);
  let seq = 0;
  const res = await drive(h, n, (text, _t0, sent) => {
    const r = parseMarketFrame(text);
    if (r.kind !== 'events') throw new Error('bad frame');
    const e = r.events[0]!;
    if (e.event_type !== 'book') throw new Error('not a book');
    book.applySnapshot(e.bids.map((l) => ({ price: +l.price, size: +l.size })), e.asks.map((l) => ({ price: +l.price, size: +l.size })), +(e.timestamp ?? 0));
    const ask = book.bestAsk()!;
    void engine.place({ clientTag: `bench|w|fok|${seq++}`, strategyId: 'bench', market, side: 'BUY', price: ask, usd: 10, orderType: 'FOK', postOnly: false }, () => sent(monotonicMs()));
  }, presign ? () => {
    // The standing intent (FOK BUY $10) pre-signed at the candidate asks, between frames (off the hot path).
    venue.presign({ clientTag: '', strategyId: 'bench', market, side: 'BUY', price: 0.5, usd: 10, orderType: 'FOK', postOnly: false }, [0.5, 0.51, 0.52, 0.53, 0.54, 0.55, 0.56, 0.57, 0.58, 0.59]);
  } : undefined);
  venue.close();
  limiter.dispose();
  return res;
}

async function runSdk(h: Awaited<ReturnType<typeof harness>>, n: number) {
  const sdk = new ClobClient({ host: h.host, chain: 137, signer: new Wallet(PK) as never, creds: CREDS, signatureType: 0, throwOnError: true });
  const c = sdk as unknown as { tickSizes: Record<string, string>; negRisk: Record<string, boolean>; feeInfos: Record<string, { rate: number; exponent: number }>; cachedVersion: number };
  c.tickSizes[TOKEN] = '0.01';
  c.negRisk[TOKEN] = false;
  c.feeInfos[TOKEN] = { rate: 0.07, exponent: 1 };
  c.cachedVersion = 2;
  const book = new OrderBook(TOKEN);
  return drive(h, n, (text) => {
    const r = parseMarketFrame(text);
    if (r.kind !== 'events') throw new Error('bad frame');
    const e = r.events[0]!;
    if (e.event_type !== 'book') throw new Error('not a book');
    book.applySnapshot(e.bids.map((l) => ({ price: +l.price, size: +l.size })), e.asks.map((l) => ({ price: +l.price, size: +l.size })), +(e.timestamp ?? 0));
    void sdk.createAndPostMarketOrder({ tokenID: TOKEN, amount: 10, side: Side.BUY, price: book.bestAsk()! }, { tickSize: '0.01', negRisk: false }, OrderType.FOK);
  });
}

export const benchmarks: Benchmark[] = [
  {
    id: 'E1',
    title: 'frame received -> FOK order bytes sent (loopback)',
    async run(): Promise<BenchRow[]> {
      const h = await harness();
      try {
        await runOurs(h, 200); // warm-up (JIT, keep-alive socket)
        await runOurs(h, 200, true);
        await runSdk(h, 50);
        // Interleave the three paths in rounds so that all of them see the same machine load (shared 2-core box).
        const sdk = { toSent: [] as number[], toRecv: [] as number[] };
        const ours = { toSent: [] as number[], toRecv: [] as number[] };
        const pre = { toSent: [] as number[], toRecv: [] as number[] };
        for (let round = 0; round < 8; round++) {
          const a = await runSdk(h, 60);
          const b = await runOurs(h, 250);
          const c = await runOurs(h, 250, true);
          sdk.toRecv.push(...a.toRecv);
          ours.toSent.push(...b.toSent);
          ours.toRecv.push(...b.toRecv);
          pre.toSent.push(...c.toSent);
          pre.toRecv.push(...c.toRecv);
        }
        const o50 = pct(ours.toRecv, 50), o99 = pct(ours.toRecv, 99);
        const s50 = pct(sdk.toRecv, 50), s99 = pct(sdk.toRecv, 99);
        const sent50 = pct(ours.toSent, 50), sent99 = pct(ours.toSent, 99);
        const p50 = pct(pre.toRecv, 50), p99 = pct(pre.toRecv, 99);
        return [
          { id: 'E1', figure: 'frame -> bytes sent p50 (ours)', value: sent50, unit: 'ms', target: 'p99 < 2 ms' },
          { id: 'E1', figure: 'frame -> bytes sent p99 (ours)', value: sent99, unit: 'ms', target: '< 2 ms', pass: sent99 < 2 },
          { id: 'E1', figure: 'frame -> server received p50', value: o50, unit: 'ms', baseline: s50, baselineLabel: 'clob-client-v2 createAndPostMarketOrder', ratio: s50 / o50, target: '>= 3x plain path', pass: s50 / o50 >= 3 },
          { id: 'E1', figure: 'pre-signed: frame -> bytes sent p99', value: pct(pre.toSent, 99), unit: 'ms', target: '< 0.2 ms (P4 pre-signed)', pass: pct(pre.toSent, 99) < 0.2 },
          { id: 'E1', figure: 'pre-signed: frame -> server received p50', value: p50, unit: 'ms', baseline: s50, baselineLabel: 'clob-client-v2 createAndPostMarketOrder', ratio: s50 / p50, target: '>= 3x plain path', pass: s50 / p50 >= 3 },
          { id: 'E1', figure: 'pre-signed: frame -> server received p99', value: p99, unit: 'ms', baseline: s99, baselineLabel: 'clob-client-v2 createAndPostMarketOrder', ratio: s99 / p99, target: '< 2 ms and >= 3x plain path', pass: p99 < 2 && s99 / p99 >= 3 },
          { id: 'E1', figure: 'frame -> server received p99', value: o99, unit: 'ms', baseline: s99, baselineLabel: 'clob-client-v2 createAndPostMarketOrder', ratio: s99 / o99, target: '< 2 ms and >= 3x plain path', pass: o99 < 2 && s99 / o99 >= 3 },
        ];
      } finally {
        await h.close();
      }
    },
  },
];
