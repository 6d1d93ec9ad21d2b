/** Small number renderers shared by the dashboard panels: signed PnL with colour, an asset price, an empty-state line. */
import type { ReactNode } from 'react';
import { formatClock, formatSignedUsd, pnlSign } from '../../lib/format';

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

/** "as of hh:mm:ss": figures kept from the last time the bot ran (shown while it is stopped). */
export function AsOf({ ms }: { ms: number }) {
  return (
    <span data-testid="as-of" className="rounded bg-slate-800 px-1.5 py-0.5 text-xs text-slate-400" title="the bot is stopped: last values read while it ran">
      as of {formatClock(ms)} (stopped)
    </span>
  );
}

/** A table card's header actions: the "as of" mark while the bot is stopped, then the caller's own actions. */
export function cardHead(asOfMs: number | null, actions?: ReactNode): ReactNode {
  if (asOfMs === null && !actions) return undefined;
  return (
    <div className="flex flex-wrap items-center justify-end gap-2">
      {asOfMs !== null && <AsOf ms={asOfMs} />}
      {actions}
    </div>
  );
}

/**
 * An asset's USD price with thousands separators and as many decimals as its size needs (BTC 97,123.45, ETH 3,412.50,
 * SOL 187.25, XRP 0.5231): 2 dp from 100 USD, 3 from 10, 4 below; '—' when unknown. `scale`: the price level that sets
 * the decimals (a difference of two prices is shown with the decimals of the prices).
 */
export function formatAssetUsd(v: number | null | undefined, scale: number | null | undefined = v): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const level = Math.abs(scale ?? v);
  const dp = level >= 100 ? 2 : level >= 10 ? 3 : 4;
  return v.toLocaleString('en-US', { minimumFractionDigits: dp, maximumFractionDigits: dp });
}
