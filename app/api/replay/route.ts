import { replayGetRoute, replayPostRoute } from '../../../lib/server/replay-routes';

export const dynamic = 'force-dynamic';
export const GET = replayGetRoute;
export const POST = replayPostRoute;
