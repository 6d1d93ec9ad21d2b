/**
 * The Strategy page's signals read model (bot/views/signal-log.ts) on a real EventBus and a SimClock: seeded from the
 * bus history and live after (an event never folded twice), per-instance separation, the latest record per window
 * bounded to `signalViewLimits.windows` windows, the chart history sampled to one point per second and bounded to
 * `signalViewLimits.history` points, learning updates bounded to `signalViewLimits.learning`, schema-valid output.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { SignalLog } from '../../../bot/views/signal-log';
import type { LearningUpdate, SignalRecord } from '../../../lib/schemas/events';
import { initialSignalLive, mergeSignals, reduceSignalLive } from '../../../components/strategy/signal-live';
import type { StrategyDetail } from '../../../lib/schemas/strategy-view';
import { learningRowSchema, signalViewLimits as L, signedOf, strategySignalsSchema } from '../../../lib/schemas/strategy-signals';

const T0 = 1_795_242_000_000;
const logs: SignalLog[] = [];

function setup() {
  const clock = new SimClock(T0);
  const bus = new EventBus({ clock, historySize: 20_000 });
  const make = () => {
    const log = new SignalLog({ bus, clock });
    logs.push(log);
    return log;
  };
  return { clock, bus, make };
}

afterEach(() => {
  for (const l of logs.splice(0)) l.dispose();
});

function sig(atMs: number, over: Partial<SignalRecord> = {}): SignalRecord {
  return {
    strategyId: 'maker', strategyType: 'maker', windowSlug: 'btc-updown-5m-1795242000', atMs,
    readings: [
      { id: 'flowImbalance', value: 0.3, direction: 1, strength: 0.6, confidence: 0.8, weight: 0.3, active: true, effect: 'spread +0.020' },
      { id: 'regime', state: 'thin', active: true },
      { id: 'markout', direction: -1, active: false },
    ],
    model: { spread: 0.04, size: 10 },
    summary: 'quoted 0.48/0.52: flow favours Up',
    ...over,
  };
}

function upd(strategyId: string, trades: number): LearningUpdate {
  return { strategyId, trades, before: { a: 0.3 }, after: { a: 0.32 }, accuracy: { a: 0.6 }, reason: 'step' };
}

describe('SignalLog', () => {
  it('is seeded from the bus history, then follows live events, and folds each event once', () => {
    const { bus, clock, make } = setup();
    bus.publish({ type: 'strategy.signal', record: sig(T0) });
    bus.publish({ type: 'learning.update', update: upd('maker', 20) });
    const log = make();
    clock.advanceBy(2_000);
    bus.publish({ type: 'strategy.signal', record: sig(T0 + 2_000, { summary: 'second' }) });
    const s = strategySignalsSchema.parse(log.signalsOf('maker'));
    expect(s.count).toBe(2);
    expect(s.latest.map((r) => [r.seq, r.record.summary])).toEqual([[3, 'second']]);
    expect(s.history.map((p) => [p.seq, p.tMs])).toEqual([[1, T0], [3, T0 + 2_000]]);
    // signed readings: direction × strength; strength 1 when absent; no direction → not charted
    expect(s.history[0]!.values).toEqual({ flowImbalance: 0.6, markout: -1 });
    const learning = log.learningOf('maker').map((r) => learningRowSchema.parse(r));
    expect(learning.map((r) => [r.seq, r.tsMs, r.update.trades])).toEqual([[2, T0, 20]]);
  });

  it('keeps instances apart and answers empty for an instance that published nothing', () => {
    const { bus, make } = setup();
    const log = make();
    bus.publish({ type: 'strategy.signal', record: sig(T0, { strategyId: 'maker-b', summary: 'b' }) });
    bus.publish({ type: 'strategy.signal', record: sig(T0, { strategyId: 'maker', summary: 'a' }) });
    bus.publish({ type: 'learning.update', update: upd('trend', 5) });
    expect(log.signalsOf('maker').latest.map((r) => r.record.summary)).toEqual(['a']);
    expect(log.signalsOf('maker-b').latest.map((r) => r.record.summary)).toEqual(['b']);
    expect(log.learningOf('maker')).toEqual([]);
    expect(log.learningOf('trend').map((r) => r.update.trades)).toEqual([5]);
    expect(log.signalsOf('trend')).toEqual({ latest: [], history: [], count: 0 });
    expect(log.ids()).toEqual(['maker-b', 'maker', 'trend']);
  });

  it('keeps the latest record of each window, the newest windows only, and never lets an older record replace a newer one', () => {
    const { bus, make } = setup();
    const log = make();
    const slug = (i: number) => `btc-updown-5m-${1795242000 + i * 300}`;
    for (let i = 0; i < L.windows; i++) bus.publish({ type: 'strategy.signal', record: sig(T0 + i * 1_000, { windowSlug: slug(i) }) });
    expect(log.signalsOf('maker').latest).toHaveLength(L.windows); // at the bound: all kept
    bus.publish({ type: 'strategy.signal', record: sig(T0 + 20_000, { windowSlug: slug(3), summary: 'w3 again' }) });
    let s = log.signalsOf('maker');
    expect(s.latest).toHaveLength(L.windows); // same window: replaced, not added
    expect(s.latest[0]!.record.summary).toBe('w3 again');
    expect(s.latest.filter((r) => r.record.windowSlug === slug(3))).toHaveLength(1);
    bus.publish({ type: 'strategy.signal', record: sig(T0 + 10_000, { windowSlug: slug(3), summary: 'stale' }) });
    expect(log.signalsOf('maker').latest[0]!.record.summary).toBe('w3 again');
    bus.publish({ type: 'strategy.signal', record: sig(T0 + 30_000, { windowSlug: slug(L.windows) }) }); // one above the bound
    s = log.signalsOf('maker');
    expect(s.latest).toHaveLength(L.windows);
    expect(s.latest.map((r) => r.record.windowSlug)).not.toContain(slug(0)); // the least recent window dropped
    expect(s.latest[0]!.record.windowSlug).toBe(slug(L.windows));
    expect(s.count).toBe(L.windows + 3);
    strategySignalsSchema.parse(s);
  });

  it('samples the chart history to one point per second (the latest wins) and bounds it', () => {
    const { bus, make } = setup();
    const log = make();
    bus.publish({ type: 'strategy.signal', record: sig(T0 + 999, { summary: 'x' }) });
    bus.publish({ type: 'strategy.signal', record: sig(T0 + 999, { readings: [{ id: 'flowImbalance', direction: -1, strength: 0.25, active: true }] }) }); // same second
    bus.publish({ type: 'strategy.signal', record: sig(T0 + 1_000) }); // next second
    bus.publish({ type: 'strategy.signal', record: sig(T0 + 500) }); // older: ignored
    let h = log.signalsOf('maker').history;
    expect(h.map((p) => [p.tMs, p.values.flowImbalance])).toEqual([[T0 + 999, -0.25], [T0 + 1_000, 0.6]]);
    for (let i = 2; i <= L.history + 1; i++) bus.publish({ type: 'strategy.signal', record: sig(T0 + i * 1_000) });
    h = log.signalsOf('maker').history;
    expect(h).toHaveLength(L.history); // L.history + 1 distinct seconds published: the oldest dropped
    expect(h[0]!.tMs).toBe(T0 + 2_000);
    expect(h[h.length - 1]!.tMs).toBe(T0 + (L.history + 1) * 1_000);
    strategySignalsSchema.parse(log.signalsOf('maker'));
  });

  it('bounds the learning updates, newest first', () => {
    const { bus, make } = setup();
    const log = make();
    for (let i = 1; i <= L.learning; i++) bus.publish({ type: 'learning.update', update: upd('trend', i) });
    expect(log.learningOf('trend')).toHaveLength(L.learning);
    bus.publish({ type: 'learning.update', update: upd('trend', L.learning + 1) });
    const l = log.learningOf('trend');
    expect(l).toHaveLength(L.learning);
    expect(l[0]!.update.trades).toBe(L.learning + 1);
    expect(l[l.length - 1]!.update.trades).toBe(2);
  });

  it('signedOf: direction × strength, strength 1 when absent, null without a direction, never −0', () => {
    expect(signedOf({ id: 'a', direction: -1, strength: 0.5, active: true })).toBe(-0.5);
    expect(signedOf({ id: 'a', direction: 1, active: true })).toBe(1);
    expect(signedOf({ id: 'a', strength: 0.5, active: true })).toBeNull();
    expect(Object.is(signedOf({ id: 'a', direction: -1, strength: 0, active: true }), 0)).toBe(true);
  });

  it("the browser's live overlay on an older snapshot lands on the read model's later picture, without applying an event twice", () => {
    const { bus, clock, make } = setup();
    const log = make();
    let live = initialSignalLive();
    bus.onAny((e) => {
      live = reduceSignalLive(live, e) ?? live;
    });
    for (let i = 0; i < 4; i++) bus.publish({ type: 'strategy.signal', record: sig(T0 + i * 700, { windowSlug: `btc-updown-5m-${1795242000 + (i % 2) * 300}`, summary: `s${i}` }) });
    const snapSeq = bus.stats.lastSeq;
    const detail = { id: 'maker', signals: log.signalsOf('maker'), learning: log.learningOf('maker') } as StrategyDetail;
    clock.advanceBy(5_000);
    bus.publish({ type: 'strategy.signal', record: sig(T0 + 4_000, { summary: 's4' }) });
    bus.publish({ type: 'learning.update', update: upd('maker', 9) });
    bus.publish({ type: 'strategy.signal', record: sig(T0 + 4_000, { strategyId: 'other', summary: 'not mine' }) });
    const merged = mergeSignals(detail, snapSeq, live.events);
    expect(merged.signals).toEqual(log.signalsOf('maker'));
    expect(merged.learning).toEqual(log.learningOf('maker'));
    expect(detail.signals!.count).toBe(4); // the snapshot itself is not mutated
    expect(detail.learning).toEqual([]);
    expect(mergeSignals(detail, bus.stats.lastSeq, live.events)).toBe(detail); // nothing newer: unchanged
  });

  it('stops following the bus once disposed', () => {
    const { bus, make } = setup();
    const log = make();
    log.dispose();
    bus.publish({ type: 'strategy.signal', record: sig(T0) });
    expect(log.signalsOf('maker').count).toBe(0);
  });
});
