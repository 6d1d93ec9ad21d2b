/**
 * /book[?series=<key>|asset=&kind=]: top of book, depth ladders and spread / mid over time for the Up and Down tokens
 * of the current window of one series (the URL's series filter; components/book/book-query.ts).
 */
import { BookView } from '../../../components/book/book-view';
import { bookQueryString, bookSeriesQueryOf } from '../../../components/book/book-query';
import { bookSnapshotFor } from '../../../lib/server/routes-book';
import { requireConsoleReader } from '../../../lib/server/console-page-guard';

export const dynamic = 'force-dynamic';

export default async function BookPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireConsoleReader();
  const raw = await searchParams;
  const query = bookSeriesQueryOf({ get: (name) => (typeof raw[name] === 'string' ? raw[name] : null) });
  return <BookView initialQuery={bookQueryString(query)} initial={bookSnapshotFor(query)} />;
}
