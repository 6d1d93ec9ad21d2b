import { alertsStatusRoute } from '../../../lib/server/alerts-route';

export const dynamic = 'force-dynamic';
export const GET = alertsStatusRoute;
