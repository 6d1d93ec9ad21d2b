/**
 * The backtest report: per strategy instance and per (strategy, window), what a replay's ledger says it did and
 * earned. Pure: `buildBacktestReport(ledger, session, strategies)` reads `LedgerEntry[]` and returns plain numbers;
 * rounding happens only in `report-format.ts`.
 *
 * Definitions (the unit of a "trade" is one strategy in one window):
 * - traded window / `trades`: a window where the strategy got at least one BUY fill. `fills` counts fill entries
 *   (BUY and SELL); `orders` counts distinct order client tags (the last order entry of a tag wins).
 * - position: one (strategy, window, token). Its realised PnL is, when it has a settlement entry, that entry's
 *   `realizedUsd` (the whole position life: BUYs, SELLs, fees, payout; the last settlement entry of a position wins,
 *   fills are never added on top). Without one it is the house average-cost fold of its fills
 *   (`foldPosition`): what SELLs realised minus every fee paid; the cost of shares still held is not in it
 *   (`openCostUsd`). `pnlUsd` is the sum over positions, so it is after fees.
 * - resolved window: it has a position and none is open (each is settled, or flat after SELLs). `wins` counts traded,
 *   resolved windows with PnL > 0; `winRate` = wins / resolvedTrades (0 when there is none).
 * - EV: a traded window whose decision carries `ev` predicts ev × BUY shares of the decided outcome (fills with an
 *   unknown outcome included); error = realised PnL − predicted. Windows with no model EV (`evNoModelWindows`) or not
 *   resolved (`evUnresolvedWindows`) are excluded from the means; means are 0 when nothing is compared.
 * - `maxDrawdownUsd`: largest fall from a running peak (starting at 0) of cumulative realised PnL, stepping at each
 *   realisation time (settlement entry time; last fill time for unsettled positions); amounts at the same ms are
 *   one step. The curve ends at `pnlUsd`.
 * - `fillRatio`: filled / requested notional over orders with a known size: a share-sized order counts size × price
 *   asked and filledSize × price filled (so at one price it is filled shares / requested shares); a USD-sized market
 *   buy counts `usd` asked and the notional of its fills. 0 when nothing was requested.
 * - `volumeUsd`: Σ price × size over fills (both sides). `tradesPerHour`: trades / session hours (0 for an empty range).
 * - `markout5s` / `markout30s` / `markout60s`: the size-weighted mean mid move per share after the strategy's fills,
 *   signed in the fill's favour (backtest-markout.ts), from the sums a MarkoutTracker collected during the replay
 *   (the optional `markouts` argument); null when no fill was counted at that horizon or no sums were given.
 *
 * Invariants: no NaN or infinity in the output (empty groups give zeros or null); entries of strategies that are
 * not in the instance list are reported too (type from their decisions), so totals cover the whole ledger.
 */
import { foldPosition } from '../execution/positions';
import { markoutMeans, type MarkoutMeans, type MarkoutSums } from './backtest-markout';
import type { LedgerDecision, LedgerEntry, LedgerFill, LedgerOrder, LedgerSettlement } from './ledger-types';

export interface StrategyInstance { id: string; type: string }
export interface SessionRange { startMs: number; endMs: number }

export type WindowStatus = 'none' | 'open' | 'closed' | 'settled';

export interface WindowReport {
  strategyId: string;
  strategyType: string;
  windowSlug: string;
  decisionAction: 'traded' | 'skipped' | null;
  decisionReason: string | null;
  decisionOutcome: 'up' | 'down' | null;
  pHat: number | null;
  evPerShare: number | null;
  traded: boolean;
  tradedOutcome: 'up' | 'down' | 'both' | null;
  orders: number;
  fills: number;
  sharesBought: number;
  avgBuyPrice: number | null;
  sharesSold: number;
  volumeUsd: number;
  feesUsd: number;
  payoutUsd: number;
  status: WindowStatus;
  pnlUsd: number;
  won: boolean | null;
  predictedEvUsd: number | null;
  evErrorUsd: number | null;
}

