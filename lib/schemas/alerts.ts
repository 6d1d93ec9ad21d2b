/**
 * Alerts webhook API (shared by the route handlers and the browser): `GET /api/alerts` (status: configured or not,
 * the webhook's host — never its URL —, delivery counters) and `POST /api/alerts/test` (one test alert now).
 */
import { z } from 'zod';

const count = z.number().int().nonnegative();

export const alertsStatusSchema = z.object({
  configured: z.boolean(),
  /** The webhook's host only (the URL embeds a token). */
  host: z.string().nullable(),
  /** The `alerts.enabled` switch. */
  enabled: z.boolean(),
  /** Held back by the rate limits and not yet summarised in a sent alert. */
  suppressedPending: count,
  suppressedTotal: count,
  sender: z.object({ queued: count, inFlight: z.boolean(), delivered: count, failed: count, retries: count, dropped: count }).nullable(),
});
export type AlertsStatusView = z.infer<typeof alertsStatusSchema>;

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
