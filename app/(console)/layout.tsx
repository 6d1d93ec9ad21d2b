/**
 * The console's shared frame: the navigation bar over every page, and the page's <main> column. Under
 * CONSOLE_PROTECT_READS a request without the token or a login session is sent to /login (server-side, here). With a
 * CONSOLE_TOKEN the bar links the session page (/login: log in or out). Every page reads the running config's series
 * for its series filter from the provider here (first list rendered on the server: app/(console)/series-options.ts).
 */
import type { ReactNode } from 'react';
import { NavBar } from '../../components/ui/nav-bar';
import { SeriesOptionsProvider } from '../../components/ui/series-filter';
import { requireConsoleReader } from '../../lib/server/console-page-guard';
import { getRuntimeHolder } from '../../lib/server/runtime-registry';
import { seriesOptionsNow } from './series-options';

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  await requireConsoleReader();
  return (
    <SeriesOptionsProvider initial={seriesOptionsNow()}>
      <NavBar sessionLink={Boolean(getRuntimeHolder().env.CONSOLE_TOKEN)} />
      <main className="mx-auto max-w-[1840px] px-4 py-6">{children}</main>
    </SeriesOptionsProvider>
  );
}
