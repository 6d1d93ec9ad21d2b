/**
 * Legacy RTDS stream (reference §5.1, §9.7): `crypto_prices` (spot, symbols `<asset>usdt`) and
 * `crypto_prices_chainlink` (reference, symbols `<asset>/usd`) for every simulated asset. `filters` is a string
 * (comma list or JSON); a filtered subscription first gets one dump `{symbol, data:[...]}` per simulated symbol it
 * names; `PING`/`ping` -> `PONG`. Invariant: at most 32 subscriptions per socket.
 */
import { RtdsClientMessage, rtdsFilterSymbols } from '../protocol/rtds';
import { parseJson } from './http-kit';
import type { SimModel } from './model';
import type { PricePoint } from './price-model';
import type { FaultySocket } from './ws-out';
import { textOf, type OnConnection } from './ws-endpoint';

type Topic = 'crypto_prices' | 'crypto_prices_chainlink';
interface Sub {
  topic: Topic;
  symbols: Set<string>;
}

export class RtdsServer {
  private readonly conns = new Map<FaultySocket, Sub[]>();

  constructor(private readonly model: SimModel) {}

  readonly onConnection: OnConnection = (s) => {
    this.conns.set(s, []);
    s.ws.on('close', () => this.conns.delete(s));
    s.ws.on('message', (data) => {
      const text = textOf(data);
      if (text === 'PING' || text === 'ping') return s.sendControl('PONG');
      const msg = RtdsClientMessage.safeParse(parseJson(text));
      if (!msg.success) return;
      const subs = this.conns.get(s) ?? [];
      for (const x of msg.data.subscriptions) {
        if (x.topic !== 'crypto_prices' && x.topic !== 'crypto_prices_chainlink') continue;
        const sub: Sub = { topic: x.topic, symbols: rtdsFilterSymbols(x.filters) };
        if (msg.data.action === 'unsubscribe') {
          const i = subs.findIndex((y) => y.topic === sub.topic);
          if (i >= 0) subs.splice(i, 1);
          continue;
        }
        if (subs.length >= 32) continue;
        subs.push(sub);
        if (sub.symbols.size > 0) this.dump(s, sub);
      }
      this.conns.set(s, subs);
    });
  };

  onSpot(p: PricePoint, asset = 'btc'): void {
    this.push('crypto_prices', `${asset}usdt`, p, 'update');
  }

  onReference(ref: PricePoint, asset = 'btc'): void {
    this.push('crypto_prices_chainlink', `${asset}/usd`, ref, 'update');
  }

  private push(topic: Topic, symbol: string, p: PricePoint, type: string): void {
    let text: string | undefined;
    for (const [s, subs] of this.conns) {
      if (!subs.some((x) => x.topic === topic && (x.symbols.size === 0 || x.symbols.has(symbol)))) continue;
      text ??= JSON.stringify({ topic, type, timestamp: this.model.clock.nowMs(), payload: { symbol, timestamp: p.tMs, value: p.value } });
      s.send(text);
    }
  }

  private dump(s: FaultySocket, sub: Sub): void {
    const now = this.model.clock.nowMs();
    const spot = sub.topic === 'crypto_prices';
    for (const symbol of sub.symbols) {
      const asset = spot ? /^([a-z0-9]+)usdt$/.exec(symbol)?.[1] : /^([a-z0-9]+)\/usd$/.exec(symbol)?.[1];
      const prices = asset === undefined ? undefined : this.model.pricesFor(asset);
      if (!prices) continue;
      const hist = (spot ? prices.spotHistory : prices.referenceHistory).toArray().filter((p) => p.tMs > now - 60_000);
      s.send(JSON.stringify({ topic: sub.topic, type: 'subscribe', timestamp: now, payload: { symbol, data: hist.map((p) => ({ timestamp: p.tMs, value: p.value })) } }));
    }
  }
}
