/**
 * Binance-style spot stream for every simulated asset (`<asset>usdt`): raw `/ws/btcusdt@trade`,
 * `/ws/ethusdt@bookTicker`, combined `/stream?streams=btcusdt@trade/ethusdt@trade` (payload wrapped as
 * `{stream, data}`) and live `{"method":"SUBSCRIBE"}` control on `/ws`.
 * One trade and one bookTicker per spot step of each asset. Quantities are a deterministic function of the asset's
 * step counter (no PRNG draw, so connecting a spot client never changes the rest of the simulation).
 * Invariants: <= 16 streams/socket; an asset's counter (trade ids) depends on that asset's steps only; prices are
 * printed with 8 decimals from the asset's precision (`62400.12000000`).
 * A control-API spot offset (`POST /spot-offset`) shifts the published prices only, never the model's spot.
 */
import type { IncomingMessage } from 'node:http';
import { SpotControl } from '../protocol/spot';
import { parseJson } from './http-kit';
import type { PricePoint } from './price-model';
import type { FaultySocket } from './ws-out';
import { textOf, type OnConnection } from './ws-endpoint';

interface Conn {
  streams: Set<string>;
  combined: boolean;
}

export interface SpotAsset {
  asset: string;
  /** Decimal places of the asset's prices (2 = cents; the book ticker quotes one unit of it either side). */
  decimals: number;
}

export class SpotServer {
  private readonly conns = new Map<FaultySocket, Conn>();
  private readonly seq = new Map<string, number>();
  private readonly streams: ReadonlySet<string>;
  private readonly decimals = new Map<string, number>();

  /** `offsetBps()`: the control API's spot offset (venue-settings.ts), applied to every published price. */
  constructor(
    private readonly offsetBps: () => number = () => 0,
    assets: readonly SpotAsset[] = [{ asset: 'btc', decimals: 2 }],
  ) {
    this.streams = new Set(assets.flatMap((a) => [`${a.asset}usdt@trade`, `${a.asset}usdt@bookTicker`]));
    for (const a of assets) this.decimals.set(a.asset, a.decimals);
  }

  readonly onConnection: OnConnection = (s, req: IncomingMessage) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const c: Conn = { streams: new Set(), combined: url.pathname === '/stream' };
    if (c.combined) for (const x of (url.searchParams.get('streams') ?? '').split('/')) if (this.streams.has(x) && c.streams.size < 16) c.streams.add(x);
    const raw = /^\/ws\/(.+)$/.exec(url.pathname);
    if (raw && this.streams.has(raw[1]!)) c.streams.add(raw[1]!);
    this.conns.set(s, c);
    s.ws.on('close', () => this.conns.delete(s));
    s.ws.on('message', (data) => {
      const msg = SpotControl.safeParse(parseJson(textOf(data)));
      if (!msg.success) return;
      const params = msg.data.params ?? [];
      if (msg.data.method === 'SUBSCRIBE') for (const p of params) if (this.streams.has(p) && c.streams.size < 16) c.streams.add(p);
      if (msg.data.method === 'UNSUBSCRIBE') for (const p of params) c.streams.delete(p);
      const result = msg.data.method === 'LIST_SUBSCRIPTIONS' ? [...c.streams] : null;
      s.sendControl(JSON.stringify({ result, id: msg.data.id }));
    });
  };

  /** One spot step of an asset (default btc). */
  onSpot(point: PricePoint, asset = 'btc'): void {
    const dec = this.decimals.get(asset);
    if (dec === undefined) return;
    const f = 10 ** dec;
    const bps = this.offsetBps();
    const p = bps === 0 ? point : { tMs: point.tMs, value: Math.round(point.value * (1 + bps / 10_000) * f) / f };
    const n = (this.seq.get(asset) ?? 0) + 1;
    this.seq.set(asset, n);
    const price = p.value.toFixed(dec);
    const tick = 1 / f;
    const q = (((n * 7919) % 997) + 3) / 100_000;
    const s = `${asset.toUpperCase()}USDT`;
    const trade = { e: 'trade', E: p.tMs + 1, s, t: 5_000_000_000 + n, p: `${price}${'0'.repeat(Math.max(0, 8 - dec))}`, q: q.toFixed(8), T: p.tMs, m: n % 2 === 0, M: true };
    const book = { u: 70_000_000_000 + n, s, b: (p.value - tick).toFixed(8), B: (((n * 31) % 200) / 100 + 0.1).toFixed(8), a: (p.value + tick).toFixed(8), A: (((n * 17) % 150) / 100 + 0.1).toFixed(8) };
    const tradeStream = `${asset}usdt@trade`;
    const bookStream = `${asset}usdt@bookTicker`;
    const texts = new Map<string, string>();
    const render = (stream: string, combined: boolean) => {
      const k = `${stream}|${combined}`;
      let t = texts.get(k);
      if (!t) {
        const data = stream === tradeStream ? trade : book;
        t = JSON.stringify(combined ? { stream, data } : data);
        texts.set(k, t);
      }
      return t;
    };
    for (const [sock, c] of this.conns) for (const st of c.streams) if (st === tradeStream || st === bookStream) sock.send(render(st, c.combined));
  }
}
