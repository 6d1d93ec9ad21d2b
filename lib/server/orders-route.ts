/**
 * GET /api/orders: the Orders & PnL page's read model, and `?format=csv&table=orders|fills|positions|settlements`, the
 * same rows as a CSV download. Read from the running venue session (order tracker: every order, fill and position it
 * keeps; catalog: outcomes and winners; market feed: best bids for the unrealised mark); while the bot is stopped,
 * orders and fills come from the execution journal.
 *
 * The equity curve is realised PnL over time, folded per (window, token) like bot/execution/positions.ts (average
 * cost, fills in arrival order): a fill moves it by −fee (+ the closed shares' gain on a SELL) at the fill's time; a
 * settlement moves it by the rest of the position's realised PnL at the window's end. So the curve ends exactly at the
 * sum of the positions' realised PnL. PnL per strategy folds the same way per (strategy, window, token).
 *
 * Invariants: read-only; the query is parsed with `ordersQuerySchema` (a bad one is a 400 naming the parameter); every
 * list bounded by `limit`, totals reported; the JSON parses with `ordersResponseSchema`; CSV cells are RFC 4180
 * escaped (quotes doubled, cells with , " CR LF or edge spaces quoted, CRLF rows) and text starting with = + - @ is
 * prefixed with ' so a spreadsheet never runs it as a formula.
 */
import 'server-only';
import type { JournalFill, JournalOrder } from '../../bot/execution/journal';
import type { Position } from '../../bot/execution/positions';
import { parseSlug } from '../../bot/markets';
import { queryObject } from '../schemas/audit';
import {
  ordersLimits, ordersQuerySchema, type EquityPoint, type OrdersOrderRow, type OrdersQuery, type OrdersResponse, type SettlementRow, type StrategyPnlRow,
} from '../schemas/orders';
import type { FillRow, PositionRow } from '../schemas/trading';
import { ApiProblem, withApi } from './api';
import { csvTable, toCsv } from './orders-csv';
import { getRuntimeHolder, type RuntimeHolder } from './runtime-registry';

/** What the read model is built from: plain data and lookups (the route fills it from the runtime; tests by hand). */
export interface OrdersInput {
  nowMs: number;
  seq: number;
  source: OrdersResponse['source'];
  orders: readonly JournalOrder[];
  /** In arrival order (the order positions are folded in). */
  fills: readonly JournalFill[];
  positions: readonly Position[];
  outcomeOf(tokenId: string): 'up' | 'down' | null;
  /** Best bid of a token now (undefined: no book). */
  bidOf(tokenId: string): number | undefined;
  /** The winning token of a resolved window, when the catalog knows it. */
  winnerOf(windowSlug: string): string | undefined;
}

const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
const endOf = (slug: string) => parseSlug(slug)?.endMs ?? 0;

export function parseOrdersQuery(url: URL): OrdersQuery {
  const parsed = ordersQuerySchema.safeParse(queryObject(url.searchParams));
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || (i.code === 'unrecognized_keys' ? i.keys.join(',') : '(query)'), message: i.message }));
  throw new ApiProblem('bad_request', `bad query: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`, fields);
}

interface Fold {
  shares: number;
  cost: number;
  realized: number;
  lastTsMs: number;
  events: EquityPoint[];
}

/** Average-cost fold of one position's live fills (bot/execution/positions.ts foldPosition), keeping each realised step. */
function foldFills(fills: readonly JournalFill[]): Fold {
  const f: Fold = { shares: 0, cost: 0, realized: 0, lastTsMs: 0, events: [] };
  for (const x of fills) {
    if (x.status === 'FAILED') continue;
    let delta = -x.feeUsd;
    if (x.side === 'BUY') {
      f.shares += x.size;
      f.cost += x.size * x.price;
    } else {
      const avg = f.shares > 0 ? f.cost / f.shares : 0;
      const closed = Math.min(x.size, Math.max(f.shares, 0));
      delta += closed * (x.price - avg);
      f.cost -= closed * avg;
      f.shares -= x.size;
      if (x.size > closed) f.cost -= (x.size - closed) * x.price;
    }
    f.realized += delta;
    f.lastTsMs = Math.max(f.lastTsMs, x.tsMs);
    f.events.push({ tsMs: x.tsMs, realizedUsd: delta });
  }
  return f;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const t of items) {
    const k = key(t);
    const list = out.get(k);
    if (list) list.push(t);
    else out.set(k, [t]);
  }
  return out;
}

