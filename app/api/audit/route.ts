import { auditRoute } from '../../../lib/server/audit-route';

export const dynamic = 'force-dynamic';
export const GET = auditRoute;
