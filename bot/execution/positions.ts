/**
 * Positions and realised PnL per (window, token), folded from the fills that are not FAILED.
 *
 * Invariants:
 * - A position is a pure fold of its live fills in arrival order (average-cost method); reversing a fill
 *   (FAILED) recomputes the fold, so PnL and exposure are always consistent with the fill set.
 * - BUY: shares += s, cost += s·p, fee charged to realised PnL. SELL: realised += s·(p − avg) − fee.
 * - Settlement: realised += shares × payout − cost; the position is then flat and marked settled.
 * - `provisionalShares` counts signed shares from fills not yet CONFIRMED.
 * - Bounded: at most `maxWindows` windows are kept (oldest settled ones evicted first). The realised PnL of evicted
 *   windows is kept as one sum, so `totalRealizedUsd()` never drops when a window is forgotten (the risk day and the
 *   equity figures read it as a running total).
 */
import type { FillStatus } from './journal';

export interface LedgerFill {
  key: string;
  side: 'BUY' | 'SELL';
  price: number;
  size: number;
  feeUsd: number;
  status: FillStatus;
}

export interface Position {
  windowSlug: string;
  tokenId: string;
  shares: number;
  provisionalShares: number;
  costUsd: number;
  avgPrice: number;
  realizedUsd: number;
  feesUsd: number;
  settled: boolean;
  payoutUsd: number;
}

const r6 = (x: number): number => Math.round(x * 1e6) / 1e6;

export function foldPosition(windowSlug: string, tokenId: string, fills: readonly LedgerFill[]): Position {
  let shares = 0;
  let cost = 0;
  let realized = 0;
  let fees = 0;
  let prov = 0;
  for (const f of fills) {
    if (f.status === 'FAILED') continue;
    fees += f.feeUsd;
    realized -= f.feeUsd;
    if (f.side === 'BUY') {
      shares += f.size;
      cost += f.size * f.price;
    } else {
      const avg = shares > 0 ? cost / shares : 0;
      const closed = Math.min(f.size, Math.max(shares, 0));
      realized += closed * (f.price - avg);
      cost -= closed * avg;
      shares -= f.size;
      // Selling more than held (short) is not expected on this venue; keep the sign visible.
      if (f.size > closed) cost -= (f.size - closed) * f.price;
    }
    if (f.status !== 'CONFIRMED') prov += f.side === 'BUY' ? f.size : -f.size;
  }
  shares = r6(shares);
  return {
    windowSlug,
    tokenId,
    shares,
    provisionalShares: r6(prov),
    costUsd: r6(cost),
    avgPrice: shares > 0 ? r6(cost / shares) : 0,
    realizedUsd: r6(realized),
    feesUsd: r6(fees),
    settled: false,
    payoutUsd: 0,
  };
}

export class PositionBook {
  private readonly fills = new Map<string, LedgerFill[]>();
  private readonly positions = new Map<string, Position>();
  private readonly windowOf = new Map<string, string>();
  private readonly winners = new Map<string, string>();
  /** Realised PnL of the settled windows evicted so far. */
  private evictedRealizedUsd = 0;

  constructor(private readonly maxWindows = 500) {}

  private key(windowSlug: string, tokenId: string): string {
    return `${windowSlug}|${tokenId}`;
  }

  /** Add a fill or update its status; returns the recomputed position. */
  upsertFill(windowSlug: string, tokenId: string, fill: LedgerFill): Position {
    const k = this.key(windowSlug, tokenId);
    const list = this.fills.get(k) ?? [];
    const i = list.findIndex((f) => f.key === fill.key);
    if (i >= 0) list[i] = fill;
    else list.push(fill);
    this.fills.set(k, list);
    this.windowOf.set(k, windowSlug);
    const pos = this.compute(k, windowSlug, tokenId);
    this.positions.set(k, pos);
    this.evict();
    return pos;
  }

  private compute(k: string, windowSlug: string, tokenId: string): Position {
    const fresh = foldPosition(windowSlug, tokenId, this.fills.get(k) ?? []);
    const winner = this.winners.get(windowSlug);
    if (winner === undefined) return fresh;
    const payout = tokenId === winner ? fresh.shares : 0;
    return {
      ...fresh,
      realizedUsd: r6(fresh.realizedUsd + payout - fresh.costUsd),
      payoutUsd: r6(payout),
      shares: 0,
      provisionalShares: 0,
      costUsd: 0,
      avgPrice: 0,
      settled: true,
    };
  }

  get(windowSlug: string, tokenId: string): Position | undefined {
    return this.positions.get(this.key(windowSlug, tokenId));
  }

  all(): Position[] {
    return [...this.positions.values()];
  }

  forWindow(windowSlug: string): Position[] {
    return this.all().filter((p) => p.windowSlug === windowSlug);
  }

  /** Settle every position of the window: the winner pays 1 per share. Idempotent; later fill updates re-settle. */
  settle(windowSlug: string, winningTokenId: string): Position[] {
    if (this.winners.get(windowSlug) === winningTokenId) return [];
    this.winners.set(windowSlug, winningTokenId);
    const out: Position[] = [];
    for (const [k, p] of this.positions) {
      if (p.windowSlug !== windowSlug) continue;
      const settled = this.compute(k, windowSlug, p.tokenId);
      this.positions.set(k, settled);
      out.push(settled);
    }
    return out;
  }

  totalRealizedUsd(): number {
    let s = this.evictedRealizedUsd;
    for (const p of this.positions.values()) s += p.realizedUsd;
    return r6(s);
  }

  private evict(): void {
    const windows = new Set(this.windowOf.values());
    if (windows.size <= this.maxWindows) return;
    for (const [k, p] of this.positions) {
      if (windows.size <= this.maxWindows) break;
      if (!p.settled) continue;
      const w = p.windowSlug;
      for (const [k2, w2] of this.windowOf) {
        if (w2 === w) {
          this.evictedRealizedUsd += this.positions.get(k2)?.realizedUsd ?? 0;
          this.windowOf.delete(k2);
          this.positions.delete(k2);
          this.fills.delete(k2);
        }
      }
      windows.delete(w);
      this.winners.delete(w);
      void k;
    }
  }
}

/** Fold the fills selected by `mine` into one position per token (skipping settled windows). */
export function strategyPositions<F extends LedgerFill & { windowSlug: string; tokenId: string }>(
  fills: Iterable<F>,
  mine: (f: F) => boolean,
  settled: (windowSlug: string, tokenId: string) => boolean,
): Map<string, Position> {
  const byToken = new Map<string, F[]>();
  for (const f of fills) {
    if (!mine(f) || settled(f.windowSlug, f.tokenId)) continue;
    const list = byToken.get(f.tokenId) ?? [];
    list.push(f);
    byToken.set(f.tokenId, list);
  }
  const out = new Map<string, Position>();
  for (const [t, list] of byToken) {
    const p = foldPosition(list[0]!.windowSlug, t, list);
    if (p.shares !== 0) out.set(t, p);
  }
  return out;
}
