/**
 * GET /api/alerts: the webhook's status (configured or not, host, delivery counters), parsed with the shared schema.
 * POST /api/alerts/test: send one test alert to the webhook now (no queue, no rate limit, no retry) and answer with
 * what the webhook said, with the webhook's host (the alerts' "configured: yes, host …").
 *
 * Invariants: mutating (same-origin, operator token, one audit row `alerts.test` with the outcome); the answer and
 * the audit row name the webhook's host only, never its URL; no webhook configured -> 409 with what to set; a
 * webhook that refuses or cannot be reached is still a 200 whose `delivered` is false (the test did run).
 */
import 'server-only';
import { alertsStatusSchema, alertTestRequestSchema, alertTestResponseSchema, type AlertsStatusView, type AlertTestResponse } from '../schemas/alerts';
import { ApiProblem, withApi } from './api';

export { alertTestRequestSchema, alertTestResponseSchema, type AlertTestResponse };

/** AlertsNotConfiguredError by name: route bundles hold their own copy of bot/, so `instanceof` would miss it. */
const notConfigured = (err: unknown) => err instanceof Error && err.name === 'AlertsNotConfiguredError';

export const alertTestRoute = withApi(
  { mutating: true, body: alertTestRequestSchema, audit: { action: 'alerts.test' } },
  async ({ holder, body, actor, auditDetail }): Promise<AlertTestResponse> => {
    try {
      const r = await holder.runtime.alerts.sendTest(actor, body.note);
      Object.assign(auditDetail, { host: r.host, delivered: r.delivered, webhookStatus: r.status ?? null });
      return {
        configured: true, host: r.host, enabled: r.enabled, delivered: r.delivered, attempts: r.attempts,
        ...(r.status !== undefined ? { status: r.status } : {}), ...(r.error ? { error: r.error } : {}),
      };
    } catch (err) {
      if (notConfigured(err)) throw new ApiProblem('conflict', (err as Error).message);
      throw err;
    }
  },
);

export const alertsStatusRoute = withApi({ mutating: false }, ({ holder }): AlertsStatusView => alertsStatusSchema.parse(holder.runtime.alerts.status()));
