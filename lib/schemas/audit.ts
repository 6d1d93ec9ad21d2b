/**
 * GET /api/audit: the audit trail (every operator action and every automatic safety action) with actor, time, source
 * and, for configuration changes, the diff. Shared by the route body (lib/server/audit-route.ts) and the browser.
 * `format=csv` exports every matching entry (not only `limit`) as RFC 4180 CSV.
 *
 * Invariants: read-only; entries newest first; `limit` bounded (`auditLimits.max`); the filters are an action prefix
 * (`config.` matches `config.apply`, `config.revert`, ...) and an actor (case-insensitive substring); the detail is the
 * stored JSON (secrets were redacted when it was written).
 */
import { z } from 'zod';

export const auditLimits = { default: 200, max: 1_000 } as const;

export const auditQuerySchema = z.strictObject({
  limit: z.coerce.number().int('limit must be a whole number').min(1, 'limit must be at least 1').max(auditLimits.max, `limit must be at most ${auditLimits.max}`).default(auditLimits.default),
  action: z.string().trim().max(100, 'action must be at most 100 characters').regex(/^[A-Za-z0-9._-]*$/, 'action is a prefix of an action name: letters, digits, dot, dash, underscore').optional(),
  actor: z.string().trim().max(100, 'actor must be at most 100 characters').optional(),
  format: z.enum(['json', 'csv'], 'format is json or csv').default('json'),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** One changed config field as the config service summarises it (values JSON-encoded and clipped). */
export const auditDiffEntrySchema = z.object({ path: z.string(), from: z.string().optional(), to: z.string().optional(), hot: z.boolean().optional() });
export type AuditDiffEntry = z.infer<typeof auditDiffEntrySchema>;

export const auditEntrySchema = z.object({
  id: z.number().int(),
  tsMs: z.number(),
  actor: z.string(),
  action: z.string(),
  /** Where the action came from: the request's address for config changes, `automatic`, `console/api`, `runtime`. */
  source: z.string(),
  /** The config diff (detail.diff), when the entry has one. */
  diff: z.array(auditDiffEntrySchema).nullable(),
  /** One line for the table (reason, from → to, version). */
  summary: z.string(),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEntryView = z.infer<typeof auditEntrySchema>;

export const auditResponseSchema = z.object({
  entries: z.array(auditEntrySchema).max(auditLimits.max),
  /** How many matching entries the store returned (at most limit + 1). */
  scanned: z.number().int().nonnegative(),
  /** True when more entries match than are shown (raise the limit to see them). */
  more: z.boolean(),
  limit: z.number().int().positive(),
});
export type AuditResponse = z.infer<typeof auditResponseSchema>;

/** Query parameters of a URL as a plain object (a repeated parameter keeps its last value). */
export function queryObject(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of params) out[k] = v;
  return out;
}
