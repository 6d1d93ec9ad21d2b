import { preflightRoute } from '../../../lib/server/routes';

export const dynamic = 'force-dynamic';
export const GET = preflightRoute;
