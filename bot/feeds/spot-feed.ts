/**
 * Binance-style spot stream (trade / bookTicker, raw or combined). Liveness and divergence only, never
 * settlement maths. Publishes `spot.price` at most every `publishEveryMs` per symbol (bus volume bounded), with the
 * frame's symbol. Several assets: one combined stream (`/stream?streams=btcusdt@trade/ethusdt@trade`, see
 * `spotStreamUrl`) and each price goes to its own asset's store (`references`); a symbol of no tracked asset is
 * counted as unknown and dropped.
 * A canonical `@trade` frame is read in place by one regular expression (`scanSpotTradeText`, equal to the parse
 * path by test; the symbol is cut out only when published); anything else is JSON-parsed and checked by
 * `fastSpotTrade`, then the zod schema.
 */
import type { EventBus } from '../bus';
import type { Clock } from '../clock';
import type { Prng } from '../util/prng';
import * as protocol from '../protocol';
import * as decimal from '../protocol/decimal';
import type { ReferenceStore } from '../core/reference-store';
import type { ReferenceSet } from '../core/reference-set';
import type { FeedName } from '../core/connection';
import { WsConnection } from '../net/ws-connection';
// tsx compiles each use of an imported name to a getter call: the hot paths read each binding once, here.
const { fastSpotTrade, scanSpotTradeText, spotTradeAt, SpotFrame } = protocol;
const { decimalNumberAt } = decimal;
type SpotTradeInText = protocol.SpotTradeInText;

export interface SpotFeedOptions {
  /** Raw frame tap (recorder). */
  onRaw?: (feed: FeedName, tsRecvMs: number, text: string) => void;
  url: string;
  clock: Clock;
  bus: EventBus;
  prng: Prng;
  /** Single-asset form: every price goes to this store. */
  store?: ReferenceStore;
  /** Several assets: each price goes to its symbol's asset's store. */
  references?: ReferenceSet;
  /** With both `store` and `references`: start routing by symbol (several assets) rather than all to `store`. */
  multi?: boolean;
  /** The configured single stream URL, from which `setSymbols` derives the combined stream's URL. */
  baseUrl?: string;
  staleMs?: number;
  publishEveryMs?: number;
}

/**
 * The stream URL for these symbols: the configured URL itself for one symbol (or when it is not a Binance-style
 * `/ws/<stream>` URL); otherwise the combined `/stream?streams=` form with each symbol's stream of the same type.
 */
export function spotStreamUrl(url: string, symbols: readonly string[]): string {
  const m = /^(.*)\/ws\/([a-z0-9]+)@([a-zA-Z]+)$/.exec(url);
  const syms = [...new Set(symbols.map((s) => s.toLowerCase()))];
  if (!m || syms.length === 0 || (syms.length === 1 && syms[0] === m[2])) return url;
  return `${m[1]}/stream?streams=${syms.map((s) => `${s}@${m[3]}`).join('/')}`;
}

export class SpotFeed {
  readonly conn: WsConnection;
  private lastPublishMs = -Infinity;
  private readonly lastPublishBySymbol = new Map<string, number>();
  /** Prices go to their symbol's asset's store (several assets, or ever had several); else all to `store`. */
  private byAsset: boolean;

  constructor(private readonly o: SpotFeedOptions) {
    this.byAsset = o.references !== undefined && (o.store === undefined || o.multi === true);
    this.conn = new WsConnection({
      ...(o.onRaw ? { onRaw: o.onRaw } : {}),
      name: 'spot',
      url: o.url,
      clock: o.clock,
      bus: o.bus,
      prng: o.prng.fork('spot'),
      staleMs: o.staleMs ?? 5_000,
      onOpen: () => {},
      onText: (t) => this.onText(t),
    });
  }

  /** Feed one raw text frame through the same normaliser (replay, tests). */
  ingest(text: string): void {
    if (this.onText(text)) this.conn.health.message();
  }

