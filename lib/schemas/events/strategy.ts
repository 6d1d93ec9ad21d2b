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

/**
 * One signal or model input as a strategy read it at one evaluation (issue 14): what it measured, which way it
 * points, how strongly and how sure, its weight, whether it is switched on, and what it did to the quote or trade.
 * `direction` +1 favours Up (or, for a maker, "the Up side is the safe side"), −1 Down, 0 neutral.
 */
export const signalReadingSchema = z.object({
  /** Stable id: 'flowImbalance', 'bookImbalance', 'regime', 'competitor', 'timeOfWindow', 'markout', 'kelly', 'ext:putCallRatio', ... */
  id: z.string().min(1).max(64),
  /** Raw measured value in its own unit (imbalance in [−1, 1], toxicity, a ratio, an index 0–100 ...). */
  value: z.number().finite().optional(),
  direction: z.union([z.literal(-1), z.literal(0), z.literal(1)]).optional(),
  strength: z.number().min(0).max(1).optional(),
  confidence: z.number().min(0).max(1).optional(),
  weight: z.number().nonnegative().optional(),
  /** A discrete state when the signal has one (regime 'thin', competitor 'improve', 'toxic' ...). */
  state: z.string().max(40).optional(),
  /** False when switched off in config, absent or stale: shown, but it changed nothing. */
  active: z.boolean(),
  /** What it did: 'spread +0.020', 'size ×0.50', 'paused', 'veto', 'vote +0.30' ... */
  effect: z.string().max(160).optional(),
});
export type SignalReading = z.infer<typeof signalReadingSchema>;

/** A strategy's signal snapshot at one evaluation: the readings, the model outputs, and why it quoted or traded. */
export const signalRecordSchema = z.object({
  strategyId: z.string(),
  strategyType: z.string(),
  windowSlug: z.string().optional(),
  atMs: z.number().finite(),
  readings: z.array(signalReadingSchema).max(32),
  /** Model outputs (spread, size, kellyFraction, fused vote, pause ...). Bounded by the strategy. */
  model: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).optional(),
  /** One line: why this quote or trade (or why none). */
  summary: z.string().max(300),
});
export type SignalRecord = z.infer<typeof signalRecordSchema>;

/** One learning step: signal weights of a strategy instance re-fitted from settled results (actor "learning"). */
export const learningUpdateSchema = z.object({
  strategyId: z.string(),
  /** Settled trades the step used. */
  trades: z.number().int().nonnegative(),
  before: z.record(z.string(), z.number().nonnegative()),
  after: z.record(z.string(), z.number().nonnegative()),
  /** Hit rate per signal over the step's trades (share of trades whose vote matched the outcome). */
  accuracy: z.record(z.string(), z.number().min(0).max(1)),
  reason: z.string().max(300),
  /** Config version written by the step (absent when nothing changed or the write was refused). */
  configVersion: z.number().int().nonnegative().optional(),
});
export type LearningUpdate = z.infer<typeof learningUpdateSchema>;

export const strategyEvents = [
  defineEvent('strategy.decision', { record: decisionRecordSchema }),
  defineEvent('strategy.signal', { record: signalRecordSchema }),
  defineEvent('learning.update', { update: learningUpdateSchema }),
] as const;
