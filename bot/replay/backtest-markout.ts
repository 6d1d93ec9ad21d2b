/**
 * Markout of a backtest's fills: the mid move after each fill at 5 s, 30 s and 60 s, signed in the fill's favour (a
 * BUY followed by a rising mid is positive, a SELL followed by a falling mid is positive), in price units per share,
 * per strategy. Fed with the book tops and fills a replay's bus carries (`attach`), or by hand (`top`, `fill`).
 *
 * Definitions:
 * - mid = (bestBid + bestAsk) / 2 of the fill's own token; a top missing a side leaves that token's mid unchanged.
 * - reference: the token's mid at the fill (the last mid seen at or before it); a fill with no mid yet is not counted.
 * - horizon h: the prevailing mid at fill + h (the last mid seen at or before that instant), known once a top of the
 *   token at or after fill + h arrives; a fill whose token has no top at or after fill + h (end of the data, window
 *   closed) is not counted at h. move = side × (mid(fill + h) − reference).
 * - sums are size-weighted: the mean per share is Σ size × move / Σ size (`markoutMeans`).
 *
 * Invariants: bounded memory — at most `maxPending` fills wait for their horizons (more are counted in `dropped`,
 * never stored) and at most `maxTokens` tokens keep a mid (the oldest is forgotten first); sums are additive, so
 * sessions combine with `mergeMarkouts`; no NaN: a mean without a counted fill is null.
 */
import type { EventBus, Unsubscribe } from '../bus';
import { parseClientTag } from '../strategies/intents';

/** The horizons, seconds after a fill. */
export const MARKOUT_HORIZONS_SEC = [5, 30, 60] as const;
const H = MARKOUT_HORIZONS_SEC.length;

/** Additive markout sums of one strategy, indexed like MARKOUT_HORIZONS_SEC. */
export interface MarkoutSums {
  /** Fills counted at each horizon. */
  fills: number[];
  /** Σ size of the counted fills at each horizon. */
  shares: number[];
  /** Σ size × signed mid move at each horizon. */
  moveShares: number[];
}

/** Mean signed mid move per share at each horizon; null when no fill was counted there. */
export interface MarkoutMeans {
  markout5s: number | null;
  markout30s: number | null;
  markout60s: number | null;
}

export interface MarkoutFill {
  strategyId: string;
  tokenId: string;
  side: 'BUY' | 'SELL';
  size: number;
  tsMs: number;
}

interface Pending {
  strategyId: string;
  sign: 1 | -1;
  size: number;
  tsMs: number;
  refMid: number;
  /** Index of the next horizon to resolve. */
  next: number;
}

export const emptyMarkoutSums = (): MarkoutSums => ({ fills: new Array<number>(H).fill(0), shares: new Array<number>(H).fill(0), moveShares: new Array<number>(H).fill(0) });

export class MarkoutTracker {
  /** Fills not tracked because `maxPending` fills were already waiting. */
  dropped = 0;
  /** Fills with no mid of their token yet (not counted). */
  noReference = 0;
  private readonly mids = new Map<string, number>();
  private readonly pending = new Map<string, Pending[]>();
  private pendingCount = 0;
  private readonly sums = new Map<string, MarkoutSums>();
  private readonly maxPending: number;
  private readonly maxTokens: number;

  constructor(o: { maxPending?: number; maxTokens?: number } = {}) {
    this.maxPending = o.maxPending ?? 10_000;
    this.maxTokens = o.maxTokens ?? 10_000;
  }

  /** Follow a replay's bus: `book.top` and `order.filled` (the strategy is the client tag's owner, as in the ledger). */
  attach(bus: EventBus): Unsubscribe {
    const offTop = bus.on('book.top', (e) => this.top(e.tokenId, e.tsEventMs, e.bestBid, e.bestAsk));
    const offFill = bus.on('order.filled', (e) =>
      this.fill({ strategyId: parseClientTag(e.clientTag)?.strategyId ?? 'unknown', tokenId: e.tokenId, side: e.side, size: e.size, tsMs: e.tsEventMs }),
    );
    return () => {
      offTop();
      offFill();
    };
  }

