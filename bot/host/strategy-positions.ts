/**
 * Per-strategy positions, folded from that strategy's own fills (order.filled / order.fill_voided) and
 * cleared at settlement. Backs ctx.positions, the risk engine's exposure and strategy budgets.
 *
 * Invariants: a fill counts once per tradeId+clientTag; a voided fill is removed and the position refolded;
 * bounded by the number of live windows (settled windows are dropped).
 */
import { foldPosition } from '../execution/positions';
import type { PositionView } from '../strategies/context';

interface Fill {
  key: string;
  side: 'BUY' | 'SELL';
  price: number;
  size: number;
  feeUsd: number;
  provisional: boolean;
}

interface Slot {
  windowSlug: string;
  tokenId: string;
  fills: Fill[];
  view: PositionView & { costUsd: number; realizedUsd: number };
}

const MAX_FILLS_PER_SLOT = 5_000;

export class StrategyPositions {
  private readonly slots = new Map<string, Slot>();

  private key(strategyId: string, tokenId: string): string {
    return `${strategyId}\u0000${tokenId}`;
  }

  /** Apply a fill; returns false when it was already counted (a repeat only clears the provisional flag). */
  applyFill(strategyId: string, windowSlug: string, tokenId: string, f: Fill): boolean {
    const k = this.key(strategyId, tokenId);
    const slot = this.slots.get(k) ?? { windowSlug, tokenId, fills: [], view: empty(tokenId) };
    const seen = slot.fills.find((x) => x.key === f.key);
    if (seen) {
      if (!f.provisional && seen.provisional) this.confirm(strategyId, f.key);
      return false;
    }
    slot.fills.push(f);
    if (slot.fills.length > MAX_FILLS_PER_SLOT) slot.fills.splice(0, slot.fills.length - MAX_FILLS_PER_SLOT);
    slot.view = fold(tokenId, slot.fills);
    this.slots.set(k, slot);
    return true;
  }

  confirm(strategyId: string, fillKey: string): void {
    for (const [k, slot] of this.slots) {
      if (!k.startsWith(`${strategyId}\u0000`)) continue;
      const f = slot.fills.find((x) => x.key === fillKey);
      if (f) {
        f.provisional = false;
        slot.view = fold(slot.tokenId, slot.fills);
      }
    }
  }

  void(strategyId: string, fillKey: string): void {
    for (const [k, slot] of this.slots) {
      if (!k.startsWith(`${strategyId}\u0000`)) continue;
      const i = slot.fills.findIndex((x) => x.key === fillKey);
      if (i >= 0) {
        slot.fills.splice(i, 1);
        slot.view = fold(slot.tokenId, slot.fills);
      }
    }
  }

  /** Drop every position of a settled window. */
  settleWindow(windowSlug: string): void {
    for (const [k, slot] of this.slots) if (slot.windowSlug === windowSlug) this.slots.delete(k);
  }

  of(strategyId: string): ReadonlyMap<string, PositionView> {
    const out = new Map<string, PositionView>();
    for (const [k, slot] of this.slots) if (k.startsWith(`${strategyId}\u0000`) && slot.view.shares > 1e-9) out.set(slot.tokenId, slot.view);
    return out;
  }

  shares(strategyId: string, tokenId: string): number {
    return this.slots.get(this.key(strategyId, tokenId))?.view.shares ?? 0;
  }

  /** Cost basis held in a window (all strategies, or one). */
  costUsd(windowSlug?: string, strategyId?: string): number {
    let sum = 0;
    for (const [k, slot] of this.slots) {
      if (windowSlug !== undefined && slot.windowSlug !== windowSlug) continue;
      if (strategyId !== undefined && !k.startsWith(`${strategyId}\u0000`)) continue;
      sum += slot.view.costUsd;
    }
    return sum;
  }
}

function empty(tokenId: string): Slot['view'] {
  return { tokenId, shares: 0, avgPrice: 0, provisional: false, costUsd: 0, realizedUsd: 0 };
}

/** The view of one strategy's fills, by the one position fold of the project (execution/positions.ts). */
function fold(tokenId: string, fills: readonly Fill[]): Slot['view'] {
  const p = foldPosition('', tokenId, fills.map((f) => ({ key: f.key, side: f.side, price: f.price, size: f.size, feeUsd: f.feeUsd, status: f.provisional ? 'MATCHED' : 'CONFIRMED' })));
  const provisional = fills.some((f) => f.provisional);
  // A strategy never holds a short: what it sold beyond its holding is not a position of its own.
  if (p.shares < 1e-9) return { tokenId, shares: 0, avgPrice: 0, provisional, costUsd: 0, realizedUsd: p.realizedUsd };
  return { tokenId, shares: p.shares, avgPrice: p.avgPrice, provisional, costUsd: p.costUsd, realizedUsd: p.realizedUsd };
}
