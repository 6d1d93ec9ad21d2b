import { backtestListRoute, backtestPostRoute } from '../../../lib/server/replay-routes';

export const dynamic = 'force-dynamic';
export const GET = backtestListRoute;
export const POST = backtestPostRoute;
