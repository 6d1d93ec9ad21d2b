/**
 * Backtest report metrics on hand-built ledgers. Every expected figure is worked out by hand in the comments next
 * to it (prices × shares, fees, payouts), never copied from the output.
 */
import { describe, expect, it } from 'vitest';
import { buildBacktestReport, maxDrawdown, type StrategyReport } from '../../../bot/replay/backtest-report';
import type { LedgerDecision, LedgerEntry, LedgerFill, LedgerOrder, LedgerSettlement } from '../../../bot/replay/ledger-types';

const T0 = 1_776_327_600_000;
const MIN = 60_000;
const SESSION = { startMs: T0, endMs: T0 + 120 * MIN }; // 2 hours

type Side = 'up' | 'down';
let seq = 0;

function decision(strategyId: string, windowSlug: string, tsMs: number, o: Partial<LedgerDecision> = {}): LedgerDecision {
  return {
    kind: 'decision', tsMs, strategyId, strategyType: 'edge', windowSlug, action: 'traded', reason: 'edge', outcome: 'up',
    pHat: undefined, ev: undefined, ask: undefined, ...o,
  };
}

function order(strategyId: string, windowSlug: string, tsMs: number, clientTag: string, o: Partial<LedgerOrder>): LedgerOrder {
  return {
    kind: 'order', tsMs, strategyId, clientTag, windowSlug, tokenId: `${windowSlug}-up`, outcome: 'up', side: 'BUY',
    orderType: 'GTC', postOnly: false, price: 0.5, size: 10, usd: undefined, filledSize: 10, state: 'filled', reason: undefined, ...o,
  };
}

function fill(
  strategyId: string, windowSlug: string, tsMs: number, clientTag: string,
  side: 'BUY' | 'SELL', size: number, price: number, feeUsd: number, outcome: Side = 'up',
): LedgerFill {
  seq += 1;
  return {
    kind: 'fill', tsMs, strategyId, clientTag, tradeId: `t${seq}`, windowSlug, tokenId: `${windowSlug}-${outcome}`, outcome,
    side, price, size, feeUsd, liquidity: 'taker',
  };
}

function settle(
  strategyId: string, windowSlug: string, tsMs: number, won: boolean, shares: number, payoutUsd: number, realizedUsd: number,
  outcome: Side = 'up',
): LedgerSettlement {
  return { kind: 'settle', tsMs, strategyId, windowSlug, tokenId: `${windowSlug}-${outcome}`, outcome, won, shares, payoutUsd, realizedUsd };
}

const at = (m: number) => T0 + m * MIN;

/**
 * alpha (edge): W1 win, W2 partial fill + loss, W3 skipped, W4 USD market buy without model EV (win), W5 a rejected
 * order then a loss, W6 still open at the end.
 * beta (scalper): W7 bought then sold before settlement, W8 partly sold then settled (no double counting).
 * gamma (idle): one skipped window. delta: listed, no entries at all.
 */
