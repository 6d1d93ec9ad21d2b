import { configProfileRoute } from '../../../../lib/server/config-routes';

export const dynamic = 'force-dynamic';
export const POST = configProfileRoute;
