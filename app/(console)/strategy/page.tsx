/** /strategy[?id=<instance>]: per strategy instance p̂ versus ask, EV and z over time, the decision log, its orders, positions and PnL. */
import { StrategyPage } from '../../../components/strategy/strategy-page';
import { strategySnapshotNow } from '../../../lib/server/routes-strategy';
import { requireConsoleReader } from '../../../lib/server/console-page-guard';

export const dynamic = 'force-dynamic';

export default async function StrategyRoutePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireConsoleReader();
  const { id } = await searchParams;
  const initialId = typeof id === 'string' && id ? id : null;
  return <StrategyPage initialId={initialId} initial={strategySnapshotNow(initialId)} />;
}
