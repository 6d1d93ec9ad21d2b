/** /book: top of book, depth ladders and spread / mid over time for the Up and Down tokens of the current window. */
import { BookView } from '../../../components/book/book-view';
import { bookSeriesSchema } from '../../../lib/schemas/book';
import { bookSnapshotFor } from '../../../lib/server/routes-book';
import { requireConsoleReader } from '../../../lib/server/console-page-guard';

export const dynamic = 'force-dynamic';

export default async function BookPage({ searchParams }: { searchParams: Promise<{ series?: string | string[] }> }) {
  await requireConsoleReader();
  const raw = (await searchParams).series;
  const series = bookSeriesSchema.catch('5m').parse(typeof raw === 'string' ? raw : undefined);
  return <BookView initialSeries={series} initial={bookSnapshotFor(series)} />;
}
