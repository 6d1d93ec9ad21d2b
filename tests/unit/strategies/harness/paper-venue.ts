/**
 * A small paper venue for the harness (one per strategy instance): validates and fills intents against the
 * synthetic books, emits the order events strategies expect, keeps positions and cash, settles at resolution.
 *
 * Fill model: FOK/FAK walk the book up to the limit (FOK all-or-nothing on the USD amount or share size, FAK
 * fills what is there and cancels the rest); resting GTC orders fill completely once the opposite best price
 * crosses them, and partially (5–30 shares, probability 0.15 per second) while they sit at or better than the
 * top of their side. Taker fills pay the market fee; makers pay nothing. Orders outside [start, end) of an open
 * window, post-only orders that would cross and orders below the minimum size are rejected (and recorded).
 */
import type { MarketView, OrderSide, PositionView, OpenOrderView } from '../../../../bot/strategies/context';
import type { StrategyEvent } from '../../../../bot/strategies/events';
import type { PlaceIntent, CancelIntent } from '../../../../bot/strategies/intents';
import { takerFeeUsd } from '../../../../bot/core/fees';
import type { Prng } from '../../../../bot/util/prng';

interface Resting {
  readonly tag: string;
  readonly slug: string;
  readonly tokenId: string;
  readonly side: OrderSide;
  readonly price: number;
  readonly postOnly: boolean;
  remaining: number;
  filled: number;
}

export interface Rejection {
  readonly tag: string;
  readonly reason: string;
  readonly nowMs: number;
}

export class PaperVenue {
  private readonly resting = new Map<string, Resting>();
  readonly positions = new Map<string, { shares: number; cost: number }>();
  readonly rejections: Rejection[] = [];
  cash = 0;
  fees = 0;
  private trade = 0;

  constructor(private readonly rng: Prng) {}

  private tradeId(tag: string): string {
    return `${tag}#${++this.trade}`;
  }

  private book(m: MarketView, tokenId: string) {
    return tokenId === m.upTokenId ? m.up : m.down;
  }

  private applyFill(tokenId: string, side: OrderSide, price: number, size: number, taker: boolean, m: MarketView): number {
    const fee = taker ? takerFeeUsd(m.fee, size, price) : 0;
    const pos = this.positions.get(tokenId) ?? { shares: 0, cost: 0 };
    if (side === 'BUY') {
      pos.shares += size;
      pos.cost += size * price;
      this.cash -= size * price + fee;
    } else {
      const avg = pos.shares > 0 ? pos.cost / pos.shares : 0;
      pos.shares -= size;
      pos.cost -= size * avg;
      this.cash += size * price - fee;
    }
    this.fees += fee;
    this.positions.set(tokenId, pos);
    return fee;
  }

  private reject(p: PlaceIntent, reason: string, nowMs: number): StrategyEvent[] {
    this.rejections.push({ tag: p.clientTag, reason, nowMs });
    return [{ kind: 'order.rejected', clientTag: p.clientTag, reason }];
  }

  place(p: PlaceIntent, m: MarketView | undefined, nowMs: number): StrategyEvent[] {
    if (!m || m.state !== 'open' || nowMs < m.startMs || nowMs >= m.endMs) return this.reject(p, 'market not open', nowMs);
    const book = this.book(m, p.tokenId);
    const taker = p.orderType === 'FOK' || p.orderType === 'FAK';
    if (taker) {
      const levels = p.side === 'BUY' ? book.asks : book.bids;
      const ok = (px: number) => (p.side === 'BUY' ? px <= p.price + 1e-9 : px >= p.price - 1e-9);
      let shares = 0;
      let notional = 0;
      const wantUsd = p.usd;
      for (const l of levels) {
        if (!ok(l.price)) break;
        let take = l.size;
        if (wantUsd !== undefined) take = Math.min(take, (wantUsd - notional) / l.price);
        else take = Math.min(take, (p.size ?? 0) - shares);
        if (take <= 1e-9) break;
        shares += take;
        notional += take * l.price;
      }
      const want = wantUsd !== undefined ? wantUsd / p.price : (p.size ?? 0);
      if (want < m.minOrderSize - 1e-9) return this.reject(p, `size below minimum ${m.minOrderSize}`, nowMs);
      const complete = wantUsd !== undefined ? notional >= wantUsd - 1e-6 : shares >= (p.size ?? 0) - 1e-9;
      const out: StrategyEvent[] = [{ kind: 'order.accepted', clientTag: p.clientTag }];
      if ((p.orderType === 'FOK' && !complete) || shares <= 1e-9) {
        out.push({ kind: 'order.cancelled', clientTag: p.clientTag, reason: 'not filled' });
        return out;
      }
      const avg = notional / shares;
      const fee = this.applyFill(p.tokenId, p.side, avg, shares, true, m);
      out.push({ kind: 'order.filled', clientTag: p.clientTag, tradeId: this.tradeId(p.clientTag), tokenId: p.tokenId, side: p.side, price: avg, size: shares, remaining: 0, fee, provisional: false });
      if (p.side === 'SELL' && !complete) out.push({ kind: 'order.cancelled', clientTag: p.clientTag, reason: 'FAK remainder' });
      return out;
    }
    const size = p.size ?? 0;
    if (size < m.minOrderSize - 1e-9) return this.reject(p, `size below minimum ${m.minOrderSize}`, nowMs);
    const crossPx = p.side === 'BUY' ? book.asks[0]?.price : book.bids[0]?.price;
    const crosses = crossPx !== undefined && (p.side === 'BUY' ? p.price >= crossPx - 1e-9 : p.price <= crossPx + 1e-9);
    if (crosses && p.postOnly) return this.reject(p, 'post-only would cross', nowMs);
    const out: StrategyEvent[] = [{ kind: 'order.accepted', clientTag: p.clientTag }];
    if (crosses) {
      // Marketable limit: fill at the limit price against the touch (simplified), rest of it rests.
      const fee = this.applyFill(p.tokenId, p.side, p.price, size, true, m);
      out.push({ kind: 'order.filled', clientTag: p.clientTag, tradeId: this.tradeId(p.clientTag), tokenId: p.tokenId, side: p.side, price: p.price, size, remaining: 0, fee, provisional: false });
      return out;
    }
    this.resting.set(p.clientTag, { tag: p.clientTag, slug: p.windowSlug, tokenId: p.tokenId, side: p.side, price: p.price, postOnly: p.postOnly, remaining: size, filled: 0 });
    return out;
  }

