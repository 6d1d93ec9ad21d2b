import { killSwitchGetRoute, killSwitchPostRoute } from '../../../lib/server/routes';

export const dynamic = 'force-dynamic';
export const GET = killSwitchGetRoute;
export const POST = killSwitchPostRoute;
