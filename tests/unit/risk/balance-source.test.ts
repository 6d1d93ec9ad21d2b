/**
 * The collateral balance source: live = the venue's balance (+ our working BUYs) cached between reads, moved by our own
 * fills, re-read on the refresh schedule and shortly after a fill; unknown until the first read, a failed read keeps
 * the last figure; paper = bankroll + realised − open cost; `risk.balance` carries the figures and the drawdown.
 */
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { AFTER_FILL_REFRESH_MS, CollateralBalance, type CollateralPort } from '../../../bot/risk';
import type { BotEvent, EventOf } from '../../../lib/schemas/events';

function setup(mode: 'paper' | 'live', refreshSec = 30) {
  const clock = new SimClock(1_800_000_000_000);
  const bus = new EventBus({ clock });
  const events: EventOf<'risk.balance'>[] = [];
  bus.onAny((e: BotEvent) => {
    if (e.type === 'risk.balance') events.push(e);
  });
  const s = { venue: 100 as number | undefined | Error, reads: 0, working: 0, realized: 0, openCost: 0, positions: 0, ready: true };
  const port: CollateralPort = {
    mode,
    ready: () => s.ready,
    venueBalanceUsd: async () => {
      s.reads++;
      if (s.venue instanceof Error) throw s.venue;
      return s.venue;
    },
    paperBankrollUsd: () => 300,
    realizedUsd: () => s.realized,
    openCostUsd: () => s.openCost,
    workingBuyUsd: () => s.working,
    positionValueUsd: () => s.positions,
  };
  const balance = new CollateralBalance({ clock, bus, port, refreshSec: () => refreshSec });
  const step = async (ms: number) => {
    for (let t = 0; t < ms; t += 1_000) {
      clock.advanceBy(1_000);
      await new Promise((r) => setImmediate(r));
    }
  };
  const fill = (side: 'BUY' | 'SELL', price: number, size: number, feeUsd: number) =>
    bus.publish({ type: 'order.filled', clientId: 'c', clientTag: 't', orderId: 'o', tradeId: `x${clock.nowMs()}`, tokenId: 'tok', windowSlug: 'w', side, price, size, feeUsd, liquidity: 'taker', provisional: false, remaining: 0 });
  return { clock, bus, balance, s, events, step, fill };
}

describe('CollateralBalance (live)', () => {
  it('is unknown until the first read, then venue balance + working BUYs; re-read only on the schedule', async () => {
    const { balance, s, step, events } = setup('live', 30);
    s.working = 20;
    expect(balance.snapshot()).toMatchObject({ source: 'venue', balanceUsd: undefined, workingBuyUsd: 20 });
    balance.start();
    await step(1_000);
    expect(s.reads).toBe(1);
    expect(balance.snapshot()).toMatchObject({ balanceUsd: 120, workingBuyUsd: 20 });
    expect(events.at(-1)).toMatchObject({ source: 'venue', balanceUsd: 120, availableUsd: 100, workingBuyUsd: 20, equityUsd: 120 });
    await step(28_000);
    expect(s.reads).toBe(1); // cached
    await step(2_000);
    expect(s.reads).toBe(2); // 30 s later
    balance.stop();
  });

  it('moves the cached cash by our own fills and re-reads shortly after a fill', async () => {
    const { balance, s, step, fill } = setup('live', 300);
    balance.start();
    await step(1_000);
    expect(balance.snapshot().balanceUsd).toBe(100);
    fill('BUY', 0.5, 10, 0.1);
    expect(balance.snapshot().balanceUsd).toBeCloseTo(94.9, 9);
    fill('SELL', 0.6, 5, 0.05);
    expect(balance.snapshot().balanceUsd).toBeCloseTo(97.85, 9);
    s.venue = 97;
    await step(AFTER_FILL_REFRESH_MS - 1_000);
    expect(s.reads).toBe(1);
    await step(1_000);
    expect(s.reads).toBe(2);
    expect(balance.snapshot().balanceUsd).toBe(97);
    balance.stop();
  });

  it('a failed read keeps the last figure and says why; never read + failure stays unknown', async () => {
    const { balance, s, step, events } = setup('live', 5);
    s.venue = new Error('HTTP 503');
    balance.start();
    await step(1_000);
    expect(balance.snapshot()).toMatchObject({ balanceUsd: undefined, error: 'balance read failed: HTTP 503' });
    expect(events.at(-1)).toMatchObject({ error: 'balance read failed: HTTP 503' });
    expect(events.at(-1)!.balanceUsd).toBeUndefined();
    s.venue = 50;
    await step(5_000);
    expect(balance.snapshot()).toEqual({ source: 'venue', balanceUsd: 50, workingBuyUsd: 0, readAtMs: expect.any(Number) });
    s.venue = undefined;
    await step(5_000);
    expect(balance.snapshot()).toMatchObject({ balanceUsd: 50, error: 'the venue did not answer with a balance' });
    balance.stop();
  });

  it('does not read before the session is ready; a restart forgets the cached balance', async () => {
    const { balance, s, step } = setup('live', 5);
    s.ready = false;
    balance.start();
    await step(3_000);
    expect(s.reads).toBe(0);
    s.ready = true;
    await step(1_000);
    expect(balance.snapshot().balanceUsd).toBe(100);
    balance.stop();
    balance.start();
    expect(balance.snapshot().balanceUsd).toBeUndefined();
    balance.stop();
  });

  it('re-reads at the tick after a reconciliation (a reconnect), not only on the schedule', async () => {
    const { balance, s, step, bus } = setup('live', 300);
    balance.start();
    await step(1_000);
    expect(s.reads).toBe(1);
    bus.publish({ type: 'reconcile.completed', ok: true, openOrders: 0, adopted: 0, canceledOrphans: 0, trades: 0 });
    await step(1_000);
    expect(s.reads).toBe(2);
    balance.stop();
  });

  it('hands each reading to its listener and publishes the high and drawdown it returns', async () => {
    const { balance, s, step, events } = setup('live', 5);
    s.positions = 30;
    balance.onReading((r) => ({ highUsd: 200, drawdown: (200 - r.equityUsd!) / 200 }));
    balance.start();
    await step(1_000);
    expect(events.at(-1)).toMatchObject({ balanceUsd: 100, positionValueUsd: 30, equityUsd: 130, highUsd: 200, drawdown: 0.35 });
    balance.stop();
  });
});

describe('CollateralBalance (paper)', () => {
  it('cash = bankroll + realised − open cost, always known and current without a read', () => {
    const { balance, s } = setup('paper');
    s.realized = -12.5;
    s.openCost = 40;
    s.working = 10;
    expect(balance.snapshot()).toEqual({ source: 'paper', balanceUsd: 247.5, workingBuyUsd: 10 });
    s.realized = 0;
    expect(balance.snapshot().balanceUsd).toBe(260);
    expect(s.reads).toBe(0);
  });
});
