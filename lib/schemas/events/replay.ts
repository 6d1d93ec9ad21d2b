/**
 * Replay console events, published on the MAIN runtime's bus by lib/server/replay-jobs.ts (never by a replay
 * runtime): `replay.state` (the console's replay playback: computing / ready / failed / stopped, its cursor and
 * speed; on every change and about once a second while computing or playing), `job.progress` and `job.finished`
 * (backtest and sweep jobs).
 *
 * Invariants: events stay small — summaries (a few named figures), never ledgers, reports or keyframes (those are
 * read through /api/replay/frame, /api/backtests/<id> and /api/sweeps/<id>); times are epoch ms of the replayed
 * session (cursor, computed range) or of the server (job start and finish).
 */
import { z } from 'zod';
import { defineEvent } from './base';

export const replayStatuses = ['computing', 'ready', 'failed', 'stopped'] as const;
export const replayStatusSchema = z.enum(replayStatuses);
export type ReplayStatus = z.infer<typeof replayStatusSchema>;

/** A small record of named figures (a job's or a replay's result summary). */
export const summarySchema = z.record(z.string().max(64), z.union([z.number(), z.string().max(300), z.boolean(), z.null()]));
export type Summary = z.infer<typeof summarySchema>;

/** The playback's state (GET /api/replay answers it too, or `{ status: 'idle' }` when there is no playback). */
export const replayStateSchema = z.object({
  sessionId: z.string(),
  status: replayStatusSchema,
  /** Session time up to which the timeline is final (`at(t)` for t <= computedToMs never changes). */
  computedToMs: z.number(),
  cursorMs: z.number(),
  playing: z.boolean(),
  /** Session ms per wall ms. */
  speed: z.number().positive(),
  startMs: z.number(),
  endMs: z.number(),
  /** Recorded frames replayed so far. */
  frames: z.number().int().nonnegative(),
  keyframes: z.number().int().nonnegative(),
  /** Spacing of the keyframes (1 s, doubled each time the keyframe cap is reached). */
  keyframeEveryMs: z.number().int().positive(),
  error: z.string().max(500).optional(),
  /** When ready: ledgerHash, events, trades, pnlUsd, feesUsd, eventsPerSec, openPositions, ... */
  result: summarySchema.optional(),
});
export type ReplayState = z.infer<typeof replayStateSchema>;

export const jobKinds = ['backtest', 'sweep'] as const;
export const jobKindSchema = z.enum(jobKinds);
export type JobKind = z.infer<typeof jobKindSchema>;
export const jobStatuses = ['running', 'done', 'failed', 'canceled'] as const;
export const jobStatusSchema = z.enum(jobStatuses);
export type JobStatus = z.infer<typeof jobStatusSchema>;

export const replayEvents = [
  defineEvent('replay.state', { state: replayStateSchema }),
  defineEvent('job.progress', {
    jobId: z.string(),
    kind: jobKindSchema,
    /** Backtests: per-mille of each session (total = 1000 × sessions); sweeps: grid points. */
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
  }),
  defineEvent('job.finished', {
    jobId: z.string(),
    kind: jobKindSchema,
    status: jobStatusSchema.exclude(['running']),
    summary: summarySchema,
    error: z.string().max(500).optional(),
  }),
] as const;
