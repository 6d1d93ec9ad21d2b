'use client';
/** BTC/USD reference strip: Chainlink (as streamed), its TWAP-60 (the settlement series), spot and spot − reference. */
import { memo } from 'react';
import { formatBtcUsd, formatClock } from '../../lib/format';
import type { ReferenceView } from '../../lib/schemas/trading';

function Item({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <span className="whitespace-nowrap">
      <span className="text-slate-500">{label} </span>
      <span data-testid={testId} className="font-mono tabular-nums text-slate-100">
        {value}
      </span>
    </span>
  );
}

function ReferenceBarImpl({ reference, refStale }: { reference: ReferenceView; refStale: boolean }) {
  const { live, twap, spot } = reference;
  const div = live && spot ? spot.priceUsd - live.priceUsd : null;
  return (
    <div data-testid="reference-bar" className="flex flex-wrap items-center gap-x-6 gap-y-1 rounded-xl border border-slate-800 bg-slate-900/60 px-4 py-2 text-sm">
      <span className="text-xs font-semibold uppercase tracking-wide text-slate-400">BTC / USD</span>
      <Item label="Chainlink" value={formatBtcUsd(live?.priceUsd)} testId="ref-live" />
      <Item label="TWAP-60" value={formatBtcUsd(twap?.priceUsd)} testId="ref-twap" />
      <Item label="spot" value={formatBtcUsd(spot?.priceUsd)} testId="ref-spot" />
      <Item label="spot − ref" value={div === null ? '—' : `${div >= 0 ? '+' : '−'}${formatBtcUsd(Math.abs(div))}`} />
      <span className={`ml-auto text-xs ${refStale ? 'font-semibold text-red-300' : 'text-slate-500'}`} data-testid="ref-asof">
        {refStale ? 'reference STALE, ' : ''}
        {live ? `as of ${formatClock(live.tsMs)} UTC` : 'no reference yet'}
      </span>
    </div>
  );
}

export const ReferenceBar = memo(ReferenceBarImpl);
