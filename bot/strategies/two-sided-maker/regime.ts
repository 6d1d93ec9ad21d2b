/**
 * Liquidity regime of a window (seed 003, issue 14): a bounded ring of the last REGIME_WINDOW_SIZE book snapshots
 * (Up-book spread, depth over the top N levels of both tokens, book imbalance) classified as
 *   one-sided  mean |imbalance| ≥ regimeOneSidedImbalance
 *   thin       mean spread ≥ regimeThinSpread or mean depth < regimeThinDepth
 *   tight      mean spread ≤ regimeTightSpread
 *   normal     otherwise, and always before regimeMinSnapshots snapshots.
 * Each regime maps to a spread and a size multiplier from config. Pure apart from the ring it owns.
 */
export type Regime = 'tight' | 'normal' | 'thin' | 'one-sided';

export interface BookSnapshot {
  readonly spread: number;
  readonly depth: number;
  readonly imbalance: number;
}

export interface RegimeStats {
  readonly n: number;
  readonly meanSpread: number;
  readonly meanDepth: number;
  readonly meanAbsImbalance: number;
}

export interface RegimeThresholds {
  readonly regimeMinSnapshots: number;
  readonly regimeTightSpread: number;
  readonly regimeThinSpread: number;
  readonly regimeThinDepth: number;
  readonly regimeOneSidedImbalance: number;
}

export interface RegimeMultipliers {
  readonly regimeTightSpreadMult: number;
  readonly regimeTightSizeMult: number;
  readonly regimeThinSpreadMult: number;
  readonly regimeThinSizeMult: number;
  readonly regimeOneSidedSpreadMult: number;
  readonly regimeOneSidedSizeMult: number;
}

export class RegimeWindow {
  private readonly ring: BookSnapshot[] = [];
  private sp = 0;
  private d = 0;
  private im = 0;

  push(s: BookSnapshot, windowSize: number): void {
    this.ring.push(s);
    this.add(s, 1);
    while (this.ring.length > Math.max(1, windowSize)) this.add(this.ring.shift()!, -1);
  }

  private add(s: BookSnapshot, sign: 1 | -1): void {
    this.sp += sign * s.spread;
    this.d += sign * s.depth;
    this.im += sign * Math.abs(s.imbalance);
  }

  stats(): RegimeStats {
    const n = this.ring.length;
    if (n === 0) return { n, meanSpread: 0, meanDepth: 0, meanAbsImbalance: 0 };
    return { n, meanSpread: this.sp / n, meanDepth: this.d / n, meanAbsImbalance: this.im / n };
  }
}

const EPS = 1e-12;

export function classifyRegime(st: RegimeStats, c: RegimeThresholds): Regime {
  if (st.n < c.regimeMinSnapshots) return 'normal';
  if (st.meanAbsImbalance >= c.regimeOneSidedImbalance - EPS) return 'one-sided';
  if (st.meanSpread >= c.regimeThinSpread - EPS || st.meanDepth < c.regimeThinDepth) return 'thin';
  if (st.meanSpread <= c.regimeTightSpread + EPS) return 'tight';
  return 'normal';
}

export function regimeMultipliers(r: Regime, c: RegimeMultipliers): { spreadMult: number; sizeMult: number } {
  switch (r) {
    case 'tight':
      return { spreadMult: c.regimeTightSpreadMult, sizeMult: c.regimeTightSizeMult };
    case 'thin':
      return { spreadMult: c.regimeThinSpreadMult, sizeMult: c.regimeThinSizeMult };
    case 'one-sided':
      return { spreadMult: c.regimeOneSidedSpreadMult, sizeMult: c.regimeOneSidedSizeMult };
    default:
      return { spreadMult: 1, sizeMult: 1 };
  }
}
