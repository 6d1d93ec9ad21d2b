import { learningGetRoute } from '../../../lib/server/learning';

export const dynamic = 'force-dynamic';
export const GET = learningGetRoute;
