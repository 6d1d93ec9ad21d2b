/**
 * Backtest report output: JSON key order and rounding, RFC 4180 CSV (a reason with a comma, quotes and a line
 * break survives a round trip), and an aligned terminal table with units in the headers.
 */
import { describe, expect, it } from 'vitest';
import type { BacktestReport, Metrics, WindowReport } from '../../../bot/replay/backtest-report';
import { csvField, reportToCsv, reportToJson, reportToTerminal, STRATEGY_COLUMNS, WINDOW_COLUMNS } from '../../../bot/replay/report-format';
import { parseCsv } from '../../helpers/csv';

const ZERO: Metrics = {
  windowsSeen: 0, decisions: 0, skipped: 0, trades: 0, fills: 0, orders: 0, rejectedOrders: 0, resolvedTrades: 0, wins: 0,
  winRate: 0, pnlUsd: 0, feesUsd: 0, volumeUsd: 0, fillRatio: 0, maxDrawdownUsd: 0, tradesPerHour: 0, evWindows: 0,
  evNoModelWindows: 0, evUnresolvedWindows: 0, evErrorMeanUsd: 0, evErrorMeanAbsUsd: 0, openAtEnd: 0, openCostUsd: 0,
};

const REASON = 'spread too wide, ask "0.99"';

function win(o: Partial<WindowReport>): WindowReport {
  return {
    strategyId: 'alpha', strategyType: 'edge', windowSlug: 'btc-updown-5m-1', decisionAction: 'traded', decisionReason: 'edge',
    decisionOutcome: 'up', pHat: 0.6, evPerShare: 0.1, traded: true, tradedOutcome: 'up', orders: 1, fills: 1, sharesBought: 10,
    avgBuyPrice: 0.5, sharesSold: 0, volumeUsd: 5, feesUsd: 0.1, payoutUsd: 10, status: 'settled', pnlUsd: 4.9, won: true,
    predictedEvUsd: 1, evErrorUsd: 3.9, ...o,
  };
}

function report(): BacktestReport {
  return {
    session: { startMs: 1_776_327_600_000, endMs: 1_776_334_800_000, hours: 2 },
    strategies: [
      // 0.1 + 0.2 is 0.30000000000000004 in floating point: the formatter, not the metrics, rounds it.
      { strategyId: 'alpha', strategyType: 'edge', ...ZERO, trades: 2, wins: 1, resolvedTrades: 2, winRate: 0.5, pnlUsd: 1234.5, feesUsd: 0.1 + 0.2, tradesPerHour: 1, fillRatio: 2 / 3 },
      { strategyId: 'beta', strategyType: 'scalper', ...ZERO, trades: 1, pnlUsd: -1.488, maxDrawdownUsd: 2.328, tradesPerHour: 0.5, evErrorMeanUsd: -0 },
    ],
    windows: [
      win({}),
      win({
        windowSlug: 'btc-updown-5m-2', decisionAction: 'skipped', decisionReason: REASON, decisionOutcome: null, pHat: null, evPerShare: null,
        traded: false, tradedOutcome: null, orders: 0, fills: 0, sharesBought: 0, avgBuyPrice: null, volumeUsd: 0, feesUsd: 0, payoutUsd: 0,
        status: 'none', pnlUsd: 0, won: null, predictedEvUsd: null, evErrorUsd: null,
      }),
      win({ windowSlug: 'btc-updown-5m-3', decisionReason: 'line one\nline two', pnlUsd: -1.64, won: false }),
    ],
    totals: { strategies: 2, ...ZERO, trades: 3, wins: 1, resolvedTrades: 2, winRate: 0.5, pnlUsd: 1234.5 - 1.488, tradesPerHour: 1.5 },
  };
}

describe('reportToJson', () => {
  it('keeps the column order whatever order the objects were built in', () => {
    const a = report();
    const b = report();
    // Same values, keys inserted in reverse order.
    b.strategies = b.strategies.map((s) => Object.fromEntries(Object.entries(s).reverse()) as typeof s);
    b.windows = b.windows.map((w) => Object.fromEntries(Object.entries(w).reverse()) as typeof w);
    expect(reportToJson(b)).toBe(reportToJson(a));
    const parsed = JSON.parse(reportToJson(a)) as Record<string, Record<string, unknown>[]>;
    expect(Object.keys(parsed)).toEqual(['session', 'strategies', 'windows', 'totals']);
    expect(Object.keys(parsed.strategies![0]!)).toEqual(Object.keys(STRATEGY_COLUMNS));
    expect(Object.keys(parsed.windows![1]!)).toEqual(Object.keys(WINDOW_COLUMNS));
    expect(Object.keys(parsed.strategies![0]!).slice(0, 2)).toEqual(['strategyId', 'strategyType']);
  });

  it('rounds float noise away and keeps missing values as null', () => {
    const text = reportToJson(report());
    const parsed = JSON.parse(text) as { strategies: Record<string, unknown>[]; windows: Record<string, unknown>[] };
    expect(parsed.strategies[0]!.feesUsd).toBe(0.3);
    expect(parsed.strategies[0]!.fillRatio).toBe(0.666667); // 2/3 to 6 dp
    expect(parsed.windows[1]!.avgBuyPrice).toBeNull();
    expect(parsed.windows[1]!.won).toBeNull();
    expect(parsed.windows[1]!.decisionReason).toBe(REASON);
  });
});

