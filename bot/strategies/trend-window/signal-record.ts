/**
 * The `signal` intent trend-window returns on each decision in its band (issue 14 contract, published as
 * `strategy.signal`): one reading per signal (id = its weight key), the model {action, fused, outcome?, ...} and a
 * one-line summary. The learning engine takes the record with model.action === 'buy' as the trade's signal snapshot
 * and each reading's signed vote = direction × strength.
 *
 * Throttle (SignalThrottle): a 'buy' is always emitted; a veto or skip is emitted when its action or reason code
 * ('dead-zone', 'veto', 'no-ask' ...: not the figures in the reason text) changed since the window's last record, else at most once per MIN_GAP_MS per window. Bounded by the strategy's per-window
 * state (forgotten at window close).
 */
import type { SignalReading, SignalRecord } from '../../../lib/schemas/events/strategy';
import type { SignalIntent } from '../intents';
import { counts, type FusedVote, type SignalVote } from './fusion';

export type TrendAction = 'buy' | 'veto' | 'skip';
export const MIN_SIGNAL_GAP_MS = 1_000;

const signed = (x: number, digits = 3): string => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}`;

export function readingOf(v: SignalVote, fused: FusedVote): SignalReading {
  const active = counts(v);
  const effect = active ? `vote ${signed(fused.contributions.get(v.id) ?? 0)}` : v.weight > 0 ? (v.state ?? 'unavailable') : 'off (weight 0)';
  return {
    id: v.id,
    ...(v.value !== undefined && Number.isFinite(v.value) ? { value: v.value } : {}),
    direction: v.direction,
    strength: v.strength,
    confidence: v.confidence,
    weight: v.weight,
    ...(v.state ? { state: v.state } : {}),
    active,
    effect,
  };
}

export interface TrendSignalInput {
  strategyId: string;
  strategyType: string;
  windowSlug: string;
  atMs: number;
  votes: readonly SignalVote[];
  fused: FusedVote;
  action: TrendAction;
  reason: string;
  outcome?: 'up' | 'down';
  upPrice?: number;
  vetoThreshold: number;
}

export function trendSignalIntent(i: TrendSignalInput): SignalIntent {
  const counted = i.votes.filter(counts).length;
  const model: NonNullable<SignalRecord['model']> = {
    action: i.action,
    fused: i.fused.fused,
    totalWeight: i.fused.totalWeight,
    vetoThreshold: i.vetoThreshold,
    reason: i.reason.slice(0, 120),
    ...(i.outcome ? { outcome: i.outcome } : {}),
    ...(i.upPrice !== undefined ? { upPrice: i.upPrice } : {}),
  };
  const what = i.action === 'buy' ? `buy ${i.outcome}` : i.action === 'veto' ? `veto ${i.outcome}` : 'skip';
  const summary = `${what}: ${i.reason}; fused ${signed(i.fused.fused)} from ${counted}/${i.votes.length} signals`.slice(0, 300);
  const record: SignalRecord = {
    strategyId: i.strategyId,
    strategyType: i.strategyType,
    windowSlug: i.windowSlug,
    atMs: i.atMs,
    readings: i.votes.slice(0, 32).map((v) => readingOf(v, i.fused)),
    model,
    summary,
  };
  return { kind: 'signal', record };
}

/** Per-window throttle of veto / skip records (see the header). */
export class SignalThrottle {
  private last: { atMs: number; key: string } | undefined;
  shouldEmit(action: TrendAction, code: string, nowMs: number): boolean {
    const key = `${action}|${code}`;
    const emit = action === 'buy' || !this.last || this.last.key !== key || nowMs - this.last.atMs >= MIN_SIGNAL_GAP_MS;
    if (emit) this.last = { atMs: nowMs, key };
    return emit;
  }
}
