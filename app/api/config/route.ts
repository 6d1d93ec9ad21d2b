import { configGetRoute, configPatchRoute } from '../../../lib/server/config-routes';

export const dynamic = 'force-dynamic';
export const GET = configGetRoute;
export const PATCH = configPatchRoute;
