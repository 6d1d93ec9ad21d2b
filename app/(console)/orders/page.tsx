/** /orders: orders, fills, positions, settlements, the equity curve, PnL per strategy and CSV export. */
import { OrdersView } from '../../../components/orders/orders-view';
import { ordersSnapshotNow } from '../../../lib/server/orders-route';

export const dynamic = 'force-dynamic';

export default function OrdersPage() {
  return <OrdersView initial={ordersSnapshotNow()} />;
}
