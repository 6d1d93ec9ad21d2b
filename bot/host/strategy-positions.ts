/**
 * Per-strategy positions, folded from that strategy's own fills (order.filled / order.fill_voided) and
 * cleared at settlement. Backs ctx.positions, the risk engine's exposure and strategy budgets.
 *
 * Invariants: a fill counts once per tradeId+clientTag; a voided fill is removed and the position refolded;
 * bounded by the number of live windows (settled windows are dropped).
 */
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

function fold(tokenId: string, fills: readonly Fill[]): Slot['view'] {
  let shares = 0;
  let cost = 0;
  let realized = 0;
  let provisional = false;
  for (const f of fills) {
    if (f.provisional) provisional = true;
    if (f.side === 'BUY') {
      shares += f.size;
      cost += f.size * f.price;
      realized -= f.feeUsd;
    } else {
      const sold = Math.min(f.size, shares);
      const avg = shares > 0 ? cost / shares : 0;
      realized += sold * (f.price - avg) - f.feeUsd;
      cost -= sold * avg;
      shares -= sold;
    }
  }
  if (shares < 1e-9) {
    shares = 0;
    cost = 0;
  }
  return { tokenId, shares, avgPrice: shares > 0 ? cost / shares : 0, provisional, costUsd: cost, realizedUsd: realized };
}
