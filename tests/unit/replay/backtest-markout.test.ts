/**
 * Markout of backtest fills (bot/replay/backtest-markout.ts): hand-built sequences of book tops and fills give exact
 * signed mid moves at 5 s / 30 s / 60 s; horizons resolve at and around their instant; a fill with no top of its
 * token after a horizon is not counted there; sums are size-weighted and bounded; the report and its terminal table
 * carry the means.
 */
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { MarkoutTracker, markoutMeans, mergeMarkouts } from '../../../bot/replay/backtest-markout';
import { buildBacktestReport } from '../../../bot/replay/backtest-report';
import type { LedgerEntry } from '../../../bot/replay/ledger-types';
import { reportToJson, reportToTerminal } from '../../../bot/replay/report-format';
import { makeClientTag } from '../../../bot/strategies/intents';

const T0 = 1_767_225_600_000;
const UP = 'tok-up';
const DOWN = 'tok-down';

/** A top whose mid is `mid` (spread 0.02). */
const top = (m: MarkoutTracker, tokenId: string, tsMs: number, mid: number) => m.top(tokenId, tsMs, mid - 0.01, mid + 0.01);

describe('MarkoutTracker', () => {
  it('a BUY then mids at known times: exact signed moves at 5, 30 and 60 s (prevailing mid at each instant)', () => {
    const m = new MarkoutTracker();
    top(m, UP, T0 - 1_000, 0.5);
    m.fill({ strategyId: 'mk', tokenId: UP, side: 'BUY', size: 10, tsMs: T0 });
    top(m, UP, T0 + 5_000, 0.52); // exactly at +5 s: this top is the mid at 5 s
    top(m, UP, T0 + 20_000, 0.55);
    top(m, UP, T0 + 30_000, 0.53); // exactly at +30 s
    top(m, UP, T0 + 61_000, 0.4); // after +60 s: the mid at 60 s is still 0.53
    const s = m.result().mk!;
    expect(s.fills).toEqual([1, 1, 1]);
    expect(s.shares).toEqual([10, 10, 10]);
    const means = markoutMeans(m.result(), ['mk']);
    expect(means.markout5s).toBeCloseTo(0.02, 12);
    expect(means.markout30s).toBeCloseTo(0.03, 12);
    expect(means.markout60s).toBeCloseTo(0.03, 12);
    expect(m.waiting).toBe(0);
  });

  it('a SELL followed by a falling mid is positive, by a rising mid negative', () => {
    const m = new MarkoutTracker();
    top(m, UP, T0, 0.6);
    m.fill({ strategyId: 'a', tokenId: UP, side: 'SELL', size: 5, tsMs: T0 });
    top(m, UP, T0 + 5_000, 0.57);
    top(m, UP, T0 + 30_000, 0.64);
    top(m, UP, T0 + 60_000, 0.6);
    const r = markoutMeans(m.result(), ['a']);
    expect(r.markout5s).toBeCloseTo(0.03, 12);
    expect(r.markout30s).toBeCloseTo(-0.04, 12);
    expect(r.markout60s).toBeCloseTo(0, 12);
  });

  it('the 5 s horizon resolves at 5,000 ms with that top, not at 4,999 ms, and after it with the mid before the late top', () => {
    const at = (delayMs: number) => {
      const m = new MarkoutTracker();
      top(m, UP, T0, 0.5);
      m.fill({ strategyId: 'a', tokenId: UP, side: 'BUY', size: 1, tsMs: T0 });
      top(m, UP, T0 + 1_000, 0.51);
      top(m, UP, T0 + delayMs, 0.58);
      return { fills: m.result().a?.fills[0] ?? 0, mean: markoutMeans(m.result(), ['a']).markout5s };
    };
    expect(at(4_999)).toEqual({ fills: 0, mean: null });
    const exact = at(5_000);
    expect(exact.fills).toBe(1);
    expect(exact.mean).toBeCloseTo(0.08, 12);
    const late = at(5_001);
    expect(late.fills).toBe(1);
    expect(late.mean).toBeCloseTo(0.01, 12);
  });

  it('a fill near the end of the data with no top after 60 s is counted at 5 and 30 s only', () => {
    const m = new MarkoutTracker();
    top(m, UP, T0, 0.5);
    m.fill({ strategyId: 'a', tokenId: UP, side: 'BUY', size: 2, tsMs: T0 });
    top(m, UP, T0 + 40_000, 0.45);
    top(m, UP, T0 + 59_999, 0.3);
    expect(m.result().a!.fills).toEqual([1, 1, 0]);
    const r = markoutMeans(m.result(), ['a']);
    expect(r.markout5s).toBeCloseTo(0, 12); // the mid at 5 s and 30 s was still the fill's 0.50
    expect(r.markout30s).toBeCloseTo(0, 12);
    expect(r.markout60s).toBeNull();
    expect(m.waiting).toBe(1);
  });

  it('only tops of the fill\'s own token resolve it; one-sided tops leave the mid unchanged', () => {
    const m = new MarkoutTracker();
    top(m, UP, T0, 0.5);
    top(m, DOWN, T0, 0.5);
    m.fill({ strategyId: 'a', tokenId: UP, side: 'BUY', size: 1, tsMs: T0 });
    top(m, DOWN, T0 + 70_000, 0.9);
    expect(m.result().a).toBeUndefined();
    m.top(UP, T0 + 1_000, 0.7, undefined);
    top(m, UP, T0 + 70_000, 0.2);
    expect(markoutMeans(m.result(), ['a'])).toEqual({ markout5s: 0, markout30s: 0, markout60s: 0 });
  });

  it('means are size-weighted per share; sessions merge additively', () => {
    const one = () => {
      const m = new MarkoutTracker();
      top(m, UP, T0, 0.5);
      m.fill({ strategyId: 'a', tokenId: UP, side: 'BUY', size: 30, tsMs: T0 });
      top(m, UP, T0 + 2_000, 0.6);
      m.fill({ strategyId: 'a', tokenId: UP, side: 'BUY', size: 10, tsMs: T0 + 2_000 });
      top(m, UP, T0 + 70_000, 0.6);
      return m.result();
    };
    // (30 × 0.10 + 10 × 0) / 40 = 0.075 at every horizon.
    expect(markoutMeans(one(), ['a']).markout30s).toBeCloseTo(0.075, 12);
    const merged = mergeMarkouts(one(), one());
    expect(merged.a!.fills).toEqual([4, 4, 4]);
    expect(markoutMeans(merged, ['a']).markout60s).toBeCloseTo(0.075, 12);
  });

  it('a fill with no mid yet is not counted; beyond maxPending fills are dropped, not stored', () => {
    const m = new MarkoutTracker({ maxPending: 1 });
    m.fill({ strategyId: 'a', tokenId: UP, side: 'BUY', size: 1, tsMs: T0 });
    expect(m.noReference).toBe(1);
    top(m, UP, T0, 0.5);
    m.fill({ strategyId: 'a', tokenId: UP, side: 'BUY', size: 1, tsMs: T0 });
    m.fill({ strategyId: 'a', tokenId: UP, side: 'BUY', size: 1, tsMs: T0 });
    expect(m.dropped).toBe(1);
    expect(m.waiting).toBe(1);
    top(m, UP, T0 + 60_000, 0.5);
    expect(m.waiting).toBe(0);
    expect(m.result().a!.fills).toEqual([1, 1, 1]);
  });

  it('follows a bus: book.top and order.filled, the strategy from the client tag', () => {
    const bus = new EventBus({ clock: new SimClock(T0) });
    const m = new MarkoutTracker();
    m.attach(bus);
    const book = (tsEventMs: number, bestBid: number, bestAsk: number) => bus.publish({ type: 'book.top', tsEventMs, tokenId: UP, epoch: 1, bestBid, bestAsk });
    book(T0, 0.49, 0.51);
    bus.publish({
      type: 'order.filled', tsEventMs: T0, clientId: 'c1', clientTag: makeClientTag('maker', 'btc-updown-5m-1', 'bid', 1), orderId: 'o1', tradeId: 't1',
      tokenId: UP, windowSlug: 'btc-updown-5m-1', side: 'BUY', price: 0.49, size: 10, feeUsd: 0, liquidity: 'maker', provisional: false, remaining: 0,
    });
    book(T0 + 60_000, 0.47, 0.49);
    expect(markoutMeans(m.result(), ['maker']).markout60s).toBeCloseTo(-0.02, 12);
  });
});

