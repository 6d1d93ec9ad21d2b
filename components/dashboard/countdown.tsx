'use client';
/** Time left until `endMs` on the server clock, ticking in the browser (re-renders only itself). */
import { useServerNow } from '../ui/use-server-now';
import { formatCountdown } from '../../lib/format';

export function Countdown({ endMs, serverNow, testId, className = '' }: { endMs: number; serverNow: () => number; testId?: string; className?: string }) {
  const now = useServerNow(serverNow);
  const left = endMs - now;
  const urgent = left < 30_000;
  return (
    <span data-testid={testId} data-ms-left={Math.max(0, Math.round(left))} className={`font-mono tabular-nums ${urgent ? 'text-amber-300' : 'text-slate-100'} ${className}`}>
      {formatCountdown(left)}
    </span>
  );
}
