/**
 * Price-time matching of an incoming order against the unified book, and execution of the planned fills on the
 * book and the ledger. Pure planning (no side effects) is separate so FOK can be judged before anything moves.
 *
 * Invariants:
 * - An incoming bid takes asks priced <= its limit, lowest first; an incoming ask takes bids >= its limit, highest
 *   first; FIFO within a level. Fills execute at the resting level's price.
 * - A collateral-targeted BUY (market BUY) never spends more than its budget; share targets never overfill.
 * - Fill sizes are multiples of 0.01 share (10,000 micro), so every cash amount is an integer number of micro.
 */
import { type BookOrder, type BookSide, type Outcome, ownPrice, type UnifiedBook } from './book';

export interface Incoming {
  outcome: Outcome;
  bookSide: BookSide;
  /** Unified limit price (thousandths). */
  limitMilli: number;
  /** Share target (micro); for a collateral-targeted BUY this is an upper bound. */
  sharesMicro: number;
  /** Collateral budget for market BUYs (micro pUSD), else undefined. */
  budgetMicro?: number;
}

export interface PlannedFill {
  resting: BookOrder;
  micro: number;
  levelMilli: number;
}

const LOT = 10_000;

export function crosses(book: UnifiedBook, bookSide: BookSide, limitMilli: number): boolean {
  if (bookSide === 'bid') {
    const a = book.bestAsk();
    return a !== undefined && a <= limitMilli;
  }
  const b = book.bestBid();
  return b !== undefined && b >= limitMilli;
}

export function planFills(book: UnifiedBook, inc: Incoming): { fills: PlannedFill[]; filledMicro: number } {
  const opposite = book.side(inc.bookSide === 'bid' ? 'ask' : 'bid');
  const fills: PlannedFill[] = [];
  let remaining = inc.sharesMicro;
  let budget = inc.budgetMicro;
  let filled = 0;
  for (const level of opposite.prices) {
    if (remaining <= 0 || (budget !== undefined && budget <= 0)) break;
    if (inc.bookSide === 'bid' ? level > inc.limitMilli : level < inc.limitMilli) break;
    const own = ownPrice(inc.outcome, level);
    for (const r of opposite.levels.get(level) ?? []) {
      let take = Math.min(remaining, r.remainingMicro);
      if (budget !== undefined) take = Math.min(take, Math.floor((budget * 1000) / own / LOT) * LOT);
      take = Math.floor(take / LOT) * LOT;
      if (take <= 0) break;
      fills.push({ resting: r, micro: take, levelMilli: level });
      remaining -= take;
      filled += take;
      if (budget !== undefined) budget -= (take * own) / 1000;
      if (remaining <= 0 || (budget !== undefined && budget <= 0)) break;
    }
  }
  return { fills, filledMicro: filled };
}

/** Group planned fills by price level (one trade record per level). */
export function groupByLevel(fills: PlannedFill[]): PlannedFill[][] {
  const out: PlannedFill[][] = [];
  for (const f of fills) {
    const last = out[out.length - 1];
    if (last && last[0]!.levelMilli === f.levelMilli) last.push(f);
    else out.push([f]);
  }
  return out;
}