  cancel(c: CancelIntent): StrategyEvent[] {
    const tags = 'clientTag' in c ? [c.clientTag] : [...this.resting.values()].filter((o) => o.slug === c.allForWindow).map((o) => o.tag);
    const out: StrategyEvent[] = [];
    for (const t of tags) if (this.resting.delete(t)) out.push({ kind: 'order.cancelled', clientTag: t, reason: c.reason });
    return out;
  }

  /** Resting-order fills after a book update of market m. */
  step(m: MarketView): StrategyEvent[] {
    const out: StrategyEvent[] = [];
    for (const o of this.resting.values()) {
      if (o.slug !== m.slug) continue;
      const book = this.book(m, o.tokenId);
      const opp = o.side === 'BUY' ? book.asks[0]?.price : book.bids[0]?.price;
      const top = o.side === 'BUY' ? book.bids[0]?.price : book.asks[0]?.price;
      let size = 0;
      if (opp !== undefined && (o.side === 'BUY' ? opp <= o.price + 1e-9 : opp >= o.price - 1e-9)) size = o.remaining;
      else if (top === undefined || (o.side === 'BUY' ? o.price >= top - 1e-9 : o.price <= top + 1e-9)) {
        if (this.rng.chance(0.15)) size = Math.min(o.remaining, 5 + Math.floor(this.rng.next() * 26));
      }
      if (size <= 0) continue;
      o.remaining = Math.round((o.remaining - size) * 100) / 100;
      o.filled += size;
      const fee = this.applyFill(o.tokenId, o.side, o.price, size, false, m);
      out.push({ kind: 'order.filled', clientTag: o.tag, tradeId: this.tradeId(o.tag), tokenId: o.tokenId, side: o.side, price: o.price, size, remaining: Math.max(0, o.remaining), fee, provisional: false });
      if (o.remaining <= 1e-9) this.resting.delete(o.tag);
    }
    return out;
  }

  /** The venue stops the window: resting orders are cancelled. */
  closeWindow(slug: string): StrategyEvent[] {
    return this.cancel({ kind: 'cancel', allForWindow: slug, reason: 'market closed' });
  }

  settle(m: MarketView, upWins: boolean): void {
    for (const [tokenId, won] of [[m.upTokenId, upWins], [m.downTokenId, !upWins]] as const) {
      const pos = this.positions.get(tokenId);
      if (!pos) continue;
      this.cash += won ? pos.shares : 0;
      this.positions.delete(tokenId);
    }
  }

  positionViews(): Map<string, PositionView> {
    const out = new Map<string, PositionView>();
    for (const [tokenId, p] of this.positions) out.set(tokenId, { tokenId, shares: p.shares, avgPrice: p.shares > 0 ? p.cost / p.shares : 0, provisional: false });
    return out;
  }

  openOrders(): OpenOrderView[] {
    return [...this.resting.values()].map((o) => ({ clientTag: o.tag, tokenId: o.tokenId, side: o.side, price: o.price, size: o.remaining + o.filled, filledSize: o.filled, postOnly: o.postOnly }));
  }
}
