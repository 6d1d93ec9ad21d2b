/**
 * Time-bucket config (SPEC §3.3). camelCase keys of the SPEC parameters; descriptions start with the SPEC
 * name. The 5m cap schedule is not given by the SPEC: default = the 15m one scaled to thirds of 300 s.
 */
import { z } from 'zod';
import { commonFields, hot, cold, price01 } from '../common/config-fields';

const capSliceSchema = z.strictObject({
  fromSec: z.number().nonnegative().max(86_400),
  capUsd: z.number().gt(0).max(100_000),
});

const capScheduleSchema = z
  .array(capSliceSchema)
  .min(1)
  .refine((a) => a.every((s, i) => i === 0 || s.fromSec > a[i - 1]!.fromSec), 'slices must be sorted by fromSec')
  .refine((a) => a[0]!.fromSec === 0, 'the first slice must start at 0 s');

export const timeBucketConfigSchema = z.strictObject({
  ...commonFields({ enabled: true, windowSecs: [300, 900] }),
  legChoice: z
    .enum(['HIGHEST_BID', 'UP_ONLY', 'DOWN_ONLY'])
    .default('HIGHEST_BID')
    .meta(hot('LEG_CHOICE: which leg to trade (the one with the highest bid, Up only, Down only).')),
  entryBidThreshold: price01()
    .default(0.6)
    .meta(hot('ENTRY_BID_THRESHOLD: enter with a maker buy at the best bid when bid ≥ this.')),
  entryRequoteWaitSec: z
    .number()
    .gt(0)
    .max(600)
    .default(2)
    .meta(hot('ENTRY_REQUOTE_WAIT_SEC: an unfilled entry is reconsidered after this long (s).')),
  entryRequoteMinImprove: z
    .number()
    .gt(0)
    .lt(1)
    .default(0.03)
    .meta(hot('ENTRY_REQUOTE_MIN_IMPROVE: cancel and re-enter only when the bid improved by at least this.')),
  capSchedule: z
    .record(z.string().regex(/^\d+$/), capScheduleSchema)
    .default({
      '900': [
        { fromSec: 0, capUsd: 7 },
        { fromSec: 300, capUsd: 7.5 },
        { fromSec: 600, capUsd: 8 },
      ],
      '300': [
        { fromSec: 0, capUsd: 7 },
        { fromSec: 100, capUsd: 7.5 },
        { fromSec: 200, capUsd: 8 },
      ],
    })
    .meta(hot('CAP_SCHEDULE: USD cap per entry by seconds into the window, per window length (s).')),
  minTradeSize: z
    .number()
    .gt(0)
    .max(10_000)
    .default(5)
    .meta(hot('MIN_TRADE_SIZE: smallest order (shares); smaller positions are dust (no TP/SL orders).')),
  minTpIncrement: z.number().gt(0).lt(1).default(0.01).meta(hot('MIN_TP_INCREMENT: take profit at entry + this.')),
  maxTpPrice: price01().default(0.99).meta(hot('MAX_TP_PRICE: take-profit price cap.')),
  slOffset: z.number().gt(0).lt(1).default(0.2).meta(hot('SL_OFFSET: stop when bid ≤ max(entry − this, SL_FLOOR).')),
  slFloor: z.number().nonnegative().lt(1).default(0.5).meta(hot('SL_FLOOR: lowest normal stop trigger.')),
  slOrderPrice: price01().default(0.01).meta(hot('SL_ORDER_PRICE: limit price of the (aggressive) stop sell.')),
  lateWindowSec: z
    .number()
    .nonnegative()
    .max(86_400)
    .default(120)
    .meta(hot('LATE_WINDOW_SEC: late mode in the last this-many seconds (inclusive).')),
  lateReentryEntryThreshold: price01()
    .default(0.9)
    .meta(hot('LATE_REENTRY_ENTRY_THRESHOLD: late mode with entry ≥ this: no TP, late stop; also the re-entry bid.')),
  lateSlTrigger: price01().default(0.7).meta(hot('LATE_SL_TRIGGER: late-mode stop trigger (bid ≤ this).')),
  enableLateReentry: z
    .boolean()
    .default(true)
    .meta(hot('ENABLE_LATE_REENTRY: re-enter after a full late stop-out when the bid is back ≥ the late threshold.')),
  maxLateReentries: z.number().int().min(0).max(10).default(1).meta(hot('MAX_LATE_REENTRIES: re-entries per window.')),
  enableDustMerge: z
    .boolean()
    .default(true)
    .meta(hot('ENABLE_DUST_MERGE: merge dust into later fills at a weighted average price (else carried apart).')),
  maxStopOrders: z
    .number()
    .int()
    .min(1)
    .max(100)
    .default(5)
    .meta(cold('Stop sells allowed per window (a thin book can leave a sellable remainder).')),
});

export type TimeBucketConfig = z.output<typeof timeBucketConfigSchema>;
