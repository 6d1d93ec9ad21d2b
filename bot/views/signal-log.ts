/**
 * The Strategy page's signals read model (issue 14), owned by the runtime (`runtime.views.signals`): per strategy
 * instance, from `strategy.signal` events, the latest record of each of its recent windows (why it quoted or traded)
 * and a sampled history of its signed readings for the chart; from `learning.update` events, its last weight updates.
 * The fold is the shared pure one (lib/schemas/strategy-signals.ts), so the browser's live overlay lands on the same
 * picture.
 *
 * Seeded from the bus history and subscribed in the same synchronous turn (nothing falls in between), like the
 * decision log. Invariants: read-only; every map and list bounded (`signalViewLimits`, MAX_INSTANCES); an event is
 * folded once (history and live overlap by seq); a throwing fold never reaches the bus; output parses with
 * `strategySignalsSchema` / `learningRowSchema` (checked in tests); no secrets (events carry none).
 */
import type { BotEvent } from '../../lib/schemas/events';
import {
  copySignals, emptySignals, foldLearning, foldSignal, type LearningRow, type StrategySignals,
} from '../../lib/schemas/strategy-signals';
import { strategyViewLimits } from '../../lib/schemas/strategy-view';
import type { TimelineSource } from './feed-timeline';

/** Instances tracked (the Strategy page's own bound). */
const MAX_INSTANCES = strategyViewLimits.instances;

interface InstanceSignals {
  signals: StrategySignals;
  learning: LearningRow[];
}

export class SignalLog {
  private readonly instances = new Map<string, InstanceSignals>();
  private lastSeq = 0;
  private readonly unsubscribe: () => void;

  constructor(source: TimelineSource) {
    const { bus } = source;
    for (const e of bus.history.recent(bus.history.size)) this.safeRecord(e);
    this.unsubscribe = bus.onAny((e) => this.safeRecord(e));
  }

  private safeRecord(e: BotEvent): void {
    try {
      this.record(e);
    } catch {
      // a read model never breaks the bus
    }
  }

  private instance(id: string): InstanceSignals | undefined {
    let x = this.instances.get(id);
    if (!x) {
      if (this.instances.size >= MAX_INSTANCES) return undefined;
      x = { signals: emptySignals(), learning: [] };
      this.instances.set(id, x);
    }
    return x;
  }

  private record(e: BotEvent): void {
    if (e.seq <= this.lastSeq) return;
    this.lastSeq = e.seq;
    if (e.type === 'strategy.signal') {
      const x = this.instance(e.record.strategyId);
      if (x) foldSignal(x.signals, { seq: e.seq, record: e.record });
    } else if (e.type === 'learning.update') {
      const x = this.instance(e.update.strategyId);
      if (x) foldLearning(x.learning, e.seq, e.tsEventMs, e.update);
    }
  }

  /** The instance's signals (empty when it published none). */
  signalsOf(id: string): StrategySignals {
    const x = this.instances.get(id);
    return x ? copySignals(x.signals) : emptySignals();
  }

  /** The instance's learning updates, newest first (empty when none). */
  learningOf(id: string): LearningRow[] {
    return this.instances.get(id)?.learning.slice() ?? [];
  }

  /** Instances that published a signal or a learning update, in first-seen order. */
  ids(): string[] {
    return [...this.instances.keys()];
  }

  dispose(): void {
    this.unsubscribe();
  }
}