function ledger(): LedgerEntry[] {
  const A = 'alpha';
  const B = 'beta';
  return [
    decision(A, 'w1', at(1), { outcome: 'up', pHat: 0.6, ev: 0.1 }),
    order(A, 'w1', at(1), 'a1', { price: 0.5, size: 10, filledSize: 10 }),
    fill(A, 'w1', at(1), 'a1', 'BUY', 10, 0.5, 0.1),
    decision(A, 'w2', at(2), { outcome: 'down', ev: 0.05, reason: 'edge 5c' }),
    // Asked 10 @ 0.40, got 4, the rest canceled.
    order(A, 'w2', at(2), 'a2', { tokenId: 'w2-down', outcome: 'down', price: 0.4, size: 10, filledSize: 4, state: 'canceled' }),
    fill(A, 'w2', at(2), 'a2', 'BUY', 4, 0.4, 0.04, 'down'),
    decision(A, 'w3', at(3), { action: 'skipped', reason: 'spread too wide, ask "0.99"', outcome: undefined }),
    // 10 won shares pay 10; cost 10 × 0.50 = 5.00; fee 0.10 → 10 − 5 − 0.10 = 4.90.
    settle(A, 'w1', at(5), true, 10, 10, 4.9),
    // 4 lost shares pay 0; cost 4 × 0.40 = 1.60; fee 0.04 → −1.64.
    settle(A, 'w2', at(10), false, 4, 0, -1.64, 'down'),
    decision(A, 'w4', at(12), { outcome: 'up', ev: undefined, reason: 'momentum' }),
    order(A, 'w4', at(12), 'a4', { orderType: 'FOK', price: 0.6, size: undefined, usd: 3, filledSize: 5 }),
    fill(A, 'w4', at(12), 'a4', 'BUY', 2, 0.5, 0.02),
    fill(A, 'w4', at(12), 'a4', 'BUY', 3, 0.6, 0.03),
    decision(A, 'w5', at(14), { outcome: 'up', ev: 0.08 }),
    order(A, 'w5', at(14), 'a5r', { price: 0.45, size: 5, filledSize: 0, state: 'rejected', reason: 'risk: max exposure' }),
    order(A, 'w5', at(14), 'a5', { price: 0.4, size: 5, filledSize: 5 }),
    fill(A, 'w5', at(14), 'a5', 'BUY', 5, 0.4, 0.05),
    // 5 won shares pay 5; cost 2×0.50 + 3×0.60 = 2.80; fees 0.05 → 2.15.
    settle(A, 'w4', at(20), true, 5, 5, 2.15),
    decision(A, 'w6', at(25), { outcome: 'up', ev: 0.1 }),
    // Asked 10 @ 0.30, 6 filled, the rest still resting at the end.
    order(A, 'w6', at(25), 'a6', { price: 0.3, size: 10, filledSize: 6, state: 'live' }),
    fill(A, 'w6', at(25), 'a6', 'BUY', 6, 0.3, 0.06),
    // 5 lost shares: cost 5 × 0.40 = 2.00, fee 0.05 → −2.05.
    settle(A, 'w5', at(30), false, 5, 0, -2.05),

    decision(B, 'w7', at(6), { strategyType: 'scalper', ev: 0.05 }),
    order(B, 'w7', at(6), 'b7', { price: 0.5, size: 10, filledSize: 10 }),
    fill(B, 'w7', at(6), 'b7', 'BUY', 10, 0.5, 0.1),
    order(B, 'w7', at(15), 'b7s', { side: 'SELL', price: 0.6, size: 10, filledSize: 10 }),
    fill(B, 'w7', at(15), 'b7s', 'SELL', 10, 0.6, 0.06),
    decision(B, 'w8', at(16), { strategyType: 'scalper', ev: 0.1 }),
    order(B, 'w8', at(16), 'b8', { price: 0.5, size: 10, filledSize: 10 }),
    fill(B, 'w8', at(16), 'b8', 'BUY', 10, 0.5, 0.1),
    order(B, 'w8', at(17), 'b8s', { side: 'SELL', price: 0.7, size: 4, filledSize: 4 }),
    fill(B, 'w8', at(17), 'b8s', 'SELL', 4, 0.7, 0.028),
    // Whole life: sold 4 × (0.70 − 0.50) = 0.80; fees 0.10 + 0.028; 6 left lost: −6 × 0.50 = −3.00 → −2.328.
    settle(B, 'w8', at(40), false, 6, 0, -2.328),

    decision('gamma', 'w1', at(1), { strategyType: 'idle', action: 'skipped', reason: 'no edge', outcome: undefined }),
  ];
}

const INSTANCES = [
  { id: 'alpha', type: 'edge' },
  { id: 'beta', type: 'scalper' },
  { id: 'gamma', type: 'idle' },
  { id: 'delta', type: 'idle' },
];

const build = () => buildBacktestReport(ledger(), SESSION, INSTANCES);
const strategy = (id: string): StrategyReport => build().strategies.find((s) => s.strategyId === id)!;
const windowOf = (id: string, slug: string) => build().windows.find((w) => w.strategyId === id && w.windowSlug === slug)!;

