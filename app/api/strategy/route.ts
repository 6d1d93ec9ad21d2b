import { strategyRoute } from '../../../lib/server/routes-strategy';

export const dynamic = 'force-dynamic';
export const GET = strategyRoute;
