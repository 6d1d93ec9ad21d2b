import { alertTestRoute } from '../../../../lib/server/alerts-route';

export const dynamic = 'force-dynamic';
export const POST = alertTestRoute;
