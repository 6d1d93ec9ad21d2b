/**
 * GET /api/book[?series=<key>|asset=&kind=][&sinceMs=]: the Book page's snapshot, shared by the runtime's read model
 * (bot/views/book-timeline.ts), the route (lib/server/routes-book.ts) and the browser, which parses every response
 * with it. For the current window of one series (any asset and window length: `series=eth-900`, or `asset=eth` and /
 * or `kind=15m`, the first configured series that matches; `series=5m`, a bare length, is still understood): per
 * outcome (Up, Down) the top of book, a depth ladder (best first, with cumulative size and notional) and the sampled
 * top-of-book history (spread and mid over time).
 *
 * Invariants: read-only, never a secret; times are epoch ms on the server clock (`*Ms`); outcome-token prices are
 * probabilities in [0, 1] (USD per share); sizes are shares; `*Usd` is price x size. Every list is bounded (see
 * `bookLimits` and the `.max()`s). History points are at most one per `sampleMs` per token (`tMs` is the start of the
 * sample's second) and, with `sinceMs`, only points with `tMs >= sinceMs` are sent (the last one may have been
 * replaced by a newer sample of the same second, so the client replaces its points from `sinceMs` on).
 */
import { z } from 'zod';
import { marketLifecycleSchema } from './events/market';
import { assetSchema, windowKindSchema } from './series';

export const bookLimits = {
  /** Levels per side in a ladder. */
  ladderDepth: 12,
  /** At most one history point per token per this many ms. */
  sampleMs: 1_000,
  /** History kept per token (and the retention of tokens after their window ended). */
  historyMs: 30 * 60_000,
  /** Hard cap on points per token (historyMs / sampleMs). */
  maxPointsPerToken: 1_800,
  /** Tokens followed at once (least recently updated dropped first). */
  maxTokens: 64,
} as const;

/** Configured series listed as choices (the config allows at most 32). */
export const BOOK_MAX_SERIES = 32;

const SERIES_KEY_RE = /^([a-z]{2,10})-([1-9][0-9]{1,5})$/;

/** A series key `<asset>-<windowSec>` whose length is a whole number of minutes up to a day (`eth-900`). */
export const bookSeriesKeySchema = z
  .string()
  .regex(SERIES_KEY_RE, 'a series key such as btc-300 (asset-windowSec)')
  .refine((k) => {
    const sec = Number(SERIES_KEY_RE.exec(k)?.[2]);
    return sec >= 60 && sec <= 86_400 && sec % 60 === 0;
  }, 'the window length must be a whole number of minutes, at most a day');

/** The query string of GET /api/book (values arrive as strings). */
export const bookQuerySchema = z.object({
  /** A series key (`eth-900`), or a bare window length (`5m`: the first configured series of that length). */
  series: z.union([bookSeriesKeySchema, windowKindSchema], 'a series key (btc-300) or a window length (5m)').optional(),
  asset: assetSchema.optional(),
  kind: windowKindSchema.optional(),
  sinceMs: z
    .string()
    .regex(/^\d{1,15}$/, 'expected epoch ms (digits)')
    .transform(Number)
    .optional(),
});
export type BookQuery = z.output<typeof bookQuerySchema>;

/** One configured series the page can show. */
export const bookSeriesOptionSchema = z.object({ key: z.string(), asset: assetSchema, kind: windowKindSchema, windowSec: z.number().int().positive(), enabled: z.boolean() });
export type BookSeriesOption = z.infer<typeof bookSeriesOptionSchema>;

const prob = z.number().min(0).max(1);
const outcome = z.enum(['up', 'down']);

export const bookTopViewSchema = z.object({
  bestBid: prob.nullable(),
  bestAsk: prob.nullable(),
  bidSize: z.number().nonnegative().nullable(),
  askSize: z.number().nonnegative().nullable(),
  /** bestAsk - bestBid; null unless both sides exist. */
  spread: z.number().min(-1).max(1).nullable(),
  /** (bestBid + bestAsk) / 2; null unless both sides exist. */
  mid: prob.nullable(),
  /** Where the figures come from: the live order book, or the last `book.top` event (book not readable now). */
  source: z.enum(['book', 'event']),
});
export type BookTopView = z.infer<typeof bookTopViewSchema>;

export const ladderLevelSchema = z.object({
  price: prob,
  size: z.number().nonnegative(),
  /** Shares from the touch down to and including this level. */
  cumSize: z.number().nonnegative(),
  /** Sum of price x size from the touch to this level. */
  cumUsd: z.number().nonnegative(),
});
export type LadderLevel = z.infer<typeof ladderLevelSchema>;

export const bookPointSchema = z.object({
  tMs: z.number(),
  bestBid: prob.nullable(),
  bestAsk: prob.nullable(),
  spread: z.number().min(-1).max(1).nullable(),
  mid: prob.nullable(),
});
export type BookPoint = z.infer<typeof bookPointSchema>;

export const bookSideSchema = z.object({
  outcome,
  /** null: the window's tokens are not known yet (not discovered, or the bot has not run in this window). */
  tokenId: z.string().nullable(),
  /** The live book is readable (a snapshot arrived in its current epoch). */
  ready: z.boolean(),
  epoch: z.number().int().nullable(),
  /** Venue time of the last change applied to the book. */
  updatedMs: z.number().nullable(),
  top: bookTopViewSchema.nullable(),
  bids: z.array(ladderLevelSchema).max(bookLimits.ladderDepth),
  asks: z.array(ladderLevelSchema).max(bookLimits.ladderDepth),
  /** Levels on each side of the whole book (the ladder shows the best `ladderDepth`). */
  bidLevels: z.number().int().nonnegative(),
  askLevels: z.number().int().nonnegative(),
  points: z.array(bookPointSchema).max(bookLimits.maxPointsPerToken),
});
export type BookSide = z.infer<typeof bookSideSchema>;

export const bookSnapshotSchema = z.object({
  instanceId: z.string().nullable(),
  nowMs: z.number(),
  /** Bus sequence number the snapshot is consistent with. */
  seq: z.number().int().nonnegative(),
  /** A venue session is running (live books readable). */
  tradingUp: z.boolean(),
  /** The series shown (its key, `eth-900`). */
  series: z.string(),
  asset: assetSchema,
  /** The configured series, in config order. */
  seriesOptions: z.array(bookSeriesOptionSchema).max(BOOK_MAX_SERIES),
  window: z.object({
    slug: z.string(),
    kind: windowKindSchema,
    startMs: z.number(),
    endMs: z.number(),
    /** null: not in the venue session's catalog (not discovered yet, or the bot is stopped). */
    state: marketLifecycleSchema.nullable(),
    tickSize: z.number().positive().nullable(),
  }),
  /** Echo of the request's sinceMs (null: full history). */
  sinceMs: z.number().nullable(),
  /** Up then Down. */
  sides: z.array(bookSideSchema).length(2),
  limits: z.object({ ladderDepth: z.number().int(), sampleMs: z.number().int(), historyMs: z.number().int() }),
});
export type BookSnapshot = z.infer<typeof bookSnapshotSchema>;
