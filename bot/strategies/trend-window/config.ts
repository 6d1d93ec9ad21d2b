/**
 * Trend-window config (SPEC §3.3). Band times are given for a 900 s window and scaled by windowSec / 900
 * (780–840 s → 260–280 s for 5m). External signals: weight per plug-in id, off (absent) by default.
 */
import { z } from 'zod';
import { commonFields, hot, price01 } from '../common/config-fields';

const weight = (d: string, v: number) => z.number().nonnegative().max(10).default(v).meta(hot(d));

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
  enableVeto: z.boolean().default(true).meta(hot('Let the signal fusion veto a trade.')),
  vetoThreshold: z.number().gt(0).lte(1).default(0.25).meta(hot('Veto when fused score × direction ≤ −this.')),
  wBookImbalance: weight('Weight of the order-book imbalance signal.', 0.3),
  wTickVelocity: weight('Weight of the tick-velocity signal.', 0.25),
  wDivergence: weight('Weight of the reference-vs-implied divergence signal.', 0.18),
  wSpike: weight('Weight of the spike-detection signal.', 0.12),
  externalWeights: z
    .record(z.string().min(1), z.number().nonnegative().max(10))
    .default({})
    .meta(hot('Optional external plug-in signals by id (e.g. putCallRatio, sentiment) and their weights; off when absent.')),
  externalMaxAgeSec: z.number().gt(0).max(86_400).default(120).meta(hot('External values older than this are ignored (s).')),
  bookLevels: z.number().int().min(1).max(50).default(5).meta(hot('Levels per side for the imbalance.')),
  velocityLookbackSec: z.number().gt(0).max(900).default(30).meta(hot('Tick-velocity lookback (s).')),
  velocityScale: z.number().gt(0).max(1).default(0.1).meta(hot('Mid change that maps to a full velocity score.')),
  divergenceScale: z.number().gt(0).max(1).default(0.2).meta(hot('p_hat − implied gap that maps to a full score.')),
  spikeLookbackSec: z.number().gt(0).max(600).default(10).meta(hot('Spike-detection lookback (s).')),
  spikeZ: z.number().gt(0).max(100).default(3).meta(hot('A 1 s return of this many σ is a spike.')),
});

export type TrendWindowConfig = z.output<typeof trendWindowConfigSchema>;