/** Cumulative sum of realised steps in time order, down-sampled to at most `max` points (the last one kept). */
export function cumulate(steps: readonly EquityPoint[], max: number = ordersLimits.equityPoints): EquityPoint[] {
  const sorted = [...steps].sort((a, b) => a.tsMs - b.tsMs);
  const all: EquityPoint[] = [];
  let sum = 0;
  for (const s of sorted) {
    sum += s.realizedUsd;
    const point = { tsMs: s.tsMs, realizedUsd: r6(sum) };
    if (all.length > 0 && all[all.length - 1]!.tsMs === s.tsMs) all[all.length - 1] = point;
    else all.push(point);
  }
  if (all.length <= max) return all;
  const out: EquityPoint[] = [];
  const step = (all.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(all[Math.round(i * step)]!);
  return out;
}

function positionRow(p: Position, input: OrdersInput): PositionRow {
  const bid = !p.settled && p.shares !== 0 ? input.bidOf(p.tokenId) : undefined;
  return {
    windowSlug: p.windowSlug, tokenId: p.tokenId, outcome: input.outcomeOf(p.tokenId), shares: p.shares, provisionalShares: p.provisionalShares, avgPrice: p.avgPrice,
    costUsd: p.costUsd, realizedUsd: p.realizedUsd, feesUsd: p.feesUsd, settled: p.settled, payoutUsd: p.payoutUsd, markPrice: bid ?? null,
  };
}

/** The whole read model (lists cut to `limit`, newest first). */
export function buildOrders(input: OrdersInput, limit: number): OrdersResponse {
  const orderByClient = new Map(input.orders.map((o) => [o.clientId, o]));
  const orderByVenueId = new Map(input.orders.filter((o) => o.orderId).map((o) => [o.orderId!, o]));
  const orderOf = (f: JournalFill) => (f.clientId ? orderByClient.get(f.clientId) : undefined) ?? orderByVenueId.get(f.orderId);
  const strategyOf = (f: JournalFill) => orderOf(f)?.strategyId ?? 'unattributed';

  const orders: OrdersOrderRow[] = [...input.orders]
    .sort((a, b) => b.createdMs - a.createdMs || (a.clientTag < b.clientTag ? -1 : 1))
    .slice(0, limit)
    .map((o) => ({
      clientTag: o.clientTag, strategyId: o.strategyId, windowSlug: o.windowSlug, outcome: input.outcomeOf(o.tokenId), side: o.side, price: o.price, size: o.size ?? null,
      usd: o.usd ?? null, filledSize: o.filledSize, orderType: o.orderType, postOnly: o.postOnly, state: o.state, reason: o.reason ?? null, createdMs: o.createdMs, updatedMs: o.updatedMs,
    }));

  const fills: FillRow[] = [...input.fills]
    .sort((a, b) => b.tsMs - a.tsMs || (a.key < b.key ? -1 : 1))
    .slice(0, limit)
    .map((f) => {
      const o = orderOf(f);
      return {
        tradeId: f.tradeId, clientTag: o?.clientTag ?? null, strategyId: o?.strategyId ?? null, windowSlug: f.windowSlug, outcome: input.outcomeOf(f.tokenId), side: f.side,
        price: f.price, size: f.size, feeUsd: f.feeUsd, liquidity: f.liquidity, status: f.status, provisional: f.status !== 'CONFIRMED' && f.status !== 'FAILED', tsMs: f.tsMs,
      };
    });

  const shown = input.positions.filter((p) => !p.settled || p.realizedUsd !== 0 || p.payoutUsd !== 0);
  const positions = [...shown]
    .sort((a, b) => Number(a.settled) - Number(b.settled) || endOf(b.windowSlug) - endOf(a.windowSlug) || (a.tokenId < b.tokenId ? -1 : 1))
    .slice(0, limit)
    .map((p) => positionRow(p, input));

  const posByKey = new Map(input.positions.map((p) => [`${p.windowSlug}|${p.tokenId}`, p]));
  const wonBy = (p: Position) => p.payoutUsd > 0 || input.winnerOf(p.windowSlug) === p.tokenId;
  const settledAt = (windowSlug: string, lastFillMs: number) => Math.max(endOf(windowSlug), lastFillMs);

  const settledAll = input.positions.filter((p) => p.settled);
  const lastFillByKey = new Map<string, number>();
  for (const f of input.fills) lastFillByKey.set(`${f.windowSlug}|${f.tokenId}`, Math.max(lastFillByKey.get(`${f.windowSlug}|${f.tokenId}`) ?? 0, f.tsMs));
  const settlements: SettlementRow[] = settledAll
    .map((p) => ({
      windowSlug: p.windowSlug, tokenId: p.tokenId, outcome: input.outcomeOf(p.tokenId), won: wonBy(p), payoutUsd: p.payoutUsd, realizedUsd: p.realizedUsd, feesUsd: p.feesUsd,
      settledMs: settledAt(p.windowSlug, lastFillByKey.get(`${p.windowSlug}|${p.tokenId}`) ?? 0),
    }))
    .sort((a, b) => b.settledMs - a.settledMs || (a.windowSlug + a.tokenId < b.windowSlug + b.tokenId ? -1 : 1))
    .slice(0, limit);

  // Equity: per (window, token) like the position book; a settlement books the rest of the position's realised PnL.
  const steps: EquityPoint[] = [];
  let unrealized = 0;
  let unmarkable = false;
  for (const [key, list] of groupBy(input.fills, (f) => `${f.windowSlug}|${f.tokenId}`)) {
    const fold = foldFills(list);
    steps.push(...fold.events);
    const p = posByKey.get(key);
    if (p?.settled) steps.push({ tsMs: settledAt(p.windowSlug, fold.lastTsMs), realizedUsd: p.realizedUsd - fold.realized });
  }
  for (const p of input.positions) {
    if (p.settled || p.shares <= 0) continue;
    const bid = input.bidOf(p.tokenId);
    if (bid === undefined) unmarkable = true;
    else unrealized += p.shares * bid - p.costUsd;
  }
  const points = cumulate(steps);
  const realizedTotal = r6(input.positions.reduce((s, p) => s + p.realizedUsd, 0));

  return {
    nowMs: input.nowMs,
    seq: input.seq,
    source: input.source,
    limit,
    orders,
    ordersTotal: input.orders.length,
    fills,
    fillsTotal: input.fills.length,
    positions,
    positionsTotal: shown.length,
    settlements,
    settlementsTotal: settledAll.length,
    equity: { points, realizedUsd: realizedTotal, unrealizedUsd: unmarkable ? null : r6(unrealized), events: steps.length },
    strategies: strategyPnl(input, strategyOf, posByKey, wonBy),
  };
}

/** PnL per strategy: its fills folded per (window, token); settled windows pay the winner 1 per share. */
function strategyPnl(input: OrdersInput, strategyOf: (f: JournalFill) => string, posByKey: Map<string, Position>, wonBy: (p: Position) => boolean): StrategyPnlRow[] {
  const rows = new Map<string, StrategyPnlRow>();
  const row = (id: string) => {
    let r = rows.get(id);
    if (!r) rows.set(id, (r = { strategyId: id, orders: 0, fills: 0, volumeUsd: 0, feesUsd: 0, realizedUsd: 0, openCostUsd: 0, unrealizedUsd: 0 }));
    return r;
  };
  for (const o of input.orders) row(o.strategyId).orders++;
  for (const [key, list] of groupBy(input.fills, (f) => `${strategyOf(f)}|${f.windowSlug}|${f.tokenId}`)) {
    const r = row(key.slice(0, key.indexOf('|')));
    const first = list[0]!;
    for (const f of list) {
      if (f.status === 'FAILED') continue;
      r.fills++;
      r.volumeUsd += f.price * f.size;
      r.feesUsd += f.feeUsd;
    }
    const fold = foldFills(list);
    r.realizedUsd += fold.realized;
    const p = posByKey.get(`${first.windowSlug}|${first.tokenId}`);
    if (p?.settled) r.realizedUsd += (wonBy(p) ? fold.shares : 0) - fold.cost;
    else if (fold.shares > 0) {
      r.openCostUsd += fold.cost;
      const bid = input.bidOf(first.tokenId);
      r.unrealizedUsd = bid === undefined || r.unrealizedUsd === null ? null : r.unrealizedUsd + fold.shares * bid - fold.cost;
    }
  }
  return [...rows.values()]
    .map((r) => ({ ...r, volumeUsd: r6(r.volumeUsd), feesUsd: r6(r.feesUsd), realizedUsd: r6(r.realizedUsd), openCostUsd: r6(r.openCostUsd), unrealizedUsd: r.unrealizedUsd === null ? null : r6(r.unrealizedUsd) }))
    .sort((a, b) => (a.strategyId < b.strategyId ? -1 : 1))
    .slice(0, ordersLimits.strategies);
}

/** The answer for a parsed query: JSON, or a CSV attachment named after the table and the server time. */
export function ordersAnswer(input: OrdersInput, q: OrdersQuery): OrdersResponse | Response {
  if (q.format === 'json') return buildOrders(input, q.limit ?? ordersLimits.jsonDefault);
  const table = q.table!;
  const { header, rows } = csvTable(table, buildOrders(input, q.limit ?? ordersLimits.csvMax));
  const stamp = new Date(input.nowMs).toISOString().replace(/[:.]/g, '-');
  return new Response(toCsv(header, rows), {
    headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${table}-${stamp}.csv"`, 'Cache-Control': 'no-store' },
  });
}

/** The answer for the running session, or the journal while the bot is stopped. */
export function ordersFor(holder: RuntimeHolder, q: OrdersQuery): OrdersResponse | Response {
  const rt = holder.runtime;
  const stack = rt.session?.stack;
  const base = { nowMs: rt.clock.nowMs(), seq: rt.bus.stats.lastSeq };
  if (stack) {
    const outcomeOf = (tokenId: string) => {
      const r = stack.catalog.byToken(tokenId);
      return r ? (r.upTokenId === tokenId ? 'up' : 'down') : null;
    };
    return ordersAnswer({
      ...base, source: 'session', orders: stack.tracker.all(), fills: stack.tracker.allFills(), positions: stack.tracker.positions.all(), outcomeOf,
      bidOf: (tokenId) => stack.marketFeed.book(tokenId)?.bestBid(),
      winnerOf: (slug) => stack.catalog.get(slug)?.winningTokenId,
    }, q);
  }
  // Stopped: the journal still has the orders and fills (bounded: open + recent terminal orders, recent fills).
  const orders = rt.store.journal.loadOrders();
  const fills = rt.store.journal.loadFills();
  return ordersAnswer({
    ...base, source: orders.length + fills.length > 0 ? 'journal' : 'none', orders, fills, positions: [], outcomeOf: () => null, bidOf: () => undefined, winnerOf: () => undefined,
  }, q);
}

export const ordersRoute = withApi({ mutating: false }, ({ req, holder }) => ordersFor(holder, parseOrdersQuery(new URL(req.url))));

/** The page's first snapshot, rendered on the server (null when the runtime is not up). */
export function ordersSnapshotNow(): OrdersResponse | null {
  try {
    const r = ordersFor(getRuntimeHolder(), parseOrdersQuery(new URL('http://localhost/api/orders')));
    return r instanceof Response ? null : r;
  } catch {
    return null;
  }
}

