'use client';
/**
 * The correlation behind the cap on aggregate directional exposure, from the latest `risk.correlation` event: a heat
 * table of ρ between assets (with the paired-return count behind each estimate, or "prior" while the configured prior
 * stands in for it), the signed exposure per asset (Up minus Down, USD) and the aggregate sqrt(xᵀCx) against the cap.
 * An empty state until the risk engine has published one.
 *
 * Invariants: cells are drawn as the event gives them (indexed like `assets`); the table scrolls inside the card.
 */
import { memo } from 'react';
import { formatClock, formatUsd } from '../../lib/format';
import type { CorrelationView } from '../../lib/schemas/trading';
import { Card } from '../ui/card';
import { Empty, SignedUsd } from './numbers';

/** Red for positive ρ (moves together: one bet), blue for negative; stronger with |ρ|. */
function cellStyle(rho: number, diagonal: boolean): { background: string } {
  if (diagonal) return { background: 'rgba(100,116,139,0.25)' };
  const a = (0.12 + 0.6 * Math.min(1, Math.abs(rho))).toFixed(2);
  return { background: rho >= 0 ? `rgba(244,63,94,${a})` : `rgba(56,189,248,${a})` };
}

function CorrelationCardImpl({ c }: { c: CorrelationView | null }) {
  if (!c) {
    return (
      <Card title="Correlation" testId="correlation-card">
        <Empty testId="correlation-empty">No correlation estimate yet: the risk engine publishes one while it tracks two or more assets.</Empty>
      </Card>
    );
  }
  const used = c.capUsd > 0 ? c.aggregateUsd / c.capUsd : 0;
  const barTone = used >= 1 ? 'bg-red-500' : used >= 0.8 ? 'bg-amber-500' : 'bg-sky-500';
  return (
    <Card title="Correlation" testId="correlation-card" actions={<span className="text-xs tabular-nums text-slate-500">as of {formatClock(c.tsMs)} UTC</span>}>
      <div className="overflow-x-auto">
        <table className="w-full border-separate border-spacing-0.5 font-mono text-xs tabular-nums" data-testid="correlation-matrix">
          <thead className="font-sans text-slate-500">
            <tr>
              <th className="text-left font-normal">ρ</th>
              {c.assets.map((a) => (
                <th key={a} className="px-1 text-right font-normal uppercase">
                  {a}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {c.assets.map((a, i) => (
              <tr key={a}>
                <th className="pr-2 text-left font-sans font-normal uppercase text-slate-500">{a}</th>
                {c.assets.map((b, j) => {
                  const rho = c.rho[i]?.[j] ?? 0;
                  const prior = c.isPrior[i]?.[j] ?? false;
                  const n = c.samples[i]?.[j] ?? 0;
                  return (
                    <td
                      key={b}
                      className={`rounded px-1.5 py-1 text-right text-slate-100 ${prior && i !== j ? 'italic outline outline-1 -outline-offset-1 outline-dashed outline-slate-500' : ''}`}
                      style={cellStyle(rho, i === j)}
                      data-testid={`corr-cell-${i}-${j}`}
                      data-rho={rho}
                      title={i === j ? a : `${a}/${b}: ρ ${rho.toFixed(3)} from ${n} paired returns${prior ? ' (too few: the prior is used)' : ''}`}
                    >
                      <div>{rho.toFixed(2)}</div>
                      {i !== j && <div className="text-[10px] text-slate-300/80">{prior ? 'prior' : `n=${n}`}</div>}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-0.5 text-xs" data-testid="correlation-exposure">
        {c.assets.map((a, i) => (
          <div key={a} className="contents">
            <span className="uppercase text-slate-500">{a} exposure</span>
            <span className="text-right" data-testid={`corr-exposure-${a}`}>
              <SignedUsd value={c.exposureUsd[i] ?? 0} /> <span className="text-slate-500">{(c.exposureUsd[i] ?? 0) >= 0 ? 'Up' : 'Down'}</span>
            </span>
          </div>
        ))}
      </div>
      <div className="mt-3 flex flex-wrap items-baseline justify-between gap-x-3 text-xs">
        <span className="text-slate-500">aggregate vs cap</span>
        <span className="font-mono tabular-nums text-slate-100">
          <span data-testid="corr-aggregate">{formatUsd(c.aggregateUsd)}</span> <span className="text-slate-500">of</span> <span data-testid="corr-cap">{formatUsd(c.capUsd)}</span>
        </span>
      </div>
      <div className="mt-1 h-1.5 overflow-hidden rounded bg-slate-800" title={`${Math.round(used * 100)} % of the cap`}>
        <div className={`h-full ${barTone}`} style={{ width: `${Math.min(100, used * 100)}%` }} />
      </div>
      {c.assets.length < 2 && <p className="mt-2 text-xs text-slate-400" data-testid="correlation-single">One asset: nothing to correlate yet; the cap applies to its exposure alone.</p>}
      <p className="mt-2 text-[11px] text-slate-500">
        returns over {Math.round(c.windowSec / 60)} min, sampled every {c.sampleSec} s; dashed cells use the prior
      </p>
    </Card>
  );
}

export const CorrelationCard = memo(CorrelationCardImpl);