/** The markout fields are optional in the type only (reports built before markouts existed); the builder sets them. */
export interface Metrics extends Partial<MarkoutMeans> {
  /** (strategy, window) pairs with any ledger entry. */
  windowsSeen: number;
  decisions: number;
  skipped: number;
  trades: number;
  fills: number;
  orders: number;
  rejectedOrders: number;
  resolvedTrades: number;
  wins: number;
  winRate: number;
  pnlUsd: number;
  feesUsd: number;
  volumeUsd: number;
  fillRatio: number;
  maxDrawdownUsd: number;
  tradesPerHour: number;
  evWindows: number;
  evNoModelWindows: number;
  evUnresolvedWindows: number;
  evErrorMeanUsd: number;
  evErrorMeanAbsUsd: number;
  openAtEnd: number;
  openCostUsd: number;
}

export type StrategyReport = { strategyId: string; strategyType: string } & Metrics;
export type TotalsReport = { strategies: number } & Metrics;

export interface BacktestReport {
  session: { startMs: number; endMs: number; hours: number };
  strategies: StrategyReport[];
  windows: WindowReport[];
  totals: TotalsReport;
}

/** Entries of one (strategy, window), in ledger order. */
interface WindowEntries {
  strategyId: string;
  windowSlug: string;
  decision: LedgerDecision | undefined;
  orders: Map<string, LedgerOrder>;
  fills: LedgerFill[];
  settlements: Map<string, LedgerSettlement>;
}

/** A window's report plus what the strategy fold needs and the report does not show. */
interface WindowCalc {
  report: WindowReport;
  realisations: { tsMs: number; usd: number }[];
  requestedUsd: number;
  filledUsd: number;
  rejectedOrders: number;
  openPositions: number;
  openCostUsd: number;
  resolved: boolean;
}

const FLAT = 1e-9;
const HOUR_MS = 3_600_000;

export function buildBacktestReport(
  ledger: readonly LedgerEntry[],
  session: SessionRange,
  strategies: readonly StrategyInstance[],
  markouts?: Readonly<Record<string, MarkoutSums>>,
): BacktestReport {
  const groups = groupByWindow(ledger);
  const types = new Map(strategies.map((s) => [s.id, s.type] as const));
  const extra = [...new Set([...groups.values()].map((g) => g.strategyId))].filter((id) => !types.has(id)).sort();
  for (const id of extra) {
    const d = [...groups.values()].find((g) => g.strategyId === id && g.decision)?.decision;
    types.set(id, d?.strategyType ?? 'unknown');
  }
  const hours = session.endMs > session.startMs ? (session.endMs - session.startMs) / HOUR_MS : 0;
  const calcs = [...groups.values()].map((g) => calcWindow(g, types.get(g.strategyId)!));
  const ids = [...strategies.map((s) => s.id), ...extra];
  const strategyReports = ids.map((id) => ({
    strategyId: id,
    strategyType: types.get(id)!,
    ...foldMetrics(calcs.filter((c) => c.report.strategyId === id), hours),
    ...markoutMeans(markouts, [id]),
  }));
  const rank = new Map(ids.map((id, i) => [id, i] as const));
  // Map iteration keeps first-appearance (ledger) order; a stable sort by strategy keeps it within a strategy.
  const ordered = [...calcs].sort((a, b) => rank.get(a.report.strategyId)! - rank.get(b.report.strategyId)!);
  return {
    session: { startMs: session.startMs, endMs: session.endMs, hours },
    strategies: strategyReports,
    windows: ordered.map((c) => c.report),
    totals: { strategies: ids.length, ...foldMetrics(calcs, hours), ...markoutMeans(markouts, Object.keys(markouts ?? {})) },
  };
}

