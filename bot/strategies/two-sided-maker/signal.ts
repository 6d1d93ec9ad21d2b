/**
 * The maker's `strategy.signal` snapshot (issue 14): the readings of every alpha addition (active = its flag), the
 * SPEC core readings (volatility, one-sided flow, inventory), the model outputs and a one-line why.
 * Throttle: a snapshot on every evaluation that (re)quotes or pauses, otherwise at most one per SIGNAL_EVERY_MS per
 * window. Invariants: ≤ 32 readings, summary ≤ 300 characters, model values finite or strings/booleans.
 */
import type { SignalReading } from '../../../lib/schemas/events/strategy';
import type { MarketView, StrategyContext } from '../context';
import type { SignalIntent } from '../intents';

export const SIGNAL_EVERY_MS = 1000;

export function signalDue(lastMs: number | undefined, nowMs: number, requoted: boolean): boolean {
  return requoted || lastMs === undefined || nowMs - lastMs >= SIGNAL_EVERY_MS;
}

export function makerSignal(
  ctx: StrategyContext, strategyType: string, m: MarketView, readings: readonly SignalReading[],
  model: Record<string, number | string | boolean | undefined>, summary: string,
): SignalIntent {
  const clean: Record<string, number | string | boolean> = {};
  for (const [k, v] of Object.entries(model)) {
    if (v === undefined || (typeof v === 'number' && !Number.isFinite(v))) continue;
    clean[k] = typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v;
  }
  return {
    kind: 'signal',
    record: {
      strategyId: ctx.strategyId, strategyType, windowSlug: m.slug, atMs: ctx.nowMs,
      readings: readings.slice(0, 32), model: clean, summary: summary.slice(0, 300),
    },
  };
}
