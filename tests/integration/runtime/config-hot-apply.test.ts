/**
 * Hot apply over the real runtime: createRuntime (paper, embedded simulator, SimClock) driven by the config service
 * (the server's wiring: the runtime registers its parts as config targets and applies restart-required changes at
 * start). One test per hot field group proves the change takes effect in the running part without a restart; the
 * restart-required fields stay pending until a runtime restart applies them (mode, venue and the simulator wait for a
 * process restart); a part refusing a change rolls back the parts already changed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { isConfigError, openConfigService, type ConfigService } from '../../../bot/config';
import type { OrderProposal } from '../../../bot/risk';
import { createRuntime, type Runtime } from '../../../bot/runtime';
import { openStore, type Store } from '../../../bot/store';
import type { RuntimeConfig } from '../../../lib/schemas/config';
import type { BotEvent } from '../../../lib/schemas/events';

const DAY0_MS = 1791158400_000;

async function settle(turns = 6): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 1));
}

describe('config hot apply over the running runtime (paper, embedded simulator)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hot-apply-'));
  const clock = new SimClock(DAY0_MS + 20_000);
  let store: Store;
  let svc: ConfigService;
  let rt: Runtime;
  const events: BotEvent[] = [];

  const advance = async (ms: number, step = 500) => {
    const end = clock.nowMs() + ms;
    while (clock.nowMs() < end) {
      clock.advanceBy(Math.min(step, end - clock.nowMs()));
      await settle();
    }
  };
  const apply = (patch: Record<string, unknown>, reason = 'hot apply test') => svc.apply(patch, 'operator(test)', reason, 'test');
  const strategiesWith = (edit: (list: RuntimeConfig['strategies']) => void) => {
    const list = svc.desired().strategies;
    edit(list);
    return { strategies: list };
  };
  const session = () => rt.session!;
  const host = () => session().host!;
  const instance = (id: string) => host().strategies.find((h) => h.id === id);
  /** A BUY the risk engine would see from a strategy: far below the touch on the current window's Up token. */
  const buy = (over: Partial<OrderProposal> = {}, kind: '5m' | '15m' = '5m'): OrderProposal => {
    const rec = session().stack!.catalog.current(kind)!;
    return {
      strategyId: 'probe', clientTag: `probe|${rec.window.slug}|e|${clock.nowMs()}`, windowSlug: rec.window.slug, tokenId: rec.upTokenId,
      side: 'BUY', price: 0.05, usd: 20, orderType: 'GTC', postOnly: true, reducesExposure: false, ...over,
    };
  };

  beforeAll(async () => {
    store = openStore(':memory:');
    svc = openConfigService({
      dataDir: dir,
      // A third series, switched off: tracked by nobody (10-minute windows do not exist), so switching it on is refused.
      env: { SIM_SEED: '7' },
      store,
      nowMs: () => clock.nowMs(),
      guard: { hasLiveCredentials: () => false, host: '127.0.0.1', consoleTokenSet: false },
      mode: 'server',
    });
    apply({ series: [{ asset: 'btc', windowSec: 300 }, { asset: 'btc', windowSec: 900 }, { asset: 'btc', windowSec: 600, enabled: false }] }, 'a series nobody tracks');
    svc.pendingApplied('test'); // as at a process start: series membership needs a restart
    rt = createRuntime({ instanceId: 'hot', version: 't', config: svc.effective(), configSource: svc, clock, store });
    svc.connect((e) => rt.bus.publish(e));
    rt.bus.onAny((e) => void events.push(e));
    const starting = rt.start('test');
    for (let i = 0; i < 400 && rt.status().state === 'starting'; i++) await settle();
    expect(await starting).toBe('running');
    await advance(8_000);
    expect(buy().windowSlug).toMatch(/^btc-updown-5m-/);
    expect(session().riskEngine.approve(buy())).toEqual({ ok: true }); // the probe passes every rule before the changes
  }, 60_000);

  afterAll(async () => {
    await rt?.dispose('test done');
    store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('risk limits: the engine decides on the new cap at once, and the config the runtime reports follows', () => {
    expect(session().riskEngine.approve(buy({ usd: 40 }))).toEqual({ ok: true });
    const r = apply({ risk: { maxUsdPerTrade: 30, maxPositionPerTokenUsd: 60 } });
    expect(r).toMatchObject({ applied: true, pending: [] });
    expect(r.hot.sort()).toEqual(['risk.maxPositionPerTokenUsd', 'risk.maxUsdPerTrade']);
    expect(session().riskEngine.approve(buy({ usd: 40 }))).toMatchObject({ ok: false, rule: 'max_usd_per_trade', reason: 'notional 40.00 > 30 USD' });
    expect(session().riskEngine.approve(buy({ usd: 30 }))).toEqual({ ok: true });
    expect(rt.config.risk.maxUsdPerTrade).toBe(30);
    expect(rt.views.trading.snapshot().pnl.maxTotalExposureUsd).toBe(300);
    apply({ risk: { maxTotalExposureUsd: 250 } });
    expect(rt.views.trading.snapshot().pnl.maxTotalExposureUsd).toBe(250); // the dashboard reads the live limits
    expect(events.filter((e) => e.type === 'config.changed').at(-1)).toMatchObject({ hot: ['risk.maxTotalExposureUsd'], pending: [] });
  });

  it('feed gate: the stale bound reaches every feed and spot-only trading is allowed or refused at once', () => {
    const stack = session().stack!;
    expect(stack.marketFeed.conn.health.staleMs).toBe(5_000);
    apply({ risk: { staleFeedSec: 12 } });
    for (const f of [stack.marketFeed, stack.refFeed!, stack.spotFeed]) expect(f.conn.health.staleMs).toBe(12_000);
    // The reference feed goes stale while spot lives: degraded mode.
    rt.bus.publish({ type: 'feed.stale', feed: stack.referenceFeed, ageMs: 13_000 });
    const token = buy().tokenId;
    expect(stack.gate.blockReason(token)).toBe('degraded mode: reference stale, spot only');
    expect(session().riskEngine.approve(buy())).toMatchObject({ ok: false, rule: 'feed' });
    apply({ risk: { allowSpotOnlyTrading: true } });
    expect(stack.gate.blockReason(token)).toBeUndefined();
    expect(session().riskEngine.approve(buy())).toEqual({ ok: true });
    apply({ risk: { allowSpotOnlyTrading: false } });
    expect(session().riskEngine.approve(buy())).toMatchObject({ ok: false, rule: 'feed' });
    rt.bus.publish({ type: 'feed.recovered', feed: stack.referenceFeed });
    expect(session().riskEngine.approve(buy())).toEqual({ ok: true });
  });

  it('strategy budgets are risk state: a new budget binds the next order', () => {
    expect(session().riskEngine.budgetOf('hammer')).toBe(50);
    const r = apply(strategiesWith((l) => (l.find((s) => s.id === 'hammer')!.budgetUsd = 4)));
    expect(r.hot).toEqual(['strategies.hammer.budgetUsd']);
    expect(session().riskEngine.budgetOf('hammer')).toBe(4);
    expect(session().riskEngine.approve(buy({ strategyId: 'hammer', usd: 5 }))).toMatchObject({ ok: false, rule: 'strategy_budget' });
    expect(session().riskEngine.approve(buy({ strategyId: 'hammer', usd: 4 }))).toEqual({ ok: true });
  });

  it('strategies: parameters and enable reach the running instance; instances are added and removed while running', async () => {
    const hammer = instance('hammer')!.strategy;
    const timeBucket = instance('time-bucket')!.strategy;
    expect((hammer.config as { dMin: number }).dMin).toBe(5);
    expect((timeBucket.config as { enabled: boolean }).enabled).toBe(true);
    const r = apply(
      strategiesWith((l) => {
        l.find((s) => s.id === 'hammer')!.params = { dMin: 9 };
        l.find((s) => s.id === 'time-bucket')!.params = { enabled: false };
        l.splice(l.findIndex((s) => s.id === 'trend-window'), 1);
        l.push({ id: 'hammer-b', type: 'hammer', budgetUsd: 7, params: { dMin: 6 } });
      }),
    );
    expect(r.pending).toEqual([]);
    // The same instances (their state kept), with the new parameters.
    expect(instance('hammer')!.strategy).toBe(hammer);
    expect((hammer.config as { dMin: number }).dMin).toBe(9);
    expect(instance('time-bucket')!.strategy).toBe(timeBucket);
    expect((timeBucket.config as { enabled: boolean }).enabled).toBe(false);
    expect(host().strategies.map((h) => h.id)).toEqual(['time-bucket', 'hammer', 'late-sweep', 'maker', 'hammer-b']);
    expect(session().riskEngine.budgetsSnapshot()).toMatchObject({ 'hammer-b': 7 });
    expect(session().riskEngine.budgetOf('trend-window')).toBeUndefined();
    // Across the next window close: the added instance decides, the removed one is silent.
    const from = events.length;
    const end = session().stack!.catalog.current('5m')!.window.endMs;
    await advance(end - clock.nowMs() + 3_000, 1_000);
    const decided = new Set(events.slice(from).flatMap((e) => (e.type === 'strategy.decision' && e.record.action !== 'evaluated' ? [e.record.strategyId] : [])));
    expect(decided.has('hammer-b')).toBe(true);
    expect(decided.has('hammer')).toBe(true);
    expect(decided.has('trend-window')).toBe(false);
  }, 60_000);

  it('heartbeat period: the runtime heartbeat follows the new period at once', async () => {
    const beats = async (ms: number) => {
      const from = events.length;
      await advance(ms, 250);
      return events.slice(from).filter((e) => e.type === 'runtime.heartbeat').length;
    };
    expect(await beats(10_000)).toBeGreaterThanOrEqual(9);
    apply({ heartbeatMs: 5_000 });
    const slow = await beats(20_000);
    expect(slow).toBeGreaterThanOrEqual(3);
    expect(slow).toBeLessThanOrEqual(5);
  }, 60_000);

  it('series: switched off, a series refuses new exposure but lets exits through; switched on again, it trades', () => {
    const series = (enabled300: boolean) => ({ series: [{ asset: 'btc', windowSec: 300, enabled: enabled300 }, { asset: 'btc', windowSec: 900 }, { asset: 'btc', windowSec: 600, enabled: false }] });
    expect(apply(series(false)).hot).toEqual(['series.btc-300.enabled']);
    expect(session().riskEngine.approve(buy())).toMatchObject({ ok: false, rule: 'series_disabled', reason: expect.stringContaining('series btc-300 is switched off') });
    expect(session().riskEngine.approve(buy({}, '15m'))).toEqual({ ok: true }); // the other series still trades
    expect(session().riskEngine.approve(buy({ side: 'SELL', size: 1, usd: undefined, reducesExposure: true }))).toEqual({ ok: true }); // an exit
    expect(rt.views.trading.snapshot().series.filter((s) => s.enabled).map((s) => s.kind)).toEqual(['15m']);
    apply(series(true));
    expect(session().riskEngine.approve(buy())).toEqual({ ok: true });
    expect(rt.views.trading.snapshot().series.filter((s) => s.enabled).map((s) => s.kind)).toEqual(['5m', '15m']);
  });

  it('a part that refuses rolls back the parts already changed: nothing is half-applied', () => {
    const before = { version: svc.version, cap: session().riskEngine.config.maxUsdPerTrade, budget: session().riskEngine.budgetOf('late-sweep') };
    const patch = {
      risk: { maxUsdPerTrade: 11 },
      series: [{ asset: 'btc', windowSec: 300, enabled: false }, { asset: 'btc', windowSec: 900, enabled: false }, { asset: 'btc', windowSec: 600, enabled: false }],
      ...strategiesWith((l) => (l.find((s) => s.id === 'late-sweep')!.budgetUsd = 3)),
    };
    let err: unknown;
    try {
      apply(patch);
    } catch (e) {
      err = e;
    }
    expect(isConfigError(err)).toBe(true);
    expect((err as Error).message).toMatch(/series refused the change: no series is enabled/);
    expect((err as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual(['series.btc-300.enabled', 'series.btc-900.enabled']);
    expect(svc.version).toBe(before.version);
    expect(session().riskEngine.config.maxUsdPerTrade).toBe(before.cap);
    expect(session().riskEngine.budgetOf('late-sweep')).toBe(before.budget);
    expect(rt.config.risk.maxUsdPerTrade).toBe(before.cap);
    expect(rt.config.series.map((s) => s.enabled)).toEqual([true, true, false]);
    expect(session().plan!.enabledKinds).toEqual(['5m', '15m']);
  });

  it('restart-required fields wait for a restart; mode, venue and the simulator wait for a process restart', async () => {
    const r = apply({
      series: [{ asset: 'btc', windowSec: 300 }],
      sim: { seed: 99 },
      ...strategiesWith((l) => Object.assign(l.find((s) => s.id === 'hammer-b')!, { type: 'late-sweep', params: {} })),
    });
    // Removing series is hot (the running catalog stops tracking them now); a type change and the sim seed wait.
    expect(r.hot.sort()).toEqual(['series.btc-600', 'series.btc-900']);
    expect(r.pending.map((c) => c.path).sort()).toEqual(['sim.seed', 'strategies.hammer-b']);
    expect(rt.config.series).toEqual([{ asset: 'btc', windowSec: 300, enabled: true }]);
    expect(session().plan!.kinds).toEqual(['5m']);
    expect(session().stack!.catalog.tracked().map((d) => d.key)).toEqual(['btc-300']);
    expect(instance('hammer-b')!.strategy.type).toBe('hammer');
    expect(await rt.restart('apply pending')).toBe('running');
    expect(rt.config.series).toEqual([{ asset: 'btc', windowSec: 300, enabled: true }]);
    expect(session().plan!.kinds).toEqual(['5m']);
    expect(instance('hammer-b')!.strategy.type).toBe('late-sweep');
    expect(rt.config.sim.seed).toBe(7);
    expect(svc.pending()).toEqual([{ path: 'sim.seed', from: 7, to: 99, hot: false, process: true }]);
    expect(svc.describe().find((f) => f.path === 'sim.seed')).toMatchObject({ hot: false, process: true });
    expect(svc.describe().find((f) => f.path === 'series.0.windowSec')).not.toHaveProperty('process');
    expect(events.filter((e) => e.type === 'config.changed').at(-1)).toMatchObject({ kind: 'restart', pending: ['sim.seed'] });
    expect(store.audit.recent(5).some((a) => a.action === 'config.pending_applied')).toBe(true);
  }, 60_000);
});
