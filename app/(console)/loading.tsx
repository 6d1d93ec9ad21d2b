/** Shown inside the console frame while a page's server render streams in: the shape of a page, pulsing. */
import { PageSkeleton } from '../../components/ui/page-skeleton';

export default function ConsoleLoading() {
  return <PageSkeleton />;
}
