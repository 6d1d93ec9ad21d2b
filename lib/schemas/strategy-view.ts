/**
 * GET /api/strategy?id=<instance>: the Strategy page's read model, shared by the server (bot/views/decision-log.ts,
 * lib/server/routes-strategy.ts) and the browser, which parses every response with it. Per strategy instance: the
 * decision log (why each window was traded or skipped, and the `evaluated` ticks in between), sampled series of
 * p_hat / ask / EV for Up and Down and z, and that instance's own orders, fills, positions and PnL (folded from the
 * bus events of its client tags), and its signal records and learning updates (lib/schemas/strategy-signals.ts).
 *
 * Also the pure series sampling both sides use (server-side log, browser-side live overlay), so one decision always
 * lands on the same point: at most one point per second of strategy time per series (the latest in that second
 * wins), only the last `seriesWindowMs` kept, at most `pointsPerSeries` points.
 *
 * Invariants: read-only, never a secret; times are epoch ms (`*Ms`, server clock); prices and probabilities in
 * [0, 1]; EV in USD per share (probability units); money `*Usd`; every list bounded (see the `.max()`s).
 */
import { z } from 'zod';
import { orderStateSchema } from './events/execution';
import { fillRowSchema, positionRowSchema } from './trading';
import { decisionActionSchema, decisionRecordSchema, type DecisionRecord } from './events/strategy';
import { seriesKeyOfSlug } from './series';
import { learningRowSchema, signalViewLimits, strategySignalsSchema } from './strategy-signals';

const prob = z.number().min(0).max(1);
const outcome = z.enum(['up', 'down']);
const num = z.number().finite().nullable();

export const strategyViewLimits = {
  /** Decision rows kept per instance (finals and evaluated ticks together). */
  decisions: 500,
  /** Of which at most this many final (traded / skipped) rows: evaluated ticks are evicted first up to this share. */
  finals: 300,
  seriesWindowMs: 30 * 60_000,
  sampleMs: 1_000,
  pointsPerSeries: 1_800,
  /** Series (asset × window length, e.g. btc-300) per instance. */
  series: 6,
  orders: 50,
  fills: 50,
  positions: 40,
  instances: 32,
} as const;

/** Strategy instance ids, as the config allows them (lib/schemas/config.ts). */
export const strategyIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a strategy instance id: lower-case letters, digits and dashes');

export const strategyQuerySchema = z.strictObject({ id: strategyIdSchema.optional() });

export const strategyInstanceRowSchema = z.object({
  id: z.string(),
  /** Registry type (time-bucket, hammer, ...); null when only seen in events with no type yet. */
  type: z.string().nullable(),
  /** In the running configuration (false: only seen in this runtime's events, e.g. removed since). */
  configured: z.boolean(),
  /** Its `enabled` parameter (null when not configured). */
  enabled: z.boolean().nullable(),
  budgetUsd: z.number().nullable(),
  decisions: z.number().int().nonnegative(),
  lastDecisionMs: z.number().nullable(),
  lastAction: decisionActionSchema.nullable(),
});
export type StrategyInstanceRow = z.infer<typeof strategyInstanceRowSchema>;

export const decisionRowSchema = z.object({
  seq: z.number().int().nonnegative(),
  record: decisionRecordSchema,
  /** The window's winner once it resolved (null: not resolved, or not seen by this runtime). */
  winner: outcome.nullable(),
});
export type DecisionRow = z.infer<typeof decisionRowSchema>;

export const seriesPointSchema = z.object({
  tMs: z.number(),
  windowSlug: z.string(),
  pHat: num,
  z: num,
  upPHat: num,
  upAsk: num,
  upEv: num,
  downPHat: num,
  downAsk: num,
  downEv: num,
});
export type SeriesPoint = z.infer<typeof seriesPointSchema>;

export const decisionSeriesSchema = z.object({
  /** The series of its windows, `<asset>-<windowSec>` (`btc-300`, hourly `btc-3600`): `seriesKeyOf(windowSlug)`. */
  key: z.string(),
  points: z.array(seriesPointSchema).max(strategyViewLimits.pointsPerSeries),
});
export type DecisionSeries = z.infer<typeof decisionSeriesSchema>;

export const strategyOrderRowSchema = z.object({
  clientTag: z.string(),
  windowSlug: z.string(),
  purpose: z.string(),
  state: orderStateSchema,
  reason: z.string().nullable(),
  firstMs: z.number(),
  updatedMs: z.number(),
  side: z.enum(['BUY', 'SELL']).nullable(),
  outcome: outcome.nullable(),
  /** Limit price (known while the order is open, from the trading view). */
  price: prob.nullable(),
  size: z.number().nonnegative().nullable(),
  usd: z.number().nonnegative().nullable(),
  filledSize: z.number().nonnegative(),
  avgFillPrice: prob.nullable(),
});
export type StrategyOrderRow = z.infer<typeof strategyOrderRowSchema>;

/** A fill of this instance: the dashboard's fill row, always with its order's tag, its status folded to three. */
export const strategyFillRowSchema = fillRowSchema.omit({ strategyId: true, provisional: true }).extend({
  clientTag: z.string(),
  status: z.enum(['provisional', 'confirmed', 'voided']),
});
export type StrategyFillRow = z.infer<typeof strategyFillRowSchema>;

