import { feedsRoute } from '../../../lib/server/routes-feeds';

export const dynamic = 'force-dynamic';
export const GET = feedsRoute;
