import { botActionRoute } from '../../../../lib/server/routes';

export const dynamic = 'force-dynamic';
export const POST = botActionRoute('restart');
