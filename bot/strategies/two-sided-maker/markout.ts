/**
 * Adverse-selection tracking (seed 003, issue 14). For each of our fills, the mid move of the filled token at each
 * horizon after the fill, signed by our side (BUY: mid_after − mid_at_fill; SELL: the opposite), so a negative
 * markout means we were picked off. Toxicity = share of completed (fill, horizon) markouts that are < 0.
 *
 * Reusable outside the strategy (backtests): feed fills with the mid at the fill and every mid update after.
 * Invariants: bounded (the last maxFills fills are kept; older ones fall out of every statistic); a horizon is
 * completed by the first mid observed at or after fill time + horizon, never before; mids older than the fill ignored.
 */
export interface MarkoutFill {
  readonly tsMs: number;
  readonly tokenId: string;
  readonly side: 'BUY' | 'SELL';
  readonly price: number;
  readonly size: number;
}

export interface CompletedMarkout {
  readonly fill: MarkoutFill;
  readonly horizonSec: number;
  readonly markout: number;
}

export interface MarkoutSummary {
  readonly horizonsSec: number[];
  /** Mean signed markout per horizon (0 when none completed). */
  readonly meanMarkout: number[];
  /** Completed markouts per horizon. */
  readonly counts: number[];
  /** Share of completed markouts that are adverse (< 0), in [0, 1]; 0 when none. */
  readonly toxicity: number;
  /** Completed markouts over all horizons (the sample behind toxicity). */
  readonly samples: number;
  /** Fills tracked (bounded by maxFills). */
  readonly n: number;
}

interface Tracked {
  readonly fill: MarkoutFill;
  readonly mid: number;
  readonly done: (number | undefined)[];
  open: number;
}

export class MarkoutTracker {
  private readonly fills: Tracked[] = [];
  readonly horizonsSec: readonly number[];
  /** Running aggregates over the kept fills (updated on completion and eviction). */
  private readonly sums: number[];
  private readonly counts: number[];
  private adverse = 0;
  private samples = 0;

  constructor(horizonsSec: readonly number[] = [5, 30, 60], private readonly maxFills = 200) {
    this.horizonsSec = [...horizonsSec].sort((a, b) => a - b);
    this.sums = this.horizonsSec.map(() => 0);
    this.counts = this.horizonsSec.map(() => 0);
  }

  private account(h: number, m: number, sign: 1 | -1): void {
    this.sums[h]! += sign * m;
    this.counts[h]! += sign;
    this.samples += sign;
    if (m < -1e-12) this.adverse += sign;
  }

  onFill(f: MarkoutFill, mid: number): void {
    if (!Number.isFinite(mid)) return;
    this.fills.push({ fill: f, mid, done: this.horizonsSec.map(() => undefined), open: this.horizonsSec.length });
    while (this.fills.length > this.maxFills) {
      const old = this.fills.shift()!;
      old.done.forEach((m, h) => m !== undefined && this.account(h, m, -1));
    }
  }

  /** A mid of a token at tsMs; returns the markouts it completed. */
  onMid(tokenId: string, tsMs: number, mid: number): CompletedMarkout[] {
    const out: CompletedMarkout[] = [];
    if (!Number.isFinite(mid)) return out;
    for (const t of this.fills) {
      if (t.open === 0 || t.fill.tokenId !== tokenId || tsMs < t.fill.tsMs) continue;
      for (let h = 0; h < this.horizonsSec.length; h++) {
        if (t.done[h] !== undefined || tsMs < t.fill.tsMs + this.horizonsSec[h]! * 1000) continue;
        const m = (t.fill.side === 'BUY' ? 1 : -1) * (mid - t.mid);
        t.done[h] = m;
        t.open--;
        this.account(h, m, 1);
        out.push({ fill: t.fill, horizonSec: this.horizonsSec[h]!, markout: m });
      }
    }
    return out;
  }

  summary(): MarkoutSummary {
    return {
      horizonsSec: [...this.horizonsSec],
      meanMarkout: this.sums.map((x, h) => (this.counts[h]! > 0 ? x / this.counts[h]! : 0)),
      counts: [...this.counts],
      toxicity: this.samples > 0 ? this.adverse / this.samples : 0,
      samples: this.samples,
      n: this.fills.length,
    };
  }

  /** Toxicity and sample count only (no allocation; hot path). */
  toxicity(): { toxicity: number; samples: number } {
    return { toxicity: this.samples > 0 ? this.adverse / this.samples : 0, samples: this.samples };
  }
}

export type MarkoutAction = 'none' | 'widen' | 'pause';

/** none below ADVERSE_TOXIC_THRESHOLD (or too few samples), widen at/above it, pause at/above the pause threshold. */
export function markoutAction(
  s: { toxicity: number; samples: number },
  c: { adverseToxicThreshold: number; adversePauseThreshold: number; markoutMinSamples: number },
): MarkoutAction {
  if (s.samples < c.markoutMinSamples) return 'none';
  if (s.toxicity >= c.adversePauseThreshold - 1e-12) return 'pause';
  if (s.toxicity >= c.adverseToxicThreshold - 1e-12) return 'widen';
  return 'none';
}
