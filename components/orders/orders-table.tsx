'use client';
/** Every order of the session (any state), newest first: time, strategy, window, side, type, price, size, filled, state. */
import { memo, type ReactNode } from 'react';
import { formatClock, formatProb, formatShares, formatUsd } from '../../lib/format';
import { windowLabel } from '../ui/window-label';
import type { OrdersOrderRow } from '../../lib/schemas/orders';
import { Card } from '../ui/card';
import { Empty } from '../dashboard/numbers';

const stateTone: Record<OrdersOrderRow['state'], string> = {
  created: 'text-slate-300', submitted: 'text-sky-300', live: 'text-sky-300', partial: 'text-amber-300', filled: 'text-emerald-300',
  canceled: 'text-slate-500', rejected: 'text-red-300', unknown: 'text-amber-300',
};

function OrdersTableImpl({ orders, total, actions, emptyText }: { orders: OrdersOrderRow[]; total: number; actions?: ReactNode; emptyText: string }) {
  return (
    <Card title={`Orders (${orders.length < total ? `newest ${orders.length} of ${total}` : total})`} testId="orders-table-card" actions={actions}>
      {orders.length === 0 ? (
        <Empty testId="orders-empty">{emptyText}</Empty>
      ) : (
        <div className="max-h-[28rem] overflow-auto" data-testid="orders-scroll">
          <table className="w-full min-w-[820px] table-fixed text-left text-sm" data-testid="orders-table">
            <thead className="sticky top-0 bg-slate-900 text-xs text-slate-500">
              <tr>
                <th className="w-24 py-1 font-normal">created (UTC)</th>
                <th className="w-32 font-normal">strategy</th>
                <th className="w-28 font-normal">window</th>
                <th className="w-24 font-normal">side</th>
                <th className="w-20 font-normal">type</th>
                <th className="text-right font-normal">price</th>
                <th className="text-right font-normal" title="shares (or USD for a market BUY)">size</th>
                <th className="text-right font-normal">filled sh.</th>
                <th className="w-36 pl-3 font-normal">state</th>
              </tr>
            </thead>
            <tbody className="whitespace-nowrap font-mono text-xs tabular-nums">
              {orders.map((o) => (
                <tr key={o.clientTag} className="border-t border-slate-800" title={o.clientTag} data-testid="order-row" data-tag={o.clientTag}>
                  <td className="py-1 text-slate-400">{formatClock(o.createdMs)}</td>
                  <td className="truncate font-sans">{o.strategyId}</td>
                  <td className="truncate" title={o.windowSlug}>{windowLabel(o.windowSlug)}</td>
                  <td className={o.side === 'BUY' ? 'text-emerald-300' : 'text-rose-300'}>
                    {o.side} {o.outcome?.toUpperCase() ?? '?'}
                  </td>
                  <td className="text-slate-400">
                    {o.orderType}
                    {o.postOnly ? ' PO' : ''}
                  </td>
                  <td className="text-right" data-testid="order-price">{formatProb(o.price)}</td>
                  <td className="text-right" data-testid="order-size">{o.size !== null ? formatShares(o.size) : o.usd !== null ? formatUsd(o.usd) : '—'}</td>
                  <td className="text-right" data-testid="order-filled">{formatShares(o.filledSize)}</td>
                  <td className={`truncate pl-3 font-sans ${stateTone[o.state]}`} title={o.reason ?? o.state} data-testid="order-state">
                    {o.state}
                    {o.reason ? <span className="ml-1 text-slate-500">({o.reason})</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

export const OrdersTable = memo(OrdersTableImpl);
