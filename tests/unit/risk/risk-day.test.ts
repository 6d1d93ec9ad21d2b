/**
 * The persisted UTC risk day: the daily-loss figure survives a restart (a new RiskDay over the same store, with the
 * journal restored to a different total), starts again at 0 after a UTC midnight, and is the figure the daily-loss
 * rule halts on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { KillSwitch, RiskDay, RiskEngine, utcDay, type RiskView } from '../../../bot/risk';
import { openStore, type Store } from '../../../bot/store';
import { riskConfigSchema } from '../../../lib/schemas/config';

const DAY_MS = 86_400_000;
const DAY0 = 1791158400_000; // 2026-10-05T00:00:00Z

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempStore(): { file: string; open: () => Store } {
  const dir = mkdtempSync(join(tmpdir(), 'risk-day-'));
  dirs.push(dir);
  const file = join(dir, 'updown.sqlite');
  return { file, open: () => openStore(file) };
}

describe('RiskDay', () => {
  it('names the UTC day', () => {
    expect(utcDay(DAY0)).toBe('2026-10-05');
    expect(utcDay(DAY0 + DAY_MS - 1)).toBe('2026-10-05');
    expect(utcDay(DAY0 + DAY_MS)).toBe('2026-10-06');
  });

  it('counts changes of the ledger total, not the total itself; survives a restart with a different restored total', () => {
    const { open } = tempStore();
    const clock = new SimClock(DAY0 + 3_600_000);
    let store = open();
    let total: number | undefined = undefined;
    let day = new RiskDay({ clock, store: store.riskDays, realizedTotalUsd: () => total });
    expect(day.realizedTodayUsd()).toBe(0); // no session yet
    total = 500; // a restored journal: a baseline, not today's PnL
    expect(day.realizedTodayUsd()).toBe(0);
    total = 480;
    expect(day.realizedTodayUsd()).toBe(-20);
    clock.advanceBy(60_000);
    total = 470.5;
    expect(day.realizedTodayUsd()).toBe(-29.5);
    store.close();

    // Restart: a new process, the journal restores a different (bounded) total; today's figure continues.
    clock.advanceBy(600_000);
    store = open();
    total = undefined;
    day = new RiskDay({ clock, store: store.riskDays, realizedTotalUsd: () => total });
    expect(day.realizedTodayUsd()).toBe(-29.5);
    total = 90; // restored
    expect(day.realizedTodayUsd()).toBe(-29.5);
    total = 80;
    expect(day.realizedTodayUsd()).toBe(-39.5);
    expect(store.riskDays.get('2026-10-05')).toMatchObject({ realizedUsd: -39.5, startedMs: DAY0 });

    // The session stops and a new one starts (source undefined in between): its first reading is a new baseline.
    total = undefined;
    day.realizedTodayUsd();
    total = 0;
    expect(day.realizedTodayUsd()).toBe(-39.5);
    total = 80;
    expect(day.realizedTodayUsd()).toBe(-39.5 + 80);
    store.close();
  });

  it('starts a new day at 0 after UTC midnight, keeps the old day, and a restart on the new day reads the new day', () => {
    const { open } = tempStore();
    const clock = new SimClock(DAY0 + DAY_MS - 5_000); // 23:59:55
    const store = open();
    let total = 0;
    const day = new RiskDay({ clock, store: store.riskDays, realizedTotalUsd: () => total });
    day.realizedTodayUsd();
    total = -40;
    expect(day.realizedTodayUsd()).toBe(-40);
    clock.advanceBy(4_000); // 23:59:59
    total = -45;
    expect(day.realizedTodayUsd()).toBe(-45);
    clock.advanceBy(1_000); // 00:00:00 next day
    expect(day.realizedTodayUsd()).toBe(0);
    expect(day.snapshot()).toMatchObject({ day: '2026-10-06', startedMs: DAY0 + DAY_MS, realizedUsd: 0 });
    total = -50;
    expect(day.realizedTodayUsd()).toBe(-5);
    expect(store.riskDays.get('2026-10-05')?.realizedUsd).toBe(-45);
    expect(store.riskDays.recent(5).map((r) => r.day)).toEqual(['2026-10-06', '2026-10-05']);
    store.close();

    const again = open();
    const restarted = new RiskDay({ clock, store: again.riskDays, realizedTotalUsd: () => 123 });
    expect(restarted.realizedTodayUsd()).toBe(-5);
    again.close();
  });

  it('is what the daily-loss rule reads: a loss carried over a restart still halts', () => {
    const { open } = tempStore();
    const clock = new SimClock(DAY0 + 7_200_000);
    const s1 = open();
    let total = 0;
    const d1 = new RiskDay({ clock, store: s1.riskDays, realizedTotalUsd: () => total });
    d1.realizedTodayUsd();
    total = -60;
    d1.realizedTodayUsd();
    s1.close();

    const s2 = open();
    total = 1_000; // restored ledger: unrelated total
    const d2 = new RiskDay({ clock, store: s2.riskDays, realizedTotalUsd: () => total });
    const bus = new EventBus({ clock });
    const killSwitch = new KillSwitch({ clock, bus, store: s2.killSwitch, audit: s2.audit });
    const view: RiskView = {
      windowExposureUsd: () => 0, strategyExposureUsd: () => 0, totalExposureUsd: () => 0, realizedTodayUsd: () => d2.realizedTodayUsd(),
      windowBlockReason: () => undefined, feedBlockReason: () => undefined, venueBlockReason: () => undefined,
    };
    const risk = new RiskEngine({ clock, bus, killSwitch, view, config: riskConfigSchema.parse({ maxDailyLossUsd: 100 }) });
    risk.checkDailyLoss();
    expect(killSwitch.state).toBe('active'); // -60 of 100
    total = 959; // another 41 lost after the restart: -101 today
    risk.checkDailyLoss();
    expect(killSwitch.snapshot()).toMatchObject({ state: 'halted', automatic: true, reason: expect.stringMatching(/^daily_loss: daily loss -101\.00 USD/) });
    expect(s2.audit.recent(1)[0]).toMatchObject({ action: 'killswitch.set', detail: { to: 'halted', reason: expect.stringMatching(/^daily_loss/) } });
    s2.close();
  });
});
