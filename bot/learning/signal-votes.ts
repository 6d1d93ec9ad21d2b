/**
 * From a trend-window `strategy.signal` record to the learner's votes: a buy's record (model.action === 'buy') gives
 * each signal's signed vote direction × strength, keyed by the weight key (a reading's id, or its id without the
 * `ext:` prefix when that is the weight key).
 *
 * Invariants: pure; only readings that are `active` and whose key is one of the instance's weight keys vote; a
 * missing direction or strength is a zero vote (it does not count); votes are clamped to [−1, 1].
 */
import type { SignalRecord } from '../../lib/schemas/events/strategy';
import type { LearningVotes } from '../../lib/schemas/learning';

export const LEARNING_STRATEGY_TYPE = 'trend-window';

/** The buy a record describes, or undefined when it is not a trend-window buy. */
export function buyOf(record: SignalRecord): { windowSlug: string; outcome?: 'up' | 'down' } | undefined {
  if (record.strategyType !== LEARNING_STRATEGY_TYPE || !record.windowSlug || record.model?.action !== 'buy') return undefined;
  const o = record.model.outcome;
  return { windowSlug: record.windowSlug, ...(o === 'up' || o === 'down' ? { outcome: o } : {}) };
}

/** The weight key a reading id stands for (undefined when none). */
export function weightKeyOf(id: string, keys: ReadonlySet<string>): string | undefined {
  if (keys.has(id)) return id;
  if (id.startsWith('ext:') && keys.has(id.slice(4))) return id.slice(4);
  return undefined;
}

/** Signed votes per weight key (every key present; 0 when the signal did not vote). */
export function votesOf(record: SignalRecord, weightKeys: readonly string[]): LearningVotes {
  const keys = new Set(weightKeys);
  const votes: LearningVotes = {};
  for (const k of weightKeys) votes[k] = 0;
  for (const r of record.readings) {
    const k = weightKeyOf(r.id, keys);
    if (!k || !r.active || r.direction === undefined || r.strength === undefined) continue;
    votes[k] = Math.max(-1, Math.min(1, r.direction * r.strength));
  }
  return votes;
}