  /**
   * Feed one `@trade` frame that `scanSpotTradeLiteral` already located in a recording line: what `ingest` does with
   * its text once `scanSpotTradeText` accepted it (the same fields, read in place).
   */
  ingestTrade(t: SpotTradeInText): void {
    if (this.onPriceAt(t.text, t.s0, t.s1, decimalNumberAt(t.text, t.p0, t.p1), decimalNumberAt(t.text, t.t0, t.t1))) this.conn.health.message();
  }

  /**
   * The spot symbols changed (a series of another asset added or removed while running): the stream follows them —
   * the combined stream's URL (`spotStreamUrl`), reconnected; from the second symbol on, each price goes to its own
   * asset's store. True when the stream URL changed.
   */
  setSymbols(symbols: readonly string[]): boolean {
    const syms = [...new Set(symbols.map((s) => s.toLowerCase()))];
    const base = this.o.baseUrl ?? this.o.url;
    if (syms.length > 1 && this.o.references) this.byAsset = true;
    // One symbol: the configured stream as it is (as at start).
    return this.conn.setUrl(syms.length > 1 ? spotStreamUrl(base, syms) : base);
  }

  start(): void {
    this.conn.start();
  }
  stop(): void {
    this.conn.stop();
  }

  private onText(text: string): boolean {
    // Nearly every frame is a plain `@trade` in the canonical layout: read in place, without JSON.parse (same result).
    if (scanSpotTradeText(text)) {
      const at = spotTradeAt;
      return this.onPriceAt(text, at.s0, at.s1, decimalNumberAt(text, at.p0, at.p1), decimalNumberAt(text, at.t0, at.t1));
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      this.conn.health.badFrame('malformed JSON');
      return false;
    }
    if (raw && typeof raw === 'object' && 'result' in raw) return false;
    const quick = fastSpotTrade(raw);
    const r = quick ? ({ success: true, data: quick } as const) : SpotFrame.safeParse(raw);
    if (!r.success) {
      this.conn.health.badFrame(r.error.issues[0]?.message ?? 'schema mismatch');
      return false;
    }
    const d = 'stream' in r.data ? r.data.data : r.data;
    const price = 'p' in d ? Number(d.p) : (Number(d.b) + Number(d.a)) / 2;
    return this.onPrice(d.s, price, 'T' in d ? d.T : undefined);
  }

  /** A valid frame's price (trade time, or undefined: now). False when the price is not positive (ignored). */
  private onPrice(symbol: string, price: number, tradeMs: number | undefined): boolean {
    return this.onPriceAt(symbol, 0, symbol.length, price, tradeMs);
  }

  /** `onPrice` with the symbol as [s0, s1) of `text`: cut out only when `spot.price` is published (throttled). */
  private onPriceAt(text: string, s0: number, s1: number, price: number, tradeMs: number | undefined): boolean {
    const now = this.o.clock.nowMs();
    const ts = tradeMs ?? now;
    if (!(price > 0)) return false;
    if (this.byAsset) return this.onAssetPrice(text.slice(s0, s1).toLowerCase(), price, ts, now);
    this.o.store?.setSpot(ts, price);
    if (now - this.lastPublishMs >= (this.o.publishEveryMs ?? 250)) {
      this.lastPublishMs = now;
      this.o.bus.publish({ type: 'spot.price', source: 'binance', symbol: text.slice(s0, s1).toLowerCase(), priceUsd: price, tsEventMs: ts });
    }
    return true;
  }

  /** Several assets: the price goes to its own asset's store, published at most every publishEveryMs per symbol. */
  private onAssetPrice(symbol: string, price: number, ts: number, now: number): boolean {
    const store = this.o.references!.bySymbol(symbol);
    if (!store) {
      this.conn.health.unknown(`symbol ${symbol}`);
      return false;
    }
    store.setSpot(ts, price);
    if (now - (this.lastPublishBySymbol.get(symbol) ?? -Infinity) >= (this.o.publishEveryMs ?? 250)) {
      this.lastPublishBySymbol.set(symbol, now);
      this.o.bus.publish({ type: 'spot.price', source: 'binance', symbol, priceUsd: price, tsEventMs: ts });
    }
    return true;
  }
}
