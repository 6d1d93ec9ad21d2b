/**
 * Core benchmarks: bus dispatch rate vs a bare EventEmitter, and SSE fan-out to 50 clients over real HTTP
 * (delivery completeness, p50/p99 latency, server memory) vs writing pre-encoded frames straight to the
 * sockets. Both sides of each ratio are measured in this run.
 */
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventBus } from '../../bot/bus';
import { LiveClock } from '../../bot/clock';
import type { BotEvent } from '../../lib/schemas/events';
import { encodeEvent, SseHub } from '../../lib/server/sse';
import type { Benchmark, BenchRow } from './types';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? NaN;
}

function busRate(n: number): number {
  const bus = new EventBus({ clock: new LiveClock(), historySize: 10_000 });
  let sink = 0;
  bus.on('runtime.error', (e) => (sink += e.seq));
  bus.on('runtime.error', () => sink++);
  bus.onAny(() => sink++);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) bus.publish({ type: 'runtime.error', source: 'bench', message: 'm' });
  const dt = performance.now() - t0;
  if (sink === 0) throw new Error('no dispatch');
  return (n * 1000) / dt;
}

function emitterRate(n: number): number {
  const em = new EventEmitter();
  let sink = 0;
  em.on('e', (e: { seq: number }) => (sink += e.seq));
  em.on('e', () => sink++);
  em.on('e', () => sink++);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) em.emit('e', { type: 'runtime.error', source: 'bench', message: 'm', seq: i, tsRecvMs: 0, tsEventMs: 0 });
  const dt = performance.now() - t0;
  if (sink === 0) throw new Error('no dispatch');
  return (n * 1000) / dt;
}

const busBench: Benchmark = {
  id: 'bus-dispatch',
  title: 'event bus dispatch vs EventEmitter',
  async run(): Promise<BenchRow[]> {
    const n = 300_000;
    busRate(50_000);
    emitterRate(50_000);
    const bus: number[] = [];
    const em: number[] = [];
    for (let i = 0; i < 5; i++) {
      bus.push(busRate(n));
      em.push(emitterRate(n));
    }
    const b = median(bus);
    const e = median(em);
    return [{ id: 'bus', figure: 'bus publish+dispatch, 3 handlers (events/s)', value: b, unit: 'ev/s', baseline: e, baselineLabel: 'EventEmitter', ratio: b / e, target: '>= 0.25x EventEmitter and >= 1M ev/s', pass: b / e >= 0.25 && b >= 1e6 }];
  },
};

interface FanoutResult {
  delivered: number;
  expected: number;
  latencies: number[];
  rssDeltaMb: number;
}

async function fanout(kind: 'hub' | 'raw', clients: number, events: number, ratePerSec: number): Promise<FanoutResult> {
  const clock = new LiveClock();
  const bus = new EventBus({ clock, historySize: 10_000 });
  const hub = new SseHub({ maxClientBytes: 1 << 20, heartbeatMs: 15_000 });
  const raws: import('node:http').ServerResponse[] = [];
  const server: Server = createServer((req, res) => {
    if (kind === 'raw') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      raws.push(res);
      return;
    }
    const stream = hub.open({ instanceId: 'bench', lastSeq: () => bus.stats.lastSeq, since: (s) => bus.history.since(s), subscribe: (fn) => bus.onAny(fn) }, undefined);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const reader = stream.getReader();
    const pump = async (): Promise<void> => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return void res.end();
        if (!res.write(value)) await new Promise((r) => res.once('drain', r));
      }
    };
    void pump();
    req.on('close', () => void reader.cancel());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  const latencies: number[] = [];
  let delivered = 0;
  const ctrl = new AbortController();
  const readers = Array.from({ length: clients }, async () => {
    const res = await fetch(`http://127.0.0.1:${port}/`, { signal: ctrl.signal });
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    let buf = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += dec.decode(value, { stream: true });
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const line = block.split('\n').find((l) => l.startsWith('data: '));
          if (!line || block.startsWith('event:')) continue;
          const e = JSON.parse(line.slice(6)) as BotEvent;
          if (e.type !== 'runtime.error') continue;
          delivered++;
          latencies.push(Date.now() - e.tsRecvMs);
        }
      }
    } catch {
      /* aborted */
    }
  });
  while ((kind === 'hub' ? hub.stats.clients : raws.length) < clients) await new Promise((r) => setTimeout(r, 10));
  const rss0 = process.memoryUsage().rss;
  const intervalMs = 1000 / ratePerSec;
  for (let i = 0; i < events; i++) {
    const e = bus.publish({ type: 'runtime.error', source: 'bench', message: `event ${i} ${'x'.repeat(120)}` });
    if (kind === 'raw') {
      const frame = encodeEvent(e);
      for (const r of raws) r.write(frame);
    }
    if (i % 10 === 9) await new Promise((r) => setTimeout(r, intervalMs * 10));
  }
  const deadline = Date.now() + 5_000;
  while (delivered < clients * events && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const rss1 = process.memoryUsage().rss;
  ctrl.abort();
  hub.closeAll();
  for (const r of raws) r.end();
  await Promise.allSettled(readers);
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  return { delivered, expected: clients * events, latencies, rssDeltaMb: (rss1 - rss0) / 1e6 };
}

const sseBench: Benchmark = {
  id: 'sse-fanout',
  title: 'SSE fan-out, 50 clients',
  async run(): Promise<BenchRow[]> {
    const clients = 50;
    const events = 1_000;
    const rate = 200;
    const raw = await fanout('raw', clients, events, rate);
    const hub = await fanout('hub', clients, events, rate);
    const p99h = pct(hub.latencies, 0.99);
    const p99r = pct(raw.latencies, 0.99);
    return [
      { id: 'P8', figure: `SSE delivered (${clients} clients x ${events} events @${rate}/s)`, value: hub.delivered, unit: 'events', baseline: hub.expected, baselineLabel: 'expected', ratio: hub.delivered / hub.expected, target: 'all delivered', pass: hub.delivered === hub.expected },
      { id: 'P8', figure: 'SSE delivery latency p50 (ms)', value: pct(hub.latencies, 0.5), unit: 'ms', baseline: pct(raw.latencies, 0.5), baselineLabel: 'raw res.write', target: 'informational' },
      { id: 'P8', figure: 'SSE delivery latency p99 (ms)', value: p99h, unit: 'ms', baseline: p99r, baselineLabel: 'raw res.write', ratio: p99r > 0 ? p99r / p99h : undefined, target: 'p99 < 100 ms', pass: p99h < 100 },
      { id: 'P8', figure: 'server RSS growth during fan-out (MB)', value: hub.rssDeltaMb, unit: 'MB', baseline: raw.rssDeltaMb, baselineLabel: 'raw res.write', target: '< 50 MB', pass: hub.rssDeltaMb < 50 },
    ];
  },
};

export const benchmarks: Benchmark[] = [busBench, sseBench];
