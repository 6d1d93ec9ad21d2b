/**
 * Strategy events: the per-window decision record every strategy publishes so the console can say why a
 * window was traded or skipped, and the per-evaluation figures (p_hat, z, ask, fee, EV) the EV-trend page plots.
 *
 * Invariants: probabilities and prices are in [0, 1]; `action` is 'traded' or 'skipped' for the one final
 * record of a window and 'evaluated' for intermediate evaluations; `reason` is a short machine-friendly
 * phrase (e.g. 'ev<=0', 'not-watched', 'entered@0.62').
 */
import { z } from 'zod';
import { defineEvent } from './base';

export const decisionActions = ['traded', 'skipped', 'evaluated'] as const;
export const decisionActionSchema = z.enum(decisionActions);
export type DecisionAction = z.infer<typeof decisionActionSchema>;

/** Per-outcome figures of one evaluation (all optional: each strategy fills what it computed). */
export const decisionSideSchema = z.object({
  pHat: z.number().min(0).max(1).optional(),
  ask: z.number().min(0).max(1).optional(),
  bid: z.number().min(0).max(1).optional(),
  fee: z.number().nonnegative().optional(),
  ev: z.number().optional(),
});
export type DecisionSide = z.infer<typeof decisionSideSchema>;

export const decisionRecordSchema = z.object({
  /** Instance id of the strategy (several instances of one type may run side by side). */
  strategyId: z.string(),
  /** Registry id of the strategy type (time-bucket, hammer, ...). */
  strategyType: z.string(),
  windowSlug: z.string(),
  action: decisionActionSchema,
  reason: z.string(),
  /** Strategy-clock time of the decision (epoch ms). */
  atMs: z.number().finite(),
  /** Seconds left in the window at the decision. */
  secondsLeft: z.number().optional(),
  /** The outcome traded or favoured, when there is one. */
  outcome: z.enum(['up', 'down']).optional(),
  pHat: z.number().min(0).max(1).optional(),
  z: z.number().optional(),
  sigma: z.number().nonnegative().optional(),
  distance: z.number().optional(),
  up: decisionSideSchema.optional(),
  down: decisionSideSchema.optional(),
  /** Free-form extra figures (signal scores, dust shares, caps...). Bounded by the strategy. */
  details: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).optional(),
});
export type DecisionRecord = z.infer<typeof decisionRecordSchema>;

export const strategyEvents = [defineEvent('strategy.decision', { record: decisionRecordSchema })] as const;
