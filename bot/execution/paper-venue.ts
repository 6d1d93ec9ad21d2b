/**
 * Paper venue: orders never leave the process; fills come from the shared fill model over the live books.
 * Takers walk the visible book (FOK all-or-nothing, FAK partial) and pay the real taker fee; makers queue behind
 * the visible size at their price and fill on prints at/through their price or when the opposite touch crosses.
 * Paper fills are final at once (CONFIRMED); settlement happens in the tracker at resolution.
 *
 * Invariants: deterministic (ids from counters, no randomness); resting orders bounded (`maxResting`);
 * a post-only order that would cross is rejected like the venue does.
 */
import type { OrderBook } from '../core/order-book';
import type { MarketDataListener } from '../core/order-book';
import { joinQueue, onLevelSize, onOppositeTouch, onTradePrint, walkBook, type MakerQueueState } from './fill-model';
import type { Clock } from '../clock';
import type { CancelOutcome, PlaceOutcome, PlaceRequest, VenueFill, VenueListener, VenueOrder } from '../core/orders';
import type { PreparedOrder, Venue } from './venue';
import { limitOrderAmounts, priceValid } from '../core/rounding';

interface Resting {
  orderId: string;
  req: PlaceRequest;
  original: number;
  filled: number;
  queue: MakerQueueState;
  status: VenueOrder['status'];
}

export interface PaperVenueOptions {
  clock: Clock;
  book: (tokenId: string) => OrderBook | undefined;
  maxResting?: number;
}

export class PaperVenue implements Venue, MarketDataListener {
  readonly kind = 'paper' as const;
  private listener: VenueListener | undefined;
  private readonly orders = new Map<string, Resting>();
  private readonly done = new Map<string, VenueOrder>();
  private readonly fillLog: VenueFill[] = [];
  private tradeSeq = 0;

  constructor(private readonly o: PaperVenueOptions) {}

  setListener(l: VenueListener): void {
    this.listener = l;
  }

  prepare(req: PlaceRequest, clientId: string, salt: number): PreparedOrder {
    if (!priceValid(req.price, req.market.tickSize)) throw new Error(`invalid price ${req.price} for tick ${req.market.tickSize}`);
    if (req.orderType !== 'FOK' && req.orderType !== 'FAK') {
      if (req.size === undefined) throw new Error('limit order needs size');
      const a = limitOrderAmounts(req.side, req.size, req.price, req.market.tickSize);
      if (a.shares < req.market.minOrderSize) throw new Error(`size ${a.shares} lower than the minimum ${req.market.minOrderSize}`);
    }
    return { clientId, orderId: `paper-${clientId}`, salt, request: req };
  }

  async send(p: PreparedOrder): Promise<PlaceOutcome> {
    const req = p.request;
    const book = this.o.book(req.market.tokenId);
    if (!book || !book.ready) return { kind: 'rejected', orderId: p.orderId, reason: 'no fresh book' };
    const opposite = book.levels(req.side === 'BUY' ? 'ask' : 'bid');
    const now = this.o.clock.nowMs();
    const isMarket = req.orderType === 'FOK' || req.orderType === 'FAK';
    if (isMarket) {
      const usd = req.side === 'BUY' && req.usd !== undefined;
      const qty = usd ? req.usd! : (req.size ?? 0);
      const r = walkBook(opposite, req.side, req.price, qty, req.market.fees, { usd, allOrNothing: req.orderType === 'FOK' });
      if (r.shares <= 0) {
        return { kind: 'rejected', orderId: p.orderId, reason: req.orderType === 'FOK' ? "order couldn't be fully filled. FOK orders are fully filled or killed." : 'no orders found to match with FAK order.' };
      }
      if (r.shares < req.market.minOrderSize && req.orderType === 'FOK') return { kind: 'rejected', orderId: p.orderId, reason: `size ${r.shares} lower than the minimum` };
      const tradeIds = r.fills.map((f) => this.emitFill(p.orderId, req, f.price, f.size, 'taker', f.feeUsd, now));
      this.finish(p.orderId, req, r.shares, r.shares, 'MATCHED', now);
      return { kind: 'accepted', orderId: p.orderId, status: 'matched', tradeIds };
    }
    const size = req.size ?? 0;
    const best = req.side === 'BUY' ? book.bestAsk() : book.bestBid();
    const crosses = best !== undefined && (req.side === 'BUY' ? best <= req.price : best >= req.price);
    if (crosses && req.postOnly) return { kind: 'rejected', orderId: p.orderId, reason: 'invalid post-only order: order crosses book' };
    let filled = 0;
    const tradeIds: string[] = [];
    if (crosses) {
      const r = walkBook(opposite, req.side, req.price, size, req.market.fees);
      for (const f of r.fills) tradeIds.push(this.emitFill(p.orderId, req, f.price, f.size, 'taker', f.feeUsd, now));
      filled = r.shares;
    }
    if (filled >= size - 1e-9) {
      this.finish(p.orderId, req, size, filled, 'MATCHED', now);
      return { kind: 'accepted', orderId: p.orderId, status: 'matched', tradeIds };
    }
    if (this.orders.size >= (this.o.maxResting ?? 1000)) return { kind: 'rejected', orderId: p.orderId, reason: 'too many resting paper orders' };
    const visible = book.sizeAt(req.side === 'BUY' ? 'bid' : 'ask', req.price);
    const rest: Resting = { orderId: p.orderId, req, original: size, filled, queue: joinQueue(req.side, req.price, Math.round((size - filled) * 100) / 100, visible), status: 'LIVE' };
    this.orders.set(p.orderId, rest);
    this.listener?.onOrder(this.view(rest, now));
    return { kind: 'accepted', orderId: p.orderId, status: 'live', tradeIds };
  }

