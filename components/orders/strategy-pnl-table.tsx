'use client';
/** PnL per strategy: orders, fills, volume, fees, realised (settlements included), open cost and unrealised at the bid. */
import { memo } from 'react';
import { formatUsd } from '../../lib/format';
import type { StrategyPnlRow } from '../../lib/schemas/orders';
import { Empty, SignedUsd } from '../dashboard/numbers';

function StrategyPnlTableImpl({ rows }: { rows: StrategyPnlRow[] }) {
  if (rows.length === 0) return <Empty testId="strategy-pnl-empty">No strategy has placed an order yet.</Empty>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[600px] text-left text-sm" data-testid="strategy-pnl-table">
        <thead className="text-xs text-slate-500">
          <tr>
            <th className="py-1 font-normal">strategy</th>
            <th className="text-right font-normal">orders</th>
            <th className="text-right font-normal">fills</th>
            <th className="text-right font-normal">volume USD</th>
            <th className="text-right font-normal">fees USD</th>
            <th className="text-right font-normal">open cost USD</th>
            <th className="text-right font-normal">unreal. USD</th>
            <th className="text-right font-normal">realised USD</th>
          </tr>
        </thead>
        <tbody className="whitespace-nowrap font-mono text-xs tabular-nums">
          {rows.map((r) => (
            <tr key={r.strategyId} className="border-t border-slate-800" data-testid="strategy-pnl-row" data-strategy={r.strategyId}>
              <td className="py-1 font-sans">{r.strategyId}</td>
              <td className="text-right">{r.orders}</td>
              <td className="text-right">{r.fills}</td>
              <td className="text-right">{formatUsd(r.volumeUsd)}</td>
              <td className="text-right">{formatUsd(r.feesUsd, 3)}</td>
              <td className="text-right">{formatUsd(r.openCostUsd)}</td>
              <td className="text-right">{r.unrealizedUsd === null ? '—' : <SignedUsd value={r.unrealizedUsd} />}</td>
              <td className="text-right" data-testid="strategy-realized">
                <SignedUsd value={r.realizedUsd} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export const StrategyPnlTable = memo(StrategyPnlTableImpl);
