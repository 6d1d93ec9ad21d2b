/**
 * Preflight (go/no-go) report and runtime health, shared by the bot (which produces them), the API
 * (`GET /api/preflight`, `GET /api/health`), the event stream (`preflight.report`) and the dashboard card.
 *
 * Invariants: a report is GO iff no stage has status `fail`; `warn` and `skip` never make it NO-GO. Details and
 * fixes are operator-facing text and never carry a secret (no private key, API secret or passphrase). Every list
 * is bounded.
 */
import { z } from 'zod';

export const preflightStatuses = ['ok', 'warn', 'fail', 'skip'] as const;
export const preflightStatusSchema = z.enum(preflightStatuses);
export type PreflightStatus = z.infer<typeof preflightStatusSchema>;

export const preflightStageSchema = z.object({
  /** Stable id, e.g. `endpoint.clob`, `clock`, `allowance`. */
  id: z.string().max(40),
  title: z.string().max(80),
  status: preflightStatusSchema,
  detail: z.string().max(500),
  /** What to do about a `fail` or `warn` (a command or a setting to change). */
  fix: z.string().max(500).optional(),
  /** How long the check took (clock ms). */
  ms: z.number().nonnegative(),
});
export type PreflightStage = z.infer<typeof preflightStageSchema>;

export const preflightReportSchema = z.object({
  go: z.boolean(),
  mode: z.enum(['paper', 'live']),
  /** `simulator` or `polymarket` (where the endpoints point). */
  venue: z.string().max(40),
  trigger: z.enum(['start', 'recheck', 'doctor']),
  startedMs: z.number(),
  finishedMs: z.number(),
  stages: z.array(preflightStageSchema).max(24),
  /** One line: `GO (12 ok, 1 warn)` or `NO-GO (allowance, clock)`. */
  summary: z.string().max(300),
});
export type PreflightReport = z.infer<typeof preflightReportSchema>;

export const healthStatuses = ['ok', 'degraded', 'down', 'idle'] as const;
export const healthStatusSchema = z.enum(healthStatuses);
export type HealthStatus = z.infer<typeof healthStatusSchema>;

export const healthViewSchema = z.object({
  status: healthStatusSchema,
  /** Why the status is not `ok` (empty when ok). */
  reasons: z.array(z.string().max(300)).max(12),
});
export type HealthView = z.infer<typeof healthViewSchema>;

/** `GET /api/preflight`. */
export const preflightResponseSchema = z.object({
  /** The latest report (null: none yet since the process started). */
  report: preflightReportSchema.nullable(),
  /** A check is running now. */
  running: z.boolean(),
  health: healthViewSchema,
});
export type PreflightResponse = z.infer<typeof preflightResponseSchema>;

/** The summary line of a report from its stages. */
export function summarize(stages: readonly Pick<PreflightStage, 'id' | 'status'>[]): { go: boolean; summary: string } {
  const failed = stages.filter((s) => s.status === 'fail').map((s) => s.id);
  const count = (st: PreflightStatus) => stages.filter((s) => s.status === st).length;
  const parts = [`${count('ok')} ok`, ...(count('warn') ? [`${count('warn')} warn`] : []), ...(count('skip') ? [`${count('skip')} skipped`] : [])];
  if (failed.length === 0) return { go: true, summary: `GO (${parts.join(', ')})` };
  return { go: false, summary: `NO-GO (${failed.join(', ')})`.slice(0, 300) };
}
