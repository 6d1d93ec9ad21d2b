/**
 * Late-sweep config (SPEC §3.3, off by default): in the last LATE_SWEEP_SECS buy the side whose ask ≥
 * SWEEP_ASK_THRESHOLD up to a USD target, stop when its bid ≤ SWEEP_STOP_PRICE, else hold to settlement.
 * The SPEC gives 420 s, 0.90 and 0.70; the USD target is not given (default 10 USD).
 */
import { z } from 'zod';
import { commonFields, hot, price01 } from '../common/config-fields';

export const lateSweepConfigSchema = z.strictObject({
  ...commonFields({ enabled: false, windowSecs: [900] }),
  lateSweepSecs: z
    .number()
    .gt(0)
    .max(86_400)
    .default(420)
    .meta(hot('LATE_SWEEP_SECS: active in the last this-many seconds of the window.')),
  sweepAskThreshold: price01().default(0.9).meta(hot('SWEEP_ASK_THRESHOLD: buy the side whose ask ≥ this.')),
  maxEntryPrice: z
    .number()
    .gt(0)
    .lte(0.99)
    .default(0.99)
    .meta(hot('MAX_ENTRY_PRICE: never pay more than this, in (0, 0.99].')),
  targetUsd: z.number().gt(0).max(100_000).default(10).meta(hot('TARGET_USD: USD to accumulate per window.')),
  sweepStopPrice: price01().default(0.7).meta(hot('SWEEP_STOP_PRICE: sell the position when its bid ≤ this.')),
  slOrderPrice: price01().default(0.01).meta(hot('SL_ORDER_PRICE: limit price of the (aggressive) stop sell.')),
  minBuyUsd: z.number().gt(0).max(100_000).default(1).meta(hot('Smallest top-up buy (USD); smaller gaps to the target are left.')),
  maxOrdersPerWindow: z.number().int().min(1).max(100).default(10).meta(hot('Orders allowed per window (bounds spam).')),
});

export type LateSweepConfig = z.output<typeof lateSweepConfigSchema>;
