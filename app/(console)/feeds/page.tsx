/** /feeds: reference vs TWAP-60 vs spot and their divergence (USD, bps), msgs/s, the staleness timeline, reconnects. */
import { FeedsView } from '../../../components/feeds/feeds-view';
import { feedsSnapshotNow } from '../../../lib/server/routes-feeds';
import { requireConsoleReader } from '../../../lib/server/console-page-guard';

export const dynamic = 'force-dynamic';

export default async function FeedsPage() {
  // Reads protected (CONSOLE_PROTECT_READS): no snapshot for a request without the token or a session.
  await requireConsoleReader();
  return <FeedsView initial={feedsSnapshotNow()} />;
}