describe('per window', () => {
  it('a win: shares, average price, fees, payout, PnL, predicted EV', () => {
    const w = windowOf('alpha', 'w1');
    expect(w).toMatchObject({ decisionAction: 'traded', decisionOutcome: 'up', pHat: 0.6, traded: true, tradedOutcome: 'up' });
    expect(w).toMatchObject({ sharesBought: 10, avgBuyPrice: 0.5, payoutUsd: 10, status: 'settled', won: true, orders: 1, fills: 1 });
    expect(w.feesUsd).toBeCloseTo(0.1, 9);
    expect(w.pnlUsd).toBeCloseTo(4.9, 9);
    expect(w.predictedEvUsd).toBeCloseTo(1.0, 9); // 0.10 per share × 10 shares
    expect(w.evErrorUsd).toBeCloseTo(3.9, 9); // realised 4.90 − predicted 1.00: better than the model → positive
  });

  it('a loss after a partial fill: EV error is negative when the model over-promised', () => {
    const w = windowOf('alpha', 'w2');
    expect(w).toMatchObject({ sharesBought: 4, avgBuyPrice: 0.4, payoutUsd: 0, won: false, tradedOutcome: 'down' });
    expect(w.pnlUsd).toBeCloseTo(-1.64, 9);
    expect(w.predictedEvUsd).toBeCloseTo(0.2, 9); // 0.05 × 4 filled shares (not the 10 asked)
    expect(w.evErrorUsd).toBeCloseTo(-1.84, 9); // −1.64 − 0.20
    expect(w.evErrorUsd!).toBeLessThan(0);
  });

  it('a skipped window keeps its reason and has nothing traded', () => {
    const w = windowOf('alpha', 'w3');
    expect(w).toMatchObject({
      decisionAction: 'skipped', decisionReason: 'spread too wide, ask "0.99"', traded: false, tradedOutcome: null,
      sharesBought: 0, avgBuyPrice: null, pnlUsd: 0, won: null, predictedEvUsd: null, evErrorUsd: null, status: 'none',
    });
  });

  it('a USD market buy filled in two pieces averages its price; no model EV means no prediction', () => {
    const w = windowOf('alpha', 'w4');
    expect(w.sharesBought).toBe(5);
    expect(w.avgBuyPrice).toBeCloseTo(0.56, 9); // (2 × 0.50 + 3 × 0.60) / 5 = 2.80 / 5
    expect(w.feesUsd).toBeCloseTo(0.05, 9);
    expect(w).toMatchObject({ predictedEvUsd: null, evErrorUsd: null, won: true });
  });

  it('an open position at the end: fees are realised, the cost is not, no win/loss, no EV error', () => {
    const w = windowOf('alpha', 'w6');
    expect(w).toMatchObject({ status: 'open', won: null, evErrorUsd: null });
    expect(w.pnlUsd).toBeCloseTo(-0.06, 9);
    expect(w.predictedEvUsd).toBeCloseTo(0.6, 9); // 0.10 × 6
  });

  it('a position sold before settlement realises its PnL from the fills', () => {
    const w = windowOf('beta', 'w7');
    expect(w).toMatchObject({ status: 'closed', won: true, sharesBought: 10, sharesSold: 10, payoutUsd: 0 });
    expect(w.pnlUsd).toBeCloseTo(0.84, 9); // 10 × (0.60 − 0.50) − 0.10 − 0.06
    expect(w.evErrorUsd).toBeCloseTo(0.34, 9); // 0.84 − 0.05 × 10
  });

  it('a partial sell then a settlement: the settlement covers the whole life, the sell is not added again', () => {
    const w = windowOf('beta', 'w8');
    expect(w.pnlUsd).toBeCloseTo(-2.328, 9); // not −2.328 + (0.80 − 0.128)
    expect(w.feesUsd).toBeCloseTo(0.128, 9);
    expect(w).toMatchObject({ sharesBought: 10, sharesSold: 4, status: 'settled', won: false });
  });

  it('windows are listed per strategy in instance order, then ledger order', () => {
    expect(build().windows.map((w) => `${w.strategyId}/${w.windowSlug}`)).toEqual([
      'alpha/w1', 'alpha/w2', 'alpha/w3', 'alpha/w4', 'alpha/w5', 'alpha/w6', 'beta/w7', 'beta/w8', 'gamma/w1',
    ]);
  });
});

