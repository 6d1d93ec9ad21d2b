'use client';
/** Open orders (newest first): strategy, window, side and outcome, price, filled / size, type, state, age. */
import { memo } from 'react';
import { formatAge, formatProb, formatShares, formatUsd } from '../../lib/format';
import { windowLabel } from '../ui/window-label';
import type { OrderRow } from '../../lib/schemas/trading';
import { Card } from '../ui/card';
import { Empty } from './numbers';

const stateTone: Record<string, string> = { live: 'text-sky-300', partial: 'text-amber-300', submitted: 'text-slate-300', created: 'text-slate-400', unknown: 'text-red-300' };

function OrdersCardImpl({ orders, total, nowMs, tradingUp, scopeLabel }: { orders: OrderRow[]; total: number; nowMs: number; tradingUp: boolean; scopeLabel?: string | undefined }) {
  return (
    <Card title={`Open orders (${total})${scopeLabel ? ` · ${scopeLabel}` : ''}`} testId="orders-card">
      {orders.length === 0 ? (
        <Empty testId="orders-empty">{tradingUp ? 'No open orders.' : 'No open orders: the bot is stopped.'}</Empty>
      ) : (
        <div className="max-h-72 overflow-auto">
          <table className="w-full min-w-[600px] table-fixed text-left text-sm" data-testid="orders-table">
            <thead className="sticky top-0 bg-slate-900 text-xs text-slate-500">
              <tr>
                <th className="w-[15%] py-1 font-normal">strategy</th>
                <th className="w-[17%] font-normal">window</th>
                <th className="w-[13%] font-normal">side</th>
                <th className="text-right font-normal">price</th>
                <th className="w-[15%] whitespace-nowrap pl-2 text-right font-normal">filled / size</th>
                <th className="w-[11%] pl-3 font-normal">type</th>
                <th className="w-[11%] font-normal">state</th>
                <th className="text-right font-normal">age</th>
              </tr>
            </thead>
            <tbody className="font-mono text-xs tabular-nums">
              {orders.map((o) => (
                <tr key={o.clientTag} className="border-t border-slate-800" title={o.clientTag}>
                  <td className="truncate py-1 font-sans">{o.strategyId}</td>
                  <td className="truncate" title={o.windowSlug}>{windowLabel(o.windowSlug)}</td>
                  <td className={o.side === 'BUY' ? 'text-emerald-300' : 'text-rose-300'}>
                    {o.side} {o.outcome?.toUpperCase() ?? '?'}
                  </td>
                  <td className="text-right">{formatProb(o.price)}</td>
                  <td className="whitespace-nowrap pl-2 text-right">
                    {formatShares(o.filledSize)} / {o.size != null ? formatShares(o.size) : o.usd != null ? formatUsd(o.usd) : '—'}
                  </td>
                  <td className="truncate pl-3">
                    {o.orderType}
                    {o.postOnly ? ' PO' : ''}
                  </td>
                  <td className={stateTone[o.state] ?? 'text-slate-300'}>{o.state}</td>
                  <td className="text-right text-slate-400">{formatAge(Math.max(0, nowMs - o.createdMs))}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {total > orders.length && <p className="mt-1 text-xs text-slate-500">showing the newest {orders.length} of {total}</p>}
        </div>
      )}
    </Card>
  );
}

export const OrdersCard = memo(OrdersCardImpl);
