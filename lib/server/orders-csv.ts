/**
 * CSV export of the Orders & PnL read model (GET /api/orders?format=csv&table=…): RFC 4180 cells (quoted when needed,
 * quotes doubled, CRLF line ends) and formula-looking text defused with a leading quote, so that a spreadsheet never
 * runs a cell; numbers stay numbers, times are given as UTC ISO text and epoch ms.
 */
import type { OrdersResponse, OrdersTable } from '../schemas/orders';

export type Cell = string | number | boolean | null;

/** One CSV cell (RFC 4180): quoted when it holds , " CR LF or edge spaces, quotes doubled; formula-looking text defused. */
export function csvCell(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

const iso = (ms: number) => (Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : null);

/** Header and rows of one table of the read model. */
export function csvTable(table: OrdersTable, m: OrdersResponse): { header: string[]; rows: Cell[][] } {
  switch (table) {
    case 'orders':
      return {
        header: ['created_utc', 'created_ms', 'updated_ms', 'client_tag', 'strategy', 'window', 'outcome', 'side', 'order_type', 'post_only', 'price', 'size', 'usd', 'filled_size', 'state', 'reason'],
        rows: m.orders.map((o) => [iso(o.createdMs), o.createdMs, o.updatedMs, o.clientTag, o.strategyId, o.windowSlug, o.outcome, o.side, o.orderType, o.postOnly, o.price, o.size, o.usd, o.filledSize, o.state, o.reason]),
      };
    case 'fills':
      return {
        header: ['ts_utc', 'ts_ms', 'trade_id', 'client_tag', 'strategy', 'window', 'outcome', 'side', 'price', 'size', 'fee_usd', 'liquidity', 'status', 'provisional'],
        rows: m.fills.map((f) => [iso(f.tsMs), f.tsMs, f.tradeId, f.clientTag, f.strategyId, f.windowSlug, f.outcome, f.side, f.price, f.size, f.feeUsd, f.liquidity, f.status, f.provisional]),
      };
    case 'positions':
      return {
        header: ['window', 'token_id', 'outcome', 'shares', 'provisional_shares', 'avg_price', 'cost_usd', 'mark_price', 'realized_usd', 'fees_usd', 'settled', 'payout_usd'],
        rows: m.positions.map((p) => [p.windowSlug, p.tokenId, p.outcome, p.shares, p.provisionalShares, p.avgPrice, p.costUsd, p.markPrice, p.realizedUsd, p.feesUsd, p.settled, p.payoutUsd]),
      };
    case 'settlements':
      return {
        header: ['settled_utc', 'settled_ms', 'window', 'token_id', 'outcome', 'won', 'payout_usd', 'realized_usd', 'fees_usd'],
        rows: m.settlements.map((s) => [iso(s.settledMs), s.settledMs, s.windowSlug, s.tokenId, s.outcome, s.won, s.payoutUsd, s.realizedUsd, s.feesUsd]),
      };
  }
}
