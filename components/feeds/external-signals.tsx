'use client';
/**
 * The Feeds page's External signals panel: per external source (putCallRatio from Deribit, fearGreed, ...) the last
 * good raw value with its score, direction, strength and confidence, the age of the value strategies are served, ok /
 * failing with the last error, and the failure and bad-body counters (GET /api/feeds `externalSignals`, live from
 * `signal.external`). The table scrolls inside its card on a phone.
 */
import { memo } from 'react';
import { formatAge, formatClock } from '../../lib/format';
import type { ExternalSignalRow } from '../../lib/schemas/external-signals';
import { Empty } from '../dashboard/numbers';
import { formatFraction, formatSignalDirection, formatSignalRaw, formatSignalScore, servedAgeNow } from './external-format';

const dirTone = { 1: 'text-emerald-300', [-1]: 'text-red-300', 0: 'text-slate-400' } as const;

function ExternalSignalsImpl({ rows, nowMs }: { rows: readonly ExternalSignalRow[] | undefined; nowMs: number }) {
  if (!rows || rows.length === 0) return <Empty testId="external-signals-empty">No external signal polled yet — config externalSignals.</Empty>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[860px] text-left text-sm" data-testid="external-signals-table">
        <thead className="whitespace-nowrap text-xs text-slate-500">
          <tr>
            <th className="py-1 pr-2 font-normal">signal</th>
            <th className="px-2 font-normal">source</th>
            <th className="px-2 font-normal">status</th>
            <th className="px-2 text-right font-normal">raw</th>
            <th className="px-2 text-right font-normal">score (−1…1)</th>
            <th className="px-2 font-normal">direction</th>
            <th className="px-2 text-right font-normal">strength</th>
            <th className="px-2 text-right font-normal">confidence</th>
            <th className="px-2 text-right font-normal">served value age</th>
            <th className="px-2 text-right font-normal">polled (UTC)</th>
            <th className="px-2 text-right font-normal">failures</th>
            <th className="px-2 text-right font-normal">bad bodies</th>
            <th className="pl-2 font-normal">last error</th>
          </tr>
        </thead>
        <tbody className="font-mono text-xs tabular-nums">
          {rows.map((r) => (
            <tr key={r.id} className="border-t border-slate-800" data-testid="external-signal-row" data-id={r.id}>
              <td className="whitespace-nowrap py-1.5 pr-2 font-sans text-sm text-slate-200">{r.id}</td>
              <td className="whitespace-nowrap px-2 font-sans text-slate-400" data-testid="ext-source">{r.source}</td>
              <td className={`whitespace-nowrap px-2 ${r.ok ? 'text-emerald-300' : 'text-red-300'}`} data-testid="ext-status">
                {r.ok ? 'ok' : 'failing'}
              </td>
              <td className="px-2 text-right" data-testid="ext-raw" title={r.lastOkMs !== null ? `last good poll ${formatClock(r.lastOkMs)}` : 'no good poll yet'}>
                {formatSignalRaw(r.raw)}
              </td>
              <td className="px-2 text-right" data-testid="ext-score">{formatSignalScore(r.score)}</td>
              <td className={`whitespace-nowrap px-2 ${r.direction === null ? 'text-slate-500' : dirTone[r.direction]}`} data-testid="ext-direction">
                {formatSignalDirection(r.direction)}
              </td>
              <td className="px-2 text-right">{formatFraction(r.strength)}</td>
              <td className="px-2 text-right" data-testid="ext-confidence">{formatFraction(r.confidence)}</td>
              <td className="whitespace-nowrap px-2 text-right" data-testid="ext-age" title="age of the value strategies are served (— : none, or older than maxAgeSec)">
                {r.servedAgeMs === null ? 'none served' : formatAge(servedAgeNow(r, nowMs))}
              </td>
              <td className="px-2 text-right">{formatClock(r.polledMs)}</td>
              <td className={`px-2 text-right ${r.failures > 0 ? 'text-amber-300' : ''}`} data-testid="ext-failures">{r.failures}</td>
              <td className={`px-2 text-right ${r.badBodies > 0 ? 'text-amber-300' : ''}`} data-testid="ext-bad-bodies">{r.badBodies}</td>
              <td className={`max-w-[22rem] pl-2 font-sans ${r.ok ? 'text-slate-500' : 'text-red-300'}`} data-testid="ext-error" title={r.lastError ?? undefined}>
                {r.lastError === null ? '—' : `${r.lastError}${r.lastErrorMs !== null ? ` (${formatClock(r.lastErrorMs)})` : ''}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export const ExternalSignals = memo(ExternalSignalsImpl);
