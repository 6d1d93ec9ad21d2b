/**
 * The config service's contract, shared by the service (bot/config), the route handlers and the console form:
 * layers, issues (a refusal names the field and the rule), changes (a diff entry says hot or restart), field
 * descriptions, journal entries and the request bodies of /api/config*.
 *
 * Path conventions:
 * - Issue and field paths follow the JSON document (`strategies.1.params.dMin`, `series.0.enabled`), as a form
 *   binds them and as zod reports them.
 * - Change (diff) paths key list items by identity so that they survive additions and removals:
 *   `strategies.<id>…` and `series.<asset>-<windowSec>…` (`strategies.hammer.params.dMin`, `series.btc-300.enabled`).
 */
import { z } from 'zod';
import { configProfileNames } from './config';

/** Where a value came from, lowest first: each layer is a JSON merge patch over the ones below. */
export const configLayerNames = ['default', 'profile', 'file', 'env', 'console'] as const;
export const configLayerSchema = z.enum(configLayerNames);
export type ConfigLayer = z.infer<typeof configLayerSchema>;

export const configIssueSchema = z.object({
  path: z.string(),
  /** `schema.<zod code>`, a guardrail rule id (bot/config/guardrails.ts), `patch.<problem>` or `target`. */
  rule: z.string(),
  message: z.string(),
});
export type ConfigIssue = z.infer<typeof configIssueSchema>;

export const configChangeSchema = z.object({
  path: z.string(),
  from: z.unknown().optional(),
  to: z.unknown().optional(),
  /** true: applied while running; false: needs a restart (pending until then). */
  hot: z.boolean(),
  /** Needs a restart of the process, not just of the bot (mode, venue, simulator, autoStart). */
  process: z.boolean().optional(),
});
export type ConfigChange = z.infer<typeof configChangeSchema>;

export const configFieldSchema = z.object({
  path: z.string(),
  hot: z.boolean(),
  /** A change waits for a process restart (not just a restart of the bot). */
  process: z.boolean().optional(),
  description: z.string(),
  type: z.string(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  exclusiveMinimum: z.number().optional(),
  exclusiveMaximum: z.number().optional(),
  enum: z.array(z.unknown()).optional(),
  default: z.unknown().optional(),
  /** Absent: an optional field that is not set (e.g. a series without its own exposure cap). */
  value: z.unknown().optional(),
  source: configLayerSchema,
});
export type ConfigField = z.infer<typeof configFieldSchema>;

export const configVersionStatuses = ['applied', 'pending', 'superseded'] as const;

export const configVersionSummarySchema = z.object({
  version: z.number().int(),
  tsMs: z.number(),
  actor: z.string(),
  source: z.string(),
  reason: z.string(),
  hash: z.string(),
  status: z.enum(configVersionStatuses),
  profile: z.string().nullable(),
  diff: z.array(configChangeSchema),
});
export type ConfigVersionSummary = z.infer<typeof configVersionSummarySchema>;

export const configProfileSchema = z.enum(configProfileNames);

/** PATCH /api/config. `patch` is an RFC 7396 JSON merge patch over the operator's (console) layer. */
export const configPatchRequestSchema = z.strictObject({
  // Passed through untouched (z.record would drop a `__proto__` key silently): the service checks every key and value.
  patch: z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'patch must be a JSON object'),
  reason: z.string().trim().min(3, 'say why (at least 3 characters)').max(500),
  dryRun: z.boolean().optional(),
  expectVersion: z.number().int().positive().optional(),
});
export type ConfigPatchRequest = z.infer<typeof configPatchRequestSchema>;

export const configRevertRequestSchema = z.strictObject({
  version: z.number().int().positive(),
  reason: z.string().trim().min(3, 'say why (at least 3 characters)').max(500),
  dryRun: z.boolean().optional(),
  expectVersion: z.number().int().positive().optional(),
});

export const configProfileRequestSchema = z.strictObject({
  profile: configProfileSchema,
  reason: z.string().trim().min(3, 'say why (at least 3 characters)').max(500),
  dryRun: z.boolean().optional(),
  expectVersion: z.number().int().positive().optional(),
});

/** The verdict of an apply, revert or profile selection (dry run or not). */
export const configApplyResultSchema = z.object({
  applied: z.boolean(),
  dryRun: z.boolean(),
  /** false: the layers did not change (nothing journaled). */
  changed: z.boolean(),
  version: z.number().int(),
  hash: z.string(),
  diff: z.array(configChangeSchema),
  hot: z.array(z.string()),
  pending: z.array(configChangeSchema),
  /** Fields the change sets that a higher layer (file, env) still overrides. */
  shadowed: z.array(z.string()).optional(),
  note: z.string().optional(),
});
export type ConfigApplyResult = z.infer<typeof configApplyResultSchema>;
