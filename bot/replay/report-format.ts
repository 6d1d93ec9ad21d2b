/**
 * Backtest report output: JSON (stable key order), CSV (RFC 4180) and an aligned terminal summary.
 *
 * Invariants: this is the only place figures are rounded (the report keeps full precision). One column table per
 * row type fixes the key order of JSON objects, the CSV header and the terminal columns; the tables are typed as
 * records over the report's keys, so a field added to the report without a column fails to compile.
 * JSON and CSV keep ratios as fractions (winRate 0.5) and round money, prices and ratios to 6 dp (no float noise,
 * no -0); the terminal shows USD to 2 dp, ratios as % to 1 dp, rates per hour to 2 dp and markouts (price units per
 * share, signed in the fill's favour) to 4 dp, numbers right-aligned.
 * Missing values are `null` in JSON, an empty field in CSV and `-` in the terminal, which also shows `-` for a
 * ratio or mean without a base (win rate with no resolved trade, fill ratio with no order, EV error with no
 * window compared) where the report holds 0. CSV lines end in CRLF.
 */
import type { BacktestReport, Metrics, StrategyReport, TotalsReport, WindowReport } from './backtest-report';

type Kind = 'text' | 'bool' | 'count' | 'usd' | 'ratio' | 'rate' | 'prob' | 'shares' | 'hours' | 'markout';
interface Column {
  /** Terminal header, with the unit. */
  header: string;
  kind: Kind;
  /** Shown in the terminal table. */
  terminal: boolean;
  /** A count field of the same row: when it is 0 the figure has no base and the terminal shows `-` (not 0.0). */
  base?: string;
}
type Columns<T> = { [K in keyof T]-?: Column };
type Cell = string | number | boolean | null | undefined;

const col = (header: string, kind: Kind, terminal = true, base?: keyof Metrics): Column => ({ header, kind, terminal, base });

const METRIC_COLUMNS: Columns<Metrics> = {
  windowsSeen: col('Windows', 'count', false),
  decisions: col('Decisions', 'count', false),
  skipped: col('Skipped', 'count'),
  trades: col('Trades', 'count'),
  fills: col('Fills', 'count'),
  orders: col('Orders', 'count'),
  rejectedOrders: col('Rejected', 'count', false),
  resolvedTrades: col('Resolved', 'count', false),
  wins: col('Wins', 'count'),
  winRate: col('Win %', 'ratio', true, 'resolvedTrades'),
  pnlUsd: col('PnL USD', 'usd'),
  feesUsd: col('Fees USD', 'usd'),
  volumeUsd: col('Volume USD', 'usd'),
  fillRatio: col('Fill %', 'ratio', true, 'orders'),
  maxDrawdownUsd: col('Max DD USD', 'usd'),
  tradesPerHour: col('Trades /h', 'rate'),
  evWindows: col('EV n', 'count'),
  evNoModelWindows: col('EV no model', 'count', false),
  evUnresolvedWindows: col('EV open', 'count', false),
  evErrorMeanUsd: col('EV err USD', 'usd', true, 'evWindows'),
  evErrorMeanAbsUsd: col('EV |err| USD', 'usd', true, 'evWindows'),
  openAtEnd: col('Open', 'count'),
  openCostUsd: col('Open cost USD', 'usd', false),
  markout5s: col('Markout 5s', 'markout'),
  markout30s: col('Markout 30s', 'markout'),
  markout60s: col('Markout 60s', 'markout'),
};

export const STRATEGY_COLUMNS: Columns<StrategyReport> = {
  strategyId: col('Strategy', 'text'),
  strategyType: col('Type', 'text'),
  ...METRIC_COLUMNS,
};

export const TOTALS_COLUMNS: Columns<TotalsReport> = { strategies: col('Strategies', 'count', false), ...METRIC_COLUMNS };

export const WINDOW_COLUMNS: Columns<WindowReport> = {
  strategyId: col('Strategy', 'text'),
  strategyType: col('Type', 'text', false),
  windowSlug: col('Window', 'text'),
  decisionAction: col('Decision', 'text'),
  decisionReason: col('Reason', 'text'),
  decisionOutcome: col('Side', 'text', false),
  pHat: col('pHat', 'prob', false),
  evPerShare: col('EV/share USD', 'prob', false),
  traded: col('Traded', 'bool', false),
  tradedOutcome: col('Bought', 'text'),
  orders: col('Orders', 'count', false),
  fills: col('Fills', 'count', false),
  sharesBought: col('Shares', 'shares'),
  avgBuyPrice: col('Avg px', 'prob'),
  sharesSold: col('Sold', 'shares', false),
  volumeUsd: col('Volume USD', 'usd', false),
  feesUsd: col('Fees USD', 'usd'),
  payoutUsd: col('Payout USD', 'usd'),
  status: col('Status', 'text'),
  pnlUsd: col('PnL USD', 'usd'),
  won: col('Won', 'bool'),
  predictedEvUsd: col('EV USD', 'usd'),
  evErrorUsd: col('EV err USD', 'usd', false),
};