  /** A book top of a token at `tsMs` (non-decreasing per token). */
  top(tokenId: string, tsMs: number, bestBid: number | undefined, bestAsk: number | undefined): void {
    const before = this.mids.get(tokenId);
    const mid = bestBid !== undefined && bestAsk !== undefined ? (bestBid + bestAsk) / 2 : undefined;
    const queue = this.pending.get(tokenId);
    if (queue) {
      let kept = 0;
      for (const p of queue) {
        while (p.next < H && tsMs >= p.tsMs + MARKOUT_HORIZONS_SEC[p.next]! * 1000) {
          const target = p.tsMs + MARKOUT_HORIZONS_SEC[p.next]! * 1000;
          // At the target instant this top is the prevailing one; after it, the last mid before this top was.
          const at = tsMs === target && mid !== undefined ? mid : before;
          if (at !== undefined) this.add(p, p.next, at);
          p.next++;
        }
        if (p.next < H) queue[kept++] = p;
      }
      this.pendingCount -= queue.length - kept;
      queue.length = kept;
      if (kept === 0) this.pending.delete(tokenId);
    }
    if (mid === undefined) return;
    if (!this.mids.has(tokenId) && this.mids.size >= this.maxTokens) {
      const oldest = this.mids.keys().next().value;
      if (oldest !== undefined) this.mids.delete(oldest);
    }
    this.mids.set(tokenId, mid);
  }

  /** A fill of ours; its markouts resolve as later tops of its token arrive. */
  fill(f: MarkoutFill): void {
    const refMid = this.mids.get(f.tokenId);
    if (refMid === undefined) {
      this.noReference++;
      return;
    }
    if (this.pendingCount >= this.maxPending) {
      this.dropped++;
      return;
    }
    const queue = this.pending.get(f.tokenId) ?? [];
    queue.push({ strategyId: f.strategyId, sign: f.side === 'BUY' ? 1 : -1, size: f.size, tsMs: f.tsMs, refMid, next: 0 });
    this.pending.set(f.tokenId, queue);
    this.pendingCount++;
  }

  /** Fills still waiting for a horizon (they are not in the sums). */
  get waiting(): number {
    return this.pendingCount;
  }

  /** The sums per strategy id (copies). */
  result(): Record<string, MarkoutSums> {
    const out: Record<string, MarkoutSums> = {};
    for (const [id, s] of this.sums) out[id] = { fills: [...s.fills], shares: [...s.shares], moveShares: [...s.moveShares] };
    return out;
  }

  private add(p: Pending, h: number, mid: number): void {
    let s = this.sums.get(p.strategyId);
    if (!s) {
      s = emptyMarkoutSums();
      this.sums.set(p.strategyId, s);
    }
    s.fills[h]! += 1;
    s.shares[h]! += p.size;
    s.moveShares[h]! += p.size * p.sign * (mid - p.refMid);
  }
}

/** Sums of several sessions (or strategies) added. */
export function mergeMarkouts(...all: readonly Record<string, MarkoutSums>[]): Record<string, MarkoutSums> {
  const out: Record<string, MarkoutSums> = {};
  for (const one of all) {
    for (const [id, s] of Object.entries(one)) {
      const t = (out[id] ??= emptyMarkoutSums());
      for (let h = 0; h < H; h++) {
        t.fills[h]! += s.fills[h] ?? 0;
        t.shares[h]! += s.shares[h] ?? 0;
        t.moveShares[h]! += s.moveShares[h] ?? 0;
      }
    }
  }
  return out;
}

/** Size-weighted mean move per share at each horizon over the given strategies (null where nothing was counted). */
export function markoutMeans(sums: Readonly<Record<string, MarkoutSums>> | undefined, ids: readonly string[]): MarkoutMeans {
  const t = mergeMarkouts(...ids.map((id) => (sums?.[id] ? { [id]: sums[id] } : {})));
  const total = emptyMarkoutSums();
  for (const s of Object.values(t)) {
    for (let h = 0; h < H; h++) {
      total.shares[h]! += s.shares[h]!;
      total.moveShares[h]! += s.moveShares[h]!;
    }
  }
  const mean = (h: number) => (total.shares[h]! > 0 ? total.moveShares[h]! / total.shares[h]! : null);
  return { markout5s: mean(0), markout30s: mean(1), markout60s: mean(2) };
}
