'use client';
/**
 * The dashboard's Balance figure (next to PnL & exposure): available collateral (cash minus working BUYs), equity
 * (cash plus open positions) against its session high and the drawdown % (amber from half the drawdown trigger's
 * threshold risk.balanceDropAlertPct, red at it), the balance source (paper ledger / venue) and the read's age, from
 * the latest `risk.balance` in GET /api/trading. "unknown" with the error when the balance was never read.
 */
import { memo, type ReactNode } from 'react';
import { formatAge, formatUsd } from '../../lib/format';
import type { BalanceView } from '../../lib/schemas/trading';
import { Card } from '../ui/card';
import { balanceSourceLabel, drawdownTone, formatDrawdown } from './balance-format';
import { Empty } from './numbers';

const toneText = { ok: 'text-slate-200', warn: 'text-amber-300', alert: 'text-red-400' } as const;
const usdOr = (v: number | null) => (v === null ? 'unknown' : formatUsd(v));

function Row({ label, children, testId, hint }: { label: string; children: ReactNode; testId?: string; hint?: string }) {
  return (
    <div className="flex items-baseline justify-between gap-3 border-t border-slate-800 py-1.5 text-sm">
      <span className="text-slate-400" title={hint}>
        {label}
      </span>
      <span className="min-w-0 text-right font-mono tabular-nums" data-testid={testId}>
        {children}
      </span>
    </div>
  );
}

function BalanceCardImpl({ balance, nowMs }: { balance: BalanceView | null | undefined; nowMs: number }) {
  if (!balance) {
    return (
      <Card title="Balance" testId="balance-card">
        <Empty testId="balance-none">No balance read yet.</Empty>
      </Card>
    );
  }
  const b = balance;
  const tone = drawdownTone(b.drawdown, b.dropAlertPct);
  const readAge = b.readAtMs !== null ? formatAge(Math.max(0, nowMs - b.readAtMs)) : null;
  return (
    <Card title="Balance" testId="balance-card" actions={<span className="rounded bg-slate-800 px-1.5 py-0.5 text-xs text-slate-400" data-testid="balance-source">{balanceSourceLabel[b.source]}</span>}>
      <div className="flex items-end justify-between gap-3">
        <div>
          <div className="text-xs text-slate-500" title="cash minus the notional of our working BUY orders">
            Available
          </div>
          <div className={`font-mono text-2xl font-semibold tabular-nums ${b.availableUsd === null ? 'text-slate-500' : 'text-slate-100'}`} data-testid="balance-available">
            {usdOr(b.availableUsd)}
          </div>
        </div>
        <div className="text-right">
          <div className="text-xs text-slate-500" title="cash plus open positions at mid (cost when no book)">
            Equity
          </div>
          <div className="font-mono text-2xl font-semibold tabular-nums text-slate-100" data-testid="balance-equity">
            {usdOr(b.equityUsd)}
          </div>
        </div>
      </div>
      {b.error !== null && (
        <p className="mt-2 break-words text-xs text-red-300" data-testid="balance-error" role="status">
          {b.balanceUsd === null ? 'never read: ' : 'last read failed: '}
          {b.error}
        </p>
      )}
      <div className="mt-3">
        <Row label="Cash (balance)" testId="balance-cash">{usdOr(b.balanceUsd)}</Row>
        <Row label="Positions value">{formatUsd(b.positionValueUsd)}</Row>
        <Row label="Session high" testId="balance-high">{usdOr(b.highUsd)}</Row>
        <Row label={`Drawdown (alert at ${formatDrawdown(b.dropAlertPct)})`} testId="balance-drawdown" hint="equity below its session high; the balance drawdown trigger fires at risk.balanceDropAlertPct">
          <span className={toneText[tone]} data-tone={tone}>
            {formatDrawdown(b.drawdown)}
          </span>
        </Row>
        <Row label="Read" testId="balance-read-age">{readAge === null ? 'never' : `${readAge} ago`}</Row>
      </div>
    </Card>
  );
}

export const BalanceCard = memo(BalanceCardImpl);
