/**
 * The learning engine's contract (issue 14): the learner's persisted state per strategy instance (bot/learning,
 * table `learning_state`), the learning params read from a trend-window instance's params, and the bodies of
 * GET /api/learning and POST /api/learning/reset.
 *
 * Invariants: every list is bounded (pending trades, settled trades, last updates); votes are direction × strength
 * in [−1, 1] keyed by the signal's weight key; the persisted state parses with `learnerStateSchema` or is discarded.
 */
import { z } from 'zod';
import { learningUpdateSchema } from './events/strategy';

export const LEARNING_LIMITS = { pending: 64, settled: 1_000, lastUpdates: 20 } as const;

/** Defaults of the learning params (trend-window params fields of the same names). */
export const LEARNING_DEFAULTS = { learningEnabled: false, learningEveryTrades: 20, learningMaxStep: 0.05, learningMinWeight: 0.01 } as const;

const hotField = (description: string) => ({ updatable: true, description });

/**
 * The trend-window params fields the learner reads, hot (`updatable`) like every strategy field: the strategy's
 * config schema spreads this shape (`...learningParamsShape`) so that the config service accepts and hot-applies them.
 */
export const learningParamsShape = {
  learningEnabled: z.boolean().default(LEARNING_DEFAULTS.learningEnabled).meta(hotField('Learning engine: re-weight the signals from settled trades (actor "learning" in the config history).')),
  learningEveryTrades: z.number().int().min(1).max(1_000).default(LEARNING_DEFAULTS.learningEveryTrades).meta(hotField('Learning engine: one re-weighting step every this many settled (filled and resolved) trades.')),
  learningMaxStep: z.number().gt(0).max(0.5).default(LEARNING_DEFAULTS.learningMaxStep).meta(hotField('Learning engine: largest change of one weight in one step.')),
  learningMinWeight: z.number().min(0).max(0.5).default(LEARNING_DEFAULTS.learningMinWeight).meta(hotField('Learning engine: a weight is never lowered below this.')),
};
export const learningParamsSchema = z.object(learningParamsShape);
export type LearningParams = z.output<typeof learningParamsSchema>;

const outcomeSchema = z.enum(['up', 'down']);
/** Signed vote per signal (weight key → direction × strength). */
export const learningVotesSchema = z.record(z.string().min(1).max(64), z.number().min(-1).max(1));
export type LearningVotes = z.infer<typeof learningVotesSchema>;

/** A buy whose result is not known yet: filled once the window's final record says 'traded', settled with the winner. */
export const pendingTradeSchema = z.object({
  windowSlug: z.string().min(1).max(200),
  atMs: z.number().finite(),
  votes: learningVotesSchema,
  outcome: outcomeSchema.optional(),
  filled: z.boolean(),
  winner: outcomeSchema.optional(),
});
export type PendingTrade = z.infer<typeof pendingTradeSchema>;

export const settledTradeSchema = z.object({
  windowSlug: z.string().min(1).max(200),
  votes: learningVotesSchema,
  winner: outcomeSchema,
});
export type SettledTrade = z.infer<typeof settledTradeSchema>;

/** One step as remembered by the learner (the published update plus when). */
export const learningStepRecordSchema = learningUpdateSchema.extend({ atMs: z.number().finite() });
export type LearningStepRecord = z.infer<typeof learningStepRecordSchema>;

export const learnerStateSchema = z.object({
  pending: z.array(pendingTradeSchema).max(LEARNING_LIMITS.pending),
  /** Settled trades not yet used by a step (oldest first). */
  settled: z.array(settledTradeSchema).max(LEARNING_LIMITS.settled),
  settledTotal: z.number().int().nonnegative(),
  steps: z.number().int().nonnegative(),
  /** Newest last. */
  lastUpdates: z.array(learningStepRecordSchema).max(LEARNING_LIMITS.lastUpdates),
});
export type LearnerState = z.infer<typeof learnerStateSchema>;

export const learningInstanceViewSchema = z.object({
  strategyId: z.string(),
  /** Configured as a trend-window instance now (false: state left from an instance no longer configured). */
  configured: z.boolean(),
  params: learningParamsSchema,
  /** Settled trades since the last step (a step runs at params.learningEveryTrades). */
  tradesSinceStep: z.number().int().nonnegative(),
  pendingTrades: z.number().int().nonnegative(),
  settledTotal: z.number().int().nonnegative(),
  steps: z.number().int().nonnegative(),
  /** The instance's signal weights in the running config (absent when the strategy has none). */
  weights: z.record(z.string(), z.number().nonnegative()).optional(),
  lastUpdates: z.array(learningStepRecordSchema).max(LEARNING_LIMITS.lastUpdates),
  updatedMs: z.number().nullable(),
});
export type LearningInstanceView = z.infer<typeof learningInstanceViewSchema>;

export const learningResponseSchema = z.object({ instances: z.array(learningInstanceViewSchema).max(64) });
export type LearningResponse = z.infer<typeof learningResponseSchema>;

export const learningResetRequestSchema = z.strictObject({
  strategyId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a strategy instance id'),
  /** Also drop the learned weights (the strategy's default weights apply again), as a config change. */
  restoreDefaults: z.boolean().optional(),
  reason: z.string().trim().min(1).max(300),
});
export type LearningResetRequest = z.infer<typeof learningResetRequestSchema>;

export const learningResetResponseSchema = z.object({
  strategyId: z.string(),
  /** The learner had state for the instance (now cleared). */
  cleared: z.boolean(),
  /** Config version written by restoring the default weights (absent when not asked or nothing changed). */
  configVersion: z.number().int().nonnegative().optional(),
  instance: learningInstanceViewSchema,
});
export type LearningResetResponse = z.infer<typeof learningResetResponseSchema>;
