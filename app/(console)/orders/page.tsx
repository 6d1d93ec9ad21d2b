/** /orders: orders, fills, positions, settlements, the equity curve, PnL per strategy and CSV export. */
import { OrdersView } from '../../../components/orders/orders-view';

export const dynamic = 'force-dynamic';

export default function OrdersPage() {
  return <OrdersView />;
}
