/**
 * Hammer config (SPEC §3.3 hammer). Field names are the camelCase of the SPEC parameters; each description
 * starts with the SPEC name. `updatable` = hot-applied while running.
 */
import { z } from 'zod';
import { commonFields, hot, cold } from '../common/config-fields';

export const hammerConfigSchema = z.strictObject({
  ...commonFields({ enabled: true, windowSecs: [300, 900] }),
  watchReturnThreshold: z
    .number()
    .gt(0)
    .lt(1)
    .default(0.005)
    .meta(hot('WATCH_RETURN_THRESHOLD: |60 s return of the reference| that puts the window on watch.')),
  hammerSecs: z
    .number()
    .gt(0)
    .max(3_600)
    .default(15)
    .meta(hot('HAMMER_SECS: evaluate (and possibly trade) only in the last this-many seconds of a watched window.')),
  dMin: z
    .number()
    .nonnegative()
    .max(1_000_000)
    .default(5)
    .meta(hot('D_MIN: minimum |reference − price to beat| (USD) to trade.')),
  maxEntryPrice: z
    .number()
    .gt(0)
    .lte(0.99)
    .default(0.97)
    .meta(hot('MAX_ENTRY_PRICE: highest ask paid, in (0, 0.99].')),
  extraFeeBps: z
    .number()
    .nonnegative()
    .max(5_000)
    .default(0)
    .meta(hot('fee_bps (seed 001): a flat extra cost per share in basis points of 1 USD, added to the taker fee in the EV (a safety margin for slippage).')),
  quoteSizeUsd: z.number().gt(0).max(100_000).default(20).meta(hot('QUOTE_SIZE_USD: FOK buy amount (USD).')),
  maxUsdPerTrade: z
    .number()
    .gt(0)
    .max(100_000)
    .default(50)
    .meta(hot('MAX_USD_PER_TRADE: cap on one FOK buy (USD); the risk engine enforces its own cap too.')),
  pHatModel: z
    .enum(['twap', 'spot'])
    .default('twap')
    .meta(hot('p_hat model: twap (settlement is a 60 s TWAP; default) or spot (Φ(d/(σ√T)), older bots).')),
  sigmaLookbackSec: z
    .number()
    .int()
    .min(10)
    .max(600)
    .default(60)
    .meta(hot('Lookback of the 1 s log returns used for σ (s); SPEC: 60.')),
  minSigmaReturns: z
    .number()
    .int()
    .min(2)
    .max(600)
    .default(20)
    .meta(hot('Fewest 1 s returns needed for a σ estimate (fewer = no evaluation).')),
  minEvalIntervalMs: z
    .number()
    .int()
    .nonnegative()
    .max(60_000)
    .default(250)
    .meta(hot('Throttle between two evaluations of one window (ms).')),
  maxEntriesPerWindow: z.number().int().min(1).max(10).default(1).meta(hot('Filled FOK entries allowed per window.')),
  maxAttemptsPerWindow: z
    .number()
    .int()
    .min(1)
    .max(100)
    .default(5)
    .meta(cold('FOK orders allowed per window (killed FOKs count), bounds order spam.')),
});

export type HammerConfig = z.output<typeof hammerConfigSchema>;