describe('per strategy', () => {
  it('alpha: counts, win rate, PnL after fees, volume, fill ratio, rate, open positions', () => {
    const s = strategy('alpha');
    expect(s).toMatchObject({
      strategyType: 'edge', windowsSeen: 6, decisions: 6, skipped: 1,
      trades: 5, // w1 w2 w4 w5 w6 have a BUY fill
      fills: 6, // w4 had two
      orders: 6, rejectedOrders: 1,
      resolvedTrades: 4, wins: 2, // w6 is open; w1 and w4 won
      winRate: 0.5, openAtEnd: 1,
      tradesPerHour: 2.5, // 5 trades / 2 h
    });
    expect(s.pnlUsd).toBeCloseTo(3.3, 9); // 4.90 − 1.64 + 2.15 − 2.05 − 0.06 (open w6's fee)
    expect(s.feesUsd).toBeCloseTo(0.3, 9); // 0.10 + 0.04 + 0.05 + 0.05 + 0.06
    expect(s.volumeUsd).toBeCloseTo(13.2, 9); // 5.00 + 1.60 + 2.80 + 2.00 + 1.80
    expect(s.openCostUsd).toBeCloseTo(1.8, 9); // 6 × 0.30
    // Asked: 10×0.50 + 10×0.40 + $3 + 5×0.45 (rejected) + 5×0.40 + 10×0.30 = 5 + 4 + 3 + 2.25 + 2 + 3 = 19.25
    // Filled: 5 + 4×0.40 + 2.80 (fill notional of the $3 buy) + 0 + 2 + 6×0.30 = 13.20
    expect(s.fillRatio).toBeCloseTo(13.2 / 19.25, 9);
  });

  it('alpha: a drawdown that recovers, then a deeper one from the new peak', () => {
    // Realised in time order: +4.90 (5m) −1.64 (10m) +2.15 (20m) −0.06 (25m, w6 fee) −2.05 (30m)
    // Equity: 4.90, 3.26, 5.41 (new peak), 5.35, 3.30 → first fall 1.64, second 5.41 − 3.30 = 2.11.
    expect(strategy('alpha').maxDrawdownUsd).toBeCloseTo(2.11, 9);
  });

  it('alpha: EV error over windows with a model, resolved; the rest counted apart', () => {
    const s = strategy('alpha');
    expect(s).toMatchObject({ evWindows: 3, evNoModelWindows: 1, evUnresolvedWindows: 1 }); // w1 w2 w5 | w4 | w6
    // Errors: w1 4.90 − 1.00 = +3.90; w2 −1.64 − 0.20 = −1.84; w5 −2.05 − 0.08 × 5 = −2.45
    expect(s.evErrorMeanUsd).toBeCloseTo((3.9 - 1.84 - 2.45) / 3, 9); // −0.13
    expect(s.evErrorMeanAbsUsd).toBeCloseTo((3.9 + 1.84 + 2.45) / 3, 9); // 2.73
  });

  it('beta: SELL-closed and settled positions, drawdown from an early gain', () => {
    const s = strategy('beta');
    expect(s).toMatchObject({ trades: 2, fills: 4, orders: 4, resolvedTrades: 2, wins: 1, winRate: 0.5, openAtEnd: 0, fillRatio: 1 });
    expect(s.pnlUsd).toBeCloseTo(0.84 - 2.328, 9);
    expect(s.feesUsd).toBeCloseTo(0.288, 9); // 0.10 + 0.06 + 0.10 + 0.028
    expect(s.volumeUsd).toBeCloseTo(18.8, 9); // 5 + 6 + 5 + 2.8
    expect(s.maxDrawdownUsd).toBeCloseTo(2.328, 9); // equity 0.84 (15m) → −1.488 (40m)
    expect(s.tradesPerHour).toBe(1);
  });

  it('a strategy that never traded and one with no entries report zeros, never NaN', () => {
    const zero = {
      trades: 0, fills: 0, orders: 0, wins: 0, winRate: 0, pnlUsd: 0, feesUsd: 0, volumeUsd: 0, fillRatio: 0,
      maxDrawdownUsd: 0, tradesPerHour: 0, evWindows: 0, evErrorMeanUsd: 0, evErrorMeanAbsUsd: 0, openAtEnd: 0,
    };
    expect(strategy('gamma')).toMatchObject({ ...zero, windowsSeen: 1, decisions: 1, skipped: 1, strategyType: 'idle' });
    expect(strategy('delta')).toMatchObject({ ...zero, windowsSeen: 0, decisions: 0 });
    const r = build();
    for (const row of [...r.strategies, ...r.windows, r.totals]) {
      for (const [k, v] of Object.entries(row)) if (typeof v === 'number') expect(Number.isFinite(v), k).toBe(true);
    }
  });
});