/** A position of this instance: the dashboard's position row without the provisional split and the mark. */
export const strategyPositionRowSchema = positionRowSchema.omit({ provisionalShares: true, markPrice: true });
export type StrategyPositionRow = z.infer<typeof strategyPositionRowSchema>;

export const strategyPnlSchema = z.object({
  /** Realised PnL after fees of this instance's fills seen by this runtime (settled windows and sells). */
  realizedUsd: z.number(),
  feesUsd: z.number().nonnegative(),
  /** Cost basis still held in unsettled windows. */
  openCostUsd: z.number(),
  fills: z.number().int().nonnegative(),
  /** Settled windows with a positive / negative realised PnL. */
  wins: z.number().int().nonnegative(),
  losses: z.number().int().nonnegative(),
});
export type StrategyPnl = z.infer<typeof strategyPnlSchema>;

export const strategyDetailSchema = z.object({
  id: z.string(),
  type: z.string().nullable(),
  /** Newest first. */
  decisions: z.array(decisionRowSchema).max(strategyViewLimits.decisions),
  /** Final and evaluated records seen since the view started (not only those still kept). */
  counts: z.object({ traded: z.number().int().nonnegative(), skipped: z.number().int().nonnegative(), evaluated: z.number().int().nonnegative() }),
  series: z.array(decisionSeriesSchema).max(strategyViewLimits.series),
  /** Newest first. */
  orders: z.array(strategyOrderRowSchema).max(strategyViewLimits.orders),
  fills: z.array(strategyFillRowSchema).max(strategyViewLimits.fills),
  positions: z.array(strategyPositionRowSchema).max(strategyViewLimits.positions),
  pnl: strategyPnlSchema,
  /** Its `strategy.signal` records (issue 14: lib/schemas/strategy-signals.ts). Optional: older snapshots have none. */
  signals: strategySignalsSchema.optional(),
  /** Its `learning.update`s, newest first. Optional: older snapshots have none. */
  learning: z.array(learningRowSchema).max(signalViewLimits.learning).optional(),
});
export type StrategyDetail = z.infer<typeof strategyDetailSchema>;

export const strategyViewSchema = z.object({
  nowMs: z.number(),
  /** Bus sequence number the view is consistent with: a live event with a larger seq is newer. */
  seq: z.number().int().nonnegative(),
  /** When the view started observing (figures are since then). */
  sinceMs: z.number(),
  instances: z.array(strategyInstanceRowSchema).max(strategyViewLimits.instances),
  /** The requested instance (or the first one when none was asked for); null when there is none. */
  strategy: strategyDetailSchema.nullable(),
});
export type StrategyView = z.infer<typeof strategyViewSchema>;

// --- Series sampling shared by the server log and the browser overlay (pure). ---

/**
 * The series a decision's window belongs to, as the runtime keys series (`<asset>-<windowSec>`):
 * `btc-updown-5m-1795242000` → `btc-300`, `bitcoin-up-or-down-december-1-3pm-et` → `btc-3600` (every hourly window of
 * an asset is one series). A slug of no known scheme (a listing series' venue slug) keys by itself without a trailing
 * number, so its windows still share a series when the venue numbers them.
 */
export function seriesKeyOf(windowSlug: string): string {
  return seriesKeyOfSlug(windowSlug) ?? windowSlug.replace(/-\d+$/, '');
}

const fin = (x: number | undefined): number | null => (x !== undefined && Number.isFinite(x) ? x : null);

/** The chart point of a decision, or null when the record carries no figure at all (e.g. a bare final record). */
export function pointOf(r: DecisionRecord): SeriesPoint | null {
  const p: SeriesPoint = {
    tMs: r.atMs,
    windowSlug: r.windowSlug,
    pHat: fin(r.pHat ?? r.up?.pHat),
    z: fin(r.z),
    upPHat: fin(r.up?.pHat ?? r.pHat),
    upAsk: fin(r.up?.ask),
    upEv: fin(r.up?.ev),
    downPHat: fin(r.down?.pHat ?? (r.pHat !== undefined ? 1 - r.pHat : undefined)),
    downAsk: fin(r.down?.ask),
    downEv: fin(r.down?.ev),
  };
  const any = p.pHat !== null || p.z !== null || p.upAsk !== null || p.downAsk !== null || p.upEv !== null || p.downEv !== null;
  return any ? p : null;
}

/**
 * Add a point to a series in place (points oldest first): a point in the same second as the last one replaces it,
 * an older one is ignored; points older than `seriesWindowMs` before the newest are dropped; length capped.
 * Returns whether the series changed.
 */
export function appendPoint(points: SeriesPoint[], p: SeriesPoint): boolean {
  const last = points[points.length - 1];
  if (last) {
    if (p.tMs < last.tMs) return false;
    if (Math.floor(p.tMs / strategyViewLimits.sampleMs) === Math.floor(last.tMs / strategyViewLimits.sampleMs) && p.windowSlug === last.windowSlug) {
      points[points.length - 1] = p;
      return true;
    }
    if (Math.floor(p.tMs / strategyViewLimits.sampleMs) === Math.floor(last.tMs / strategyViewLimits.sampleMs)) return false;
  }
  points.push(p);
  const cutoff = p.tMs - strategyViewLimits.seriesWindowMs;
  let drop = 0;
  while (drop < points.length && points[drop]!.tMs < cutoff) drop++;
  drop = Math.max(drop, points.length - strategyViewLimits.pointsPerSeries);
  if (drop > 0) points.splice(0, drop);
  return true;
}
