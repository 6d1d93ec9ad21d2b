import { sessionsRoute } from '../../../lib/server/replay-routes';

export const dynamic = 'force-dynamic';
export const GET = sessionsRoute;
