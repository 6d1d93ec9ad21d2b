/**
 * Preflight and health events: `preflight.report` (a finished go/no-go check: at start, on each re-check) and
 * `health.condition` (a condition that makes the runtime degraded or down began or ended: venue unreachable, market
 * lookups failing, a required feed never came up, preflight NO-GO, nothing reachable). Both become dashboard alerts
 * (`alertFromEvent`): a report only when NO-GO and `changed`; conditions are published on edges only, and
 * rate-limited by their publisher.
 *
 * Alerts webhook (bot/health/alerts): `alert.sent` when a delivery to the webhook finished (delivered, or given up
 * after its retries), `alert.suppressed` when an alert was held back by a rate limit or dropped from the full queue.
 * Neither carries the webhook URL or any part of it.
 */
import { z } from 'zod';
import { preflightReportSchema } from '../preflight';
import { defineEvent } from './base';

export const healthConditions = ['venue_unreachable', 'lookups_failing', 'reference_unavailable', 'market_data_unavailable', 'preflight_nogo', 'nothing_reachable'] as const;
export const healthConditionSchema = z.enum(healthConditions);
export type HealthCondition = z.infer<typeof healthConditionSchema>;

/** What an alert is about (the webhook payload's `kind`); `test` is the console's test alert. */
export const alertKinds = ['kill_switch', 'feed_stall', 'feed_recovered', 'rejection_burst', 'daily_loss', 'balance_drop', 'health', 'test'] as const;
export const alertKindSchema = z.enum(alertKinds);
export type AlertKind = z.infer<typeof alertKindSchema>;
export const alertSeverities = ['ok', 'info', 'warn', 'danger'] as const;
export const alertSeveritySchema = z.enum(alertSeverities);
export type AlertSeverity = z.infer<typeof alertSeveritySchema>;

export const healthEvents = [
  defineEvent('preflight.report', {
    report: preflightReportSchema,
    /** News for the alert list: the first report of a start, or the verdict or the failed stages changed. */
    changed: z.boolean(),
  }),
  defineEvent('health.condition', {
    condition: healthConditionSchema,
    active: z.boolean(),
    /** `down` conditions are danger, `degraded` ones warn; an ended condition is ok. */
    severity: z.enum(['danger', 'warn', 'ok']),
    title: z.string().max(120),
    detail: z.string().max(300),
  }),
  defineEvent('alert.sent', {
    kind: alertKindSchema,
    severity: alertSeveritySchema,
    title: z.string().max(200),
    /** The webhook answered 2xx; false: given up (a 4xx, or retries exhausted, or shut down). */
    delivered: z.boolean(),
    /** The last HTTP status (absent: no answer, e.g. a network error or timeout). */
    status: z.number().int().optional(),
    attempts: z.number().int().nonnegative(),
    /** Why the last attempt failed (the URL scrubbed out). */
    error: z.string().max(300).optional(),
  }),
  defineEvent('alert.suppressed', {
    kind: alertKindSchema,
    reason: z.enum(['kind_limit', 'global_limit', 'queue_overflow']),
    /** Suppressed alerts waiting to be summarised in the next one sent (queue overflows: dropped since the last delivery). */
    pending: z.number().int().nonnegative(),
  }),
] as const;
