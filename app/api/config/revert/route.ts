import { configRevertRoute } from '../../../../lib/server/config-routes';

export const dynamic = 'force-dynamic';
export const POST = configRevertRoute;
