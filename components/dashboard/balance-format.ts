/**
 * The dashboard's Balance figure rules (browser-safe, no React), shared with the e2e spec: the drawdown tone (amber
 * from half the drawdown trigger's threshold, red at it) and the source label.
 */
import type { BalanceView } from '../../lib/schemas/trading';

export type DrawdownTone = 'ok' | 'warn' | 'alert';

/** `drawdown` and `alertAt` are fractions (0.2 = 20 %): alert at ≥ alertAt, warn at ≥ alertAt / 2. */
export function drawdownTone(drawdown: number | null, alertAt: number): DrawdownTone {
  if (drawdown === null || !Number.isFinite(drawdown)) return 'ok';
  if (drawdown >= alertAt) return 'alert';
  if (drawdown >= alertAt / 2) return 'warn';
  return 'ok';
}

export function formatDrawdown(drawdown: number | null): string {
  return drawdown === null || !Number.isFinite(drawdown) ? '—' : `${(drawdown * 100).toFixed(1)} %`;
}

export const balanceSourceLabel: Record<BalanceView['source'], string> = { paper: 'paper ledger', venue: 'venue' };
