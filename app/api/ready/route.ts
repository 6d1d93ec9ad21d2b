/**
 * GET /api/ready: readiness (lib/server/health.ts runtimeReadiness): 200 when the runtime is running, reconciled with
 * the venue and the feeds trading needs are fresh; 503 with the reasons otherwise. `/api/health` is liveness.
 * Public like /api/health (a readiness probe carries no token): under CONSOLE_PROTECT_READS a caller without the token
 * or a session gets `{ ready }` only.
 */
import { withApi } from '../../../lib/server/api';
import { runtimeReadiness } from '../../../lib/server/health';

export const dynamic = 'force-dynamic';

export const GET = withApi({ mutating: false, public: true }, ({ holder, actor }) => {
  const r = runtimeReadiness(holder.runtime);
  const body = holder.env.CONSOLE_PROTECT_READS && actor === 'anonymous' ? { ready: r.ready } : r;
  return Response.json(body, { status: r.ready ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
});
