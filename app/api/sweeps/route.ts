import { sweepListRoute, sweepPostRoute } from '../../../lib/server/replay-routes';

export const dynamic = 'force-dynamic';
export const GET = sweepListRoute;
export const POST = sweepPostRoute;
