/**
 * The Strategy page's live signals overlay (pure, browser-safe): `strategy.signal` and `learning.update` events from
 * the SSE stream kept in a bounded list (reduceSignalLive, for useCoalescedEvents), and laid over the last
 * GET /api/strategy response (mergeSignals) with the same fold the server uses (lib/schemas/strategy-signals.ts), so a
 * refetch lands on the same picture.
 *
 * Invariants: the live list is bounded (SIGNAL_LIVE_MAX); nothing at or below the response's seq is applied again;
 * the response's lists are copied, never mutated; the merged lists keep the schema's bounds.
 */
import type { BotEvent, LearningUpdate, SignalRecord } from '../../lib/schemas/events';
import { copySignals, emptySignals, foldLearning, foldSignal } from '../../lib/schemas/strategy-signals';
import type { StrategyDetail } from '../../lib/schemas/strategy-view';

export const SIGNAL_LIVE_MAX = 400;

export type LiveSignalEvent =
  | { seq: number; tsMs: number; kind: 'signal'; strategyId: string; record: SignalRecord }
  | { seq: number; tsMs: number; kind: 'learning'; strategyId: string; update: LearningUpdate };

export interface SignalLiveState {
  events: readonly LiveSignalEvent[];
}

export const initialSignalLive = (): SignalLiveState => ({ events: [] });

function push(s: SignalLiveState, x: LiveSignalEvent): SignalLiveState {
  const events = s.events.length >= SIGNAL_LIVE_MAX ? s.events.slice(s.events.length - SIGNAL_LIVE_MAX + 1) : s.events.slice();
  events.push(x);
  return { events };
}

/** Fold one bus event (undefined: not relevant, no re-render). */
export function reduceSignalLive(s: SignalLiveState, e: BotEvent): SignalLiveState | undefined {
  if (e.type === 'strategy.signal') return push(s, { seq: e.seq, tsMs: e.tsEventMs, kind: 'signal', strategyId: e.record.strategyId, record: e.record });
  if (e.type === 'learning.update') return push(s, { seq: e.seq, tsMs: e.tsEventMs, kind: 'learning', strategyId: e.update.strategyId, update: e.update });
  return undefined;
}

/** The detail with its instance's live signal and learning events newer than `seq` folded in. */
export function mergeSignals(d: StrategyDetail, seq: number, live: readonly LiveSignalEvent[]): StrategyDetail {
  const fresh = live.filter((x) => x.seq > seq && x.strategyId === d.id);
  if (fresh.length === 0) return d;
  const signals = copySignals(d.signals ?? emptySignals());
  const learning = (d.learning ?? []).slice();
  for (const x of fresh) {
    if (x.kind === 'signal') foldSignal(signals, { seq: x.seq, record: x.record });
    else foldLearning(learning, x.seq, x.tsMs, x.update);
  }
  return { ...d, signals, learning };
}