  async cancel(orderIds: readonly string[]): Promise<CancelOutcome> {
    const out: CancelOutcome = { canceled: [], notCanceled: {} };
    const now = this.o.clock.nowMs();
    for (const id of orderIds) {
      const r = this.orders.get(id);
      if (!r) {
        out.notCanceled[id] = this.done.has(id) ? 'Order already matched' : 'Order not found or already canceled';
        continue;
      }
      this.orders.delete(id);
      this.finish(id, r.req, r.original, r.filled, 'CANCELED', now);
      out.canceled.push(id);
    }
    return out;
  }

  cancelAll(): Promise<CancelOutcome> {
    return this.cancel([...this.orders.keys()]);
  }

  async getOrder(orderId: string): Promise<VenueOrder | undefined> {
    const r = this.orders.get(orderId);
    return r ? this.view(r, this.o.clock.nowMs()) : this.done.get(orderId);
  }

  async openOrders(): Promise<VenueOrder[]> {
    const now = this.o.clock.nowMs();
    return [...this.orders.values()].map((r) => this.view(r, now));
  }

  async fills(afterMs = 0): Promise<VenueFill[]> {
    return this.fillLog.filter((f) => f.tsMs >= afterMs);
  }

  // --- market data: progress resting makers ---
  onTrade(tokenId: string, price: number, size: number, takerSide: 'BUY' | 'SELL'): void {
    let avail = size;
    for (const r of this.orders.values()) {
      if (r.req.market.tokenId !== tokenId || avail <= 0) continue;
      const f = onTradePrint(r.queue, takerSide, price, avail);
      if (f > 0) {
        avail -= f;
        this.makerFill(r, f);
      }
    }
  }

  onBook(tokenId: string, book: OrderBook): void {
    for (const r of [...this.orders.values()]) {
      if (r.req.market.tokenId !== tokenId) continue;
      onLevelSize(r.queue, book.sizeAt(r.req.side === 'BUY' ? 'bid' : 'ask', r.req.price));
      const opp = r.req.side === 'BUY' ? book.top().bestAsk : book.top().bestBid;
      const f = onOppositeTouch(r.queue, opp?.price, opp?.size ?? 0);
      if (f > 0) this.makerFill(r, f);
    }
  }

  onResolved(_conditionId: string, winningTokenId: string): void {
    const now = this.o.clock.nowMs();
    for (const r of [...this.orders.values()]) {
      const m = r.req.market;
      if (m.tokenId === winningTokenId || r.req.market.conditionId === _conditionId) {
        this.orders.delete(r.orderId);
        this.finish(r.orderId, r.req, r.original, r.filled, 'CANCELED_MARKET_RESOLVED', now);
      }
    }
  }

  private makerFill(r: Resting, size: number): void {
    const now = this.o.clock.nowMs();
    r.filled = Math.round((r.filled + size) * 100) / 100;
    this.emitFill(r.orderId, r.req, r.req.price, size, 'maker', 0, now);
    if (r.queue.remaining <= 0) {
      this.orders.delete(r.orderId);
      this.finish(r.orderId, r.req, r.original, r.filled, 'MATCHED', now);
    } else this.listener?.onOrder(this.view(r, now));
  }

  private emitFill(orderId: string, req: PlaceRequest, price: number, size: number, liquidity: 'taker' | 'maker', feeUsd: number, tsMs: number): string {
    const tradeId = `paper-t-${++this.tradeSeq}`;
    const f: VenueFill = { tradeId, orderId, tokenId: req.market.tokenId, conditionId: req.market.conditionId, side: req.side, price, size, liquidity, status: 'CONFIRMED', feeUsd, tsMs };
    this.fillLog.push(f);
    if (this.fillLog.length > 10_000) this.fillLog.shift();
    this.listener?.onFill(f);
    return tradeId;
  }

  private finish(orderId: string, req: PlaceRequest, original: number, filled: number, status: VenueOrder['status'], tsMs: number): void {
    const v: VenueOrder = { orderId, tokenId: req.market.tokenId, conditionId: req.market.conditionId, side: req.side, price: req.price, originalSize: original, sizeMatched: filled, status, tsMs };
    this.done.set(orderId, v);
    if (this.done.size > 10_000) this.done.delete(this.done.keys().next().value!);
    this.listener?.onOrder(v);
  }

  private view(r: Resting, tsMs: number): VenueOrder {
    return { orderId: r.orderId, tokenId: r.req.market.tokenId, conditionId: r.req.market.conditionId, side: r.req.side, price: r.req.price, originalSize: r.original, sizeMatched: r.filled, status: r.status, tsMs };
  }
}
