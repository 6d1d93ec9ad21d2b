import { ordersRoute } from '../../../lib/server/orders-route';

export const dynamic = 'force-dynamic';
export const GET = ordersRoute;
