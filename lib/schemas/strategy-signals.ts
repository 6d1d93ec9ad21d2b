/**
 * The Strategy page's signals and learning part (issue 14), shared by the server read model (bot/views/signal-log.ts)
 * and the browser's live overlay (components/strategy/signal-live.ts): per strategy instance the latest signal record
 * of each recent window (why it quoted or traded), a sampled history of the signed readings (direction × strength)
 * for the chart, and the learning engine's last weight updates.
 *
 * The fold is pure and in place (`foldSignal`, `foldLearning`) so the server and the browser build the same picture
 * from the same events. Invariants: every list bounded (`signalViewLimits`); latest newest first, one per window key;
 * history oldest first, at most one point per `sampleMs` of strategy time (the latest in that second wins), an
 * older point ignored; signed readings in [−1, 1] rounded to 1e-4.
 */
import { z } from 'zod';
import { learningUpdateSchema, signalRecordSchema, type LearningUpdate, type SignalReading, type SignalRecord } from './events/strategy';

export const signalViewLimits = {
  /** Windows whose latest record is kept per instance. */
  windows: 8,
  /** Chart points kept per instance. */
  history: 600,
  /** One chart point per this much strategy time at most. */
  sampleMs: 1_000,
  /** Learning updates kept per instance. */
  learning: 50,
} as const;

export const signalRowSchema = z.object({
  seq: z.number().int().nonnegative(),
  record: signalRecordSchema,
});
export type SignalRow = z.infer<typeof signalRowSchema>;

export const signalPointSchema = z.object({
  tMs: z.number(),
  seq: z.number().int().nonnegative(),
  windowSlug: z.string().nullable(),
  /** Signed reading per signal id: direction × strength (strength 1 when absent) in [−1, 1]; only readings with a direction. */
  values: z.record(z.string(), z.number().min(-1).max(1)),
});
export type SignalPoint = z.infer<typeof signalPointSchema>;

export const strategySignalsSchema = z.object({
  /** The latest record of each recent window (no window: key ''), newest first. */
  latest: z.array(signalRowSchema).max(signalViewLimits.windows),
  /** Oldest first. */
  history: z.array(signalPointSchema).max(signalViewLimits.history),
  /** Signal records seen since the view started (not only those kept). */
  count: z.number().int().nonnegative(),
});
export type StrategySignals = z.infer<typeof strategySignalsSchema>;

export const learningRowSchema = z.object({
  seq: z.number().int().nonnegative(),
  /** Bus time of the update (epoch ms). */
  tsMs: z.number(),
  update: learningUpdateSchema,
});
export type LearningRow = z.infer<typeof learningRowSchema>;

export const emptySignals = (): StrategySignals => ({ latest: [], history: [], count: 0 });

/** The signed reading: direction × strength (strength 1 when absent), or null without a direction. */
export function signedOf(r: SignalReading): number | null {
  if (r.direction === undefined) return null;
  const v = r.direction * (r.strength ?? 1);
  return Math.round(v * 1e4) / 1e4 + 0; // + 0: no −0
}

export function pointOfSignal(seq: number, r: SignalRecord): SignalPoint {
  const values: Record<string, number> = {};
  for (const x of r.readings) {
    const v = signedOf(x);
    if (v !== null) values[x.id] = v;
  }
  return { tMs: r.atMs, seq, windowSlug: r.windowSlug ?? null, values };
}

/** Add a chart point in place (oldest first): same second → replaces the last; older → ignored; length capped. */
export function appendSignalPoint(points: SignalPoint[], p: SignalPoint): void {
  const last = points[points.length - 1];
  if (last) {
    if (p.tMs < last.tMs) return;
    if (Math.floor(p.tMs / signalViewLimits.sampleMs) === Math.floor(last.tMs / signalViewLimits.sampleMs)) {
      points[points.length - 1] = p;
      return;
    }
  }
  points.push(p);
  if (points.length > signalViewLimits.history) points.splice(0, points.length - signalViewLimits.history);
}

/** Fold one `strategy.signal` (its seq and record) into an instance's signals, in place. */
export function foldSignal(s: StrategySignals, row: SignalRow): void {
  const key = row.record.windowSlug ?? '';
  const i = s.latest.findIndex((x) => (x.record.windowSlug ?? '') === key);
  if (i >= 0) {
    if (s.latest[i]!.record.atMs > row.record.atMs) {
      s.count++;
      return; // an older record of a window never replaces its newer one
    }
    s.latest.splice(i, 1);
  }
  s.latest.unshift(row);
  if (s.latest.length > signalViewLimits.windows) s.latest.length = signalViewLimits.windows;
  appendSignalPoint(s.history, pointOfSignal(row.seq, row.record));
  s.count++;
}

/** Fold one `learning.update` into an instance's learning list (newest first), in place. */
export function foldLearning(list: LearningRow[], seq: number, tsMs: number, update: LearningUpdate): void {
  list.unshift({ seq, tsMs, update });
  if (list.length > signalViewLimits.learning) list.length = signalViewLimits.learning;
}

/** A deep-enough copy for handing out (rows are never mutated after folding; the lists are). */
export function copySignals(s: StrategySignals): StrategySignals {
  return { latest: s.latest.slice(), history: s.history.slice(), count: s.count };
}
