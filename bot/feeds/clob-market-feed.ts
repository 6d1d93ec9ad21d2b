/**
 * CLOB market socket -> per-token order books and market-data bus events.
 *
 * - Subscribes with initial_dump + custom features; follows the token set with subscribe/unsubscribe operations.
 * - `book` replaces a book (new epoch); `price_change` sets absolute level sizes; stale frames (older timestamp
 *   than the book) are ignored; `best_bid`/`best_ask` in a change and `best_bid_ask` events are cross-checked
 *   against the computed top, and a mismatch or a crossed book triggers a REST `/book` resync.
 * - `tick_size_change` and every reconnect invalidate the affected books (new epoch, not ready) until a fresh
 *   snapshot arrives (WS initial dump or REST resync).
 * - Bad frames are counted (feed.bad_frame) and never touch a book; in an array frame only the bad element is
 *   dropped. Unknown event types are ignored and counted.
 * - Real-venue behaviour (§9.9): dynamic subscribes ask for `initial_dump`; a token whose snapshot has not
 *   arrived `snapshotWaitMs` (2 s) after its subscribe is snapshotted over REST `/book`. A socket that answers
 *   PONG but carries no data is checked against REST (`POST /books`): unchanged books mean a quiet market (still
 *   fresh), changed ones a silent stall (stale, reconnect). Frames without a timestamp use the receive time.
 *
 * Publishes: book.snapshot, book.top (on change), book.invalidated, book.trade, book.tick_size, feed.* health.
 */
import type { EventInput } from '../../lib/schemas/events';
import type { EventBus } from '../bus';
import type { Clock } from '../clock';
import type { Prng } from '../util/prng';
import * as protocol from '../protocol';
import type { BookEvent, MarketWsEvent } from '../protocol';
import * as decimal from '../protocol/decimal';
import * as marketText from '../protocol/market-text';
import type { BookHead } from '../protocol/market-text';
import type { ClobPublicClient } from '../http/clob-public';
import { OrderBook, type BookLevel, type MarketDataListener } from '../core/order-book';
import type { FeedName } from '../core/connection';
import { WsConnection } from '../net/ws-connection';
// tsx compiles each use of an imported name to a getter call: the hot paths read each binding once, here.
const { normalizePriceChange, parseMarketFrame, epochMsFrom } = protocol;
const { decimalNumber } = decimal;
const { bookNumbers, fastBookText } = marketText;


export interface ClobMarketFeedOptions {
  /** Raw frame tap (recorder). */
  onRaw?: (feed: FeedName, tsRecvMs: number, text: string) => void;
  url: string;
  clock: Clock;
  bus: EventBus;
  prng: Prng;
  rest: ClobPublicClient;
  staleMs?: number;
  maxTokens?: number;
  /** How long to wait for a subscribed token's WS snapshot before asking REST (default 2 s). */
  snapshotWaitMs?: number;
}

/** A frame's venue time in ms; a frame without a timestamp is stamped with its receive time. */
const stampOf = (v: string | number | undefined, recvMs: number): number => (v === undefined ? recvMs : epochMsFrom(v));
const lv = (ls: readonly { price: string; size: string }[]): BookLevel[] => ls.map((l) => ({ price: Number(l.price), size: Number(l.size) }));
const SNAP_DEPTH = 20;

export class ClobMarketFeed {
  readonly conn: WsConnection;
  private readonly books = new Map<string, OrderBook>();
  /** The last `book.top` published per token (mutated in place). */
  private readonly lastTop = new Map<string, { epoch: number; bid?: number | undefined; bidSize?: number | undefined; ask?: number | undefined; askSize?: number | undefined }>();
  private readonly resyncing = new Set<string>();
  private readonly listeners: MarketDataListener[] = [];
  private readonly lastTrades = new Map<string, { price: number; size: number; side: 'BUY' | 'SELL'; tsMs: number }>();
  private assets: string[] = [];
  readonly stats = { staleFrames: 0, resyncs: 0, mismatches: 0, crossed: 0, hashMismatches: 0, restSnapshots: 0, quietMismatches: 0 };

