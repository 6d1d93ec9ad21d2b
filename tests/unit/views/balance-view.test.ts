/**
 * The dashboard's Balance figure: the trading snapshot (bot/views/trading-snapshot.ts) over a hand-built source on a
 * SimClock carries the latest `risk.balance` (null before any; seeded from the bus history; the latest wins; never-read
 * fields null with the error kept) with the drawdown trigger's threshold from the risk config, and the card's drawdown
 * tone (components/dashboard/balance-format.ts) below, at and above half the threshold and the threshold itself.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { TradingView } from '../../../bot/views/trading-snapshot';
import { defaultRuntimeConfig } from '../../../lib/schemas/config';
import type { EventInput } from '../../../lib/schemas/events';
import { tradingSnapshotSchema } from '../../../lib/schemas/trading';
import { drawdownTone, formatDrawdown } from '../../../components/dashboard/balance-format';

const T0 = 1_795_242_123_456;
const views: TradingView[] = [];
afterEach(() => {
  for (const v of views.splice(0)) v.dispose();
});

function setup(dropAlertPct = 0.2) {
  const clock = new SimClock(T0);
  const bus = new EventBus({ clock, historySize: 100 });
  const base = defaultRuntimeConfig();
  const config = { ...base, risk: { ...base.risk, balanceDropAlertPct: dropAlertPct } };
  const open = () => {
    const v = new TradingView({ instanceId: 'bal', bus, clock, config, status: () => ({ state: 'stopped', mode: 'paper', venue: 'sim' }), session: undefined });
    views.push(v);
    return v;
  };
  return { clock, bus, open };
}

const read = (o: Partial<Extract<EventInput, { type: 'risk.balance' }>> = {}): EventInput => ({
  type: 'risk.balance', source: 'paper', balanceUsd: 300, workingBuyUsd: 20, availableUsd: 280, positionValueUsd: 15, equityUsd: 315, highUsd: 330, drawdown: 15 / 330, readAtMs: T0, ...o,
});
const snap = (v: TradingView) => tradingSnapshotSchema.parse(JSON.parse(JSON.stringify(v.snapshot())));

describe('trading snapshot balance', () => {
  it('is null until a balance is published, then the latest one with the configured threshold', () => {
    const { bus, clock, open } = setup(0.3);
    const v = open();
    expect(snap(v).balance).toBeNull();
    bus.publish(read({ availableUsd: 250 }));
    clock.advanceTo(T0 + 5_000);
    bus.publish(read({ availableUsd: 240, equityUsd: 300, drawdown: 30 / 330, readAtMs: T0 + 5_000 }));
    expect(snap(v).balance).toEqual({
      source: 'paper', balanceUsd: 300, availableUsd: 240, workingBuyUsd: 20, positionValueUsd: 15, equityUsd: 300, highUsd: 330, drawdown: 30 / 330,
      readAtMs: T0 + 5_000, error: null, reportedMs: T0 + 5_000, dropAlertPct: 0.3,
    });
  });

  it('is seeded from the bus history and keeps the error of a balance never read', () => {
    const { bus, open } = setup();
    bus.publish({ type: 'risk.balance', source: 'venue', workingBuyUsd: 0, positionValueUsd: 0, error: 'GET /balance-allowance: 401' });
    const b = snap(open()).balance!;
    expect(b).toMatchObject({ source: 'venue', balanceUsd: null, availableUsd: null, equityUsd: null, drawdown: null, readAtMs: null, error: 'GET /balance-allowance: 401' });
  });

  it('dates a paper balance without a read time at its event (the ledger is read when published), never an unread one', () => {
    const { bus, clock, open } = setup();
    const v = open();
    clock.advanceTo(T0 + 7_000);
    bus.publish({ type: 'risk.balance', source: 'paper', balanceUsd: 300, workingBuyUsd: 0, availableUsd: 300, positionValueUsd: 0, equityUsd: 300 });
    expect(snap(v).balance!.readAtMs).toBe(T0 + 7_000);
    bus.publish({ type: 'risk.balance', source: 'paper', workingBuyUsd: 0, positionValueUsd: 0, error: 'ledger not ready' });
    expect(snap(v).balance!.readAtMs).toBeNull();
  });

  it('parses an old snapshot without the field', () => {
    const { open } = setup();
    const { balance: _dropped, ...old } = open().snapshot();
    expect(tradingSnapshotSchema.parse(old).balance).toBeUndefined();
  });
});

describe('drawdown tone', () => {
  it.each([
    [0.0999, 'ok'],
    [0.1, 'warn'],
    [0.1001, 'warn'],
    [0.1999, 'warn'],
    [0.2, 'alert'],
    [0.2001, 'alert'],
  ] as const)('drawdown %s against a 0.2 trigger is %s', (dd, tone) => {
    expect(drawdownTone(dd, 0.2)).toBe(tone);
  });

  it('is ok when the drawdown is unknown, and formats as a percentage', () => {
    expect(drawdownTone(null, 0.2)).toBe('ok');
    expect(formatDrawdown(0.125)).toBe('12.5 %');
    expect(formatDrawdown(null)).toBe('—');
  });
});
