/**
 * The learning component over the config service: no step at N−1 settled trades and exactly one at N (a config
 * version by actor "learning" with its weights diff and an audit row), only filled trades of enabled instances count,
 * a refused write publishes the update without configVersion and never throws, a reset clears the state (and can
 * restore the default weights as an audited operator change), and the state survives a restart (store reopened).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../bot/config';
import { LearningComponent, configServiceWriter, resetLearning, type WeightWriter } from '../../../bot/learning';
import { openStore } from '../../../bot/store';
import { learningParams, openLearningHarness, WEIGHTS0, type LearningHarness } from './harness';


const N = 5;
/** spike always right, bookImbalance always wrong: one step moves +maxStep / −maxStep. */
const good = (i: number) => ({ spike: i % 2 ? 1 : -1, bookImbalance: i % 2 ? -1 : 1 });
const winnerOf = (i: number) => (i % 2 ? 'up' : 'down') as 'up' | 'down';

describe('learning component', () => {
  let h: LearningHarness | undefined;
  const dirs: string[] = [];
  afterEach(() => {
    h?.close();
    h = undefined;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('takes no step at N−1 settled trades and exactly one at N: a config version by "learning" with an audit row', () => {
    h = openLearningHarness({ params: learningParams({ learningEveryTrades: N }) });
    const v0 = h.svc.version;
    for (let i = 0; i < N - 1; i++) h.trade(`w${i}`, good(i), winnerOf(i));
    expect(h.updates()).toHaveLength(0);
    expect(h.svc.version).toBe(v0);
    expect(h.learning.get('trend-window')!.state.settled).toHaveLength(N - 1);
    h.trade(`w${N - 1}`, good(N - 1), winnerOf(N - 1));
    const [u] = h.updates().map((e) => e.update);
    expect(h.updates()).toHaveLength(1);
    expect(u!.trades).toBe(N);
    expect(u!.accuracy).toMatchObject({ spike: 1, bookImbalance: 0 });
    expect(u!.after.spike! - u!.before.spike!).toBeCloseTo(0.05, 9);
    expect(u!.after.bookImbalance! - u!.before.bookImbalance!).toBeCloseTo(-0.05, 9);
    expect(u!.configVersion).toBe(v0 + 1);
    expect(h.weights().spike).toBeCloseTo(WEIGHTS0.spike + 0.05, 9);
    const [ver] = h.svc.history(1);
    expect(ver).toMatchObject({ version: v0 + 1, actor: 'learning', source: 'learning' });
    // The first learned weights add the instance's `weights` object (until then the strategy's defaults applied).
    expect(ver!.diff.map((d) => d.path)).toEqual(['strategies.trend-window.params.weights']);
    expect(ver!.diff[0]!.to).toMatchObject({ spike: u!.after.spike, bookImbalance: u!.after.bookImbalance, tickVelocity: WEIGHTS0.tickVelocity });
    const audit = h.store.audit.recent(5).find((a) => a.action === 'config.apply');
    expect(audit).toMatchObject({ actor: 'learning' });
    expect(audit!.detail.version).toBe(v0 + 1);
    expect(h.learning.get('trend-window')!.state).toMatchObject({ settled: [], steps: 1, settledTotal: N });
  });

  it('counts only filled trades of an enabled instance', () => {
    h = openLearningHarness({ params: learningParams({ learningEveryTrades: N }) });
    h.trade('skipped', good(0), 'down', 'skipped');
    h.buy('open', good(1));
    h.final('open', 'traded');
    expect(h.learning.get('trend-window')!.state).toMatchObject({ settled: [], pending: [{ windowSlug: 'open', filled: true }] });
    h.close();
    h = openLearningHarness({ params: learningParams({ learningEnabled: false }) });
    h.trade('w', good(0), 'down');
    expect(h.learning.get('trend-window')).toBeUndefined();
    h.close();
    h = openLearningHarness();
    h.trade('w', good(0), 'down');
    expect(h.learning.get('trend-window')).toBeUndefined();
  });

  it('publishes a refused step without configVersion and with the reason, and keeps going', () => {
    h = openLearningHarness({ params: learningParams({ learningEveryTrades: N }) });
    const svc = h.svc;
    const refusing: WeightWriter = { journaled: true, current: () => svc.desired(), apply: () => { throw new ConfigError('refused', 'weights refused by a guardrail'); } };
    h.close();
    const c = new LearningComponent({ bus: h.bus, clock: h.clock, store: h.learning, config: () => svc.effective(), writer: refusing });
    void c.start();
    const v0 = svc.version;
    for (let i = 0; i < N; i++) expect(() => h!.trade(`w${i}`, good(i), winnerOf(i))).not.toThrow();
    const [u] = h.updates().map((e) => e.update);
    expect(u).toBeDefined();
    expect(u!.configVersion).toBeUndefined();
    expect(u!.reason).toMatch(/^refused \(weights refused by a guardrail\)/);
    expect(svc.version).toBe(v0);
    expect(h.events.some((e) => e.type === 'runtime.error')).toBe(false);
    void c.stop();
  });

  it('reset clears the state; restoreDefaults writes one audited operator version back to the default weights', () => {
    h = openLearningHarness({ params: learningParams({ learningEveryTrades: N }) });
    for (let i = 0; i < N + 2; i++) h.trade(`w${i}`, good(i), winnerOf(i));
    expect(h.weights().spike).toBeGreaterThan(WEIGHTS0.spike);
    expect(h.learning.get('trend-window')!.state.settled).toHaveLength(2);
    const r = resetLearning(h.learning, configServiceWriter(h.svc, 'test'), { strategyId: 'trend-window', restoreDefaults: true, actor: 'operator(test)', reason: 'start over' });
    expect(r.cleared).toBe(true);
    expect(h.learning.get('trend-window')).toBeUndefined();
    expect(r.configVersion).toBe(h.svc.version);
    expect(h.weights()).toEqual(WEIGHTS0);
    expect(h.svc.history(1)[0]).toMatchObject({ actor: 'operator(test)', source: 'test' });
    expect(h.store.audit.recent(1)[0]).toMatchObject({ actor: 'operator(test)', action: 'config.apply' });
    // The running learner starts from zero: N−1 more trades take no step.
    const before = h.updates().length;
    for (let i = 0; i < N - 1; i++) h.trade(`x${i}`, good(i), winnerOf(i));
    expect(h.updates()).toHaveLength(before);
    expect(resetLearning(h.learning, undefined, { strategyId: 'trend-window', actor: 'operator(test)', reason: 'again' })).toEqual({ cleared: true });
  });

  it('continues after a restart: the store reopened from its file keeps the settled trades', () => {
    const dir = mkdtempSync(join(tmpdir(), 'learning-restart-'));
    dirs.push(dir);
    const file = join(dir, 'updown.sqlite');
    let store = openStore(file);
    h = openLearningHarness({ params: learningParams({ learningEveryTrades: N }), store, dir });
    for (let i = 0; i < N - 2; i++) h.trade(`w${i}`, good(i), winnerOf(i));
    h.buy(`w${N - 2}`, good(N - 2));
    h.close();
    store.close();
    store = openStore(file);
    h = openLearningHarness({ store, dir });
    expect(h.learning.get('trend-window')!.state).toMatchObject({ settledTotal: N - 2, pending: [{ windowSlug: `w${N - 2}` }] });
    h.final(`w${N - 2}`, 'traded');
    h.resolve(`w${N - 2}`, winnerOf(N - 2));
    expect(h.updates()).toHaveLength(0);
    h.trade(`w${N - 1}`, good(N - 1), winnerOf(N - 1));
    expect(h.updates()).toHaveLength(1);
    expect(h.updates()[0]!.update.trades).toBe(N);
    store.close();
  });
});
