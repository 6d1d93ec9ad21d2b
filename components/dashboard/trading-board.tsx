'use client';
/**
 * The trading half of the dashboard, laid out around the existing cards (passed in as slots so the layout lives in
 * one place): degraded banner and reference strip; the 5m and 15m windows next to the runtime card; PnL, feeds
 * (+ activity) and the kill switch (+ preflight, alerts); open orders and positions next to the recent fills; recent events last.
 */
import type { ReactNode } from 'react';
import { useTrading } from '../live/use-trading';
import { AlertsCard } from './alerts-card';
import { DegradedBanner } from './degraded-banner';
import { FeedsCard } from './feeds-card';
import { FillsCard } from './fills-card';
import { OrdersCard } from './orders-card';
import { PnlCard } from './pnl-card';
import { PositionsCard } from './positions-card';
import { PreflightCard } from './preflight-card';
import { ReferenceBar } from './reference-bar';
import { WindowCard } from './window-card';

function Placeholder({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <div data-testid={testId} className="rounded-xl border border-slate-800 bg-slate-900/60 p-4 text-sm text-slate-500">
      {children}
    </div>
  );
}

export function TradingBoard({ runtime, activity, killSwitch, recentEvents }: { runtime: ReactNode; activity: ReactNode; killSwitch: ReactNode; recentEvents: ReactNode }) {
  const t = useTrading();
  const d = t.data;
  const failed = t.isError ? `Cannot load /api/trading: ${String(t.error?.message ?? t.error)}` : null;
  const wait = failed ?? 'Loading trading data…';
  // The Chainlink reference is stale when its feed (PolyBolt or legacy RTDS) says so.
  const refStale = !!d && d.tradingUp && d.feeds.some((f) => (f.feed === 'polybolt' || f.feed === 'rtds') && f.used && f.stale);
  return (
    <div className="space-y-4" data-testid="trading-board">
      {d && <DegradedBanner degraded={d.degraded} />}
      {failed && d && <Placeholder testId="trading-error">{failed} (showing the last snapshot)</Placeholder>}
      {d ? <ReferenceBar reference={d.reference} refStale={refStale} /> : <Placeholder testId="trading-loading">{wait}</Placeholder>}
      <div className="grid gap-4 lg:grid-cols-3" data-testid="windows-panel">
        {d ? (
          d.series.map((s) => <WindowCard key={s.kind} series={s} reference={d.reference} refStale={refStale} serverNow={t.serverNow} tradingUp={d.tradingUp} />)
        ) : (
          <>
            <Placeholder>5m window: {wait}</Placeholder>
            <Placeholder>15m window: {wait}</Placeholder>
          </>
        )}
        {runtime}
      </div>
      <div className="grid gap-4 lg:grid-cols-3">
        {d ? <PnlCard pnl={d.pnl} openOrders={d.openOrdersTotal} asOfMs={d.tradingAsOfMs} /> : <Placeholder>PnL: {wait}</Placeholder>}
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
              <OrdersCard orders={d.openOrders} total={d.openOrdersTotal} nowMs={d.nowMs} tradingUp={d.tradingUp} />
              <PositionsCard positions={d.positions} tradingUp={d.tradingUp} asOfMs={d.tradingAsOfMs} />
            </>
          ) : (
            <Placeholder>Orders and positions: {wait}</Placeholder>
          )}
        </div>
        <div className="min-w-0">{d ? <FillsCard fills={d.fills} tradingUp={d.tradingUp} asOfMs={d.tradingAsOfMs} /> : <Placeholder>Fills: {wait}</Placeholder>}</div>
      </div>
      {recentEvents}
    </div>
  );
}
