/**
 * Trend-window config (SPEC §3.3). Band times are given for a 900 s window and scaled by windowSec / 900
 * (780–840 s → 260–280 s for 5m).
 *
 * Signal weights are one hot object `weights` keyed by signal id (the ids of the `signal` readings too): four
 * in-venue signals and two external ones fed by the runtime (bot/feeds/external) through ctx.external. Each weight
 * is in [0, 1] and their sum must be at most 1 (checked with a 1e-9 tolerance for float sums; refused otherwise with
 * the sum in the message). The learning engine re-weights by patching `strategies.<id>.params.weights.<signal>`.
 */
import { z } from 'zod';
import { commonFields, hot, price01 } from '../common/config-fields';
import { learningParamsShape } from '../../../lib/schemas/learning';

/** Signal ids in reading order: in-venue first, then external (their ctx.external keys). */
export const TREND_SIGNAL_IDS = ['bookImbalance', 'tickVelocity', 'divergence', 'spike', 'putCallRatio', 'fearGreed'] as const;
export type TrendSignalId = (typeof TREND_SIGNAL_IDS)[number];
export const EXTERNAL_TREND_SIGNALS: readonly TrendSignalId[] = ['putCallRatio', 'fearGreed'];

export const DEFAULT_TREND_WEIGHTS: Readonly<Record<TrendSignalId, number>> = {
  bookImbalance: 0.3,
  tickVelocity: 0.25,
  divergence: 0.18,
  spike: 0.12,
  putCallRatio: 0.1,
  fearGreed: 0.05,
};

/** Largest allowed sum of the weights (plus a float tolerance). */
export const MAX_WEIGHT_SUM = 1;
const SUM_TOLERANCE = 1e-9;

const weight = (id: TrendSignalId) => z.number().min(0).max(1).default(DEFAULT_TREND_WEIGHTS[id]);

export const trendWeightsSchema = z
  .strictObject({
    bookImbalance: weight('bookImbalance'),
    tickVelocity: weight('tickVelocity'),
    divergence: weight('divergence'),
    spike: weight('spike'),
    putCallRatio: weight('putCallRatio'),
    fearGreed: weight('fearGreed'),
  })
  .superRefine((w, ctx) => {
    const sum = TREND_SIGNAL_IDS.reduce((s, id) => s + w[id], 0);
    if (sum > MAX_WEIGHT_SUM + SUM_TOLERANCE) {
      const parts = TREND_SIGNAL_IDS.map((id) => `${id} ${w[id]}`).join(' + ');
      ctx.addIssue({ code: 'custom', message: `signal weights must sum to at most ${MAX_WEIGHT_SUM}; they sum to ${Number(sum.toFixed(6))} (${parts})` });
    }
  });
export type TrendWeights = z.output<typeof trendWeightsSchema>;

export const trendWindowConfigSchema = z.strictObject({
  ...commonFields({ enabled: true, windowSecs: [300, 900] }),
  bandStartSec: z.number().nonnegative().max(900).default(780).meta(hot('TREND_START_SEC: band start, seconds into a 15m window (scaled for others).')),
  bandEndSec: z.number().gt(0).max(900).default(840).meta(hot('TREND_END_SEC: band end, seconds into a 15m window (scaled for others).')),
  upThreshold: price01().default(0.6).meta(hot('TREND_UP_THRESHOLD: buy Up when the Up price (mid) > this.')),
  downThreshold: price01().default(0.4).meta(hot('TREND_DOWN_THRESHOLD: buy Down when the Up price (mid) < this.')),
  usdPerTrade: z.number().gt(0).max(100_000).default(1).meta(hot('TREND_USD: fixed USD per trade.')),
  belowMinSize: z
    .enum(['bump', 'skip'])
    .default('bump')
    .meta(hot('When TREND_USD buys fewer shares than the market minimum: bump to the minimum or skip.')),
  maxEntryPrice: z.number().gt(0).lte(0.99).default(0.99).meta(hot('MAX_ENTRY_PRICE: highest ask paid, in (0, 0.99].')),
  enableVeto: z
    .boolean()
    .default(false)
    .meta(hot('Let the weighted vote veto a trade. Off by default: on synthetic sessions the veto lost money against the strategy without it (npm run bench -- strategy-additions); every signal is still computed and published.')),
  vetoThreshold: z.number().gt(0).lte(1).default(0.25).meta(hot('Veto when fused vote × trade direction ≤ −this.')),
  weights: trendWeightsSchema
    .default(() => ({ ...DEFAULT_TREND_WEIGHTS }))
    .meta(
      hot(
        'Signal weights (each 0–1, sum at most 1): bookImbalance 0.30, tickVelocity 0.25, divergence 0.18, spike 0.12, putCallRatio 0.10, fearGreed 0.05. A weight of 0 switches a signal off.',
      ),
    ),
  externalMaxAgeSec: z.number().gt(0).max(86_400).default(300).meta(hot('External values (putCallRatio, fearGreed) older than this are ignored (s).')),
  bookLevels: z.number().int().min(1).max(50).default(5).meta(hot('Levels per side for the imbalance.')),
  bookDepthForConfidence: z.number().gt(0).max(1_000_000).default(200).meta(hot('Shares on the counted levels of both books at which the imbalance confidence reaches 1.')),
  velocityLookbackSec: z.number().gt(0).max(900).default(30).meta(hot('Tick-velocity lookback (s).')),
  velocityScale: z.number().gt(0).max(1).default(0.1).meta(hot('Mid change that maps to a full velocity score.')),
  divergenceScale: z.number().gt(0).max(1).default(0.2).meta(hot('p_hat − implied gap that maps to a full score.')),
  spikeLookbackSec: z.number().gt(0).max(600).default(10).meta(hot('Spike-detection lookback (s).')),
  spikeZ: z.number().gt(0).max(100).default(3).meta(hot('A 1 s return of this many σ is a spike.')),
  // The learning engine (bot/learning): off by default; re-weights `weights` every N settled trades.
  ...learningParamsShape,
});

export type TrendWindowConfig = z.output<typeof trendWindowConfigSchema>;