describe('markout in the backtest report', () => {
  const fill: LedgerEntry = {
    kind: 'fill', tsMs: T0, strategyId: 'mk', clientTag: 'mk|w|bid|1', tradeId: 't1', windowSlug: 'w', tokenId: UP, outcome: 'up', side: 'BUY',
    price: 0.49, size: 10, feeUsd: 0, liquidity: 'maker',
  };

  it('per strategy and in the totals; null (shown "-") without sums', () => {
    const m = new MarkoutTracker();
    top(m, UP, T0, 0.5);
    m.fill({ strategyId: 'mk', tokenId: UP, side: 'BUY', size: 10, tsMs: T0 });
    top(m, UP, T0 + 30_000, 0.5125);
    const session = { startMs: T0, endMs: T0 + 3_600_000 };
    const r = buildBacktestReport([fill], session, [{ id: 'mk', type: 'two-sided-maker' }], m.result());
    expect(r.strategies[0]!.markout30s).toBeCloseTo(0.0125, 12);
    expect(r.strategies[0]!.markout60s).toBeNull();
    expect(r.strategies[0]!.markout5s).toBeCloseTo(0, 12); // the 30 s top came after 5 s: the mid at 5 s was 0.50
    expect(r.totals.markout30s).toBeCloseTo(0.0125, 12);
    const json = JSON.parse(reportToJson(r)) as { strategies: Record<string, unknown>[] };
    expect(json.strategies[0]!.markout30s).toBe(0.0125);
    const text = reportToTerminal(r).split('\n');
    const header = text.find((l) => l.startsWith('Strategy'))!;
    expect(header).toContain('Markout 30s');
    expect(text.find((l) => l.startsWith('mk'))).toMatch(/0\.0000\s+0\.0125\s+-$/);
    const bare = buildBacktestReport([fill], session, [{ id: 'mk', type: 'two-sided-maker' }]);
    expect(bare.strategies[0]!.markout30s).toBeNull();
  });
});
