'use client';
/**
 * What the replay shows at the cursor: book tops per window (numbers right-aligned, tabular), the reference price,
 * PnL and open positions, and the last 20 ledger entries and decisions up to the cursor (newest first).
 */
import { formatBtcUsd, formatClock, formatProb, formatShares, formatUsd } from '../../lib/format';
import { windowLabel } from '../ui/window-label';
import { Empty, SignedUsd } from '../dashboard/numbers';
import { Card, Stat } from '../ui/card';
import type { FrameLedgerEntry, ReplayFrame } from './replay-frame';

export const LAST_N = 20;

const outcomeTone = (o: string | null | undefined) => (o === 'up' ? 'text-emerald-300' : o === 'down' ? 'text-rose-300' : 'text-slate-400');
const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const s = (v: unknown) => (typeof v === 'string' ? v : '');

export function BooksTable({ frame }: { frame: ReplayFrame }) {
  if (frame.books.length === 0) return <Empty testId="books-empty">No book yet at this time.</Empty>;
  const rows = [...frame.books].sort((a, b) => (a.slug ?? '').localeCompare(b.slug ?? '') || (a.outcome ?? '').localeCompare(b.outcome ?? ''));
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="books-table">
        <thead className="text-xs text-slate-500">
          <tr>
            <th className="py-1 font-normal">window</th>
            <th className="font-normal">token</th>
            <th className="text-right font-normal">bid size</th>
            <th className="text-right font-normal">bid</th>
            <th className="text-right font-normal">ask</th>
            <th className="text-right font-normal">ask size</th>
          </tr>
        </thead>
        <tbody className="font-mono text-xs tabular-nums">
          {rows.map((b) => (
            <tr key={b.tokenId} className="border-t border-slate-800" data-testid="book-row" data-token={b.tokenId} title={`${b.slug ?? ''} ${b.tokenId}`}>
              <td className="py-1 whitespace-nowrap">{b.slug ? windowLabel(b.slug) : '—'}</td>
              <td className={outcomeTone(b.outcome)}>{b.outcome?.toUpperCase() ?? b.tokenId.slice(0, 6)}</td>
              <td className="text-right" data-testid="book-bid-size">{formatShares(b.bidSize)}</td>
              <td className="text-right" data-testid="book-bid">{formatProb(b.bestBid, 3)}</td>
              <td className="text-right" data-testid="book-ask">{formatProb(b.bestAsk, 3)}</td>
              <td className="text-right" data-testid="book-ask-size">{formatShares(b.askSize)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function FrameStats({ frame }: { frame: ReplayFrame }) {
  const refs = Object.entries(frame.reference);
  return (
    <div className="grid grid-cols-2 gap-4 sm:grid-cols-4" data-testid="frame-stats">
      {refs.length === 0 ? (
        <Stat label="reference" value="—" testId="frame-reference" />
      ) : (
        refs.map(([asset, r]) => <Stat key={asset} label={`${asset.toUpperCase()} reference`} value={formatBtcUsd(r.live ?? r.twap60 ?? null)} testId="frame-reference" />)
      )}
      <Stat label="PnL" value={<SignedUsd value={frame.pnlUsd} testId="frame-pnl" />} />
      <Stat label="open positions" value={frame.openPositions} testId="frame-open-positions" />
      <Stat label="keyframe (UTC)" value={formatClock(frame.keyframeMs)} testId="frame-keyframe" />
    </div>
  );
}

function ledgerText(e: FrameLedgerEntry): string {
  const outcome = s(e.outcome).toUpperCase();
  switch (e.kind) {
    case 'fill':
      return `${s(e.side)} ${outcome} ${formatShares(n(e.size))} @ ${formatProb(n(e.price))} (${s(e.liquidity)}, fee ${formatUsd(n(e.feeUsd) ?? 0, 3)})`;
    case 'order':
      return `${s(e.side)} ${outcome} ${s(e.orderType)} @ ${formatProb(n(e.price))} → ${s(e.state)}${e.reason ? ` (${s(e.reason)})` : ''}`;
    case 'settle':
      return `${outcome} ${e.won ? 'won' : 'lost'}: ${formatShares(n(e.shares))} sh, payout ${formatUsd(n(e.payoutUsd) ?? 0)}, realised ${formatUsd(n(e.realizedUsd) ?? 0)}`;
    default:
      return `${s(e.action)} ${outcome} ${s(e.reason)}`;
  }
}

export function LedgerList({ frame }: { frame: ReplayFrame }) {
  const rows = frame.ledger.slice(-LAST_N).reverse();
  return (
    <Card title={`Ledger (last ${LAST_N})`} testId="ledger-card" actions={<span className="text-xs text-slate-500 tabular-nums">{frame.ledgerUpTo ?? frame.ledger.length} up to cursor</span>}>
      {rows.length === 0 ? (
        <Empty testId="ledger-empty">No ledger entries up to the cursor.</Empty>
      ) : (
        <ul className="max-h-80 divide-y divide-slate-800 overflow-y-auto text-xs" data-testid="ledger-list">
          {rows.map((e, i) => (
            <li key={`${e.tsMs}-${i}`} className="flex gap-2 py-1">
              <span className="shrink-0 font-mono text-slate-500 tabular-nums">{formatClock(e.tsMs)}</span>
              <span className="w-12 shrink-0 text-slate-400">{e.kind}</span>
              <span className="w-24 shrink-0 truncate text-slate-400">{windowLabel(e.windowSlug)}</span>
              <span className="min-w-0 break-words font-mono tabular-nums">{ledgerText(e)}</span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

export function DecisionList({ frame }: { frame: ReplayFrame }) {
  const rows = frame.decisions.slice(-LAST_N).reverse();
  return (
    <Card title={`Decisions (last ${LAST_N})`} testId="decisions-card" actions={<span className="text-xs text-slate-500 tabular-nums">{frame.decisionsUpTo ?? frame.decisions.length} up to cursor</span>}>
      {rows.length === 0 ? (
        <Empty testId="decisions-empty">No decisions up to the cursor.</Empty>
      ) : (
        <ul className="max-h-80 divide-y divide-slate-800 overflow-y-auto text-xs" data-testid="decisions-list">
          {rows.map((d, i) => (
            <li key={`${d.tsMs}-${i}`} className="flex gap-2 py-1">
              <span className="shrink-0 font-mono text-slate-500 tabular-nums">{formatClock(d.tsMs)}</span>
              <span className="w-24 shrink-0 truncate text-slate-400">{windowLabel(d.record.windowSlug)}</span>
              <span className={`w-14 shrink-0 ${d.record.action === 'traded' ? 'text-sky-300' : 'text-slate-400'}`}>{d.record.action}</span>
              <span className="min-w-0 break-words">
                <span className="text-slate-500">{d.record.strategyId}</span> {d.record.outcome && <span className={outcomeTone(d.record.outcome)}>{d.record.outcome.toUpperCase()} </span>}
                {d.record.reason}
                {d.record.pHat !== undefined && <span className="font-mono tabular-nums text-slate-400"> p̂ {d.record.pHat.toFixed(3)}</span>}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
