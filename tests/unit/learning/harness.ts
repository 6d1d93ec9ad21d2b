/**
 * Learning test harness: the learning component on a real bus, SimClock, store and config service (the server's
 * wiring: steps are config changes with actor "learning"), and helpers that publish one trend-window trade's events
 * (the buy's `strategy.signal`, the window's final `strategy.decision`, `market.resolved`).
 *
 * Test files that enable learning through the config service mock the trend-window schema to carry the learning
 * fields (learningParamsSchema) until the strategy's own schema has them.
 */
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import type { ConfigService } from '../../../bot/config';
import { LearningComponent, configServiceWriter } from '../../../bot/learning';
import { LearningStore } from '../../../bot/store/learning-store';
import type { Store } from '../../../bot/store';
import type { BotEvent } from '../../../lib/schemas/events';
import type { SignalReading } from '../../../lib/schemas/events/strategy';
import { openHarness, T0 } from '../config/helpers';

export const WEIGHTS0 = { bookImbalance: 0.3, tickVelocity: 0.25, divergence: 0.18, spike: 0.12, putCallRatio: 0.1, fearGreed: 0.05 } as const;
export type SignalKey = keyof typeof WEIGHTS0;
export const SIGNALS = Object.keys(WEIGHTS0) as SignalKey[];

export interface LearningHarness {
  svc: ConfigService;
  store: Store;
  learning: LearningStore;
  component: LearningComponent;
  bus: EventBus;
  clock: SimClock;
  events: BotEvent[];
  updates: () => Extract<BotEvent, { type: 'learning.update' }>[];
  /** One full trade: buy signal (votes per key), final 'traded' (or 'skipped'), winner. */
  trade: (slug: string, votes: Partial<Record<SignalKey, number>>, winner: 'up' | 'down', final?: 'traded' | 'skipped') => void;
  buy: (slug: string, votes: Partial<Record<SignalKey, number>>) => void;
  final: (slug: string, action: 'traded' | 'skipped') => void;
  resolve: (slug: string, winner: 'up' | 'down') => void;
  /** The trend-window instance's weights in the running config. */
  weights: () => Record<string, number>;
  close: () => void;
}

export function learningParams(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { learningEnabled: true, learningEveryTrades: 20, learningMaxStep: 0.05, learningMinWeight: 0.01, ...over };
}

export function readings(votes: Partial<Record<SignalKey, number>>): SignalReading[] {
  return SIGNALS.map((id) => {
    const v = votes[id] ?? 0;
    return { id, direction: v > 0 ? 1 : v < 0 ? -1 : 0, strength: Math.abs(v), active: true } as SignalReading;
  });
}

export function openLearningHarness(o: { params?: Record<string, unknown>; store?: Store; dir?: string } = {}): LearningHarness {
  const h = openHarness({ ...(o.store ? { store: o.store } : {}), ...(o.dir ? { dir: o.dir } : {}) });
  const svc = h.svc;
  if (o.params) {
    const list = svc.desired().strategies.map((s) => (s.id === 'trend-window' ? { ...s, params: { ...s.params, ...o.params } } : s));
    svc.apply({ strategies: list }, 'operator(test)', 'enable learning', 'test');
  }
  const clock = new SimClock(T0 + 1_000);
  const bus = new EventBus({ clock });
  const events: BotEvent[] = [];
  bus.onAny((e) => events.push(e));
  const learning = new LearningStore(h.store.db);
  // The running config as the runtime holds it (one copy per config version, not a clone per read).
  let cached: { version: number; config: ReturnType<ConfigService['effective']> } | undefined;
  const running = () => (cached?.version === svc.version ? cached.config : (cached = { version: svc.version, config: svc.effective() }).config);
  const component = new LearningComponent({ bus, clock, store: learning, config: running, writer: configServiceWriter(svc) });
  void component.start();
  const buy = (slug: string, votes: Partial<Record<SignalKey, number>>) => {
    clock.advanceBy(1_000);
    bus.publish({
      type: 'strategy.signal',
      record: { strategyId: 'trend-window', strategyType: 'trend-window', windowSlug: slug, atMs: clock.nowMs(), readings: readings(votes), model: { action: 'buy', outcome: 'up' }, summary: 'buy up' },
    });
  };
  const final = (slug: string, action: 'traded' | 'skipped') =>
    bus.publish({ type: 'strategy.decision', record: { strategyId: 'trend-window', strategyType: 'trend-window', windowSlug: slug, action, reason: action, atMs: clock.nowMs() } });
  const resolve = (slug: string, winner: 'up' | 'down') => bus.publish({ type: 'market.resolved', slug, winner, winningTokenId: `${slug}-${winner}` });
  return {
    svc, store: h.store, learning, component, bus, clock, events,
    updates: () => events.filter((e): e is Extract<BotEvent, { type: 'learning.update' }> => e.type === 'learning.update'),
    buy, final, resolve,
    trade: (slug, votes, winner, f = 'traded') => {
      buy(slug, votes);
      final(slug, f);
      resolve(slug, winner);
    },
    weights: () => {
      const s = svc.effective().strategies.find((x) => x.id === 'trend-window')!;
      return { ...WEIGHTS0, ...((s.params.weights as Record<string, number> | undefined) ?? {}) };
    },
    close: () => {
      void component.stop();
    },
  };
}
