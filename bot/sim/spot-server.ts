/**
 * Binance-style spot stream for btcusdt: raw `/ws/btcusdt@trade`, `/ws/btcusdt@bookTicker`, combined
 * `/stream?streams=a/b` (payload wrapped as `{stream, data}`) and live `{"method":"SUBSCRIBE"}` control on `/ws`.
 * One trade and one bookTicker per spot step. Quantities are a deterministic function of the step counter (no
 * PRNG draw, so connecting a spot client never changes the rest of the simulation). Invariant: <= 16 streams/socket.
 * A control-API spot offset (`POST /spot-offset`) shifts the published prices only, never the model's spot.
 */
import type { IncomingMessage } from 'node:http';
import { SpotControl } from '../protocol/spot';
import { parseJson } from './http-kit';
import type { PricePoint } from './price-model';
import type { FaultySocket } from './ws-out';
import { textOf, type OnConnection } from './ws-endpoint';

const STREAMS = ['btcusdt@trade', 'btcusdt@bookTicker'];

interface Conn {
  streams: Set<string>;
  combined: boolean;
}

export class SpotServer {
  private readonly conns = new Map<FaultySocket, Conn>();
  private seq = 0;

  /** `offsetBps()`: the control API's spot offset (venue-settings.ts), applied to every published price. */
  constructor(private readonly offsetBps: () => number = () => 0) {}

  readonly onConnection: OnConnection = (s, req: IncomingMessage) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const c: Conn = { streams: new Set(), combined: url.pathname === '/stream' };
    if (c.combined) for (const x of (url.searchParams.get('streams') ?? '').split('/')) if (STREAMS.includes(x)) c.streams.add(x);
    const raw = /^\/ws\/(.+)$/.exec(url.pathname);
    if (raw && STREAMS.includes(raw[1]!)) c.streams.add(raw[1]!);
    this.conns.set(s, c);
    s.ws.on('close', () => this.conns.delete(s));
    s.ws.on('message', (data) => {
      const msg = SpotControl.safeParse(parseJson(textOf(data)));
      if (!msg.success) return;
      const params = msg.data.params ?? [];
      if (msg.data.method === 'SUBSCRIBE') for (const p of params) if (STREAMS.includes(p) && c.streams.size < 16) c.streams.add(p);
      if (msg.data.method === 'UNSUBSCRIBE') for (const p of params) c.streams.delete(p);
      const result = msg.data.method === 'LIST_SUBSCRIPTIONS' ? [...c.streams] : null;
      s.sendControl(JSON.stringify({ result, id: msg.data.id }));
    });
  };

  onSpot(point: PricePoint): void {
    const bps = this.offsetBps();
    const p = bps === 0 ? point : { tMs: point.tMs, value: Math.round(point.value * (1 + bps / 10_000) * 100) / 100 };
    const n = ++this.seq;
    const price = p.value.toFixed(2);
    const q = (((n * 7919) % 997) + 3) / 100_000;
    const trade = { e: 'trade', E: p.tMs + 1, s: 'BTCUSDT', t: 5_000_000_000 + n, p: `${price}000000`, q: q.toFixed(8), T: p.tMs, m: n % 2 === 0, M: true };
    const book = { u: 70_000_000_000 + n, s: 'BTCUSDT', b: (p.value - 0.01).toFixed(8), B: (((n * 31) % 200) / 100 + 0.1).toFixed(8), a: (p.value + 0.01).toFixed(8), A: (((n * 17) % 150) / 100 + 0.1).toFixed(8) };
    const texts = new Map<string, string>();
    const render = (stream: string, combined: boolean) => {
      const k = `${stream}|${combined}`;
      let t = texts.get(k);
      if (!t) {
        const data = stream === 'btcusdt@trade' ? trade : book;
        t = JSON.stringify(combined ? { stream, data } : data);
        texts.set(k, t);
      }
      return t;
    };
    for (const [s, c] of this.conns) for (const st of c.streams) s.send(render(st, c.combined));
  }
}
