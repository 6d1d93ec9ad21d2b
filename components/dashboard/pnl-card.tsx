'use client';
/** Today's realised PnL, total realised, unrealised at the bid, fees, and exposure (cost basis + working buys) against its limit. */
import { memo, type ReactNode } from 'react';
import { formatUsd } from '../../lib/format';
import type { PnlView } from '../../lib/schemas/trading';
import { Card } from '../ui/card';
import { AsOf, SignedUsd } from './numbers';

function Row({ label, children, hint }: { label: string; children: ReactNode; hint?: string }) {
  return (
    <div className="flex items-baseline justify-between gap-3 border-t border-slate-800 py-1.5 text-sm">
      <span className="text-slate-400" title={hint}>
        {label}
      </span>
      <span className="font-mono tabular-nums">{children}</span>
    </div>
  );
}

function PnlCardImpl({ pnl, openOrders, asOfMs }: { pnl: PnlView; openOrders: number; asOfMs: number | null }) {
  const used = pnl.maxTotalExposureUsd ? Math.min(1, Math.max(0, pnl.exposureUsd / pnl.maxTotalExposureUsd)) : 0;
  const lossUsed = pnl.maxDailyLossUsd && pnl.realizedTodayUsd < 0 ? Math.min(1, -pnl.realizedTodayUsd / pnl.maxDailyLossUsd) : 0;
  return (
    <Card title="PnL & exposure" testId="pnl-card" actions={asOfMs !== null ? <AsOf ms={asOfMs} /> : undefined}>
      <div className="flex items-end justify-between gap-3">
        <div>
          <div className="text-xs text-slate-500" title="realised PnL after fees of windows that ended today (UTC)">
            Realised today
          </div>
          <SignedUsd value={pnl.realizedTodayUsd} testId="pnl-today" className="text-2xl font-semibold" />
        </div>
        <div className="text-right">
          <div className="text-xs text-slate-500">Exposure</div>
          <div className="font-mono text-2xl font-semibold tabular-nums text-slate-100" data-testid="exposure">
            {formatUsd(pnl.exposureUsd)}
          </div>
        </div>
      </div>
      <div className="mt-2 h-1.5 overflow-hidden rounded bg-slate-800" title={`exposure ${Math.round(used * 100)} % of the limit`}>
        <div className={`h-full ${used > 0.8 ? 'bg-red-500' : used > 0.5 ? 'bg-amber-400' : 'bg-sky-500'}`} style={{ width: `${used * 100}%` }} />
      </div>
      <div className="mt-3">
        <Row label="Held (cost basis)">{formatUsd(pnl.costBasisUsd)}</Row>
        <Row label={`Working buys (${openOrders} open)`}>{formatUsd(pnl.workingBuyUsd)}</Row>
        <Row label="Exposure limit">{pnl.maxTotalExposureUsd != null ? formatUsd(pnl.maxTotalExposureUsd, 0) : '—'}</Row>
        <Row label="Unrealised (at bid)">
          <SignedUsd value={pnl.unrealizedUsd} />
        </Row>
        <Row label="Realised, all time">
          <SignedUsd value={pnl.realizedTotalUsd} />
        </Row>
        <Row label={`Fees today (${pnl.fillsToday} ${pnl.fillsToday === 1 ? 'fill' : 'fills'})`}>{formatUsd(pnl.feesTodayUsd)}</Row>
        <Row label="Daily loss limit" hint="trading halts automatically at this realised loss">
          {pnl.maxDailyLossUsd != null ? (
            <span className={lossUsed > 0.8 ? 'text-red-400' : 'text-slate-300'}>
              {formatUsd(pnl.maxDailyLossUsd, 0)}
              {lossUsed > 0 && ` (${Math.round(lossUsed * 100)} % used)`}
            </span>
          ) : (
            '—'
          )}
        </Row>
      </div>
    </Card>
  );
}

export const PnlCard = memo(PnlCardImpl);
