'use client';
/**
 * Recent fills (newest first); fills not yet CONFIRMED are flagged provisional, FAILED ones voided. Also the fills table
 * of the Orders page (`title`, `actions`, `maxHeightClass`). Nine columns need about 600 px: a narrower card (a phone,
 * the two-column layout at ~1024 px) scrolls the table sideways inside the card instead of clipping or overlapping.
 */
import { memo, type ReactNode } from 'react';
import { formatClock, formatProb, formatShares, formatUsd } from '../../lib/format';
import { windowLabel } from '../ui/window-label';
import type { FillRow } from '../../lib/schemas/trading';
import { Card } from '../ui/card';
import { cardHead, Empty } from './numbers';

function Status({ f }: { f: FillRow }) {
  if (f.status === 'FAILED') return <span className="rounded bg-red-500/20 px-1 text-red-300">voided</span>;
  if (f.provisional) return <span className="rounded bg-amber-500/20 px-1 text-amber-300" title={`venue status ${f.status}: may still fail`}>provisional</span>;
  return <span className="text-slate-400">confirmed</span>;
}

interface FillsCardProps {
  fills: FillRow[];
  tradingUp: boolean;
  asOfMs: number | null;
  title?: string;
  actions?: ReactNode;
  maxHeightClass?: string;
}

function FillsCardImpl({ fills, tradingUp, asOfMs, title = 'Recent fills', actions, maxHeightClass = 'max-h-72' }: FillsCardProps) {
  const head = cardHead(asOfMs, actions);
  return (
    <Card title={title} testId="fills-card" actions={head}>
      {fills.length === 0 ? (
        <Empty testId="fills-empty">{tradingUp ? 'No fills yet.' : 'No fills: the bot is stopped.'}</Empty>
      ) : (
        <div className={`${maxHeightClass} overflow-auto`} data-testid="fills-scroll">
          <table className="w-full min-w-[600px] table-fixed text-left text-sm" data-testid="fills-table">
            <thead className="sticky top-0 bg-slate-900 text-xs text-slate-500">
              <tr>
                <th className="w-[12%] py-1 font-normal">UTC</th>
                <th className="w-[14%] font-normal">strategy</th>
                <th className="w-[17%] font-normal">window</th>
                <th className="w-[12%] font-normal">side</th>
                <th className="text-right font-normal">price</th>
                <th className="text-right font-normal">shares</th>
                <th className="text-right font-normal">fee USD</th>
                <th className="w-[8%] pl-3 font-normal">liq</th>
                <th className="w-[13%] font-normal">status</th>
              </tr>
            </thead>
            <tbody className="whitespace-nowrap font-mono text-xs tabular-nums">
              {fills.map((f) => (
                <tr key={`${f.tradeId}:${f.clientTag ?? ''}`} className={`border-t border-slate-800 ${f.status === 'FAILED' ? 'line-through opacity-60' : ''}`} title={f.clientTag ?? f.tradeId} data-provisional={f.provisional ? 'true' : 'false'} data-testid="fill-row" data-trade={f.tradeId} data-tag={f.clientTag ?? ''}>
                  <td className="py-1 text-slate-400">{formatClock(f.tsMs)}</td>
                  <td className="truncate font-sans">{f.strategyId ?? '—'}</td>
                  <td className="truncate" title={f.windowSlug}>{windowLabel(f.windowSlug)}</td>
                  <td className={f.side === 'BUY' ? 'text-emerald-300' : 'text-rose-300'}>
                    {f.side} {f.outcome?.toUpperCase() ?? '?'}
                  </td>
                  <td className="text-right" data-testid="fill-price">{formatProb(f.price)}</td>
                  <td className="text-right" data-testid="fill-size">{formatShares(f.size)}</td>
                  <td className="text-right">{formatUsd(f.feeUsd, 3)}</td>
                  <td className="pl-3 text-slate-400">{f.liquidity === 'maker' ? 'M' : 'T'}</td>
                  <td className="no-underline">
                    <Status f={f} />
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

export const FillsCard = memo(FillsCardImpl);
