/** /feeds: reference vs TWAP-60 vs spot and their divergence (USD, bps), msgs/s, the staleness timeline, reconnects. */
import { FeedsView } from '../../../components/feeds/feeds-view';
import { feedsSnapshotNow } from '../../../lib/server/routes-feeds';

export const dynamic = 'force-dynamic';

export default function FeedsPage() {
  return <FeedsView initial={feedsSnapshotNow()} />;
}
