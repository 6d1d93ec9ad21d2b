import { tradingRoute } from '../../../lib/server/routes';

export const dynamic = 'force-dynamic';
export const GET = tradingRoute;
