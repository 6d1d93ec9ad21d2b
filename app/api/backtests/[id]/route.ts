import { backtestCancelRoute, backtestGetRoute } from '../../../../lib/server/replay-routes';

export const dynamic = 'force-dynamic';
export const GET = backtestGetRoute;
export const DELETE = backtestCancelRoute;
