/** Small number renderers shared by the dashboard panels: signed PnL with colour, an empty-state line. */
import type { ReactNode } from 'react';
import { formatSignedUsd, pnlSign } from '../../lib/format';

const pnlTone = { 1: 'text-emerald-400', 0: 'text-slate-300', [-1]: 'text-red-400' } as const;

export function SignedUsd({ value, testId, className = '' }: { value: number | null | undefined; testId?: string; className?: string }) {
  return (
    <span data-testid={testId} className={`font-mono tabular-nums ${pnlTone[pnlSign(value)]} ${className}`}>
      {formatSignedUsd(value)}
    </span>
  );
}

export function Empty({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <p data-testid={testId} className="rounded-md border border-dashed border-slate-800 px-3 py-4 text-center text-sm text-slate-500">
      {children}
    </p>
  );
}
