/**
 * POST /api/alerts/test: send one test alert to the webhook now (no queue, no rate limit, no retry) and answer with
 * what the webhook said, with the webhook's host (the alerts' "configured: yes, host …").
 *
 * Invariants: mutating (same-origin, operator token, one audit row `alerts.test` with the outcome); the answer and
 * the audit row name the webhook's host only, never its URL; no webhook configured -> 409 with what to set; a
 * webhook that refuses or cannot be reached is still a 200 whose `delivered` is false (the test did run).
 */
import 'server-only';
import { z } from 'zod';
import { ApiProblem, withApi } from './api';

export const alertTestRequestSchema = z.strictObject({
  /** A note carried in the test alert's message (e.g. which channel you expect it in). */
  note: z.string().trim().min(1).max(200).optional(),
});

export const alertTestResponseSchema = z.object({
  configured: z.literal(true),
  host: z.string(),
  /** The `alerts.enabled` switch (a test is sent either way). */
  enabled: z.boolean(),
  delivered: z.boolean(),
  /** The webhook's HTTP status (absent: no answer). */
  status: z.number().int().optional(),
  attempts: z.number().int(),
  error: z.string().optional(),
});
export type AlertTestResponse = z.infer<typeof alertTestResponseSchema>;

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
