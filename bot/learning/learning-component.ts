/**
 * The learning engine's runtime side (issue 14): follows trend-window buys (`strategy.signal`, model.action 'buy'),
 * the window's final record (`strategy.decision` 'traded' = filled, 'skipped' = not) and `market.resolved`, keeps the
 * learner's state in the store, and when a step is due writes the new weights through the weight writer (the config
 * service: actor "learning", journaled and audited) and publishes `learning.update`.
 *
 * Invariants:
 * - Per instance, only while its params say learningEnabled (absent → off); other strategies are ignored.
 * - The store is the state's only home (read, change, write on each event): a restart or a reset through the store
 *   (POST /api/learning/reset) is seen by the next event, with nothing cached here.
 * - A refused write (guardrails, schema, a concurrent change) publishes the update without configVersion and with
 *   the refusal as its reason; a handler never throws.
 */
import type { EventOf } from '../../lib/schemas/events';
import type { RuntimeConfig } from '../../lib/schemas/config';
import type { LearnerState } from '../../lib/schemas/learning';
import { LEARNING_LIMITS } from '../../lib/schemas/learning';
import type { EventBus } from '../bus';
import type { Clock } from '../clock';
import type { RuntimeComponent } from '../core/component';
import type { LearningStore } from '../store/learning-store';
import { instanceOf, learnableInstances, learningParamsOf, weightsOf, weightsPatch } from './learning-params';
import { LEARNING_STRATEGY_TYPE, buyOf, votesOf } from './signal-votes';
import { emptyLearnerState, learningStep, recordBuy, recordFinal, recordWinner, stepDue, takeStepTrades, type StepResult } from './weight-learner';
import type { WeightWriter } from './weight-writer';

export const LEARNING_ACTOR = 'learning';

export interface LearningComponentOptions {
  bus: Pick<EventBus, 'on' | 'publish'>;
  clock: Pick<Clock, 'nowMs'>;
  store: LearningStore;
  /** The configuration the strategies run now. */
  config: () => RuntimeConfig;
  writer: WeightWriter;
}

export class LearningComponent implements RuntimeComponent {
  readonly name = 'learning';
  private unsubscribe: (() => void)[] = [];

  constructor(private readonly o: LearningComponentOptions) {}

  async start(): Promise<void> {
    if (this.unsubscribe.length) return;
    const { bus } = this.o;
    this.unsubscribe = [
      bus.on('strategy.signal', (e) => this.guard(() => this.onSignal(e))),
      bus.on('strategy.decision', (e) => this.guard(() => this.onDecision(e))),
      bus.on('market.resolved', (e) => this.guard(() => this.onResolved(e))),
    ];
  }

  async stop(): Promise<void> {
    for (const u of this.unsubscribe.splice(0)) u();
  }

  /** The enabled trend-window instance of an id, with its params and weights. */
  private enabled(strategyId: string) {
    const s = instanceOf(this.o.config(), strategyId);
    if (!s || s.type !== LEARNING_STRATEGY_TYPE) return undefined;
    const params = learningParamsOf(s.params);
    return params.learningEnabled ? { s, params } : undefined;
  }

  private onSignal(e: EventOf<'strategy.signal'>): void {
    const buy = buyOf(e.record);
    const inst = buy && this.enabled(e.record.strategyId);
    const weights = inst && weightsOf(inst.s);
    if (!buy || !inst || !weights) return;
    const votes = votesOf(e.record, Object.keys(weights));
    this.update(inst.s.id, (st) => recordBuy(st, { windowSlug: buy.windowSlug, atMs: e.record.atMs, votes, ...(buy.outcome ? { outcome: buy.outcome } : {}) }));
  }

  private onDecision(e: EventOf<'strategy.decision'>): void {
    const r = e.record;
    if (r.strategyType !== LEARNING_STRATEGY_TYPE || (r.action !== 'traded' && r.action !== 'skipped')) return;
    if (!this.enabled(r.strategyId)) return;
    const action = r.action;
    this.update(r.strategyId, (st) => recordFinal(st, r.windowSlug, action));
  }

  private onResolved(e: EventOf<'market.resolved'>): void {
    for (const s of learnableInstances(this.o.config())) {
      if (!this.enabled(s.id)) continue;
      const rec = this.o.store.get(s.id);
      if (rec?.state.pending.some((p) => p.windowSlug === e.slug)) this.update(s.id, (st) => recordWinner(st, e.slug, e.winner));
    }
  }

  /** Read, change, step when due, write. */
  private update(strategyId: string, change: (s: LearnerState) => LearnerState): void {
    const before = this.o.store.get(strategyId)?.state ?? emptyLearnerState();
    let state = change(before);
    if (state === before) return;
    const inst = this.enabled(strategyId);
    if (inst && stepDue(state, inst.params.learningEveryTrades)) state = this.step(state, strategyId);
    this.o.store.save(strategyId, state, this.o.clock.nowMs());
  }

  private step(state: LearnerState, strategyId: string): LearnerState {
    const inst = this.enabled(strategyId)!;
    const { params } = inst;
    const { trades, rest } = takeStepTrades(state, params.learningEveryTrades);
    const weights = weightsOf(inst.s);
    if (!weights) return rest;
    const r = learningStep(weights, trades, { everyTrades: params.learningEveryTrades, maxStep: params.learningMaxStep, minWeight: params.learningMinWeight });
    const { reason, configVersion } = this.write(strategyId, r, rest.steps);
    const update = { strategyId, trades: r.trades, before: r.before, after: r.after, accuracy: r.accuracy, reason, ...(configVersion !== undefined ? { configVersion } : {}) };
    this.o.bus.publish({ type: 'learning.update', update });
    const lastUpdates = [...rest.lastUpdates, { ...update, atMs: this.o.clock.nowMs() }].slice(-LEARNING_LIMITS.lastUpdates);
    return { ...rest, lastUpdates };
  }

  private write(strategyId: string, r: StepResult, stepNo: number): { reason: string; configVersion?: number } {
    const acc = Object.entries(r.accuracy).map(([k, a]) => `${k} ${a.toFixed(2)}/${r.counted[k]}`).join(', ');
    const base = `step ${stepNo} over ${r.trades} settled trades (hit rate/votes: ${acc || 'no votes'})`;
    if (!r.changed) return { reason: `${base}: weights unchanged`.slice(0, 300) };
    const patch = weightsPatch(this.o.writer.current(), strategyId, r.after);
    if (!patch) return { reason: `${base}: not applied (instance not in the config)`.slice(0, 300) };
    try {
      const w = this.o.writer.apply(patch, LEARNING_ACTOR, base.slice(0, 300));
      if (!w.changed) return { reason: `${base}: config unchanged`.slice(0, 300) };
      const where = this.o.writer.journaled ? `config version ${w.version}` : 'applied in-process (no config journal in this run)';
      return { reason: `${base}: ${where}`.slice(0, 300), ...(w.version !== undefined ? { configVersion: w.version } : {}) };
    } catch (err) {
      const msg = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').slice(0, 140);
      return { reason: `refused (${msg}); ${base}`.slice(0, 300) };
    }
  }

  /** A handler never throws: a failure becomes a runtime.error event. */
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.o.bus.publish({ type: 'runtime.error', source: 'learning', message: (err instanceof Error ? err.message : String(err)).slice(0, 500) });
    }
  }
}
