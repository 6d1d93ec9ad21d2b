'use client';
/**
 * Positions per window and token: open ones first (shares, average, cost, mark at the bid), then settled ones (payout,
 * realised). Also the positions table of the Orders page (`title`, `actions`, `maxHeightClass`). Nine columns need about
 * 640 px: a narrower card (a phone) scrolls the table sideways inside the card instead of clipping the numbers.
 */
import { memo, type ReactNode } from 'react';
import { formatProb, formatShares, formatUsd } from '../../lib/format';
import { windowLabel } from '../ui/window-label';
import type { PositionRow } from '../../lib/schemas/trading';
import { Card } from '../ui/card';
import { cardHead, Empty, SignedUsd } from './numbers';

interface PositionsCardProps {
  positions: PositionRow[];
  tradingUp: boolean;
  asOfMs: number | null;
  title?: string;
  actions?: ReactNode;
  maxHeightClass?: string;
}

function PositionsCardImpl({ positions, tradingUp, asOfMs, title = 'Positions', actions, maxHeightClass = 'max-h-72' }: PositionsCardProps) {
  const head = cardHead(asOfMs, actions);
  return (
    <Card title={title} testId="positions-card" actions={head}>
      {positions.length === 0 ? (
        <Empty testId="positions-empty">{tradingUp ? 'No positions.' : 'No positions: the bot is stopped.'}</Empty>
      ) : (
        <div className={`${maxHeightClass} overflow-auto`} data-testid="positions-scroll">
          <table className="w-full min-w-[640px] table-fixed text-left text-sm" data-testid="positions-table">
            <thead className="sticky top-0 bg-slate-900 text-xs text-slate-500">
              <tr>
                <th className="w-[17%] py-1 font-normal">window</th>
                <th className="w-[9%] font-normal">token</th>
                <th className="text-right font-normal">shares</th>
                <th className="text-right font-normal">avg</th>
                <th className="text-right font-normal">cost USD</th>
                <th className="text-right font-normal">mark</th>
                <th className="text-right font-normal" title="unrealised PnL at the best bid">unreal. USD</th>
                <th className="text-right font-normal">realised USD</th>
                <th className="w-[12%] pl-3 font-normal">status</th>
              </tr>
            </thead>
            <tbody className="whitespace-nowrap font-mono text-xs tabular-nums">
              {positions.map((p) => {
                const unreal = !p.settled && p.markPrice != null && p.shares > 0 ? p.shares * p.markPrice - p.costUsd : null;
                return (
                  <tr key={`${p.windowSlug}|${p.tokenId}`} className="border-t border-slate-800" title={`${p.windowSlug} ${p.tokenId}`}>
                    <td className="truncate py-1">{windowLabel(p.windowSlug)}</td>
                    <td className={p.outcome === 'up' ? 'text-emerald-300' : p.outcome === 'down' ? 'text-rose-300' : 'text-slate-400'}>{p.outcome?.toUpperCase() ?? p.tokenId.slice(0, 6)}</td>
                    <td className="text-right">
                      {formatShares(p.shares)}
                      {p.provisionalShares !== 0 && <span className="ml-1 text-amber-300" title={`${p.provisionalShares} provisional shares`}>*</span>}
                    </td>
                    <td className="text-right">{p.shares !== 0 ? formatProb(p.avgPrice) : '—'}</td>
                    <td className="text-right">{formatUsd(p.costUsd)}</td>
                    <td className="text-right">{formatProb(p.markPrice)}</td>
                    <td className="text-right">{unreal === null ? '—' : <SignedUsd value={unreal} />}</td>
                    <td className="text-right">
                      <SignedUsd value={p.realizedUsd} />
                    </td>
                    <td className="truncate pl-3 font-sans text-slate-400">{p.settled ? `settled ${formatUsd(p.payoutUsd)}` : p.shares !== 0 ? 'open' : 'flat'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

export const PositionsCard = memo(PositionsCardImpl);