describe('reportToCsv', () => {
  it('quotes a reason with a comma and quotes (RFC 4180) and it reads back unchanged', () => {
    const csv = reportToCsv(report(), 'windows');
    expect(csv).toContain(',"spread too wide, ask ""0.99""",');
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(csv);
    expect(rows).toHaveLength(4); // header + 3 windows (the quoted line break does not split a row)
    expect(rows[0]).toEqual(Object.keys(WINDOW_COLUMNS));
    const reason = rows[0]!.indexOf('decisionReason');
    expect(rows[2]![reason]).toBe(REASON);
    expect(rows[3]![reason]).toBe('line one\nline two');
    for (const r of rows) expect(r).toHaveLength(rows[0]!.length);
  });

  it('writes missing values as empty fields, booleans as words, numbers rounded', () => {
    const rows = parseCsv(reportToCsv(report(), 'windows'));
    const h = rows[0]!;
    expect(rows[2]![h.indexOf('avgBuyPrice')]).toBe('');
    expect(rows[1]![h.indexOf('won')]).toBe('true');
    expect(rows[3]![h.indexOf('pnlUsd')]).toBe('-1.64');
    const s = parseCsv(reportToCsv(report(), 'strategies'));
    expect(s).toHaveLength(3);
    expect(s[0]).toEqual(Object.keys(STRATEGY_COLUMNS));
    expect(s[1]![s[0]!.indexOf('feesUsd')]).toBe('0.3');
  });

  it('csvField quotes only what needs it', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('cr\rlf')).toBe('"cr\rlf"');
    expect(csvField(null)).toBe('');
    expect(csvField(1.5)).toBe('1.5');
  });
});

describe('reportToTerminal', () => {
  const text = reportToTerminal(report());
  const lines = text.trimEnd().split('\n');
  const header = lines.find((l) => l.startsWith('Strategy'))!;
  const rows = lines.slice(lines.indexOf(header));

  it('has units in the headers and a TOTAL row under a rule', () => {
    for (const h of ['PnL USD', 'Fees USD', 'Win %', 'Fill %', 'Max DD USD', 'Trades /h', 'EV err USD']) expect(header).toContain(h);
    expect(lines[0]).toContain('2026-04-16T08:20:00Z -> 2026-04-16T10:20:00Z (2.00 h)');
    const total = rows.findIndex((l) => l.startsWith('TOTAL'));
    expect(total).toBe(rows.length - 1);
    expect(rows[total - 1]).toMatch(/^-+( +-+)+$/);
    expect(text).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('aligns every row to the same width with numbers right-aligned under their header', () => {
    expect(new Set(rows.map((l) => l.length)).size).toBe(1);
    const end = header.indexOf('PnL USD') + 'PnL USD'.length;
    const values = rows.slice(2).map((l) => l.slice(0, end).trimEnd().split(/ +/).pop());
    // alpha 1234.5 → 1234.50; beta −1.488 → -1.49; total 1233.012 → 1233.01 (USD to 2 dp); rule row skipped.
    expect(values.filter((v) => !/^-+$/.test(v!))).toEqual(['1234.50', '-1.49', '1233.01']);
    const win = header.indexOf('Win %') + 'Win %'.length;
    expect(rows[2]!.slice(0, win).trimEnd().split(/ +/).pop()).toBe('50.0'); // 0.5 as a percentage
  });

  it('never prints -0.00, and shows - for a ratio or mean that has no base', () => {
    const r = report();
    r.strategies[1]!.pnlUsd = -0.001; // rounds to 0.00 at 2 dp
    const beta = reportToTerminal(r).split('\n').find((l) => l.startsWith('beta'))!;
    expect(beta).not.toContain('-0.00');
    const cell = (name: string) => beta.slice(0, header.indexOf(name) + name.length).trimEnd().split(/ +/).pop();
    expect(cell('PnL USD')).toBe('0.00');
    expect(cell('Win %')).toBe('-'); // beta: resolvedTrades 0
    expect(cell('Fill %')).toBe('-'); // beta: orders 0
    expect(cell('EV err USD')).toBe('-'); // beta: evWindows 0
    expect(cell('Max DD USD')).toBe('2.33');
  });

  it('lists windows on request, with a long reason shortened to one line', () => {
    const withWindows = reportToTerminal(report(), { windows: true });
    expect(withWindows).toContain('Reason');
    expect(withWindows).toContain('line one line two');
    expect(text).not.toContain('btc-updown-5m-1');
  });
});
