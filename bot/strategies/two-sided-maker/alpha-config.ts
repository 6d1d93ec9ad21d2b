/**
 * Config fields of the maker's seed-003 alpha (issue 14). Every addition sits behind its own hot boolean flag
 * (enableFlowSignals, enableRegime, enableCompetitor, enableTimePatterns, enableMarkoutGuard, enableKelly,
 * enableStaleCleanup), all false by default so the SPEC core maker is unchanged until a backtest earns a flag.
 * Invariant: every field is hot (a backtest flips them between runs); spread amounts are in price units.
 */
import { z } from 'zod';
import { hot } from '../common/config-fields';

const flag = (d: string) => z.boolean().default(false).meta(hot(d));
const widen = (def: number, d: string) => z.number().nonnegative().lt(0.5).default(def).meta(hot(d));
const mult = (def: number, d: string) => z.number().gt(0).max(10).default(def).meta(hot(d));

export const makerAlphaFields = {
  enableFlowSignals: flag('Order-flow imbalance (OFI) and book-depth imbalance widen the spread.'),
  ofiWindowSec: z.number().gt(0).max(3_600).default(60).meta(hot('FLOW_WINDOW_SECONDS: OFI lookback over taker trades (s).')),
  ofiThreshold: z.number().gt(0).lte(1).default(0.15).meta(hot('FLOW_IMBALANCE_THRESHOLD: |OFI| at or above which the spread widens.')),
  ofiMinShares: z.number().nonnegative().max(1_000_000).default(20).meta(hot('Taker volume in the OFI window needed before OFI counts (shares).')),
  ofiWiden: widen(0.01, 'Spread added while |OFI| ≥ FLOW_IMBALANCE_THRESHOLD.'),
  bookDepthLevels: z.number().int().min(1).max(20).default(3).meta(hot('Book levels per side summed for book imbalance and depth.')),
  bookImbalanceThreshold: z.number().gt(0).lte(1).default(0.5).meta(hot('|book imbalance| at or above which the spread widens.')),
  bookImbalanceWiden: widen(0.01, 'Spread added while |book imbalance| ≥ its threshold.'),

  enableRegime: flag('Liquidity regime (tight / normal / thin / one-sided) scales spread and size.'),
  regimeWindowSize: z.number().int().min(2).max(1_000).default(50).meta(hot('REGIME_WINDOW_SIZE: book snapshots (1 per second per window) in the regime statistics.')),
  regimeMinSnapshots: z.number().int().min(1).max(1_000).default(10).meta(hot('Snapshots needed before a regime other than normal is declared.')),
  regimeTightSpread: z.number().gt(0).lt(1).default(0.015).meta(hot('Mean Up-book spread at or below which the regime is tight.')),
  regimeThinSpread: z.number().gt(0).lt(1).default(0.04).meta(hot('Mean Up-book spread at or above which the regime is thin.')),
  regimeThinDepth: z.number().nonnegative().max(1_000_000).default(100).meta(hot('Mean depth (shares, both tokens, both sides) below which the regime is thin.')),
  regimeOneSidedImbalance: z.number().gt(0).lte(1).default(0.6).meta(hot('Mean |book imbalance| at or above which the regime is one-sided.')),
  regimeTightSpreadMult: mult(0.8, 'Spread multiplier in the tight regime.'),
  regimeTightSizeMult: mult(1, 'Size multiplier in the tight regime.'),
  regimeThinSpreadMult: mult(1.5, 'Spread multiplier in the thin regime.'),
  regimeThinSizeMult: mult(0.5, 'Size multiplier in the thin regime.'),
  regimeOneSidedSpreadMult: mult(2, 'Spread multiplier in the one-sided regime.'),
  regimeOneSidedSizeMult: mult(0.5, 'Size multiplier in the one-sided regime.'),

  enableCompetitor: flag('React to competitors at the touch: step back, join, or improve by one tick (never crossing, never inside the MIN_SPREAD floor).'),
  competitorReactSec: z.number().gt(0).max(60).default(2).meta(hot('A better bid within this long after our requote counts as being pennied.')),
  competitorFastSec: z.number().gt(0).max(600).default(3).meta(hot('Median time between touch changes at or below which a competitor is fast.')),
  competitorPennyShare: z.number().gt(0).lte(1).default(0.5).meta(hot('Share of our requotes pennied at or above which (with a fast competitor) we step back.')),
  competitorMinObservations: z.number().int().min(1).max(1_000).default(3).meta(hot('Requotes observed before stepping back.')),
  competitorJoinShares: z.number().nonnegative().max(1_000_000).default(20).meta(hot('Others\u2019 size at our price level that counts as a competitor to join.')),

  enableTimePatterns: flag('Widen in time-in-window / hour-of-day buckets whose learned toxicity is high.'),
  timeWindowBuckets: z.number().int().min(1).max(60).default(10).meta(hot('Time-in-window buckets (equal fractions of the window).')),
  timeToxicThreshold: z.number().gt(0).lte(1).default(0.5).meta(hot('Bucket share of adverse markouts at or above which the bucket is toxic.')),
  timeMinSamples: z.number().int().min(1).max(10_000).default(10).meta(hot('Markouts a bucket needs before it can be toxic.')),
  timeWiden: widen(0.01, 'Spread added in a toxic bucket.'),

  enableMarkoutGuard: flag('Adverse-selection guard: toxic markouts widen, very toxic pause quoting.'),
  markoutHorizonsSec: z.array(z.number().gt(0).max(3_600)).min(1).max(8).default([5, 30, 60]).meta(hot('Markout horizons after each of our fills (s).')),
  adverseToxicThreshold: z.number().gt(0).lte(1).default(0.4).meta(hot('ADVERSE_TOXIC_THRESHOLD: share of adverse markouts at or above which the spread widens.')),
  adversePauseThreshold: z.number().gt(0).lte(1).default(0.7).meta(hot('Share of adverse markouts at or above which quoting pauses.')),
  adversePauseSec: z.number().nonnegative().max(3_600).default(60).meta(hot('How long a toxic pause lasts (s).')),
  markoutMinSamples: z.number().int().min(1).max(10_000).default(10).meta(hot('Completed markouts needed before toxicity acts.')),
  markoutWiden: widen(0.02, 'Spread added while toxicity ≥ ADVERSE_TOXIC_THRESHOLD.'),

  enableKelly: flag('Kelly sizing from the model edge, capped by quote size and position room.'),
  kellyFraction: z.number().gt(0).lte(1).default(0.25).meta(hot('KELLY_FRACTION: share of the full Kelly stake.')),
  kellyBankrollUsd: z.number().gt(0).max(10_000_000).default(1_000).meta(hot('Bankroll (USD) Kelly stakes are a fraction of.')),

  enableStaleCleanup: flag('Cancel (and requote) working quotes older than maxOrderAgeSec.'),
  maxOrderAgeSec: z.number().gt(0).max(86_400).default(300).meta(hot('Age (s) at which a working quote is cancelled (5 minutes in the seed).')),
};
