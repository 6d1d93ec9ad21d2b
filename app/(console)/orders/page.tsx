/** /orders: orders, fills, positions, settlements, the equity curve, PnL per strategy and CSV export. */
import { OrdersView } from '../../../components/orders/orders-view';
import { ordersSnapshotNow } from '../../../lib/server/orders-route';
import { requireConsoleReader } from '../../../lib/server/console-page-guard';

export const dynamic = 'force-dynamic';

export default async function OrdersPage() {
  // Reads protected (CONSOLE_PROTECT_READS): no snapshot for a request without the token or a session.
  await requireConsoleReader();
  return <OrdersView initial={ordersSnapshotNow()} />;
}
