/**
 * GET /api/orders: the Orders & PnL page's read model (orders, fills, positions, settlements, the equity curve and
 * PnL per strategy) and its query (`limit`, `format=json|csv`, `table=` for a CSV export), shared by the route body
 * (lib/server/orders-route.ts) and the browser, which parses every response with `ordersResponseSchema`.
 *
 * Invariants: read-only, never a secret; times are epoch ms (`*Ms`, server clock), money `*Usd`, outcome-token prices
 * probabilities in [0, 1]; every list is bounded (`ordersLimits`) and says how many rows exist in total (`*Total`), so
 * the page can say when it shows only the newest ones. Settlement time is the window's end (the market resolves on the
 * window's close; the payout is booked at that time).
 */
import { z } from 'zod';
import { fillRowSchema, orderRowSchema, positionRowSchema } from './trading';

export const ordersLimits = {
  /** Rows per list in a JSON answer: default and maximum. */
  jsonDefault: 200,
  jsonMax: 2_000,
  /** Rows in one CSV export (the tracker itself keeps at most 20k orders / 50k fills). */
  csvMax: 50_000,
  /** Points of the equity curve (down-sampled beyond this; the last point is always kept). */
  equityPoints: 500,
  strategies: 50,
} as const;

export const ordersTables = ['orders', 'fills', 'positions', 'settlements'] as const;
export type OrdersTable = (typeof ordersTables)[number];

/** The query string, validated; a bad one is a 400 with the offending parameter named. */
export const ordersQuerySchema = z
  .strictObject({
    format: z.enum(['json', 'csv']).default('json'),
    table: z.enum(ordersTables).optional(),
    limit: z.coerce.number().int('limit must be a whole number').min(1, 'limit must be at least 1').max(ordersLimits.csvMax).optional(),
  })
  .superRefine((q, ctx) => {
    if (q.format === 'csv' && !q.table) ctx.addIssue({ code: 'custom', path: ['table'], message: `format=csv needs table=${ordersTables.join('|')}` });
    if (q.format === 'json' && q.table) ctx.addIssue({ code: 'custom', path: ['table'], message: 'table= is only for format=csv' });
    if (q.format === 'json' && q.limit !== undefined && q.limit > ordersLimits.jsonMax) {
      ctx.addIssue({ code: 'custom', path: ['limit'], message: `limit must be at most ${ordersLimits.jsonMax} for JSON (CSV allows ${ordersLimits.csvMax})` });
    }
  });
export type OrdersQuery = z.infer<typeof ordersQuerySchema>;

const outcome = z.enum(['up', 'down']);

/** One order of the session (any state), newest first. */
export const ordersOrderRowSchema = orderRowSchema.extend({
  /** Why the order ended as it did (cancel / reject reason), when the venue or the engine said. */
  reason: z.string().nullable(),
});
export type OrdersOrderRow = z.infer<typeof ordersOrderRowSchema>;

/** A settled position: the window resolved; the winner paid 1 USD a share. */
export const settlementRowSchema = z.object({
  windowSlug: z.string(),
  tokenId: z.string(),
  outcome: outcome.nullable(),
  won: z.boolean(),
  payoutUsd: z.number(),
  /** Realised PnL of the position after fees (payout − cost − fees + any sells). */
  realizedUsd: z.number(),
  feesUsd: z.number().nonnegative(),
  /** The window's end (when the payout is booked). */
  settledMs: z.number(),
});
export type SettlementRow = z.infer<typeof settlementRowSchema>;

/** Cumulative realised PnL after the event at `tsMs` (a fill's fee or sell, or a settlement). */
export const equityPointSchema = z.object({ tsMs: z.number(), realizedUsd: z.number() });
export type EquityPoint = z.infer<typeof equityPointSchema>;

export const equityCurveSchema = z.object({
  points: z.array(equityPointSchema).max(ordersLimits.equityPoints),
  realizedUsd: z.number(),
  /** Open shares marked at the best bid minus their cost, now (null: a book is missing or nothing can be marked). */
  unrealizedUsd: z.number().nullable(),
  /** Events folded into the curve before down-sampling. */
  events: z.number().int().nonnegative(),
});
export type EquityCurve = z.infer<typeof equityCurveSchema>;

export const strategyPnlRowSchema = z.object({
  strategyId: z.string(),
  orders: z.number().int().nonnegative(),
  fills: z.number().int().nonnegative(),
  /** Sum of price × size over its fills. */
  volumeUsd: z.number().nonnegative(),
  feesUsd: z.number().nonnegative(),
  realizedUsd: z.number(),
  /** Cost of the shares it still holds in unsettled windows. */
  openCostUsd: z.number(),
  unrealizedUsd: z.number().nullable(),
});
export type StrategyPnlRow = z.infer<typeof strategyPnlRowSchema>;

export const ordersResponseSchema = z.object({
  nowMs: z.number(),
  /** Bus sequence number the answer is consistent with. */
  seq: z.number().int().nonnegative(),
  /**
   * `session`: read from the running venue session (everything); `journal`: the bot is stopped, orders and fills come
   * from the execution journal and positions, settlements, equity and strategy PnL are empty; `none`: neither.
   */
  source: z.enum(['session', 'journal', 'none']),
  limit: z.number().int().positive(),
  orders: z.array(ordersOrderRowSchema).max(ordersLimits.jsonMax),
  ordersTotal: z.number().int().nonnegative(),
  fills: z.array(fillRowSchema).max(ordersLimits.jsonMax),
  fillsTotal: z.number().int().nonnegative(),
  positions: z.array(positionRowSchema).max(ordersLimits.jsonMax),
  positionsTotal: z.number().int().nonnegative(),
  settlements: z.array(settlementRowSchema).max(ordersLimits.jsonMax),
  settlementsTotal: z.number().int().nonnegative(),
  equity: equityCurveSchema,
  strategies: z.array(strategyPnlRowSchema).max(ordersLimits.strategies),
});
export type OrdersResponse = z.infer<typeof ordersResponseSchema>;
