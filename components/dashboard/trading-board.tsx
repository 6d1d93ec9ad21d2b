'use client';
/**
 * The trading half of the dashboard, laid out around the existing cards (passed in as slots so the layout lives in
 * one place): degraded banner; the series filter (asset and window-length chips, in the URL); one reference row per
 * asset; the grid of every configured series side by side (one column at 390 px); runtime, PnL, the balance and the
 * correlation card, feeds (+ activity), the kill switch (+ preflight, alerts); open orders and positions next to the recent fills;
 * recent events last. The series filter narrows the grid, the reference rows and the order, fill and position tables.
 */
import type { ReactNode } from 'react';
import { useTrading } from '../live/use-trading';
import { countsText, SeriesFilter, useSeriesFilter } from '../ui/series-filter';
import { inScope, slugMatcher } from '../ui/series-scope';
import { AlertsCard } from './alerts-card';
import { AssetPrices } from './asset-prices';
import { BalanceCard } from './balance-card';
import { CorrelationCard } from './correlation-card';
import { DegradedBanner } from './degraded-banner';
import { FeedsCard } from './feeds-card';
import { FillsCard } from './fills-card';
import { Empty } from './numbers';
import { OrdersCard } from './orders-card';
import { PnlCard } from './pnl-card';
import { PositionsCard } from './positions-card';
import { PreflightCard } from './preflight-card';
import { SeriesCard } from './series-card';

function Placeholder({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <div data-testid={testId} className="rounded-xl border border-slate-800 bg-slate-900/60 p-4 text-sm text-slate-500">
      {children}
    </div>
  );
}

export function TradingBoard({ runtime, activity, killSwitch, recentEvents }: { runtime: ReactNode; activity: ReactNode; killSwitch: ReactNode; recentEvents: ReactNode }) {
  const t = useTrading();
  const filter = useSeriesFilter();
  const d = t.data;
  const failed = t.isError ? `Cannot load /api/trading: ${String(t.error?.message ?? t.error)}` : null;
  const wait = failed ?? 'Loading trading data…';
  const series = d ? d.series.filter((s) => inScope(filter.scope, s)) : [];
  const assets = d ? d.assets.filter((a) => !filter.scoped || series.some((s) => s.asset === a.asset) || a.asset === filter.scope.asset) : [];
  const match = slugMatcher(filter.scope, d?.series ?? []);
  const orders = d ? d.openOrders.filter((o) => match(o.windowSlug)) : [];
  const fills = d ? d.fills.filter((f) => match(f.windowSlug)) : [];
  const positions = d ? d.positions.filter((p) => match(p.windowSlug)) : [];
  const assetOf = new Map(d?.assets.map((a) => [a.asset, a]) ?? []);
  return (
    <div className="space-y-4" data-testid="trading-board">
      {d && <DegradedBanner degraded={d.degraded} />}
      {failed && d && <Placeholder testId="trading-error">{failed} (showing the last snapshot)</Placeholder>}
      <SeriesFilter filter={filter} counts={d ? countsText(filter, series.length, d.series.length, 'series') : undefined} />
      {d ? <AssetPrices assets={assets} serverNow={t.serverNow} /> : <Placeholder testId="trading-loading">{wait}</Placeholder>}
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 xl:grid-cols-3 2xl:grid-cols-4" data-testid="windows-panel" data-count={series.length}>
        {d ? (
          series.length > 0 ? (
            series.map((s) => <SeriesCard key={s.key} series={s} asset={assetOf.get(s.asset)} serverNow={t.serverNow} tradingUp={d.tradingUp} />)
          ) : (
            <div className="sm:col-span-2 xl:col-span-3 2xl:col-span-4">
              <Empty testId="series-none">No configured series matches {filter.label}.</Empty>
            </div>
          )
        ) : (
          <Placeholder>Series: {wait}</Placeholder>
        )}
      </div>
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="flex min-w-0 flex-col gap-4">
          {runtime}
          {d ? <PnlCard pnl={d.pnl} openOrders={d.openOrdersTotal} asOfMs={d.tradingAsOfMs} /> : <Placeholder>PnL: {wait}</Placeholder>}
          {d ? <BalanceCard balance={d.balance} nowMs={d.nowMs} /> : <Placeholder>Balance: {wait}</Placeholder>}
          {d ? <CorrelationCard c={d.correlation} /> : <Placeholder>Correlation: {wait}</Placeholder>}
        </div>
        <div className="flex min-w-0 flex-col gap-4">
          {d ? <FeedsCard feeds={d.feeds} degraded={d.degraded} tradingUp={d.tradingUp} /> : <Placeholder>Feeds: {wait}</Placeholder>}
          {activity}
        </div>
        <div className="flex min-w-0 flex-col gap-4">
          {killSwitch}
          <PreflightCard />
          {d ? <AlertsCard alerts={d.alerts} feeds={d.feeds} /> : <Placeholder>Alerts: {wait}</Placeholder>}
        </div>
      </div>
      <div className="grid gap-4 xl:grid-cols-2">
        <div className="flex min-w-0 flex-col gap-4">
          {d ? (
            <>
              <OrdersCard orders={orders} total={filter.scoped ? orders.length : d.openOrdersTotal} nowMs={d.nowMs} tradingUp={d.tradingUp} scopeLabel={filter.scoped ? filter.label : undefined} />
              <PositionsCard positions={positions} tradingUp={d.tradingUp} asOfMs={d.tradingAsOfMs} {...(filter.scoped ? { title: `Positions · ${filter.label}` } : {})} />
            </>
          ) : (
            <Placeholder>Orders and positions: {wait}</Placeholder>
          )}
        </div>
        <div className="min-w-0">{d ? <FillsCard fills={fills} tradingUp={d.tradingUp} asOfMs={d.tradingAsOfMs} {...(filter.scoped ? { title: `Recent fills · ${filter.label}` } : {})} /> : <Placeholder>Fills: {wait}</Placeholder>}</div>
      </div>
      {recentEvents}
    </div>
  );
}
