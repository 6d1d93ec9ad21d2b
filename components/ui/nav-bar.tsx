'use client';
/**
 * Top bar: product name, pages, the mode badge (and the red strip while live trading is armed), venue and the
 * live-stream indicator. The page links carry the series filter (`?asset=&kind=&series=`), so a filter chosen on one
 * page holds on the next.
 */
import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { Suspense } from 'react';
import { useBotEvents } from '../live/bot-events';
import { modeLook } from '../live/use-arming';
import { useStatus } from '../live/use-status';
import { Badge } from './badge';
import { LiveArmedStrip, ModeBadge } from './mode-badge';
import { scopeFromParams, scopeToQuery } from './series-scope';

/** Every console page (SPEC §4), in the order an operator walks them. */
const pages: readonly (readonly [string, string])[] = [
  ['/', 'Dashboard'],
  ['/feeds', 'Feeds'],
  ['/strategy', 'Strategy'],
  ['/book', 'Book'],
  ['/orders', 'Orders'],
  ['/config', 'Config'],
  ['/replay', 'Replay'],
  ['/calibration', 'Calibration'],
  ['/audit', 'Audit'],
];

function PageLinks({ pathname, scopeQuery }: { pathname: string; scopeQuery: string }) {
  return (
    <nav className="flex flex-wrap gap-x-3 gap-y-1 text-sm text-slate-400" aria-label="Pages">
      {pages.map(([href, label]) => (
        <Link key={href} href={scopeQuery && href !== '/config' ? `${href}?${scopeQuery}` : href} className={pathname === href ? 'text-slate-100' : 'hover:text-slate-100'} aria-current={pathname === href ? 'page' : undefined}>
          {label}
        </Link>
      ))}
    </nav>
  );
}

/** The page links with the URL's series filter (its own Suspense boundary: a static page such as the 404 has no search params). */
function ScopedPageLinks({ pathname }: { pathname: string }) {
  return <PageLinks pathname={pathname} scopeQuery={scopeToQuery('', scopeFromParams(useSearchParams()))} />;
}

export function NavBar({ sessionLink = false }: { sessionLink?: boolean }) {
  const pathname = usePathname();
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
          <Suspense fallback={<PageLinks pathname={pathname} scopeQuery="" />}>
            <ScopedPageLinks pathname={pathname} />
          </Suspense>
          <div className="ml-auto flex items-center gap-2" data-testid="badges">
            {look && <ModeBadge look={look} />}
            {data && <Badge tone="neutral">venue: {data.venue}</Badge>}
            <Badge tone={connected ? 'ok' : 'warn'} testId="stream-badge">
              {connected ? 'live stream' : 'reconnecting…'}
            </Badge>
            {sessionLink && (
              <Link href="/login" className="text-sm text-slate-400 hover:text-slate-100" data-testid="session-link">
                Session
              </Link>
            )}
          </div>
        </div>
      </header>
    </>
  );
}
