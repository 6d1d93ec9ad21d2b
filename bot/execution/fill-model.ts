/**
 * The one fill model shared by the paper venue, the simulator and replay.
 *
 * - Takers walk the visible book best-first up to the limit price: FOK fills completely or not at all,
 *   FAK takes what is there. A BUY may be sized in shares or in USD (market BUY), a SELL in shares.
 *   Each level is charged the real taker fee (fees.ts), rounded to 5 dp per level.
 * - Makers queue behind the visible size at their price when they rest; trades at their price consume the
 *   queue ahead first; a trade through their price (or the touch moving through it) fills them.
 * - Settlement pays 1 pUSD per winning share, 0 per losing share.
 *
 * Invariants: never fills above a BUY limit or below a SELL limit; never fills more than visible size;
 * sizes are rounded down to 2 dp (venue share precision); no randomness (deterministic for replay).
 */
import type { BookLevel } from '../core/order-book';
import { takerFeeUsd, type FeeSchedule } from '../core/fees';

export type Side = 'BUY' | 'SELL';

export interface LevelFill {
  price: number;
  size: number;
  feeUsd: number;
}

export interface TakerResult {
  fills: LevelFill[];
  shares: number;
  notionalUsd: number;
  feeUsd: number;
  /** True when the requested quantity was fully available within the limit. */
  complete: boolean;
}

const r2 = (x: number): number => Math.floor(x * 100 + 1e-9) / 100;
const r6 = (x: number): number => Math.round(x * 1e6) / 1e6;

/**
 * Walk `levels` (the opposite side, best first) for a taker order.
 * qty: shares, or USD when `usd` is true (BUY only).
 */
export function walkBook(
  levels: readonly BookLevel[],
  side: Side,
  limitPrice: number,
  qty: number,
  fees: FeeSchedule,
  opts: { usd?: boolean; allOrNothing?: boolean } = {},
): TakerResult {
  const fills: LevelFill[] = [];
  let remaining = qty;
  let shares = 0;
  let notional = 0;
  let fee = 0;
  for (const l of levels) {
    if (remaining <= 1e-9) break;
    if (side === 'BUY' ? l.price > limitPrice + 1e-12 : l.price < limitPrice - 1e-12) break;
    const want = opts.usd ? remaining / l.price : remaining;
    const size = r2(Math.min(want, l.size));
    if (size <= 0) break;
    const f = takerFeeUsd(fees, size, l.price);
    fills.push({ price: l.price, size, feeUsd: f });
    shares += size;
    notional += size * l.price;
    fee += f;
    remaining -= opts.usd ? size * l.price : size;
  }
  // USD-sized orders are complete when less than one cent of budget is left unspent.
  const complete = opts.usd ? remaining < 0.01 : remaining <= 1e-9;
  if (opts.allOrNothing && !complete) return { fills: [], shares: 0, notionalUsd: 0, feeUsd: 0, complete: false };
  return { fills, shares: r2(shares), notionalUsd: r6(notional), feeUsd: Math.round(fee * 1e5) / 1e5, complete };
}

/** A resting maker order's place in the queue at its price. */
export interface MakerQueueState {
  side: Side;
  price: number;
  remaining: number;
  /** Visible size ahead of us at our price. */
  ahead: number;
}

export function joinQueue(side: Side, price: number, size: number, visibleAtPrice: number): MakerQueueState {
  return { side, price, remaining: size, ahead: Math.max(0, visibleAtPrice) };
}

/**
 * A trade printed at `tradePrice` for `tradeSize` with the taker on `takerSide`. Returns the size filled
 * for our maker order (and mutates the queue state).
 */
export function onTradePrint(q: MakerQueueState, takerSide: Side, tradePrice: number, tradeSize: number): number {
  if (q.remaining <= 0) return 0;
  // Our BUY is hit by SELL takers; our SELL is lifted by BUY takers.
  if (takerSide === q.side) return 0;
  const through = q.side === 'BUY' ? tradePrice < q.price - 1e-12 : tradePrice > q.price + 1e-12;
  const atPrice = Math.abs(tradePrice - q.price) < 1e-9;
  if (!through && !atPrice) return 0;
  let avail = tradeSize;
  if (atPrice) {
    const eaten = Math.min(q.ahead, avail);
    q.ahead -= eaten;
    avail -= eaten;
  } else {
    q.ahead = 0;
  }
  const fill = r2(Math.min(q.remaining, avail));
  q.remaining = r2(q.remaining - fill);
  return fill;
}

/** The visible size at our price shrank (cancels): nobody behind us can be ahead, so cap the queue. */
export function onLevelSize(q: MakerQueueState, visibleAtPrice: number): void {
  if (visibleAtPrice < q.ahead) q.ahead = Math.max(0, visibleAtPrice);
}

/** The opposite touch moved through our price (crossing liquidity arrived): fill what is visible. */
export function onOppositeTouch(q: MakerQueueState, oppositeBest: number | undefined, oppositeSize: number): number {
  if (q.remaining <= 0 || oppositeBest === undefined) return 0;
  const crosses = q.side === 'BUY' ? oppositeBest <= q.price + 1e-12 : oppositeBest >= q.price - 1e-12;
  if (!crosses) return 0;
  const fill = r2(Math.min(q.remaining, oppositeSize));
  q.remaining = r2(q.remaining - fill);
  q.ahead = 0;
  return fill;
}

/** Payout of `shares` of a token at resolution. */
export function settlementUsd(shares: number, won: boolean): number {
  return won ? shares : 0;
}
