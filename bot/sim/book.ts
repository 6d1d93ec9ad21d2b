/**
 * Unified order book of one binary market, kept in Up-token terms with integer prices in thousandths (1..999).
 *
 * Polymarket's Up and Down books are mirrors: BUY Up @ p and SELL Down @ (1 - p) both sit on the bid side at p;
 * SELL Up @ p and BUY Down @ (1 - p) sit on the ask side at p. Keeping one book makes the two token views consistent
 * by construction and lets BUY Up match BUY Down (a mint) like the venue does.
 *
 * Invariants:
 * - Within a level, orders are FIFO (time priority); across levels, best price first.
 * - Sizes are integer micro-shares (1 share = 1e6); a level with no orders does not exist.
 * - Every level whose aggregate changes is recorded in `dirty` until the owner drains it.
 */
export type BookSide = 'bid' | 'ask';
export type Outcome = 'Up' | 'Down';
export type OrderSide = 'BUY' | 'SELL';

export interface BookOrder {
  id: string;
  /** API key of a user, or 'synthetic'. */
  owner: string;
  /** Funder address for users; 'synthetic' otherwise. */
  account: string;
  outcome: Outcome;
  side: OrderSide;
  bookSide: BookSide;
  /** Unified (Up-terms) price in thousandths. */
  priceMilli: number;
  remainingMicro: number;
  originalMicro: number;
  seq: number;
}

export const MICRO = 1_000_000;

/** Where an order for (outcome, side, own price) sits in the unified book. */
export function unifiedPlacement(outcome: Outcome, side: OrderSide, ownPriceMilli: number): { bookSide: BookSide; priceMilli: number } {
  if (outcome === 'Up') return { bookSide: side === 'BUY' ? 'bid' : 'ask', priceMilli: ownPriceMilli };
  return { bookSide: side === 'BUY' ? 'ask' : 'bid', priceMilli: 1000 - ownPriceMilli };
}

/** Own-terms price of a unified level for a given outcome. */
export function ownPrice(outcome: Outcome, unifiedMilli: number): number {
  return outcome === 'Up' ? unifiedMilli : 1000 - unifiedMilli;
}

class Side {
  readonly levels = new Map<number, BookOrder[]>();
  /** Prices sorted best-first. */
  readonly prices: number[] = [];
  constructor(private readonly better: (a: number, b: number) => boolean) {}

  add(o: BookOrder): void {
    let q = this.levels.get(o.priceMilli);
    if (!q) {
      q = [];
      this.levels.set(o.priceMilli, q);
      let i = 0;
      while (i < this.prices.length && this.better(this.prices[i]!, o.priceMilli)) i++;
      this.prices.splice(i, 0, o.priceMilli);
    }
    q.push(o);
  }

  remove(o: BookOrder): boolean {
    const q = this.levels.get(o.priceMilli);
    if (!q) return false;
    const i = q.indexOf(o);
    if (i < 0) return false;
    q.splice(i, 1);
    if (q.length === 0) this.dropLevel(o.priceMilli);
    return true;
  }

  dropLevel(price: number): void {
    this.levels.delete(price);
    const i = this.prices.indexOf(price);
    if (i >= 0) this.prices.splice(i, 1);
  }

  size(price: number): number {
    const q = this.levels.get(price);
    if (!q) return 0;
    let s = 0;
    for (const o of q) s += o.remainingMicro;
    return s;
  }
}

export class UnifiedBook {
  readonly bids = new Side((a, b) => a > b);
  readonly asks = new Side((a, b) => a < b);
  readonly dirty = new Map<string, { side: BookSide; priceMilli: number }>();
  private seq = 0;

  side(s: BookSide): Side {
    return s === 'bid' ? this.bids : this.asks;
  }

  nextSeq(): number {
    return ++this.seq;
  }

  add(o: BookOrder): void {
    this.side(o.bookSide).add(o);
    this.markDirty(o.bookSide, o.priceMilli);
  }

  remove(o: BookOrder): boolean {
    const ok = this.side(o.bookSide).remove(o);
    if (ok) this.markDirty(o.bookSide, o.priceMilli);
    return ok;
  }

  /** Reduce a resting order after a fill; removes it at zero. */
  fill(o: BookOrder, micro: number): void {
    o.remainingMicro -= micro;
    if (o.remainingMicro <= 0) this.side(o.bookSide).remove(o);
    this.markDirty(o.bookSide, o.priceMilli);
  }

  bestBid(): number | undefined {
    return this.bids.prices[0];
  }

  bestAsk(): number | undefined {
    return this.asks.prices[0];
  }

  levelSize(side: BookSide, priceMilli: number): number {
    return this.side(side).size(priceMilli);
  }

  /** Aggregated levels in one token's own terms, best level LAST (as the venue sends them: the whole book). */
  view(outcome: Outcome, maxLevels = 1000): { bids: [number, number][]; asks: [number, number][] } {
    const fromBids = this.bids.prices.slice(0, maxLevels).map((p): [number, number] => [p, this.bids.size(p)]);
    const fromAsks = this.asks.prices.slice(0, maxLevels).map((p): [number, number] => [p, this.asks.size(p)]);
    if (outcome === 'Up') return { bids: fromBids.reverse(), asks: fromAsks.reverse() };
    const mirror = (l: [number, number][]) => l.map(([p, s]): [number, number] => [1000 - p, s]).reverse();
    return { bids: mirror(fromAsks), asks: mirror(fromBids) };
  }

  /** Best bid/ask of one token in own terms (thousandths). */
  top(outcome: Outcome): { bid?: number; ask?: number } {
    const bb = this.bestBid();
    const ba = this.bestAsk();
    if (outcome === 'Up') return { bid: bb, ask: ba };
    return { bid: ba === undefined ? undefined : 1000 - ba, ask: bb === undefined ? undefined : 1000 - bb };
  }

  markDirty(side: BookSide, priceMilli: number): void {
    this.dirty.set(`${side}:${priceMilli}`, { side, priceMilli });
  }

  drainDirty(): { side: BookSide; priceMilli: number }[] {
    const out = [...this.dirty.values()];
    this.dirty.clear();
    return out;
  }

  orderCount(): number {
    let n = 0;
    for (const q of this.bids.levels.values()) n += q.length;
    for (const q of this.asks.levels.values()) n += q.length;
    return n;
  }
}
