'use client';
/** Recent fills (newest first); fills not yet CONFIRMED are flagged provisional, FAILED ones voided. */
import { memo } from 'react';
import { formatClock, formatProb, formatShares, formatUsd, shortSlug } from '../../lib/format';
import type { FillRow } from '../../lib/schemas/trading';
import { Card } from '../ui/card';
import { AsOf, Empty } from './numbers';

function Status({ f }: { f: FillRow }) {
  if (f.status === 'FAILED') return <span className="rounded bg-red-500/20 px-1 text-red-300">voided</span>;
  if (f.provisional) return <span className="rounded bg-amber-500/20 px-1 text-amber-300" title={`venue status ${f.status}: may still fail`}>provisional</span>;
  return <span className="text-slate-400">confirmed</span>;
}

function FillsCardImpl({ fills, tradingUp, asOfMs }: { fills: FillRow[]; tradingUp: boolean; asOfMs: number | null }) {
  return (
    <Card title="Recent fills" testId="fills-card" actions={asOfMs !== null ? <AsOf ms={asOfMs} /> : undefined}>
      {fills.length === 0 ? (
        <Empty testId="fills-empty">{tradingUp ? 'No fills yet.' : 'No fills: the bot is stopped.'}</Empty>
      ) : (
        <div className="max-h-72 overflow-auto">
          {/* Nine columns need about 560 px: narrower cards (two-column layout at ~1024 px) scroll sideways instead of overlapping. */}
          <table className="w-full min-w-[560px] table-fixed text-left text-sm" data-testid="fills-table">
            <thead className="sticky top-0 bg-slate-900 text-xs text-slate-500">
              <tr>
                <th className="w-[11%] py-1 font-normal">time</th>
                <th className="w-[16%] font-normal">strategy</th>
                <th className="w-[14%] font-normal">window</th>
                <th className="w-[13%] font-normal">side</th>
                <th className="text-right font-normal">price</th>
                <th className="text-right font-normal">size</th>
                <th className="text-right font-normal">fee</th>
                <th className="w-[8%] pl-3 font-normal">liq</th>
                <th className="w-[13%] font-normal">status</th>
              </tr>
            </thead>
            <tbody className="font-mono text-xs tabular-nums">
              {fills.map((f) => (
                <tr key={`${f.tradeId}:${f.clientTag ?? ''}`} className={`border-t border-slate-800 ${f.status === 'FAILED' ? 'line-through opacity-60' : ''}`} title={f.clientTag ?? f.tradeId} data-provisional={f.provisional ? 'true' : 'false'}>
                  <td className="py-1 text-slate-400">{formatClock(f.tsMs)}</td>
                  <td className="truncate font-sans">{f.strategyId ?? '—'}</td>
                  <td className="truncate" title={f.windowSlug}>{shortSlug(f.windowSlug)}</td>
                  <td className={f.side === 'BUY' ? 'text-emerald-300' : 'text-rose-300'}>
                    {f.side} {f.outcome?.toUpperCase() ?? '?'}
                  </td>
                  <td className="text-right">{formatProb(f.price)}</td>
                  <td className="text-right">{formatShares(f.size)}</td>
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
