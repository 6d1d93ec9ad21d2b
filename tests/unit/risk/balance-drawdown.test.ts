/**
 * The balance drawdown trigger: equity against its session high at and around risk.balanceDropAlertPct (just under,
 * exactly, just over), once per crossing and re-armed on recovery above the threshold, the action per
 * risk.balanceDropAction (halt / reduce / alert only), the danger notice, and reset() on a new session.
 */
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { BalanceDrawdownTrigger, DrawdownWatch, KillSwitch, type CollateralReading } from '../../../bot/risk';
import { openStore } from '../../../bot/store';
import { riskConfigSchema, type RiskConfig } from '../../../lib/schemas/config';
import type { BotEvent } from '../../../lib/schemas/events';

function setup(over: Partial<RiskConfig> = {}) {
  const clock = new SimClock(1_800_000_000_000);
  const bus = new EventBus({ clock });
  const events: BotEvent[] = [];
  bus.onAny((e) => events.push(e));
  const store = openStore(':memory:');
  const killSwitch = new KillSwitch({ clock, bus, store: store.killSwitch, audit: store.audit });
  const cfg = { current: riskConfigSchema.parse(over) };
  const trigger = new BalanceDrawdownTrigger({ bus, killSwitch, config: () => cfg.current });
  const read = (cash: number, positions = 0): CollateralReading => ({ source: 'venue', balanceUsd: cash, workingBuyUsd: 0, positionValueUsd: positions, equityUsd: cash + positions });
  const notices = () => events.filter((e) => e.type === 'runtime.notice' && e.source === 'risk.balance');
  return { trigger, killSwitch, cfg, read, events, notices, store };
}

describe('DrawdownWatch', () => {
  it('fires at exactly the threshold and beyond, not just under; only once per crossing; re-arms above the threshold', () => {
    const w = new DrawdownWatch();
    expect(w.observe(1000, 0.2)).toEqual({ fired: false, drawdown: 0, high: 1000 });
    expect(w.observe(800.01, 0.2).fired).toBe(false); // 19.999 %
    expect(w.observe(800, 0.2)).toMatchObject({ fired: true, high: 1000 }); // exactly 20 %
    expect(w.observe(700, 0.2).fired).toBe(false); // still below: the same crossing
    expect(w.observe(800, 0.2).fired).toBe(false); // at the threshold: not recovered
    expect(w.observe(800.02, 0.2).fired).toBe(false); // recovered above the threshold: re-armed
    expect(w.observe(799.99, 0.2).fired).toBe(true); // just over 20 %: a new crossing
  });

  it('the high only rises; a new high moves the threshold; reset forgets it; a zero high never fires', () => {
    const w = new DrawdownWatch();
    w.observe(100, 0.2);
    w.observe(150, 0.2);
    expect(w.high).toBe(150);
    expect(w.observe(121, 0.2).fired).toBe(false); // 19.3 % of 150
    expect(w.observe(120, 0.2).fired).toBe(true); // 20 % of the new high 150
    w.reset();
    expect(w.high).toBeUndefined();
    expect(w.observe(120, 0.2).fired).toBe(false);
    const z = new DrawdownWatch();
    expect(z.observe(0, 0.2).fired).toBe(false);
    expect(z.observe(-5, 0.2).fired).toBe(false);
  });
});

describe('BalanceDrawdownTrigger', () => {
  it('action halt: halts with a reason naming the figures, publishes a danger notice and risk.triggered', () => {
    const { trigger, killSwitch, read, events, notices, store } = setup({ balanceDropAction: 'halt' });
    trigger.onReading(read(1000));
    expect(trigger.onReading(read(700, 100.01))).toMatchObject({ highUsd: 1000 }); // 800.01: just under 20 %
    expect(killSwitch.state).toBe('active');
    expect(notices()).toEqual([]);
    const figures = trigger.onReading(read(700, 100)); // 800: exactly 20 %
    expect(figures.drawdown).toBeCloseTo(0.2, 12);
    const reason = 'balance_drawdown: equity 800.00 USD (venue balance 700.00 + open positions at mid 100.00) is 20.0 % below the session high 1000.00 USD (limit 20.0 %)';
    expect(killSwitch.snapshot()).toMatchObject({ state: 'halted', actor: 'risk', automatic: true, reason });
    expect(store.audit.recent(5).find((a) => a.action === 'killswitch.set')).toMatchObject({ actor: 'risk', detail: { to: 'halted', reason } });
    expect(events.filter((e) => e.type === 'risk.triggered')).toMatchObject([{ trigger: 'balance_drawdown', state: 'halted', reason }]);
    expect(notices()).toMatchObject([{ severity: 'danger', title: 'Balance 20 % below its session high', detail: expect.stringMatching(/Trading halted\.$/) }]);
  });

  it('reduce: reduce-only; alert: the notice only, the kill switch untouched', () => {
    const r = setup({ balanceDropAction: 'reduce' });
    r.trigger.onReading(r.read(100));
    r.trigger.onReading(r.read(79.99)); // just over 20 %
    expect(r.killSwitch.state).toBe('reducing');
    const a = setup({ balanceDropAction: 'alert' });
    a.trigger.onReading(a.read(100));
    a.trigger.onReading(a.read(75));
    expect(a.killSwitch.state).toBe('active');
    expect(a.notices()).toMatchObject([{ severity: 'danger', detail: expect.stringMatching(/Alert only/) }]);
    expect(a.events.some((e) => e.type === 'risk.triggered')).toBe(false);
  });

  it('alerts once per crossing, again after a recovery above the threshold; reads the limits hot', () => {
    const { trigger, read, notices, cfg } = setup({ balanceDropAction: 'alert' });
    trigger.onReading(read(100));
    trigger.onReading(read(80));
    trigger.onReading(read(70));
    expect(notices()).toHaveLength(1);
    trigger.onReading(read(81)); // recovered above 80
    trigger.onReading(read(79));
    expect(notices()).toHaveLength(2);
    trigger.onReading(read(95)); // re-armed
    cfg.current = riskConfigSchema.parse({ balanceDropAction: 'alert', balanceDropAlertPct: 0.05 });
    trigger.onReading(read(95)); // 5 % of the 100 high under the new limit
    expect(notices()).toHaveLength(3);
  });

  it('ignores readings with an unknown balance; reset starts a new session high', () => {
    const { trigger, read, killSwitch } = setup();
    expect(trigger.onReading({ source: 'venue', balanceUsd: undefined, workingBuyUsd: 0, positionValueUsd: 0, equityUsd: undefined })).toEqual({});
    trigger.onReading(read(1000));
    trigger.reset();
    trigger.onReading(read(500)); // the new session's high
    expect(killSwitch.state).toBe('active');
  });
});