describe('totals', () => {
  it('pool every strategy; the drawdown is that of the combined curve', () => {
    const t = build().totals;
    expect(t).toMatchObject({ strategies: 4, trades: 7, fills: 10, orders: 10, resolvedTrades: 6, wins: 3, winRate: 0.5, openAtEnd: 1 });
    expect(t.pnlUsd).toBeCloseTo(3.3 - 1.488, 9);
    expect(t.feesUsd).toBeCloseTo(0.588, 9);
    expect(t.tradesPerHour).toBe(3.5);
    expect(t.fillRatio).toBeCloseTo((13.2 + 18.8) / (19.25 + 18.8), 9);
    // Errors: +3.90, −1.84, −2.45, +0.34, −3.328 (w8: −2.328 − 0.10 × 10)
    expect(t.evWindows).toBe(5);
    expect(t.evErrorMeanUsd).toBeCloseTo((3.9 - 1.84 - 2.45 + 0.34 - 3.328) / 5, 9);
    expect(t.evErrorMeanAbsUsd).toBeCloseTo((3.9 + 1.84 + 2.45 + 0.34 + 3.328) / 5, 9);
    // 5m +4.90 → 4.90; 10m −1.64 → 3.26; 15m +0.84 → 4.10; 20m +2.15 → 6.25 (peak); 25m −0.06 → 6.19;
    // 30m −2.05 → 4.14; 40m −2.328 → 1.812 → max drawdown 6.25 − 1.812 = 4.438
    expect(t.maxDrawdownUsd).toBeCloseTo(4.438, 9);
  });
});

describe('edge cases', () => {
  it('a re-issued settlement replaces the earlier one instead of adding to it', () => {
    const entries: LedgerEntry[] = [
      fill('s', 'w', at(1), 'c', 'BUY', 10, 0.5, 0),
      settle('s', 'w', at(5), true, 10, 10, 5),
      settle('s', 'w', at(6), true, 10, 10, 4.5), // corrected
    ];
    const r = buildBacktestReport(entries, SESSION, [{ id: 's', type: 'x' }]);
    expect(r.strategies[0]!.pnlUsd).toBe(4.5);
    expect(r.windows[0]!.payoutUsd).toBe(10);
  });

  it('entries of a strategy missing from the instance list are still reported, typed from its decisions', () => {
    const entries: LedgerEntry[] = [decision('ghost', 'w', at(1), { strategyType: 'mystery', action: 'skipped', reason: 'r' })];
    const r = buildBacktestReport(entries, SESSION, [{ id: 'alpha', type: 'edge' }]);
    expect(r.strategies.map((s) => [s.strategyId, s.strategyType])).toEqual([['alpha', 'edge'], ['ghost', 'mystery']]);
    expect(r.totals.strategies).toBe(2);
  });

  it('an empty session range gives a zero rate, not infinity', () => {
    const r = buildBacktestReport(ledger(), { startMs: T0, endMs: T0 }, INSTANCES);
    expect(r.session.hours).toBe(0);
    expect(r.totals.tradesPerHour).toBe(0);
  });

  it('maxDrawdown: a first loss counts from 0, amounts at one ms are one step', () => {
    expect(maxDrawdown([])).toBe(0);
    expect(maxDrawdown([{ tsMs: 1, usd: -2 }])).toBe(2);
    // t1 +5, then at t2 −3 and +4 together: one step of +1, so no fall at all.
    expect(maxDrawdown([{ tsMs: 1, usd: 5 }, { tsMs: 2, usd: -3 }, { tsMs: 2, usd: 4 }])).toBe(0);
    // Out of order input is sorted by time: +1 (t1), −4 (t2), +10 (t3) → fall of 4.
    expect(maxDrawdown([{ tsMs: 3, usd: 10 }, { tsMs: 2, usd: -4 }, { tsMs: 1, usd: 1 }])).toBe(4);
  });
});
