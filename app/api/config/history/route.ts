import { configHistoryRoute } from '../../../../lib/server/config-routes';

export const dynamic = 'force-dynamic';
export const GET = configHistoryRoute;
