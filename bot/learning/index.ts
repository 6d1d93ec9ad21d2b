/**
 * Learning module (issue 14): re-weights trend-window's signals from settled results. `createLearning` is what the
 * composition root calls: with a config service that can apply changes, steps are journaled config versions (actor
 * "learning"); without one (replay and backtest runs) they update the runtime's config in-process.
 */
import type { RuntimeConfig } from '../../lib/schemas/config';
import type { EventBus } from '../bus';
import type { Clock } from '../clock';
import type { Db } from '../store/database';
import { LearningStore } from '../store/learning-store';
import { LearningComponent } from './learning-component';
import { configServiceWriter, inProcessWriter, type ConfigApplier } from './weight-writer';

export interface CreateLearningOptions {
  bus: EventBus;
  clock: Clock;
  db: Db;
  /** The runtime's running config, and its setter (used only without a config service). */
  config: () => RuntimeConfig;
  setConfig: (next: RuntimeConfig) => void;
  /** The strategy host's hot update (session.applyStrategies). */
  applyStrategies: (list: RuntimeConfig['strategies']) => void;
  /** The runtime's config source: used as the writer when it can apply changes (the config service). */
  configSource?: object;
}

function isApplier(x: object | undefined): x is ConfigApplier {
  const o = x as Partial<ConfigApplier> | undefined;
  return typeof o?.apply === 'function' && typeof o.desired === 'function';
}

export function createLearning(o: CreateLearningOptions): LearningComponent {
  const writer = isApplier(o.configSource) ? configServiceWriter(o.configSource) : inProcessWriter(o.config, o.setConfig, o.applyStrategies);
  return new LearningComponent({ bus: o.bus, clock: o.clock, store: new LearningStore(o.db), config: o.config, writer });
}

export { LearningComponent, LEARNING_ACTOR, type LearningComponentOptions } from './learning-component';
export { learningStep, balancedDeltas, hitCounts, emptyLearnerState, recordBuy, recordFinal, recordWinner, stepDue, takeStepTrades, Z_FULL, type StepParams, type StepResult } from './weight-learner';
export { votesOf, buyOf, weightKeyOf, LEARNING_STRATEGY_TYPE } from './signal-votes';
export { learningParamsOf, weightsOf, weightsPatch, learnableInstances } from './learning-params';
export { configServiceWriter, inProcessWriter, type WeightWriter, type ConfigApplier, type WeightWriteResult } from './weight-writer';
export { learningInstanceView, learningViews, resetLearning, type ResetResult } from './learning-view';
