/**
 * PolyBolt reference feed (`price.crypto` + `price.crypto.twap` window 60 for one symbol), authenticated with
 * the CLOB API credentials. Re-auths and resubscribes after every reconnect; snapshots refill the store.
 *
 * Publishes `ref.price` (kind live / twap60) for each live point; bad frames are counted.
 * Invariants: `full_accuracy_value` is preferred over the float; credentials never logged.
 */
import type { EventBus } from '../bus';
import type { Clock } from '../clock';
import type { Prng } from '../util/prng';
import { pointValue, PolyboltServerFrame } from '../protocol';
import type { ReferenceStore } from '../core/reference-store';
import type { ApiCredentials } from '../core/connection';
import type { FeedName } from '../core/connection';
import { WsConnection } from '../net/ws-connection';

export interface PolyboltFeedOptions {
  /** Raw frame tap (recorder). */
  onRaw?: (feed: FeedName, tsRecvMs: number, text: string) => void;
  url: string;
  clock: Clock;
  bus: EventBus;
  prng: Prng;
  /** CLOB API credentials for the socket's auth (absent only for a recorded stream, which never connects). */
  creds?: ApiCredentials;
  store: ReferenceStore;
  symbol?: string;
  staleMs?: number;
}

export class PolyboltFeed {
  readonly conn: WsConnection;
  authErrors = 0;
  private send: ((t: string) => void) | undefined;

  constructor(private readonly o: PolyboltFeedOptions) {
    const symbol = o.symbol ?? 'btcusd';
    this.conn = new WsConnection({
      ...(o.onRaw ? { onRaw: o.onRaw } : {}),
      name: 'polybolt',
      url: o.url,
      clock: o.clock,
      bus: o.bus,
      prng: o.prng.fork('polybolt'),
      pingText: JSON.stringify({ op: 'ping' }),
      pingEveryMs: 10_000,
      staleMs: o.staleMs ?? 5_000,
      onOpen: (send) => {
        this.send = send;
        if (!o.creds) return;
        send(JSON.stringify({ op: 'auth', rid: 'a1', auth: { apiKey: o.creds.key, secret: o.creds.secret, passphrase: o.creds.passphrase } }));
      },
      onText: (t) => this.onText(t, symbol),
    });
  }

  /** Feed one raw text frame through the same normaliser (replay, tests). */
  ingest(text: string): void {
    if (this.onText(text, this.o.symbol ?? 'btcusd')) this.conn.health.message();
  }

  start(): void {
    this.conn.start();
  }
  stop(): void {
    this.conn.stop();
  }

  private onText(text: string, symbol: string): boolean {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      this.conn.health.badFrame('malformed JSON');
      return false;
    }
    const r = PolyboltServerFrame.safeParse(raw);
    if (!r.success) {
      this.conn.health.badFrame(r.error.issues[0]?.message ?? 'schema mismatch');
      return false;
    }
    const f = r.data;
    if ('op' in f) {
      if (f.op === 'pong') this.conn.health.alive();
      if (f.op === 'authed') {
        this.send?.(JSON.stringify({
          op: 'subscribe',
          rid: 's1',
          subscriptions: [
            { channel: 'price.crypto.twap', filter: { symbol, window_seconds: 60 } },
            { channel: 'price.crypto', filter: { symbol } },
          ],
        }));
      } else if (f.op === 'error') {
        if (f.code.startsWith('auth')) this.authErrors++;
        this.o.bus.publish({ type: 'runtime.error', source: 'feed:polybolt', message: `polybolt error ${f.code}` });
      }
      return false;
    }
    const p = f.payload;
    if (p === null) {
      this.conn.health.unknown(`channel ${f.channel}`);
      return false;
    }
    const twap = f.channel === 'price.crypto.twap';
    // Another symbol's data never feeds this reference (a snapshot may omit the symbol: it is ours by subscription).
    if (p.symbol !== undefined && p.symbol.toLowerCase() !== symbol) {
      this.conn.health.unknown(`symbol ${p.symbol}`);
      return false;
    }
    if ('data' in p) {
      let bad = 0;
      for (const pt of p.data) {
        const v = pointValue(pt);
        if (!(v > 0)) {
          bad++;
          continue;
        }
        if (twap) this.o.store.addTwap(pt.timestamp, v);
        else this.o.store.addLive(pt.timestamp, v);
      }
      if (bad) this.conn.health.badFrame(`${bad} non-positive snapshot point(s) dropped`);
      return true;
    }
    const v = pointValue(p);
    if (!(v > 0)) {
      this.conn.health.badFrame('non-positive price');
      return false;
    }
    if (twap) this.o.store.addTwap(p.timestamp, v);
    else this.o.store.addLive(p.timestamp, v);
    this.o.bus.publish({ type: 'ref.price', source: 'polybolt', kind: twap ? 'twap60' : 'live', symbol, priceUsd: v, tsEventMs: p.timestamp });
    return true;
  }
}
