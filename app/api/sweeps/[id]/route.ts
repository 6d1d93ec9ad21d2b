import { sweepCancelRoute, sweepGetRoute } from '../../../../lib/server/replay-routes';

export const dynamic = 'force-dynamic';
export const GET = sweepGetRoute;
export const DELETE = sweepCancelRoute;
