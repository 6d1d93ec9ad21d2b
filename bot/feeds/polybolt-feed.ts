/**
 * PolyBolt reference feed (`price.crypto` + `price.crypto.twap` window 60 for each traded asset's symbol: `btcusd`,
 * `ethusd`, ... on one connection), authenticated with the CLOB API credentials. Re-auths and resubscribes after
 * every reconnect; snapshots refill each symbol's own store. Symbols can be added and removed while connected
 * (`setSymbols`: subscribe / unsubscribe frames on the open socket).
 *
 * Publishes `ref.price` (kind live / twap60, with its symbol) for each live point; bad frames are counted.
 * Invariants: a point is stored only in the store of its own symbol (one asset's price never prices another); a
 * snapshot without a symbol is accepted only while exactly one symbol is subscribed; at most 32 symbols (two
 * subscriptions each, the venue's 64 per connection); `full_accuracy_value` is preferred over the float;
 * credentials never logged.
 */
import type { EventBus } from '../bus';
import type { Clock } from '../clock';
import type { Prng } from '../util/prng';
import { fastPolyboltFrame, pointValue, PolyboltServerFrame } from '../protocol';
import type { ReferenceStore } from '../core/reference-store';
import type { ReferenceSet } from '../core/reference-set';
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
  /** Single-symbol form: one store for `symbol` (default btcusd). */
  store?: ReferenceStore;
  symbol?: string;
  /** Several symbols: each point goes to the store of its symbol's asset. */
  references?: ReferenceSet;
  symbols?: readonly string[];
  staleMs?: number;
}

const MAX_SYMBOLS = 32;

export class PolyboltFeed {
  readonly conn: WsConnection;
  authErrors = 0;
  private send: ((t: string) => void) | undefined;
  private authed = false;
  private symbols: string[];
  private rid = 0;

  constructor(private readonly o: PolyboltFeedOptions) {
    this.symbols = [...new Set((o.symbols ?? [o.symbol ?? 'btcusd']).map((x) => x.toLowerCase()))];
    if (this.symbols.length > MAX_SYMBOLS) throw new Error(`polybolt: at most ${MAX_SYMBOLS} symbols per connection (got ${this.symbols.length})`);
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
        this.authed = false;
        if (!o.creds) return;
        send(JSON.stringify({ op: 'auth', rid: 'a1', auth: { apiKey: o.creds.key, secret: o.creds.secret, passphrase: o.creds.passphrase } }));
      },
      onText: (t) => this.onText(t),
    });
  }

  /** The symbols this feed follows. */
  subscribed(): readonly string[] {
    return this.symbols;
  }

  /** Follow exactly these symbols from now on: subscribe the new ones and unsubscribe the dropped ones on the open socket. */
  setSymbols(next: readonly string[]): void {
    const want = [...new Set(next.map((x) => x.toLowerCase()))];
    if (want.length > MAX_SYMBOLS) throw new Error(`polybolt: at most ${MAX_SYMBOLS} symbols per connection (got ${want.length})`);
    const added = want.filter((x) => !this.symbols.includes(x));
    const removed = this.symbols.filter((x) => !want.includes(x));
    this.symbols = want;
    if (!this.authed || !this.send) return; // the next auth subscribes the whole list
    if (removed.length) this.send(JSON.stringify({ op: 'unsubscribe', rid: `u${++this.rid}`, subscriptions: subscriptionsFor(removed) }));
    if (added.length) this.send(JSON.stringify({ op: 'subscribe', rid: `s${++this.rid}`, subscriptions: subscriptionsFor(added) }));
  }

  /** Feed one raw text frame through the same normaliser (replay, tests). */
  ingest(text: string): void {
    if (this.onText(text)) this.conn.health.message();
  }

  private storeFor(symbol: string): ReferenceStore | undefined {
    if (!this.symbols.includes(symbol)) return undefined;
    return this.o.references ? this.o.references.bySymbol(symbol) : this.o.store;
  }

  start(): void {
    this.conn.start();
  }
  stop(): void {
    this.conn.stop();
  }

  private onText(text: string): boolean {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      this.conn.health.badFrame('malformed JSON');
      return false;
    }
    let f = fastPolyboltFrame(raw);
    if (!f) {
      const r = PolyboltServerFrame.safeParse(raw);
      if (!r.success) {
        this.conn.health.badFrame(r.error.issues[0]?.message ?? 'schema mismatch');
        return false;
      }
      f = r.data;
    }
    if ('op' in f) {
      if (f.op === 'pong') this.conn.health.alive();
      if (f.op === 'authed') {
        this.authed = true;
        if (this.symbols.length) this.send?.(JSON.stringify({ op: 'subscribe', rid: `s${++this.rid}`, subscriptions: subscriptionsFor(this.symbols) }));
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
    // A point feeds only its own symbol's store (a snapshot may omit the symbol: ours by subscription when we follow one).
    const symbol = p.symbol !== undefined ? p.symbol.toLowerCase() : this.symbols.length === 1 ? this.symbols[0]! : undefined;
    const store = symbol !== undefined ? this.storeFor(symbol) : undefined;
    if (!store || symbol === undefined) {
      this.conn.health.unknown(`symbol ${p.symbol ?? '(none, several subscribed)'}`);
      return false;
    }
    const recv = this.o.clock.nowMs();
    if ('data' in p) {
      let bad = 0;
      for (const pt of p.data) {
        const v = pointValue(pt);
        if (!(v > 0)) {
          bad++;
          continue;
        }
        if (twap) store.addTwap(pt.timestamp, v, recv);
        else store.addLive(pt.timestamp, v, recv);
      }
      if (bad) this.conn.health.badFrame(`${bad} non-positive snapshot point(s) dropped`);
      return true;
    }
    const v = pointValue(p);
    if (!(v > 0)) {
      this.conn.health.badFrame('non-positive price');
      return false;
    }
    if (twap) store.addTwap(p.timestamp, v, recv);
    else store.addLive(p.timestamp, v, recv);
    this.o.bus.publish({ type: 'ref.price', source: 'polybolt', kind: twap ? 'twap60' : 'live', symbol, priceUsd: v, tsEventMs: p.timestamp });
    return true;
  }
}

function subscriptionsFor(symbols: readonly string[]) {
  return symbols.flatMap((symbol) => [
    { channel: 'price.crypto.twap', filter: { symbol, window_seconds: 60 } },
    { channel: 'price.crypto', filter: { symbol } },
  ]);
}