/** Round to 6 dp for machine output; -0 becomes 0, non-finite becomes null. */
function machineNumber(v: number, kind: Kind): number | null {
  if (!Number.isFinite(v)) return null;
  const r = kind === 'count' ? v : Math.round(v * 1e6) / 1e6;
  return r === 0 ? 0 : r;
}

function machineValue(v: Cell, kind: Kind): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'number' ? machineNumber(v, kind) : v;
}

function pick<T extends object>(row: T, columns: Columns<T>): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const key of Object.keys(columns) as (keyof T & string)[]) out[key] = machineValue(row[key] as Cell, columns[key].kind);
  return out;
}

/** The whole report as pretty JSON with a fixed key order (session, strategies, windows, totals). */
export function reportToJson(report: BacktestReport): string {
  const out = {
    session: { startMs: report.session.startMs, endMs: report.session.endMs, hours: machineNumber(report.session.hours, 'hours') },
    strategies: report.strategies.map((s) => pick(s, STRATEGY_COLUMNS)),
    windows: report.windows.map((w) => pick(w, WINDOW_COLUMNS)),
    totals: pick(report.totals, TOTALS_COLUMNS),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** One RFC 4180 field: quoted when it holds a comma, a quote, CR or LF; quotes doubled. */
export function csvField(v: string | number | boolean | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One table of the report as CSV: a header row of field names, then one row per strategy or per window. */
export function reportToCsv(report: BacktestReport, table: 'strategies' | 'windows'): string {
  const lines = table === 'strategies' ? csvLines(report.strategies, STRATEGY_COLUMNS) : csvLines(report.windows, WINDOW_COLUMNS);
  return lines.map((l) => `${l}\r\n`).join('');
}

function csvLines<T extends object>(rows: readonly T[], columns: Columns<T>): string[] {
  const keys = Object.keys(columns);
  return [keys.map(csvField).join(','), ...rows.map((r) => Object.values(pick(r, columns)).map(csvField).join(','))];
}

const TEXT_MAX = 40;

/** A terminal cell: USD 2 dp, ratios as % 1 dp, rates 2 dp, prices 3 dp, markouts 4 dp, shares 2 dp; text one line. */
function terminalCell(v: Cell, kind: Kind): string {
  if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return '-';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'string') {
    const one = v.replace(/\s+/g, ' ');
    return one.length > TEXT_MAX ? `${one.slice(0, TEXT_MAX - 1)}…` : one;
  }
  const fixed = (x: number, dp: number) => {
    const s = x.toFixed(dp);
    return Number(s) === 0 ? (0).toFixed(dp) : s;
  };
  switch (kind) {
    case 'count': return String(v);
    case 'ratio': return fixed(v * 100, 1);
    case 'prob': return fixed(v, 3);
    case 'markout': return fixed(v, 4);
    default: return fixed(v, 2);
  }
}

const rightAligned = (k: Kind) => k !== 'text' && k !== 'bool';

function renderTable<T extends object>(rows: readonly T[], columns: Columns<T>): string[] {
  const keys = (Object.keys(columns) as (keyof T & string)[]).filter((k) => columns[k].terminal);
  const noBase = (r: T, k: keyof T) => columns[k].base !== undefined && (r as Record<string, unknown>)[columns[k].base!] === 0;
  const cells = rows.map((r) => keys.map((k) => terminalCell(noBase(r, k) ? null : (r[k] as Cell), columns[k].kind)));
  const headers = keys.map((k) => columns[k].header);
  const widths = keys.map((_, i) => Math.max(headers[i]!.length, ...cells.map((c) => c[i]!.length)));
  const line = (cs: string[]) =>
    cs.map((c, i) => (rightAligned(columns[keys[i]!].kind) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)];
}

const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString().replace('.000Z', 'Z') : '-');

/**
 * A readable summary: the session range, one row per strategy and a TOTAL row; with `windows: true` also one row
 * per (strategy, window).
 */
export function reportToTerminal(report: BacktestReport, opts: { windows?: boolean } = {}): string {
  const { startMs, endMs, hours } = report.session;
  const total: StrategyReport = { strategyId: 'TOTAL', strategyType: `${report.totals.strategies} strategies`, ...report.totals };
  const table = renderTable([...report.strategies, total], STRATEGY_COLUMNS);
  table.splice(table.length - 1, 0, table[1]!);
  const out = [`Backtest ${iso(startMs)} -> ${iso(endMs)} (${terminalCell(hours, 'rate')} h)`, '', ...table];
  if (opts.windows) out.push('', ...renderTable(report.windows, WINDOW_COLUMNS));
  return `${out.join('\n')}\n`;
}
