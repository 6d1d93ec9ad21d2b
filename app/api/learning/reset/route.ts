import { learningResetRoute } from '../../../../lib/server/learning';

export const dynamic = 'force-dynamic';
export const POST = learningResetRoute;
