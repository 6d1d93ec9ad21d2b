/**
 * HTTP contract of the console's replay side (lib/server/replay-routes.ts): the sessions list, replay control, the
 * frame at a time, backtest and sweep jobs. Shared by the route handlers and the browser.
 *
 * A session reference is a session id from the store's index or a path inside the project or the data directory
 * (a recording, the real sample's folder, a seed-001 CSV with `markets`); the server checks it before anything
 * starts. Replay speed is session seconds per wall second (1..60).
 */
import { z } from 'zod';
import { jobKindSchema, jobStatusSchema, replayStateSchema, summarySchema } from './events/replay';

export const sessionRefSchema = z
  .string()
  .trim()
  .min(1, 'a session id or path')
  .max(1_000)
  .refine((s) => !s.startsWith('-'), 'a session reference cannot start with "-"');

export const replaySpeedSchema = z.number().min(1, 'speed is 1..60').max(60, 'speed is 1..60');

/** Any JSON object: a merge patch over the running config (validated whole with the runtime config schema). */
const configPatchSchema = z.record(z.string(), z.unknown());

export const replayControlSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('start'), session: sessionRefSchema, speed: replaySpeedSchema.optional(), markets: sessionRefSchema.optional() }),
  z.strictObject({ action: z.literal('play') }),
  z.strictObject({ action: z.literal('pause') }),
  z.strictObject({ action: z.literal('seek'), tsMs: z.number().finite() }),
  z.strictObject({ action: z.literal('speed'), speed: replaySpeedSchema }),
  z.strictObject({ action: z.literal('stop') }),
]);
export type ReplayControl = z.infer<typeof replayControlSchema>;

export const backtestRequestSchema = z.strictObject({
  sessions: z.array(sessionRefSchema).min(1).max(20),
  config: configPatchSchema.optional(),
  /** The seed-001 markets JSON for CSV sessions. */
  markets: sessionRefSchema.optional(),
});
export type BacktestRequest = z.infer<typeof backtestRequestSchema>;

/** Metrics a sweep ranks by (the sweep task's columns). */
export const sweepMetrics = ['pnl_usd', 'win_rate', 'trades', 'ev_error', 'ev_error_abs', 'max_drawdown', 'trades_per_hour', 'fees_usd', 'fill_ratio'] as const;

export const sweepRequestSchema = z.strictObject({
  sessions: z.array(sessionRefSchema).min(1).max(20),
  /** Parameter -> values (seed 001's keys or `<instance>.<field>` / `<field>` of the target strategy). */
  grid: z.record(z.string().min(1).max(200), z.unknown()).refine((g) => Object.keys(g).length > 0, 'the grid needs at least one parameter'),
  metric: z.enum(sweepMetrics).optional(),
  strategy: z.string().min(1).max(120).optional(),
  config: configPatchSchema.optional(),
  markets: sessionRefSchema.optional(),
  workers: z.number().int().min(1).max(16).optional(),
});
export type SweepRequest = z.infer<typeof sweepRequestSchema>;

export const sessionEntrySchema = z.object({
  /** What to pass as `session`. */
  ref: z.string(),
  id: z.string(),
  kind: z.enum(['recording', 'sample']),
  format: z.string(),
  startMs: z.number(),
  endMs: z.number(),
  frames: z.number(),
  bytes: z.number(),
  markets: z.array(z.string()),
  sources: z.array(z.string()),
  open: z.boolean(),
  configHash: z.string().optional(),
  attribution: z.string().optional(),
  licence: z.string().optional(),
});
export type SessionEntry = z.infer<typeof sessionEntrySchema>;

export const jobViewSchema = z.object({
  id: z.string(),
  kind: jobKindSchema,
  status: jobStatusSchema,
  progress: z.object({ done: z.number(), total: z.number() }),
  sessions: z.array(z.string()),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  summary: summarySchema.optional(),
  error: z.string().optional(),
  /** GET /api/backtests/<id>, /api/sweeps/<id> only, once done: the full report. */
  result: z.unknown().optional(),
});
export type JobView = z.infer<typeof jobViewSchema>;

/** GET /api/replay: the playback's state, or idle. */
export const replayStateResponseSchema = z.union([replayStateSchema, z.object({ status: z.literal('idle') })]);
