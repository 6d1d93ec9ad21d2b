/**
 * HTTP contract of POST /api/config/what-if (lib/server/config-what-if.ts) and of the backtest reports the config
 * page reads back from GET /api/backtests/<id>: replay the last N recorded windows twice, with the current config and
 * with the current config plus the operator's edit, and compare.
 *
 * The request's `patch` is the same RFC 7396 merge patch PATCH /api/config takes (over the operator's layer); it is
 * validated exactly as an apply would be (a dry run of the config service), so a what-if never runs a config the
 * service would refuse. The answer names the two backtest jobs (progress and finish over the bus as for
 * /api/backtests) and the recorded windows they replay.
 */
import { z } from 'zod';
import { configChangeSchema } from './config-api';
import { jobViewSchema } from './replay-api';

export const WHAT_IF_MAX_WINDOWS = 48;

export const whatIfRequestSchema = z.strictObject({
  // Passed through untouched (as PATCH /api/config does): the config service checks every key and value.
  patch: z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'patch must be a JSON object'),
  windows: z.number().int('a whole number of windows').min(1, 'at least 1 window').max(WHAT_IF_MAX_WINDOWS, `at most ${WHAT_IF_MAX_WINDOWS} windows`),
});
export type WhatIfRequest = z.infer<typeof whatIfRequestSchema>;

/** One recorded session the what-if replays (a snapshot slice of it, or the whole closed session). */
export const whatIfSessionSchema = z.object({
  /** The recorded session's id. */
  id: z.string(),
  /** What the backtest jobs open (a path inside the data directory). */
  ref: z.string(),
  /** true: a copy restricted to [fromMs, toMs] (an open recording is always copied, so both runs read the same frames). */
  sliced: z.boolean(),
  fromMs: z.number(),
  toMs: z.number(),
  frames: z.number().int().nonnegative(),
});

export const whatIfWindowSchema = z.object({ slug: z.string(), startMs: z.number(), endMs: z.number(), sessionId: z.string() });
export type WhatIfWindow = z.infer<typeof whatIfWindowSchema>;

export const whatIfResponseSchema = z.object({
  windows: z.object({
    requested: z.number().int(),
    /** The windows found (fewer than requested when the recordings hold fewer), oldest first. */
    list: z.array(whatIfWindowSchema),
    /** Window length the count is in (the shortest series recorded), seconds. */
    windowSec: z.number().int().positive(),
  }),
  sessions: z.array(whatIfSessionSchema),
  /** The edit (old -> new per path), as the apply would journal it. */
  changes: z.array(configChangeSchema),
  current: jobViewSchema,
  edited: jobViewSchema,
});
export type WhatIfResponse = z.infer<typeof whatIfResponseSchema>;

/** The figures of one strategy (or of all together) the page compares; other report fields are ignored. */
export const backtestFiguresSchema = z.object({
  trades: z.number(),
  resolvedTrades: z.number(),
  wins: z.number(),
  winRate: z.number().nullable(),
  pnlUsd: z.number().nullable(),
  feesUsd: z.number().nullable(),
  maxDrawdownUsd: z.number().nullable(),
  openAtEnd: z.number(),
});
export type BacktestFigures = z.infer<typeof backtestFiguresSchema>;

const reportSchema = z.object({
  session: z.object({ startMs: z.number(), endMs: z.number(), hours: z.number().nullable() }),
  strategies: z.array(backtestFiguresSchema.extend({ strategyId: z.string(), strategyType: z.string() })),
  totals: backtestFiguresSchema,
});
export type BacktestReportFigures = z.infer<typeof reportSchema>;

/** GET /api/backtests/<id>'s `result` (lib/server/backtest-job.ts): per session, and combined when there are several. */
export const backtestResultSchema = z.object({
  sessions: z.array(z.object({ session: z.string(), events: z.number(), report: reportSchema })),
  combined: reportSchema.optional(),
});
export type BacktestResult = z.infer<typeof backtestResultSchema>;

/** The report to show: the combined one, else the only session's. */
export function headlineReport(r: BacktestResult): BacktestReportFigures | undefined {
  return r.combined ?? r.sessions[0]?.report;
}

export const backtestJobSchema = jobViewSchema.extend({ result: backtestResultSchema.optional() });
export type BacktestJob = z.infer<typeof backtestJobSchema>;
