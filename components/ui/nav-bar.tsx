'use client';
/** Top bar: product name, pages, the mode badge (and the red strip while live trading is armed), venue and the live-stream indicator. */
import Link from 'next/link';
import { useBotEvents } from '../live/bot-events';
import { modeLook } from '../live/use-arming';
import { useStatus } from '../live/use-status';
import { Badge } from './badge';
import { LiveArmedStrip, ModeBadge } from './mode-badge';

export function NavBar() {
  const { connected } = useBotEvents();
  const { data } = useStatus();
  const look = data ? modeLook(data) : null;
  return (
    <>
      {data && look === 'live-armed' && <LiveArmedStrip arming={data.arming} venue={data.venue} />}
      <header className="border-b border-slate-800 bg-slate-900/80">
        <div className="mx-auto flex max-w-[1840px] flex-wrap items-center gap-4 px-4 py-3">
          <Link href="/" className="text-lg font-semibold tracking-tight">
            Up/Down Console
          </Link>
          <nav className="flex gap-3 text-sm text-slate-400">
            <Link href="/" className="hover:text-slate-100">
              Dashboard
            </Link>
            <Link href="/replay" className="hover:text-slate-100">
              Replay
            </Link>
            <Link href="/calibration" className="hover:text-slate-100">
              Calibration
            </Link>
          </nav>
          <div className="ml-auto flex items-center gap-2" data-testid="badges">
            {look && <ModeBadge look={look} />}
            {data && <Badge tone="neutral">venue: {data.venue}</Badge>}
            <Badge tone={connected ? 'ok' : 'warn'} testId="stream-badge">
              {connected ? 'live stream' : 'reconnecting…'}
            </Badge>
          </div>
        </div>
      </header>
    </>
  );
}