function groupByWindow(ledger: readonly LedgerEntry[]): Map<string, WindowEntries> {
  const groups = new Map<string, WindowEntries>();
  for (const e of ledger) {
    const key = `${e.strategyId}\u0000${e.windowSlug}`;
    let g = groups.get(key);
    if (!g) {
      g = { strategyId: e.strategyId, windowSlug: e.windowSlug, decision: undefined, orders: new Map(), fills: [], settlements: new Map() };
      groups.set(key, g);
    }
    if (e.kind === 'decision') g.decision = e;
    else if (e.kind === 'order') g.orders.set(e.clientTag, e);
    else if (e.kind === 'fill') g.fills.push(e);
    else g.settlements.set(e.tokenId, e);
  }
  return groups;
}

function calcWindow(g: WindowEntries, strategyType: string): WindowCalc {
  const buys = g.fills.filter((f) => f.side === 'BUY');
  const sharesBought = sum(buys, (f) => f.size);
  const buyNotional = sum(buys, (f) => f.price * f.size);
  const traded = buys.length > 0;
  const tokens = new Set([...g.fills.map((f) => f.tokenId), ...g.settlements.keys()]);
  let pnlUsd = 0;
  let payoutUsd = 0;
  let openPositions = 0;
  let openCostUsd = 0;
  const realisations: { tsMs: number; usd: number }[] = [];
  for (const tokenId of tokens) {
    const settle = g.settlements.get(tokenId);
    if (settle) {
      pnlUsd += settle.realizedUsd;
      payoutUsd += settle.payoutUsd;
      realisations.push({ tsMs: settle.tsMs, usd: settle.realizedUsd });
      continue;
    }
    const mine = g.fills.filter((f) => f.tokenId === tokenId);
    const pos = foldPosition(g.windowSlug, tokenId, mine.map((f) => ({ key: f.tradeId, side: f.side, price: f.price, size: f.size, feeUsd: f.feeUsd, status: 'CONFIRMED' as const })));
    pnlUsd += pos.realizedUsd;
    realisations.push({ tsMs: mine[mine.length - 1]!.tsMs, usd: pos.realizedUsd });
    if (Math.abs(pos.shares) > FLAT) {
      openPositions += 1;
      openCostUsd += pos.costUsd;
    }
  }
  const resolved = tokens.size > 0 && openPositions === 0;
  const status: WindowStatus = tokens.size === 0 ? 'none' : openPositions > 0 ? 'open' : g.settlements.size > 0 ? 'settled' : 'closed';
  const d = g.decision;
  const ev = d?.ev;
  const predictedEvUsd = traded && ev !== undefined
    ? ev * sum(buys.filter((f) => d!.outcome === undefined || f.outcome === undefined || f.outcome === d!.outcome), (f) => f.size)
    : null;
  const outcomes = new Set(buys.map((f) => f.outcome).filter((o) => o !== undefined));
  let requestedUsd = 0;
  let filledUsd = 0;
  let rejectedOrders = 0;
  for (const o of g.orders.values()) {
    if (o.state === 'rejected') rejectedOrders += 1;
    if (o.size !== undefined) {
      requestedUsd += o.size * o.price;
      filledUsd += o.filledSize * o.price;
    } else if (o.usd !== undefined) {
      requestedUsd += o.usd;
      filledUsd += sum(g.fills.filter((f) => f.clientTag === o.clientTag), (f) => f.price * f.size);
    }
  }
  const report: WindowReport = {
    strategyId: g.strategyId,
    strategyType,
    windowSlug: g.windowSlug,
    decisionAction: d?.action ?? null,
    decisionReason: d?.reason ?? null,
    decisionOutcome: d?.outcome ?? null,
    pHat: d?.pHat ?? null,
    evPerShare: ev ?? null,
    traded,
    tradedOutcome: outcomes.size === 0 ? null : outcomes.size > 1 ? 'both' : [...outcomes][0]!,
    orders: g.orders.size,
    fills: g.fills.length,
    sharesBought,
    avgBuyPrice: sharesBought > 0 ? buyNotional / sharesBought : null,
    sharesSold: sum(g.fills.filter((f) => f.side === 'SELL'), (f) => f.size),
    volumeUsd: sum(g.fills, (f) => f.price * f.size),
    feesUsd: sum(g.fills, (f) => f.feeUsd),
    payoutUsd,
    status,
    pnlUsd,
    won: traded && resolved ? pnlUsd > 0 : null,
    predictedEvUsd,
    evErrorUsd: predictedEvUsd !== null && resolved ? pnlUsd - predictedEvUsd : null,
  };
  return { report, realisations, requestedUsd, filledUsd, rejectedOrders, openPositions, openCostUsd, resolved };
}

