/**
 * Risk engine limits added with the completed risk layer: the per-token position limit and strategy budgets held as
 * risk state (setBudgets), each at and around its threshold; the proposal's legacy budgetUsd is only a fallback.
 */
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { KillSwitch, RiskEngine, type OrderProposal, type RiskView } from '../../../bot/risk';
import { openStore } from '../../../bot/store';
import { isUpdatable, riskConfigSchema } from '../../../lib/schemas/config';

function setup(cfg: Record<string, unknown> = {}, withToken = true) {
  const clock = new SimClock(1_800_000_000_000);
  const bus = new EventBus({ clock });
  const store = openStore(':memory:');
  const killSwitch = new KillSwitch({ clock, bus, store: store.killSwitch, audit: store.audit });
  const state = { token: new Map<string, number>(), strategy: new Map<string, number>() };
  const view: RiskView = {
    windowExposureUsd: () => 0,
    strategyExposureUsd: (id) => state.strategy.get(id) ?? 0,
    totalExposureUsd: () => 0,
    realizedTodayUsd: () => 0,
    windowBlockReason: () => undefined,
    feedBlockReason: () => undefined,
    venueBlockReason: () => undefined,
    ...(withToken ? { tokenExposureUsd: (t: string) => state.token.get(t) ?? 0 } : {}),
  };
  const risk = new RiskEngine({ clock, bus, killSwitch, view, config: riskConfigSchema.parse({ maxExposurePerWindowUsd: 1000, maxTotalExposureUsd: 1000, ...cfg }) });
  return { risk, state };
}

const buy = (over: Partial<OrderProposal> = {}): OrderProposal => ({
  strategyId: 's', clientTag: 's|w|entry|0', windowSlug: 'w', tokenId: 'tok-up', side: 'BUY', price: 0.5, size: 10,
  orderType: 'GTC', postOnly: true, reducesExposure: false, ...over,
});

describe('per-token position limit', () => {
  it('is a hot risk field with a description and a sane default', () => {
    const d = riskConfigSchema.parse({});
    expect(d.maxPositionPerTokenUsd).toBe(75);
    expect(d.maxPositionPerTokenUsd).toBeLessThanOrEqual(d.maxExposurePerWindowUsd);
    expect(isUpdatable(['risk', 'maxPositionPerTokenUsd'])).toBe(true);
    expect(riskConfigSchema.shape.maxPositionPerTokenUsd.meta()).toMatchObject({ description: expect.stringMatching(/token/) });
    expect(riskConfigSchema.safeParse({ maxPositionPerTokenUsd: 0 }).success).toBe(false);
  });

  it('allows up to the limit exactly, denies a cent beyond, counts held plus working exposure of that token only', () => {
    const { risk, state } = setup({ maxPositionPerTokenUsd: 20 });
    state.token.set('tok-up', 15);
    expect(risk.approve(buy({ size: 10, price: 0.5 }))).toEqual({ ok: true }); // 15 + 5 = 20: at the limit
    expect(risk.approve(buy({ size: 10.02, price: 0.5 }))).toMatchObject({ ok: false, rule: 'token_position' }); // 20.01
    expect(risk.approve(buy({ tokenId: 'tok-down', size: 30, price: 0.5 }))).toEqual({ ok: true }); // other token: 15
    state.token.set('tok-up', 20);
    expect(risk.approve(buy({ size: 5, price: 0.5 }))).toMatchObject({ ok: false, rule: 'token_position', reason: expect.stringMatching(/22\.50 > 20 USD/) });
  });

  it('lets reducing orders out at any position and applies a hot update at once', () => {
    const { risk, state } = setup({ maxPositionPerTokenUsd: 20 });
    state.token.set('tok-up', 50);
    expect(risk.approve(buy({ side: 'SELL', reducesExposure: true }))).toEqual({ ok: true });
    expect(risk.approve(buy())).toMatchObject({ ok: false, rule: 'token_position' });
    risk.updateConfig({ ...risk.config, maxPositionPerTokenUsd: 60 });
    expect(risk.approve(buy())).toEqual({ ok: true }); // 55 <= 60
  });

  it('is skipped (not guessed) when the view cannot say a token exposure', () => {
    const { risk } = setup({ maxPositionPerTokenUsd: 1 }, false);
    expect(risk.approve(buy())).toEqual({ ok: true });
  });
});

describe('strategy budgets as risk state', () => {
  it('enforces the engine budget at and around the threshold, per instance', () => {
    const { risk, state } = setup();
    risk.setBudgets({ s: 30, t: 10 });
    state.strategy.set('s', 25);
    expect(risk.approve(buy({ size: 10, price: 0.5 }))).toEqual({ ok: true }); // 30 exactly
    expect(risk.approve(buy({ size: 10.02, price: 0.5 }))).toMatchObject({ ok: false, rule: 'strategy_budget', reason: expect.stringMatching(/budget 30 USD/) });
    expect(risk.approve(buy({ strategyId: 't', clientTag: 't|w|e|0', size: 20, price: 0.5 }))).toEqual({ ok: true }); // 10 exactly
    expect(risk.approve(buy({ strategyId: 't', clientTag: 't|w|e|1', size: 21, price: 0.5 }))).toMatchObject({ ok: false, rule: 'strategy_budget' });
    expect(risk.budgetOf('s')).toBe(30);
    expect(risk.budgetsSnapshot()).toEqual({ s: 30, t: 10 });
  });

  it('replaces budgets as a whole (a Map or a record); an instance without one has no budget rule', () => {
    const { risk, state } = setup();
    state.strategy.set('s', 25);
    expect(risk.approve(buy({ size: 100, price: 0.5 }))).toEqual({ ok: true }); // no budget yet
    risk.setBudgets(new Map([['s', 40]]));
    expect(risk.approve(buy({ size: 30, price: 0.5 }))).toEqual({ ok: true }); // 25 + 15 = 40: at the budget
    expect(risk.approve(buy({ size: 31, price: 0.5 }))).toMatchObject({ ok: false, rule: 'strategy_budget' }); // 40.5 > 40
    risk.setBudgets({});
    expect(risk.approve(buy({ size: 100, price: 0.5 }))).toEqual({ ok: true }); // removed: no budget
    expect(() => risk.setBudgets({ s: Number.NaN })).toThrow(/non-negative/);
    expect(risk.budgetsSnapshot()).toEqual({}); // a refused replacement changes nothing
  });

  it('a budget update replaces the whole map and refuses nonsense', () => {
    const { risk } = setup();
    risk.setBudgets({ s: 5 });
    expect(risk.approve(buy({ size: 12, price: 0.5 }))).toMatchObject({ ok: false, rule: 'strategy_budget' });
    risk.setBudgets({ other: 5 });
    expect(risk.budgetOf('s')).toBeUndefined();
    expect(() => risk.setBudgets({ s: Number.NaN })).toThrow(/non-negative/);
    expect(() => risk.setBudgets({ s: -1 })).toThrow(/non-negative/);
    expect(risk.budgetOf('other')).toBe(5); // a refused update changes nothing
    risk.setBudgets({ s: 0 });
    expect(risk.approve(buy({ size: 1, price: 0.5 }))).toMatchObject({ ok: false, rule: 'strategy_budget' });
  });
});