  constructor(private readonly o: ClobMarketFeedOptions) {
    this.conn = new WsConnection({
      ...(o.onRaw ? { onRaw: o.onRaw } : {}),
      name: 'clob-market',
      url: o.url,
      clock: o.clock,
      bus: o.bus,
      prng: o.prng.fork('clob-market'),
      pingText: 'PING',
      pingEveryMs: 10_000,
      staleMs: o.staleMs ?? 5_000,
      verifyQuiet: () => this.verifyQuiet(),
      onOpen: (send) => {
        if (this.assets.length > 0) {
          send(JSON.stringify({ assets_ids: this.assets, type: 'market', initial_dump: true, level: 2, custom_feature_enabled: true }));
          this.watchSnapshots(this.assets);
        }
      },
      onText: (t) => this.onText(t),
      onReconnect: () => {
        for (const [id, b] of this.books) this.invalidate(id, b, 'reconnect');
      },
    });
  }

  addListener(l: MarketDataListener): void {
    this.listeners.push(l);
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

  book(tokenId: string): OrderBook | undefined {
    return this.books.get(tokenId);
  }

  /** Last trade print of a token (bounded: only followed tokens). */
  lastTrade(tokenId: string): { price: number; size: number; side: 'BUY' | 'SELL'; tsMs: number } | undefined {
    return this.lastTrades.get(tokenId);
  }

  /** True when the book can be traded on: snapshot received, not stale, not crossed. */
  isFresh(tokenId: string): boolean {
    const b = this.books.get(tokenId);
    return !!b && b.ready && !this.conn.health.stale && !b.isCrossed();
  }

  /** Follow exactly these tokens (current + next windows). */
  setAssets(tokens: readonly string[]): void {
    const max = this.o.maxTokens ?? 16;
    const next = [...new Set(tokens)].slice(-max);
    const added = next.filter((t) => !this.assets.includes(t));
    const removed = this.assets.filter((t) => !next.includes(t));
    const wasEmpty = this.assets.length === 0;
    this.assets = next;
    for (const t of added) if (!this.books.has(t)) this.books.set(t, new OrderBook(t));
    for (const t of removed) {
      this.books.delete(t);
      this.lastTrades.delete(t);
      this.lastTop.delete(t);
    }
    if (this.conn.connectionState !== 'open') return;
    if (wasEmpty && added.length > 0) {
      this.conn.send(JSON.stringify({ assets_ids: next, type: 'market', initial_dump: true, level: 2, custom_feature_enabled: true }));
      this.watchSnapshots(next);
      return;
    }
    if (added.length) {
      this.conn.send(JSON.stringify({ operation: 'subscribe', assets_ids: added, level: 2, custom_feature_enabled: true, initial_dump: true }));
      this.watchSnapshots(added);
    }
    if (removed.length) this.conn.send(JSON.stringify({ operation: 'unsubscribe', assets_ids: removed }));
  }

  /** After a subscribe: tokens still without a snapshot when the wait is over are snapshotted over REST. */
  private watchSnapshots(tokens: readonly string[]): void {
    const ids = [...tokens];
    this.o.clock.after(this.o.snapshotWaitMs ?? 2_000, 'clob-market.snapshot-wait', () => {
      if (this.conn.connectionState !== 'open') return;
      for (const id of ids) {
        const b = this.books.get(id);
        if (b && !b.ready) {
          this.stats.restSnapshots++;
          void this.resync(id);
        }
      }
    });
  }

  /**
   * Data silence on an open socket: quiet market or silent stall? Quiet only when the socket still answers
   * PONG and every ready book equals the venue's REST book (one `POST /books` for all of them).
   */
  private async verifyQuiet(): Promise<boolean> {
    if (!this.conn.health.aliveWithin(25_000)) return false;
    const ready = [...this.books.entries()].filter(([, b]) => b.ready);
    if (ready.length === 0) return true;
    const r = await this.o.rest.books(ready.map(([id]) => id));
    if (!r.ok) return false;
    const byId = new Map(r.value.map((x) => [x.asset_id, x]));
    for (const [id, b] of ready) {
      const rest = byId.get(id);
      if (!rest || this.books.get(id) !== b || !b.sameLevels(lv(rest.bids), lv(rest.asks))) {
        this.stats.quietMismatches++;
        return false;
      }
    }
    return true;
  }

  private onText(text: string): boolean {
    // A single-event `book` frame (nearly all of a replay's text) goes into its book as numbers: the same acceptance
    // and the same book as the parse path (market-text.ts), without a level object and two strings per level.
    const head = fastBookText(text);
    if (head !== undefined) {
      this.onBook(head, this.o.clock.nowMs(), undefined);
      return true;
    }
    const events = this.conn.health.frame(parseMarketFrame(text));
    if (!events) return false;
    const now = this.o.clock.nowMs();
    for (const e of events) this.onEvent(e, now);
    return events.length > 0;
  }

  private onEvent(e: MarketWsEvent, recvMs: number): void {
    switch (e.event_type) {
      case 'book':
        this.onBook(e, recvMs, e);
        return;
      case 'price_change': {
        const ts = stampOf(e.timestamp, recvMs);
        // Tokens touched, in first-touch order, with the best bid/ask of their last change (checked after all changes).
        const ids: string[] = [];
        const bids: (string | undefined)[] = [];
        const asks: (string | undefined)[] = [];
        for (const c of normalizePriceChange(e)) {
          const b = this.books.get(c.asset_id);
          if (!b || !b.ready) continue;
          if (ts < b.lastUpdateMs) {
            this.stats.staleFrames++;
            continue;
          }
          b.applyDelta(c.side === 'BUY' ? 'bid' : 'ask', decimalNumber(c.price), decimalNumber(c.size), ts, c.hash ?? '');
          let i = ids.indexOf(c.asset_id);
          if (i < 0) i = ids.push(c.asset_id) - 1;
          bids[i] = c.best_bid;
          asks[i] = c.best_ask;
        }
        for (let i = 0; i < ids.length; i++) this.afterDelta(ids[i]!, bids[i], asks[i]);
        return;
      }
      case 'best_bid_ask':
        this.afterDelta(e.asset_id, e.best_bid, e.best_ask, false);
        return;
      case 'tick_size_change': {
        const b = this.books.get(e.asset_id);
        if (!b) return;
        const tick = Number(e.new_tick_size);
        this.o.bus.publish({ type: 'book.tick_size', tokenId: e.asset_id, tickSize: tick });
        b.setTickSize(tick);
        this.o.bus.publish({ type: 'book.invalidated', tokenId: e.asset_id, epoch: b.epoch, reason: 'tick size change' });
        void this.resync(e.asset_id);
        return;
      }
      case 'last_trade_price': {
        if (!this.books.has(e.asset_id)) return;
        const price = decimalNumber(e.price);
        const size = e.size === undefined ? 0 : decimalNumber(e.size);
        const ts = stampOf(e.timestamp, recvMs);
        this.lastTrades.set(e.asset_id, { price, size, side: e.side, tsMs: ts });
        this.o.bus.publish({ type: 'book.trade', tokenId: e.asset_id, price, size, side: e.side });
        for (const l of this.listeners) l.onTrade?.(e.asset_id, price, size, e.side, ts);
        return;
      }
      case 'market_resolved':
        // Without a winning token the event says nothing we can settle on; the Gamma poll resolves the window.
        if (e.winning_asset_id) for (const l of this.listeners) l.onResolved?.(e.market, e.winning_asset_id);
        return;
      default:
        return;
    }
  }

  /** A `book` event: its levels in `levels`, or (undefined) in bookNumbers (read by fastBookText just before). */
  private onBook(e: BookHead, recvMs: number, levels: BookEvent | undefined): void {
    const b = this.books.get(e.asset_id);
    if (!b) return;
    const ts = stampOf(e.timestamp, recvMs);
    if (b.ready && ts < b.lastUpdateMs) {
      this.stats.staleFrames++;
      return;
    }
    if (e.tick_size) b.tickSize = Number(e.tick_size);
    if (levels) b.applySnapshot(levels.bids, levels.asks, ts, e.hash ?? '');
    else {
      const n = bookNumbers;
      b.applySnapshotNumbers(n.bidPrices, n.bidSizes, n.bids, n.askPrices, n.askSizes, n.asks, ts, e.hash ?? '');
    }
    this.afterSnapshot(e.asset_id, b, 'ws');
  }

  private afterSnapshot(id: string, b: OrderBook, source: 'ws' | 'rest'): void {
    this.o.bus.publish({ type: 'book.snapshot', tokenId: id, epoch: b.epoch, bids: b.levels('bid', SNAP_DEPTH), asks: b.levels('ask', SNAP_DEPTH), source });
    if (b.isCrossed()) {
      this.stats.crossed++;
      this.invalidate(id, b, 'crossed snapshot');
      void this.resync(id);
      return;
    }
    this.publishTop(id, b, true);
  }

  private afterDelta(id: string, bestBid?: string, bestAsk?: string, publish = true): void {
    const b = this.books.get(id);
    if (!b || !b.ready) return;
    if (b.isCrossed()) {
      this.stats.crossed++;
      this.invalidate(id, b, 'crossed book');
      void this.resync(id);
      return;
    }
    const mism =
      (bestBid !== undefined && Math.abs((b.bestBid() ?? 0) - decimalNumber(bestBid)) > 1e-9) ||
      (bestAsk !== undefined && Math.abs((b.bestAsk() ?? 0) - decimalNumber(bestAsk)) > 1e-9 && decimalNumber(bestAsk) !== 0);
    if (mism) {
      this.stats.mismatches++;
      this.invalidate(id, b, 'best bid/ask check failed');
      void this.resync(id);
      return;
    }
    if (publish) this.publishTop(id, b, false);
  }

  /** `book.top` when the top (epoch, best prices and sizes) differs from the last one published, or when forced. */
  private publishTop(id: string, b: OrderBook, force: boolean): void {
    const bid = b.bestBid();
    const ask = b.bestAsk();
    const bidSize = bid === undefined ? undefined : b.bestSize('bid');
    const askSize = ask === undefined ? undefined : b.bestSize('ask');
    let last = this.lastTop.get(id);
    if (force || !last || last.epoch !== b.epoch || last.bid !== bid || last.bidSize !== bidSize || last.ask !== ask || last.askSize !== askSize) {
      if (!last) this.lastTop.set(id, (last = { epoch: b.epoch, bid, bidSize, ask, askSize }));
      else {
        last.epoch = b.epoch;
        last.bid = bid;
        last.bidSize = bidSize;
        last.ask = ask;
        last.askSize = askSize;
      }
      const e: EventInput<'book.top'> = { type: 'book.top', tokenId: id, epoch: b.epoch };
      if (bid !== undefined) {
        e.bestBid = bid;
        e.bidSize = bidSize;
      }
      if (ask !== undefined) {
        e.bestAsk = ask;
        e.askSize = askSize;
      }
      this.o.bus.publish(e);
    }
    for (const l of this.listeners) l.onBook?.(id, b);
  }

  private invalidate(id: string, b: OrderBook, reason: string): void {
    b.invalidate(reason);
    this.o.bus.publish({ type: 'book.invalidated', tokenId: id, epoch: b.epoch, reason });
  }

  /** REST `/book` resync; a WS snapshot that lands first wins (epoch check). */
  async resync(id: string): Promise<void> {
    if (this.resyncing.has(id)) return;
    const b = this.books.get(id);
    if (!b) return;
    this.resyncing.add(id);
    this.stats.resyncs++;
    const epoch = b.epoch;
    try {
      const r = await this.o.rest.bookChecked(id);
      if (!r.ok || this.books.get(id) !== b || b.epoch !== epoch) return;
      if (!r.value.hashOk) {
        // Counted and reported; the snapshot is still the venue's latest view, so it is applied.
        this.stats.hashMismatches++;
        this.conn.health.badFrame(`REST /book hash mismatch for ${id.slice(0, 12)}…`);
      }
      if (r.value.tick_size !== undefined) b.tickSize = Number(r.value.tick_size);
      b.applySnapshot(r.value.bids, r.value.asks, epochMsFrom(r.value.timestamp), r.value.hash);
      // An open socket that answers PONG plus the venue's own snapshot: the book is current even if no frame came.
      if (this.conn.connectionState === 'open' && this.conn.health.aliveWithin(25_000)) this.conn.health.confirmQuiet();
      this.afterSnapshot(id, b, 'rest');
    } finally {
      this.resyncing.delete(id);
    }
  }
}