function foldMetrics(calcs: readonly WindowCalc[], hours: number): Metrics {
  const rs = calcs.map((c) => c.report);
  const tradedCalcs = calcs.filter((c) => c.report.traded);
  const resolvedTrades = tradedCalcs.filter((c) => c.resolved);
  const wins = resolvedTrades.filter((c) => c.report.pnlUsd > 0).length;
  const modelled = tradedCalcs.filter((c) => c.report.predictedEvUsd !== null);
  const errors = modelled.map((c) => c.report.evErrorUsd).filter((e): e is number => e !== null);
  const requestedUsd = sum(calcs, (c) => c.requestedUsd);
  return {
    windowsSeen: calcs.length,
    decisions: rs.filter((r) => r.decisionAction !== null).length,
    skipped: rs.filter((r) => r.decisionAction === 'skipped').length,
    trades: tradedCalcs.length,
    fills: sum(rs, (r) => r.fills),
    orders: sum(rs, (r) => r.orders),
    rejectedOrders: sum(calcs, (c) => c.rejectedOrders),
    resolvedTrades: resolvedTrades.length,
    wins,
    winRate: resolvedTrades.length > 0 ? wins / resolvedTrades.length : 0,
    pnlUsd: sum(rs, (r) => r.pnlUsd),
    feesUsd: sum(rs, (r) => r.feesUsd),
    volumeUsd: sum(rs, (r) => r.volumeUsd),
    fillRatio: requestedUsd > 0 ? sum(calcs, (c) => c.filledUsd) / requestedUsd : 0,
    maxDrawdownUsd: maxDrawdown(calcs.flatMap((c) => c.realisations)),
    tradesPerHour: hours > 0 ? tradedCalcs.length / hours : 0,
    evWindows: errors.length,
    evNoModelWindows: tradedCalcs.length - modelled.length,
    evUnresolvedWindows: modelled.length - errors.length,
    evErrorMeanUsd: errors.length > 0 ? sum(errors, (e) => e) / errors.length : 0,
    evErrorMeanAbsUsd: errors.length > 0 ? sum(errors, (e) => Math.abs(e)) / errors.length : 0,
    openAtEnd: sum(calcs, (c) => c.openPositions),
    openCostUsd: sum(calcs, (c) => c.openCostUsd),
  };
}

/** Largest peak-to-trough fall of cumulative realised PnL; the peak starts at 0, amounts at one ms are one step. */
export function maxDrawdown(realisations: readonly { tsMs: number; usd: number }[]): number {
  const byTs = new Map<number, number>();
  for (const r of realisations) byTs.set(r.tsMs, (byTs.get(r.tsMs) ?? 0) + r.usd);
  let equity = 0;
  let peak = 0;
  let worst = 0;
  for (const ts of [...byTs.keys()].sort((a, b) => a - b)) {
    equity += byTs.get(ts)!;
    peak = Math.max(peak, equity);
    worst = Math.max(worst, peak - equity);
  }
  return worst;
}

function sum<T>(xs: readonly T[], f: (x: T) => number): number {
  let s = 0;
  for (const x of xs) s += f(x);
  return s;
}
