/**
 * Flow signals of the maker (seed 003, issue 14), in addition to SPEC's one-sided-flow rule in quoting.ts:
 * - OFI: signed taker volume / total taker volume over FLOW_WINDOW_SECONDS (Up terms: buy Up / sell Down = +);
 *   |OFI| ≥ FLOW_IMBALANCE_THRESHOLD with enough volume widens the whole spread by a configurable amount.
 * - Book imbalance: (Up-bullish depth − Up-bearish depth) / total over the top N levels of both tokens, where
 *   bullish = Up bids + Down asks and bearish = Up asks + Down bids; at or above its threshold it widens too.
 * Pure; values in [−1, 1] (0 when there is nothing to measure).
 */
import type { PriceLevel } from '../context';
import { type FlowTrade, flowImbalance } from './quoting';

export interface OfiReading {
  readonly ofi: number;
  readonly volume: number;
  /** True when |OFI| ≥ threshold and volume ≥ minShares. */
  readonly triggered: boolean;
}

export function orderFlowImbalance(
  trades: readonly FlowTrade[], nowMs: number, windowSec: number, threshold: number, minShares: number,
): OfiReading {
  const { f, volume } = flowImbalance(trades, nowMs, windowSec);
  return { ofi: f, volume, triggered: volume >= minShares && volume > 0 && Math.abs(f) >= threshold - 1e-12 };
}

function topDepth(levels: readonly PriceLevel[], n: number): number {
  let s = 0;
  for (let i = 0; i < levels.length && i < n; i++) s += levels[i]!.size;
  return s;
}

export interface BookSides {
  readonly bids: readonly PriceLevel[];
  readonly asks: readonly PriceLevel[];
}

export interface BookImbalance {
  /** In [−1, 1]; + = more resting interest on the Up-bullish side. */
  readonly imbalance: number;
  /** Total shares over the top N levels of both sides of both tokens. */
  readonly depth: number;
}

export function bookImbalance(up: BookSides, down: BookSides, levels: number): BookImbalance {
  const bull = topDepth(up.bids, levels) + topDepth(down.asks, levels);
  const bear = topDepth(up.asks, levels) + topDepth(down.bids, levels);
  const depth = bull + bear;
  return { imbalance: depth > 0 ? (bull - bear) / depth : 0, depth };
}

export interface FlowWidening {
  readonly spreadAdd: number;
  readonly ofiTriggered: boolean;
  readonly bookTriggered: boolean;
}

/** Extra spread from both readings (each adds its own amount when triggered). */
export function flowWidening(
  ofi: OfiReading, book: BookImbalance, c: { ofiWiden: number; bookImbalanceThreshold: number; bookImbalanceWiden: number },
): FlowWidening {
  const bookTriggered = book.depth > 0 && Math.abs(book.imbalance) >= c.bookImbalanceThreshold - 1e-12;
  return {
    spreadAdd: (ofi.triggered ? c.ofiWiden : 0) + (bookTriggered ? c.bookImbalanceWiden : 0),
    ofiTriggered: ofi.triggered,
    bookTriggered,
  };
}
