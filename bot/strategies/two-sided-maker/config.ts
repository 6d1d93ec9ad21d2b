/**
 * Two-sided maker config (SPEC §3.3): base spread 0.04 scaled by volatility within [0.02, 0.10], inventory
 * skew up to 0.02, flow widening, requote on a 0.03 mid move, position limit 50, post-only, pull 30 s before
 * the end, parity check and complete-set arbitrage net of fees. Seed-003 alpha fields (each behind its own
 * enable flag, all off by default) live in alpha-config.ts.
 */
import { z } from 'zod';
import { commonFields, hot, cold } from '../common/config-fields';
import { makerAlphaFields } from './alpha-config';

export const twoSidedMakerConfigSchema = z
  .strictObject({
    ...commonFields({ enabled: true, windowSecs: [300, 900] }),
    baseSpread: z.number().gt(0).lt(1).default(0.04).meta(hot('BASE_SPREAD: full spread at the reference volatility.')),
    minSpread: z.number().gt(0).lt(1).default(0.02).meta(hot('MIN_SPREAD: lower clamp of the spread.')),
    maxSpread: z.number().gt(0).lt(1).default(0.1).meta(hot('MAX_SPREAD: upper clamp of the spread.')),
    volRefSigma: z
      .number()
      .gt(0)
      .max(0.1)
      .default(0.0001)
      .meta(hot('σ of 1 s log returns of the reference at which the spread equals BASE_SPREAD.')),
    maxInventorySkew: z.number().nonnegative().lt(0.5).default(0.02).meta(hot('MAX_INVENTORY_SKEW: price skew at the position limit.')),
    requoteThreshold: z.number().gt(0).lt(1).default(0.03).meta(hot('REQUOTE_THRESHOLD: requote when the mid moved this much.')),
    positionLimit: z.number().gt(0).max(100_000).default(50).meta(hot('POSITION_LIMIT: no bid on a token holding this many shares.')),
    quoteSizeShares: z.number().gt(0).max(100_000).default(10).meta(hot('Shares per quote (at least the market minimum).')),
    pullBeforeEndSec: z
      .number()
      .nonnegative()
      .max(3_600)
      .default(30)
      .meta(hot('PULL_BEFORE_END_SEC: cancel every quote this long before the window ends.')),
    parityTolerance: z.number().gt(0).lt(1).default(0.05).meta(hot('PARITY_TOLERANCE: quote only while |midUp + midDown − 1| ≤ this.')),
    flowWindowSec: z.number().gt(0).max(600).default(10).meta(hot('Taker-flow lookback (s).')),
    flowImbalanceThreshold: z.number().gt(0).lte(1).default(0.6).meta(hot('|signed/total taker volume| that counts as one-sided.')),
    flowMinShares: z.number().nonnegative().max(1_000_000).default(20).meta(hot('Taker volume needed before flow counts (shares).')),
    flowWiden: z.number().nonnegative().lt(0.5).default(0.02).meta(hot('Extra distance of the picked-off bid under one-sided flow.')),
    enableArbitrage: z.boolean().default(true).meta(hot('Complete-set arbitrage (two FOK buys) when askUp + askDown + fees < 1.')),
    arbMinEdge: z.number().nonnegative().lt(1).default(0.002).meta(hot('Smallest net-of-fees edge per set to arbitrage.')),
    arbMaxSets: z.number().gt(0).max(100_000).default(20).meta(hot('Largest complete-set arbitrage (shares per leg).')),
    maxArbsPerWindow: z.number().int().min(0).max(100).default(5).meta(cold('Arbitrages per window (bounds order spam).')),
    ...makerAlphaFields,
  })
  .refine((c) => c.minSpread <= c.maxSpread, { message: 'minSpread must be ≤ maxSpread', path: ['minSpread'] });

export type TwoSidedMakerConfig = z.output<typeof twoSidedMakerConfigSchema>;
