'use client';
/**
 * The Orders & PnL page: headline PnL figures, the equity curve, PnL per strategy, then orders, fills, positions and
 * settlements, each table with a CSV download of all its rows (GET /api/orders?format=csv&table=…). Live through
 * useOrders (order / fill events laid over the last answer, ≤ 10 renders/s, refetch after each burst). The series
 * filter (URL) narrows the four tables to the rows of its series (by window slug, over the rows already fetched); the
 * PnL figures, equity curve and PnL per strategy stay totals over every series (marked so while filtered).
 */
import { formatClock, formatUsd } from '../../lib/format';
import type { OrdersResponse, OrdersTable as TableName } from '../../lib/schemas/orders';
import { FillsCard } from '../dashboard/fills-card';
import { SignedUsd } from '../dashboard/numbers';
import { PositionsCard } from '../dashboard/positions-card';
import { Card, Stat } from '../ui/card';
import { countsText, SeriesFilter, useSeriesFilter } from '../ui/series-filter';
import { EquityChart } from './equity-chart';
import { OrdersTable } from './orders-table';
import { SettlementsTable } from './settlements-table';
import { StrategyPnlTable } from './strategy-pnl-table';
import { useOrders } from './use-orders';

function CsvLink({ table }: { table: TableName }) {
  return (
    <a
      href={`/api/orders?format=csv&table=${table}`}
      download
      data-testid={`csv-${table}`}
      className="rounded-md bg-slate-800 px-2 py-0.5 text-xs text-slate-300 hover:bg-slate-700 hover:text-slate-100"
      title={`download every ${table} row as CSV`}
    >
      CSV ↓
    </a>
  );
}

export function OrdersView({ initial = null }: { initial?: OrdersResponse | null }) {
  const { data: d, error, isError, isLoading, live } = useOrders(initial);
  const filter = useSeriesFilter();
  if (isLoading) return <p className="py-10 text-center text-sm text-slate-500" data-testid="orders-loading">Loading orders…</p>;
  if (isError || !d)
    return (
      <p className="rounded-md border border-red-900 bg-red-950/40 px-3 py-4 text-sm text-red-300" data-testid="orders-error">
        Could not load orders: {error instanceof Error ? error.message : 'unknown error'}
      </p>
    );
  const stopped = d.source !== 'session';
  const emptyText = stopped ? 'Nothing yet: the bot is stopped.' : 'None yet: paper trading places its first orders within a minute or so.';
  const total = d.equity.unrealizedUsd === null ? null : d.equity.realizedUsd + d.equity.unrealizedUsd;
  const m = filter.matchSlug;
  const orders = filter.scoped ? d.orders.filter((o) => m(o.windowSlug)) : d.orders;
  const fills = filter.scoped ? d.fills.filter((f) => m(f.windowSlug)) : d.fills;
  const positions = filter.scoped ? d.positions.filter((p) => m(p.windowSlug)) : d.positions;
  const settlements = filter.scoped ? d.settlements.filter((x) => m(x.windowSlug)) : d.settlements;
  const shownRows = orders.length + fills.length + positions.length + settlements.length;
  const allRows = d.orders.length + d.fills.length + d.positions.length + d.settlements.length;
  const allSeries = filter.scoped ? ' · all series' : '';
  const emptyScoped = filter.scoped ? `None for ${filter.label}.` : emptyText;
  return (
    <div className="flex flex-col gap-4" data-testid="orders-page" data-seq={d.seq}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-xl font-semibold">Orders &amp; PnL</h1>
        <p className="text-xs text-slate-500" data-testid="orders-live">
          {stopped ? (
            <span className="text-amber-300">bot stopped: orders and fills from the journal; positions and PnL appear when it runs</span>
          ) : (
            <>server time {formatClock(d.nowMs)} UTC · {live.events} live order/position events{live.lastEventMs !== null ? `, last ${formatClock(live.lastEventMs)}` : ''}</>
          )}
        </p>
      </div>
      <SeriesFilter filter={filter} counts={countsText(filter, shownRows, allRows)} />
      <Card title={`PnL${allSeries}`} testId="pnl-summary">
        <div className="grid grid-cols-2 gap-4 sm:grid-cols-4">
          <Stat label="realised (USD)" value={<SignedUsd value={d.equity.realizedUsd} testId="pnl-realized" />} />
          <Stat label="unrealised at bid (USD)" value={<SignedUsd value={d.equity.unrealizedUsd} testId="pnl-unrealized" />} />
          <Stat label="total (USD)" value={<SignedUsd value={total} testId="pnl-total" />} />
          <Stat label="fees (USD)" value={<span data-testid="pnl-fees">{formatUsd(d.strategies.reduce((s, r) => s + r.feesUsd, 0), 3)}</span>} />
        </div>
      </Card>
      <div className="grid gap-4 xl:grid-cols-2">
        <div className="min-w-0">
          <Card title={`Equity curve${allSeries}`} testId="equity-card">
            <EquityChart equity={d.equity} nowMs={d.nowMs} />
          </Card>
        </div>
        <div className="min-w-0">
          <Card title={`PnL per strategy${allSeries}`} testId="strategy-pnl-card">
            <StrategyPnlTable rows={d.strategies} />
          </Card>
        </div>
      </div>
      <OrdersTable orders={orders} total={filter.scoped ? orders.length : d.ordersTotal} actions={<CsvLink table="orders" />} emptyText={emptyScoped} />
      <div className="grid gap-4 xl:grid-cols-2">
        <div className="min-w-0">
          <FillsCard fills={fills} tradingUp={!stopped} asOfMs={null} title={filter.scoped ? `Fills (${fills.length}) · ${filter.label}` : `Fills (${d.fills.length < d.fillsTotal ? `newest ${d.fills.length} of ${d.fillsTotal}` : d.fillsTotal})`} actions={<CsvLink table="fills" />} maxHeightClass="max-h-96" />
        </div>
        <div className="flex min-w-0 flex-col gap-4">
          <PositionsCard positions={positions} tradingUp={!stopped} asOfMs={null} title={filter.scoped ? `Positions (${positions.length}) · ${filter.label}` : `Positions (${d.positionsTotal})`} actions={<CsvLink table="positions" />} maxHeightClass="max-h-96" />
          <SettlementsTable rows={settlements} total={filter.scoped ? settlements.length : d.settlementsTotal} actions={<CsvLink table="settlements" />} emptyText={filter.scoped ? emptyScoped : stopped ? 'Settlements are read from the running bot.' : 'No window with a position of ours has resolved yet.'} />
        </div>
      </div>
    </div>
  );
}
