'use client';
/** Settled positions, newest window first: the outcome held, won or lost, the payout (1 USD a winning share) and the realised PnL. */
import { memo, type ReactNode } from 'react';
import { formatClock, formatUsd } from '../../lib/format';
import { windowLabel } from '../ui/window-label';
import type { SettlementRow } from '../../lib/schemas/orders';
import { Card } from '../ui/card';
import { Empty, SignedUsd } from '../dashboard/numbers';

function SettlementsTableImpl({ rows, total, actions, emptyText }: { rows: SettlementRow[]; total: number; actions?: ReactNode; emptyText: string }) {
  return (
    <Card title={`Settlements (${rows.length < total ? `newest ${rows.length} of ${total}` : total})`} testId="settlements-card" actions={actions}>
      {rows.length === 0 ? (
        <Empty testId="settlements-empty">{emptyText}</Empty>
      ) : (
        <div className="max-h-80 overflow-auto">
          <table className="w-full min-w-[600px] table-fixed text-left text-sm" data-testid="settlements-table">
            <thead className="sticky top-0 bg-slate-900 text-xs text-slate-500">
              <tr>
                <th className="w-[15%] py-1 font-normal">settled (UTC)</th>
                <th className="w-[18%] font-normal">window</th>
                <th className="w-[11%] font-normal">token</th>
                <th className="w-[12%] font-normal">result</th>
                <th className="text-right font-normal">payout USD</th>
                <th className="text-right font-normal">fees USD</th>
                <th className="text-right font-normal">realised USD</th>
              </tr>
            </thead>
            <tbody className="whitespace-nowrap font-mono text-xs tabular-nums">
              {rows.map((s) => (
                <tr key={`${s.windowSlug}|${s.tokenId}`} className="border-t border-slate-800" title={`${s.windowSlug} ${s.tokenId}`} data-testid="settlement-row">
                  <td className="py-1 text-slate-400">{formatClock(s.settledMs)}</td>
                  <td className="truncate">{windowLabel(s.windowSlug)}</td>
                  <td className={s.outcome === 'up' ? 'text-emerald-300' : s.outcome === 'down' ? 'text-rose-300' : 'text-slate-400'}>{s.outcome?.toUpperCase() ?? s.tokenId.slice(0, 6)}</td>
                  <td className={`font-sans ${s.won ? 'text-emerald-300' : 'text-slate-400'}`}>{s.won ? 'won' : 'lost'}</td>
                  <td className="text-right">{formatUsd(s.payoutUsd)}</td>
                  <td className="text-right">{formatUsd(s.feesUsd, 3)}</td>
                  <td className="text-right" data-testid="settlement-realized">
                    <SignedUsd value={s.realizedUsd} />
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

export const SettlementsTable = memo(SettlementsTableImpl);
