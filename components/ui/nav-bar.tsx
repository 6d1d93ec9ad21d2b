'use client';
/** Top bar: product name, pages, mode/venue badges and the live-stream indicator. */
import Link from 'next/link';
import { useBotEvents } from '../live/bot-events';
import { useStatus } from '../live/use-status';
import { Badge } from './badge';

export function NavBar() {
  const { connected } = useBotEvents();
  const { data } = useStatus();
  const live = data?.mode === 'live';
  return (
    <header className="border-b border-slate-800 bg-slate-900/80">
      <div className="mx-auto flex max-w-[1840px] items-center gap-4 px-4 py-3">
        <Link href="/" className="text-lg font-semibold tracking-tight">
          Up/Down Console
        </Link>
        <nav className="flex gap-3 text-sm text-slate-400">
          <Link href="/" className="hover:text-slate-100">
            Dashboard
          </Link>
        </nav>
        <div className="ml-auto flex items-center gap-2" data-testid="badges">
          {data && <Badge tone={live ? 'danger' : 'info'} testId="mode-badge">{data.mode.toUpperCase()}</Badge>}
          {data && <Badge tone="neutral">venue: {data.venue}</Badge>}
          <Badge tone={connected ? 'ok' : 'warn'} testId="stream-badge">
            {connected ? 'live stream' : 'reconnecting…'}
          </Badge>
        </div>
      </div>
    </header>
  );
}
