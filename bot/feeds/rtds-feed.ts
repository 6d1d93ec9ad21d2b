/**
 * Legacy RTDS reference feed: `crypto_prices_chainlink` <asset>/usd (live) and `crypto_prices_twap_sixty` <asset>/usd
 * (TWAP-60, when the server still has it), for every traded asset on one connection; each point goes to its own
 * symbol's store. Deprecated upstream; used only when asked for (REFERENCE_FEED=rtds).
 * Without the TWAP topic the price to beat falls back to the 60 s mean of live ticks.
 * Publishes `ref.price` (source rtds). Sends `PING` every 5 s; resubscribes on every reconnect. Other topics and
 * symbols are counted as unknown and never stored; a refused subscription is reported as a runtime error.
 */
import type { EventBus } from '../bus';
import type { Clock } from '../clock';
import type { Prng } from '../util/prng';
import { RtdsErrorEnvelope, RtdsMessage } from '../protocol';
import type { ReferenceStore } from '../core/reference-store';
import type { ReferenceSet } from '../core/reference-set';
import type { FeedName } from '../core/connection';
import { WsConnection } from '../net/ws-connection';

export interface RtdsFeedOptions {
  /** Raw frame tap (recorder). */
  onRaw?: (feed: FeedName, tsRecvMs: number, text: string) => void;
  url: string;
  clock: Clock;
  bus: EventBus;
  prng: Prng;
  /** Single-symbol form: one store for `symbol` (default btc/usd). */
  store?: ReferenceStore;
  symbol?: string;
  /** Several symbols (`eth/usd`...): each point goes to the store of its symbol's asset. */
  references?: ReferenceSet;
  symbols?: readonly string[];
  staleMs?: number;
}

export class RtdsFeed {
  readonly conn: WsConnection;

  private symbols: string[];
  private send: ((t: string) => void) | undefined;

  constructor(private readonly o: RtdsFeedOptions) {
    this.symbols = [...new Set((o.symbols ?? [o.symbol ?? 'btc/usd']).map((x) => x.toLowerCase()))];
    this.conn = new WsConnection({
      ...(o.onRaw ? { onRaw: o.onRaw } : {}),
      name: 'rtds',
      url: o.url,
      clock: o.clock,
      bus: o.bus,
      prng: o.prng.fork('rtds'),
      pingText: 'PING',
      pingEveryMs: 5_000,
      staleMs: o.staleMs ?? 5_000,
      onOpen: (send) => {
        this.send = send;
        send(JSON.stringify({ action: 'subscribe', subscriptions: subscriptionsFor(this.symbols) }));
      },
      onText: (t) => this.onText(t),
    });
  }

  /** Follow exactly these symbols from now on (subscribe / unsubscribe on the open socket). */
  setSymbols(next: readonly string[]): void {
    const want = [...new Set(next.map((x) => x.toLowerCase()))];
    const added = want.filter((x) => !this.symbols.includes(x));
    const removed = this.symbols.filter((x) => !want.includes(x));
    this.symbols = want;
    if (!this.send) return;
    if (removed.length) this.send(JSON.stringify({ action: 'unsubscribe', subscriptions: subscriptionsFor(removed) }));
    if (added.length) this.send(JSON.stringify({ action: 'subscribe', subscriptions: subscriptionsFor(added) }));
  }

  subscribed(): readonly string[] {
    return this.symbols;
  }

  /** Feed one raw text frame through the same normaliser (replay, tests). */
  ingest(text: string): void {
    if (this.onText(text)) this.conn.health.message();
  }

  start(): void {
    this.conn.start();
  }
  stop(): void {
    this.conn.stop();
  }

  private onText(text: string): boolean {
    const t = text.trim();
    if (t === 'PONG' || t === 'pong' || t === '') return false;
    let raw: unknown;
    try {
      raw = JSON.parse(t);
    } catch {
      this.conn.health.badFrame('malformed JSON');
      return false;
    }
    const refused = RtdsErrorEnvelope.safeParse(raw);
    if (refused.success && !(raw as { topic?: unknown }).topic) {
      this.o.bus.publish({ type: 'runtime.error', source: 'feed:rtds', message: `RTDS refused: HTTP ${refused.data.statusCode} ${refused.data.body?.message.slice(0, 160) ?? ''}` });
      return false;
    }
    const r = RtdsMessage.safeParse(raw);
    if (!r.success) {
      this.conn.health.badFrame(r.error.issues[0]?.message ?? 'schema mismatch');
      return false;
    }
    const kind = r.data.topic === 'crypto_prices_chainlink' ? 'live' : r.data.topic === 'crypto_prices_twap_sixty' ? 'twap60' : undefined;
    const p = r.data.payload;
    const symbol = p.symbol !== undefined ? p.symbol.toLowerCase() : this.symbols.length === 1 ? this.symbols[0] : undefined;
    const store = symbol !== undefined && this.symbols.includes(symbol) ? (this.o.references ? this.o.references.bySymbol(symbol) : this.o.store) : undefined;
    if (!kind || !store) {
      this.conn.health.unknown(`topic ${r.data.topic} ${p.symbol ?? ''}`.trim());
      return false;
    }
    const recv = this.o.clock.nowMs();
    const add = (ts: number, v: number) => (kind === 'live' ? store.addLive(ts, v, recv) : store.addTwap(ts, v, recv));
    if ('data' in p) {
      for (const pt of p.data) if (pt.value > 0) add(pt.timestamp, pt.value);
      return true;
    }
    if (!(p.value > 0)) {
      this.conn.health.badFrame('non-positive price');
      return false;
    }
    add(p.timestamp, p.value);
    this.o.bus.publish({ type: 'ref.price', source: 'rtds', kind, symbol: p.symbol, priceUsd: p.value, tsEventMs: p.timestamp });
    return true;
  }
}

function subscriptionsFor(symbols: readonly string[]) {
  return symbols.flatMap((symbol) => [
    { topic: 'crypto_prices_chainlink', type: '*', filters: JSON.stringify({ symbol }) },
    { topic: 'crypto_prices_twap_sixty', type: '*', filters: JSON.stringify({ symbol }) },
  ]);
}
