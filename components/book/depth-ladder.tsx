/**
 * One token's depth ladder: asks above (best ask next to the spread line), bids below (best bid first), each level's
 * price, size and cumulative shares and dollars from the touch, with a bar behind the row proportional to its
 * cumulative shares (scaled to the deeper of the two sides shown, so the bars of bids and asks compare).
 */
import { formatProb, formatShares, formatUsd } from '../../lib/format';
import type { BookSide, LadderLevel } from '../../lib/schemas/book';
import { Empty } from '../dashboard/numbers';
import { formatCents } from './top-of-book';

const BAR = { bid: 'rgba(16,185,129,0.18)', ask: 'rgba(244,63,94,0.18)' } as const;

function LevelRow({ level, side, maxCum, dp, testId }: { level: LadderLevel; side: 'bid' | 'ask'; maxCum: number; dp: 2 | 3; testId: string }) {
  const pct = maxCum > 0 ? Math.min(100, (level.cumSize / maxCum) * 100) : 0;
  return (
    <tr data-testid={testId} style={{ background: `linear-gradient(to left, ${BAR[side]} ${pct}%, transparent ${pct}%)` }}>
      <td className={`py-0.5 pl-1 text-right ${side === 'bid' ? 'text-emerald-300' : 'text-rose-300'}`}>{formatProb(level.price, dp)}</td>
      <td className="py-0.5 pl-3 text-right">{formatShares(level.size)}</td>
      <td className="py-0.5 pl-3 text-right text-slate-400">{formatShares(level.cumSize)}</td>
      <td className="py-0.5 pl-3 pr-1 text-right text-slate-400">{formatUsd(level.cumUsd)}</td>
    </tr>
  );
}

export function DepthLadder({ side, dp, tradingUp }: { side: BookSide; dp: 2 | 3; tradingUp: boolean }) {
  const o = side.outcome;
  if (!side.ready) {
    const why = !side.tokenId ? 'This window has not been discovered yet.' : tradingUp ? 'Waiting for a book snapshot…' : 'The bot is stopped: no live book to read.';
    return <Empty testId={`book-ladder-${o}-empty`}>{why}</Empty>;
  }
  const maxCum = Math.max(side.bids[side.bids.length - 1]?.cumSize ?? 0, side.asks[side.asks.length - 1]?.cumSize ?? 0);
  const asksTopDown = [...side.asks].reverse();
  return (
    <div className="overflow-x-auto" data-testid={`book-ladder-${o}`}>
      <table className="w-full min-w-[300px] font-mono text-xs tabular-nums">
        <thead className="font-sans text-slate-500">
          <tr>
            <th className="pl-1 text-right font-normal">price</th>
            <th className="pl-3 text-right font-normal">size (sh)</th>
            <th className="pl-3 text-right font-normal">cum (sh)</th>
            <th className="pl-3 pr-1 text-right font-normal">cum ($)</th>
          </tr>
        </thead>
        <tbody>
          {asksTopDown.map((l, i) => (
            <LevelRow key={`a${l.price}`} level={l} side="ask" maxCum={maxCum} dp={dp} testId={`ladder-${o}-ask-${asksTopDown.length - 1 - i}`} />
          ))}
          <tr className="border-y border-slate-700">
            <td colSpan={4} className="py-1 text-center font-sans text-slate-400" data-testid={`ladder-${o}-spread`}>
              spread {formatCents(side.top?.spread)} · mid {side.top?.mid != null ? side.top.mid.toFixed(dp + 1) : '—'}
            </td>
          </tr>
          {side.bids.map((l, i) => (
            <LevelRow key={`b${l.price}`} level={l} side="bid" maxCum={maxCum} dp={dp} testId={`ladder-${o}-bid-${i}`} />
          ))}
        </tbody>
      </table>
      <div className="mt-1 text-right font-sans text-[11px] text-slate-500">
        {side.bids.length}/{side.bidLevels} bid levels · {side.asks.length}/{side.askLevels} ask levels shown · epoch {side.epoch ?? '—'}
      </div>
    </div>
  );
}
