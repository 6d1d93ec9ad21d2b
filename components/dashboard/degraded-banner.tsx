'use client';
/** Degraded mode (reference stale, only spot alive): a banner that says whether new orders are blocked. */
import { formatClock } from '../../lib/format';
import type { TradingSnapshot } from '../../lib/schemas/trading';

export function DegradedBanner({ degraded }: { degraded: TradingSnapshot['degraded'] }) {
  if (!degraded.degraded) return null;
  return (
    <div role="alert" data-testid="degraded-banner" className="rounded-xl border border-red-800 bg-red-950/60 px-4 py-2 text-sm text-red-100">
      <span className="font-semibold">Degraded mode</span> since {formatClock(degraded.sinceMs)} UTC: {degraded.reason}. New orders are{' '}
      <span className="font-semibold">{degraded.ordersAllowed ? 'allowed (operator override)' : 'blocked'}</span>.
    </div>
  );
}
