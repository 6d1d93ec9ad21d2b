/**
 * Top of book of the window's Up and Down tokens, side by side: best bid and ask with their sizes (shares), the spread
 * (cents) and the mid (probability). Figures come from the live book; when the book is not readable the last `book.top` event is
 * shown, marked "last event".
 */
import { formatProb, formatShares, probDigits } from '../../lib/format';
import type { BookSide, BookTopView } from '../../lib/schemas/book';

const tone = { up: 'text-emerald-300', down: 'text-rose-300' } as const;

/** Spread in cents (1¢ = 0.01 of probability = $0.01 per share). */
export function formatCents(spread: number | null | undefined): string {
  if (spread === null || spread === undefined || !Number.isFinite(spread)) return '—';
  const c = spread * 100;
  return `${Math.abs(c - Math.round(c)) < 1e-6 ? c.toFixed(0) : c.toFixed(1)}¢`;
}

/** One figure per row, Up and Down side by side (fits a phone; test ids `book-top-<outcome>-<field>`). */
const FIELDS = [
  { key: 'bid', label: 'best bid', tone: 'text-emerald-300', show: (t: BookTopView, dp: 2 | 3) => formatProb(t.bestBid, dp) },
  { key: 'bidsize', label: 'bid size (sh)', tone: 'text-slate-400', show: (t: BookTopView) => (t.bidSize != null ? formatShares(t.bidSize) : '—') },
  { key: 'ask', label: 'best ask', tone: 'text-rose-300', show: (t: BookTopView, dp: 2 | 3) => formatProb(t.bestAsk, dp) },
  { key: 'asksize', label: 'ask size (sh)', tone: 'text-slate-400', show: (t: BookTopView) => (t.askSize != null ? formatShares(t.askSize) : '—') },
  { key: 'spread', label: 'spread (¢)', tone: '', show: (t: BookTopView) => formatCents(t.spread) },
  { key: 'mid', label: 'mid (prob.)', tone: '', show: (t: BookTopView, dp: 2 | 3) => (t.mid != null ? t.mid.toFixed(dp + 1) : '—') },
] as const;

export function TopOfBook({ sides, tickSize }: { sides: readonly BookSide[]; tickSize: number | null }) {
  const dp = probDigits(tickSize, sides.flatMap((s) => [s.top?.bestBid, s.top?.bestAsk]));
  return (
    <table className="w-full font-mono text-sm tabular-nums">
      <thead className="font-sans text-xs">
        <tr>
          <th className="text-left font-normal text-slate-500">$/share</th>
          {sides.map((s) => (
            <th key={s.outcome} className={`pl-3 text-right font-semibold uppercase ${tone[s.outcome]}`}>
              {s.outcome}
              {s.top?.source === 'event' && <span className="block font-normal normal-case text-slate-500">last event</span>}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {FIELDS.map((f) => (
          <tr key={f.key} className="border-t border-slate-800/70">
            <td className="py-1.5 pr-2 font-sans text-xs text-slate-500">{f.label}</td>
            {sides.map((s) => (
              <td key={s.outcome} className={`py-1.5 pl-3 text-right ${f.tone}`} data-testid={`book-top-${s.outcome}-${f.key}`}>
                {s.top ? f.show(s.top, dp) : '—'}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
