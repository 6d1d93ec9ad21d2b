import { testEmitRoute } from '../../../../lib/server/routes';

export const dynamic = 'force-dynamic';
export const POST = testEmitRoute;
