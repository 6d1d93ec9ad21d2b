'use client';
/**
 * One strategy instance's own trading: PnL summary (realised after fees, fees, open cost, fills, won / lost
 * windows), its recent orders (purpose, side, price, filled / size, state, why rejected / cancelled), fills and positions, all folded from the
 * events of its client tags since the view started.
 *
 * Invariants: tables scroll inside their card (no clipping at 390 px); numbers right-aligned, tabular, with units.
 */
import { memo } from 'react';
import { formatClock, formatProb, formatShares, formatUsd } from '../../lib/format';
import { windowLabel } from '../ui/window-label';
import type { StrategyDetail } from '../../lib/schemas/strategy-view';
import { Empty, SignedUsd } from '../dashboard/numbers';
import { Card, Stat } from '../ui/card';

const stateTone: Record<string, string> = { live: 'text-sky-300', partial: 'text-amber-300', filled: 'text-emerald-300', canceled: 'text-slate-400', rejected: 'text-red-300', unknown: 'text-red-300' };
const th = 'font-normal';
const side = (s: 'BUY' | 'SELL' | null, o: 'up' | 'down' | null) => (s ? `${s} ${o?.toUpperCase() ?? '?'}` : '—');

function PnlCard({ d, sinceMs }: { d: StrategyDetail; sinceMs: number }) {
  const p = d.pnl;
  return (
    <Card title="PnL (this instance)" testId="strategy-pnl" actions={<span className="text-xs text-slate-500">since {formatClock(sinceMs)} UTC</span>}>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        <Stat label="realised (after fees)" value={<SignedUsd value={p.realizedUsd} testId="pnl-realized" />} />
        <Stat label="fees" value={formatUsd(p.feesUsd)} />
        <Stat label="open cost" value={formatUsd(p.openCostUsd)} />
        <Stat label="fills" value={p.fills} testId="pnl-fills" />
        <Stat label="windows won / lost" value={`${p.wins} / ${p.losses}`} />
        <Stat label="traded / skipped" value={`${d.counts.traded} / ${d.counts.skipped}`} testId="counts-final" />
      </div>
    </Card>
  );
}

