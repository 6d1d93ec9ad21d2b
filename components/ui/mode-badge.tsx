'use client';
/**
 * The trading mode, on every page: PAPER (neutral), LIVE — DISARMED (amber) or LIVE — ARMED (solid red, bold), and
 * while armed a red strip across the top of the page (sticky, with a one-click Disarm) and the tab title prefixed.
 */
import { useEffect, useState } from 'react';
import { formatClock } from '../../lib/format';
import type { ArmingStatus } from '../../lib/schemas/api';
import { ApiCallError } from '../live/api-client';
import { type ModeLook, useArmingAction } from '../live/use-arming';
import { TokenPrompt } from './token-prompt';

const looks: Record<ModeLook, { text: string; className: string; title: string }> = {
  paper: { text: 'PAPER', className: 'bg-slate-500/15 text-slate-200 ring-slate-400/40', title: 'Paper trading: orders are simulated' },
  'live-disarmed': {
    text: 'LIVE — DISARMED',
    className: 'bg-amber-500/20 text-amber-200 ring-amber-400/60 font-semibold',
    title: 'Live mode, not armed: every new order is refused until an operator arms it',
  },
  'live-armed': {
    text: 'LIVE — ARMED',
    className: 'bg-red-600 text-white ring-red-300 font-bold tracking-wide shadow-[0_0_0_3px_rgba(220,38,38,0.35)]',
    title: 'Live trading is ARMED: orders go to the venue with real funds',
  },
};

export function ModeBadge({ look }: { look: ModeLook }) {
  const l = looks[look];
  return (
    <span data-testid="mode-badge" data-look={look} title={l.title} className={`inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2.5 py-0.5 text-xs ring-1 ring-inset ${l.className}`}>
      {look === 'live-armed' && <span aria-hidden className="h-2 w-2 animate-pulse rounded-full bg-white" />}
      {l.text}
    </span>
  );
}

/** Across the top of every page while live trading is armed. */
export function LiveArmedStrip({ arming, venue }: { arming: ArmingStatus; venue: string }) {
  const [needToken, setNeedToken] = useState(false);
  const disarm = useArmingAction({
    onError: (e) => {
      if (e instanceof ApiCallError && e.status === 401) setNeedToken(true);
    },
  });
  useEffect(() => {
    const prev = document.title;
    document.title = `● LIVE ARMED — ${prev.replace(/^● LIVE ARMED — /, '')}`;
    return () => {
      document.title = prev.replace(/^● LIVE ARMED — /, '');
    };
  }, []);
  return (
    <div role="alert" data-testid="live-armed-strip" className="sticky top-0 z-50 border-b-2 border-red-300 bg-red-700 text-white shadow-lg">
      <div className="mx-auto flex max-w-[1840px] flex-wrap items-center gap-x-4 gap-y-1 px-4 py-2">
        <span className="flex items-center gap-2 text-sm font-extrabold uppercase tracking-wider">
          <span aria-hidden className="h-2.5 w-2.5 animate-pulse rounded-full bg-white" />
          Live trading armed
        </span>
        <span className="min-w-0 flex-1 truncate text-sm text-red-50" title={arming.reason ?? ''}>
          {venue === 'sim' ? 'orders go to the simulator' : <>real orders go to <span className="font-semibold">{venue}</span></>}
          {arming.actor ? ` · armed by ${arming.actor}` : ''}
          {arming.sinceMs !== null ? ` at ${formatClock(arming.sinceMs)} UTC` : ''}
          {arming.reason ? ` · ${arming.reason}` : ''}
        </span>
        {disarm.error && !needToken && <span className="text-xs font-semibold text-amber-200">{disarm.error.message}</span>}
        <button
          type="button"
          data-testid="strip-disarm"
          disabled={disarm.isPending}
          onClick={() => disarm.mutate({ action: 'disarm', reason: 'disarmed from the console (top strip)' })}
          className="rounded-md bg-white px-3 py-1 text-sm font-bold text-red-700 shadow hover:bg-red-50 disabled:opacity-60"
        >
          {disarm.isPending ? 'Disarming…' : 'Disarm'}
        </button>
      </div>
      {needToken && (
        <div className="mx-auto max-w-[1840px] px-4 pb-2">
          <TokenPrompt onDone={() => setNeedToken(false)} />
        </div>
      )}
    </div>
  );
}
