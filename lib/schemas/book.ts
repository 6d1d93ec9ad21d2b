/**
 * GET /api/book?series=5m|15m[&sinceMs=]: the Book page's snapshot, shared by the runtime's read model
 * (bot/views/book-timeline.ts), the route (lib/server/routes-book.ts) and the browser, which parses every response
 * with it. For the current window of one series: per outcome (Up, Down) the top of book, a depth ladder (best first,
 * with cumulative size and notional) and the sampled top-of-book history (spread and mid over time).
 *
 * Invariants: read-only, never a secret; times are epoch ms on the server clock (`*Ms`); outcome-token prices are
 * probabilities in [0, 1] (USD per share); sizes are shares; `*Usd` is price x size. Every list is bounded (see
 * `bookLimits` and the `.max()`s). History points are at most one per `sampleMs` per token (`tMs` is the start of the
 * sample's second) and, with `sinceMs`, only points with `tMs >= sinceMs` are sent (the last one may have been
 * replaced by a newer sample of the same second, so the client replaces its points from `sinceMs` on).
 */
import { z } from 'zod';
import { marketLifecycleSchema } from './events/market';

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

export const bookSeriesKinds = ['5m', '15m'] as const;
export const bookSeriesSchema = z.enum(bookSeriesKinds);
export type BookSeriesKind = z.infer<typeof bookSeriesSchema>;

/** The query string of GET /api/book (values arrive as strings). */
export const bookQuerySchema = z.object({
  series: bookSeriesSchema.default('5m'),
  sinceMs: z
    .string()
    .regex(/^\d{1,15}$/, 'expected epoch ms (digits)')
    .transform(Number)
    .optional(),
});
export type BookQuery = z.output<typeof bookQuerySchema>;

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
  series: bookSeriesSchema,
  seriesOptions: z.array(z.object({ kind: bookSeriesSchema, enabled: z.boolean() })).max(bookSeriesKinds.length),
  window: z.object({
    slug: z.string(),
    kind: bookSeriesSchema,
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
