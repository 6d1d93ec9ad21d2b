import { configWhatIfRoute } from '../../../../lib/server/config-what-if';

export const dynamic = 'force-dynamic';
export const POST = configWhatIfRoute;
