import { armingGetRoute, armingPostRoute } from '../../../lib/server/routes';

export const dynamic = 'force-dynamic';
export const GET = armingGetRoute;
export const POST = armingPostRoute;
