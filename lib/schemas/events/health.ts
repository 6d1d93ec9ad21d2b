/**
 * Preflight and health events: `preflight.report` (a finished go/no-go check: at start, on each re-check) and
 * `health.condition` (a condition that makes the runtime degraded or down began or ended: venue unreachable, market
 * lookups failing, a required feed never came up, preflight NO-GO, nothing reachable). Both become dashboard alerts
 * (`alertFromEvent`): a report only when NO-GO and `changed`; conditions are published on edges only, and
 * rate-limited by their publisher.
 */
import { z } from 'zod';
import { preflightReportSchema } from '../preflight';
import { defineEvent } from './base';

export const healthConditions = ['venue_unreachable', 'lookups_failing', 'reference_unavailable', 'market_data_unavailable', 'preflight_nogo', 'nothing_reachable'] as const;
export const healthConditionSchema = z.enum(healthConditions);
export type HealthCondition = z.infer<typeof healthConditionSchema>;

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
] as const;