function OrdersTable({ d }: { d: StrategyDetail }) {
  return (
    <Card title={`Orders (${d.orders.length})`} testId="strategy-orders">
      {d.orders.length === 0 ? (
        <Empty testId="strategy-orders-empty">No orders from this instance yet.</Empty>
      ) : (
        <div className="max-h-72 overflow-auto">
          <table className="w-full min-w-[700px] text-left text-sm">
            <thead className="sticky top-0 bg-slate-900 text-xs text-slate-500">
              <tr>
                <th className={`${th} py-1`}>time (UTC)</th>
                <th className={th}>window</th>
                <th className={th}>purpose</th>
                <th className={th}>side</th>
                <th className={`${th} text-right`}>price</th>
                <th className={`${th} text-right`}>filled / size (sh)</th>
                <th className={`${th} pl-3`}>state</th>
                <th className={`${th} pl-2`}>note</th>
              </tr>
            </thead>
            <tbody className="font-mono text-xs tabular-nums">
              {d.orders.map((o) => (
                <tr key={o.clientTag} className="border-t border-slate-800" title={`${o.clientTag}${o.reason ? ` — ${o.reason}` : ''}`}>
                  <td className="py-1">{formatClock(o.firstMs)}</td>
                  <td className="whitespace-nowrap">{windowLabel(o.windowSlug)}</td>
                  <td className="font-sans">{o.purpose}</td>
                  <td className={o.side === 'SELL' ? 'text-rose-300' : 'text-emerald-300'}>{side(o.side, o.outcome)}</td>
                  <td className="text-right">{formatProb(o.price ?? o.avgFillPrice)}</td>
                  <td className="whitespace-nowrap text-right">
                    {formatShares(o.filledSize)} / {o.size != null ? formatShares(o.size) : o.usd != null ? formatUsd(o.usd) : '—'}
                  </td>
                  <td className={`pl-3 ${stateTone[o.state] ?? 'text-slate-300'}`}>{o.state}</td>
                  <td className="max-w-[12rem] truncate pl-2 font-sans text-slate-400" title={o.reason ?? ''}>{o.reason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

function FillsTable({ d }: { d: StrategyDetail }) {
  return (
    <Card title={`Fills (${d.fills.length})`} testId="strategy-fills">
      {d.fills.length === 0 ? (
        <Empty>No fills from this instance yet.</Empty>
      ) : (
        <div className="max-h-72 overflow-auto">
          <table className="w-full min-w-[560px] text-left text-sm">
            <thead className="sticky top-0 bg-slate-900 text-xs text-slate-500">
              <tr>
                <th className={`${th} py-1`}>time (UTC)</th>
                <th className={th}>window</th>
                <th className={th}>side</th>
                <th className={`${th} text-right`}>price</th>
                <th className={`${th} text-right`}>size (sh)</th>
                <th className={`${th} text-right`}>fee</th>
                <th className={`${th} pl-3`}>status</th>
              </tr>
            </thead>
            <tbody className="font-mono text-xs tabular-nums">
              {d.fills.map((f) => (
                <tr key={`${f.tradeId}|${f.clientTag}`} className={`border-t border-slate-800 ${f.status === 'voided' ? 'text-slate-500 line-through' : ''}`}>
                  <td className="py-1">{formatClock(f.tsMs)}</td>
                  <td className="whitespace-nowrap">{windowLabel(f.windowSlug)}</td>
                  <td className={f.side === 'SELL' ? 'text-rose-300' : 'text-emerald-300'}>{side(f.side, f.outcome)}</td>
                  <td className="text-right">{formatProb(f.price)}</td>
                  <td className="text-right">{formatShares(f.size)}</td>
                  <td className="text-right">{formatUsd(f.feeUsd, 3)}</td>
                  <td className="pl-3 font-sans text-slate-400">{f.status} · {f.liquidity}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

function PositionsTable({ d }: { d: StrategyDetail }) {
  return (
    <Card title={`Positions (${d.positions.length})`} testId="strategy-positions">
      {d.positions.length === 0 ? (
        <Empty>No positions from this instance yet.</Empty>
      ) : (
        <div className="max-h-72 overflow-auto">
          <table className="w-full min-w-[560px] text-left text-sm">
            <thead className="sticky top-0 bg-slate-900 text-xs text-slate-500">
              <tr>
                <th className={`${th} py-1`}>window</th>
                <th className={th}>outcome</th>
                <th className={`${th} text-right`}>shares</th>
                <th className={`${th} text-right`}>avg price</th>
                <th className={`${th} text-right`}>cost</th>
                <th className={`${th} text-right`}>payout</th>
                <th className={`${th} pr-1 text-right`}>realised</th>
              </tr>
            </thead>
            <tbody className="font-mono text-xs tabular-nums">
              {d.positions.map((p) => (
                <tr key={`${p.windowSlug}|${p.tokenId}`} className="border-t border-slate-800">
                  <td className="whitespace-nowrap py-1">{windowLabel(p.windowSlug)}</td>
                  <td className="font-sans">{p.outcome?.toUpperCase() ?? '?'}{p.settled ? ' · settled' : ''}</td>
                  <td className="text-right">{formatShares(p.shares)}</td>
                  <td className="text-right">{p.settled ? '—' : formatProb(p.avgPrice, 3)}</td>
                  <td className="text-right">{formatUsd(p.costUsd)}</td>
                  <td className="text-right">{p.settled ? formatUsd(p.payoutUsd) : '—'}</td>
                  <td className="pr-1 text-right"><SignedUsd value={p.realizedUsd} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

function StrategyTradesImpl({ detail, sinceMs }: { detail: StrategyDetail; sinceMs: number }) {
  return (
    <div className="flex flex-col gap-4">
      <PnlCard d={detail} sinceMs={sinceMs} />
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-2 2xl:grid-cols-3">
        <OrdersTable d={detail} />
        <FillsTable d={detail} />
        <PositionsTable d={detail} />
      </div>
    </div>
  );
}

export const StrategyTrades = memo(StrategyTradesImpl);
