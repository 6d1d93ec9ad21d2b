/**
 * The learning engine as an operator sees it and resets it (GET /api/learning, POST /api/learning/reset): state per
 * trend-window instance from the store and the running config, and the reset (clear the learner state; optionally
 * remove the learned weights so the strategy's defaults apply, as a config change by the operator).
 *
 * Invariants: reads never change anything; a reset clears the store row first and then (when asked) writes one
 * config version through the writer; a refused restore leaves the state cleared and throws (the route answers it).
 */
import type { RuntimeConfig } from '../../lib/schemas/config';
import type { LearningInstanceView } from '../../lib/schemas/learning';
import type { LearningStore } from '../store/learning-store';
import { instanceOf, learnableInstances, learningParamsOf, weightsOf, weightsPatch } from './learning-params';
import { emptyLearnerState } from './weight-learner';
import type { WeightWriter } from './weight-writer';

export function learningInstanceView(store: LearningStore, config: Pick<RuntimeConfig, 'strategies'>, strategyId: string): LearningInstanceView {
  const rec = store.get(strategyId);
  const state = rec?.state ?? emptyLearnerState();
  const s = instanceOf(config, strategyId);
  const configured = s?.type === 'trend-window';
  const weights = configured ? weightsOf(s) : undefined;
  return {
    strategyId,
    configured,
    params: learningParamsOf(configured ? s.params : {}),
    tradesSinceStep: state.settled.length,
    pendingTrades: state.pending.length,
    settledTotal: state.settledTotal,
    steps: state.steps,
    ...(weights ? { weights } : {}),
    lastUpdates: state.lastUpdates,
    updatedMs: rec?.updatedMs ?? null,
  };
}

/** Every configured trend-window instance, then instances that only have stored state. */
export function learningViews(store: LearningStore, config: Pick<RuntimeConfig, 'strategies'>): LearningInstanceView[] {
  const ids = learnableInstances(config).map((s) => s.id);
  for (const r of store.all()) if (!ids.includes(r.strategyId)) ids.push(r.strategyId);
  return ids.slice(0, 64).map((id) => learningInstanceView(store, config, id));
}

export interface ResetResult {
  cleared: boolean;
  configVersion?: number;
}

/** Clear an instance's learner state; with `restoreDefaults`, drop its `weights` override through the writer. */
export function resetLearning(store: LearningStore, writer: WeightWriter | undefined, o: { strategyId: string; restoreDefaults?: boolean; actor: string; reason: string }): ResetResult {
  const cleared = store.clear(o.strategyId);
  if (!o.restoreDefaults) return { cleared };
  if (!writer) throw new Error('no configuration service to restore the default weights with');
  const patch = weightsPatch(writer.current(), o.strategyId, null);
  if (!patch) throw new Error(`strategy instance '${o.strategyId}' is not in the configuration`);
  const w = writer.apply(patch, o.actor, `learning reset: restore default weights: ${o.reason}`.slice(0, 300));
  return { cleared, ...(w.version !== undefined ? { configVersion: w.version } : {}) };
}
