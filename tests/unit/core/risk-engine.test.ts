import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { KillSwitch } from '../../../bot/risk/kill-switch';
import { type OrderProposal, RiskEngine, type RiskView } from '../../../bot/risk/risk-engine';
import { openStore } from '../../../bot/store';
import { riskConfigSchema } from '../../../lib/schemas/config';

function setup(over: Partial<RiskView> = {}, cfg: Record<string, unknown> = {}) {
  const clock = new SimClock(1_800_000_000_000);
  const bus = new EventBus({ clock });
  const store = openStore(':memory:');
  const killSwitch = new KillSwitch({ clock, bus, store: store.killSwitch, audit: store.audit });
  const state = { window: 0, total: 0, realized: 0, strategy: 0 };
  const view: RiskView = {
    windowExposureUsd: () => state.window,
    strategyExposureUsd: () => state.strategy,
    totalExposureUsd: () => state.total,
    realizedTodayUsd: () => state.realized,
    windowBlockReason: () => undefined,
    feedBlockReason: () => undefined,
    venueBlockReason: () => undefined,
    ...over,
  };
  const risk = new RiskEngine({ clock, bus, killSwitch, view, config: riskConfigSchema.parse(cfg) });
  const denied: string[] = [];
  bus.on('risk.denied', (e) => denied.push(e.rule));
  return { clock, bus, killSwitch, risk, state, denied };
}

const buy = (over: Partial<OrderProposal> = {}): OrderProposal => ({
  strategyId: 's',
  clientTag: 's|w|entry|0',
  windowSlug: 'w',
  tokenId: 't',
  side: 'BUY',
  price: 0.6,
  size: 10,
  orderType: 'GTC',
  postOnly: true,
  reducesExposure: false,
  ...over,
});

describe('RiskEngine', () => {
  it('approves a normal order and denies per kill-switch state', () => {
    const { risk, killSwitch, denied } = setup();
    expect(risk.approve(buy())).toEqual({ ok: true });
    killSwitch.set({ state: 'reducing', reason: 'wind down', actor: 'op' });
    expect(risk.approve(buy())).toMatchObject({ ok: false, rule: 'reducing_only' });
    expect(risk.approve(buy({ side: 'SELL', reducesExposure: true }))).toEqual({ ok: true });
    killSwitch.set({ state: 'halted', reason: 'stop', actor: 'op' });
    expect(risk.approve(buy({ side: 'SELL', reducesExposure: true }))).toMatchObject({ ok: false, rule: 'kill_switch' });
    expect(denied).toEqual(['reducing_only', 'kill_switch']);
  });

  it('counts every denial but publishes a repeated one at most every 5 s per strategy and rule', () => {
    const { risk, killSwitch, denied, clock } = setup();
    killSwitch.set({ state: 'halted', reason: 'stop', actor: 'op' });
    for (let i = 0; i < 10; i++) risk.approve(buy({ clientTag: `s|w|entry|${i}` }));
    expect(risk.stats.denied).toBe(10);
    expect(denied).toEqual(['kill_switch']);
    clock.advanceBy(5_000);
    risk.approve(buy({ clientTag: 's|w|entry|11' }));
    risk.approve(buy({ strategyId: 'other', clientTag: 'other|w|entry|0' }));
    expect(denied).toEqual(['kill_switch', 'kill_switch', 'kill_switch']);
  });

  it('enforces max USD per trade on shares x price and on FOK usd', () => {
    const { risk } = setup({}, { maxUsdPerTrade: 50 });
    expect(risk.approve(buy({ size: 83, price: 0.6 }))).toEqual({ ok: true }); // 49.8
    expect(risk.approve(buy({ size: 84, price: 0.6 }))).toMatchObject({ ok: false, rule: 'max_usd_per_trade' }); // 50.4
    expect(risk.approve(buy({ size: undefined, usd: 50.01, orderType: 'FOK' }))).toMatchObject({ ok: false, rule: 'max_usd_per_trade' });
  });

  it('blocks new exposure on stale feeds but lets reducing orders out', () => {
    const { risk } = setup({ feedBlockReason: () => 'market feed stale' });
    expect(risk.approve(buy())).toMatchObject({ ok: false, rule: 'feed', reason: 'market feed stale' });
    expect(risk.approve(buy({ side: 'SELL', reducesExposure: true }))).toEqual({ ok: true });
  });

  it('never sends into a closed window', () => {
    const { risk } = setup({ windowBlockReason: () => 'window closed' });
    expect(risk.approve(buy({ side: 'SELL', reducesExposure: true }))).toMatchObject({ ok: false, rule: 'window_closed' });
  });

  it('counts trades per rolling hour', () => {
    const { risk, clock } = setup({}, { maxTradesPerHour: 3 });
    for (let i = 0; i < 3; i++) expect(risk.approve(buy()).ok).toBe(true);
    expect(risk.approve(buy())).toMatchObject({ ok: false, rule: 'max_trades_per_hour' });
    clock.advanceBy(3_600_001);
    expect(risk.approve(buy()).ok).toBe(true);
  });

  it('caps per-window and total exposure', () => {
    const { risk, state } = setup({}, { maxExposurePerWindowUsd: 20, maxTotalExposureUsd: 30 });
    state.window = 15;
    expect(risk.approve(buy({ size: 10, price: 0.6 }))).toMatchObject({ ok: false, rule: 'window_exposure' });
    state.window = 0;
    state.total = 25;
    expect(risk.approve(buy({ size: 10, price: 0.6 }))).toMatchObject({ ok: false, rule: 'total_exposure' });
  });

  it('keeps each strategy inside its budget', () => {
    const { risk, state } = setup();
    state.strategy = 25;
    expect(risk.approve(buy({ size: 12, price: 0.5 })).ok).toBe(true); // no budget set
    risk.setBudgets({ s: 30 });
    expect(risk.approve(buy({ size: 12, price: 0.5 }))).toMatchObject({ ok: false, rule: 'strategy_budget' });
    expect(risk.approve(buy({ size: 10, price: 0.5 })).ok).toBe(true); // exactly at the budget
  });

  it('halts automatically at the daily loss limit', () => {
    const { risk, state, killSwitch } = setup({}, { maxDailyLossUsd: 10 });
    state.realized = -10;
    expect(risk.approve(buy())).toMatchObject({ ok: false, rule: 'daily_loss' });
    expect(killSwitch.snapshot()).toMatchObject({ state: 'halted', actor: 'risk', automatic: true });
  });

  it('starts an error cooldown after a burst and a loss cooldown after consecutive losses', () => {
    const { risk, clock } = setup({}, { errorBurstCount: 3, errorCooldownSec: 30, maxConsecutiveLosses: 2, consecutiveLossCooldownSec: 60 });
    risk.recordError('a');
    risk.recordError('b');
    expect(risk.approve(buy()).ok).toBe(true);
    risk.recordError('c');
    expect(risk.approve(buy())).toMatchObject({ ok: false, rule: 'error_cooldown' });
    clock.advanceBy(30_001);
    expect(risk.approve(buy()).ok).toBe(true);
    risk.recordWindowResult(-1);
    risk.recordWindowResult(-2);
    expect(risk.approve(buy())).toMatchObject({ ok: false, rule: 'loss_cooldown' });
    clock.advanceBy(60_001);
    expect(risk.approve(buy()).ok).toBe(true);
  });
});
