/**
 * Execution events: the order lifecycle (one state table for live and paper), fills (provisional until
 * CONFIRMED, reversed on FAILED), positions and realised PnL per token and window, settlement,
 * reconciliation, venue trading status (normal / restarting / post-only / cancel-only) and heartbeats.
 *
 * Invariants: `clientId` is deterministic (derived from the strategy's clientTag); every fill carries the
 * venue trade id and is published once per (tradeId, orderId, status change); sizes are shares, `*Usd` pUSD.
 */
import { z } from 'zod';
import { defineEvent } from './base';

export const orderStates = ['created', 'submitted', 'live', 'partial', 'filled', 'canceled', 'rejected', 'unknown'] as const;
export const orderStateSchema = z.enum(orderStates);
const side = z.enum(['BUY', 'SELL']);
const prob = z.number().min(0).max(1);

export const executionEvents = [
  defineEvent('order.state', {
    clientId: z.string(),
    clientTag: z.string(),
    orderId: z.string().optional(),
    state: orderStateSchema,
    prevState: orderStateSchema,
    reason: z.string().optional(),
  }),
  /** The order's request left for the venue (bytes handed to the socket; paper: the in-process send). Once per order. */
  defineEvent('order.sent', {
    clientId: z.string(),
    clientTag: z.string(),
    orderId: z.string(),
  }),
  defineEvent('order.filled', {
    clientId: z.string(),
    clientTag: z.string(),
    orderId: z.string(),
    tradeId: z.string(),
    tokenId: z.string(),
    windowSlug: z.string(),
    side,
    price: prob,
    size: z.number().positive(),
    feeUsd: z.number().nonnegative(),
    liquidity: z.enum(['taker', 'maker']),
    provisional: z.boolean(),
    remaining: z.number().nonnegative(),
  }),
  defineEvent('order.fill_confirmed', { clientTag: z.string(), tradeId: z.string() }),
  defineEvent('order.fill_voided', { clientTag: z.string(), tradeId: z.string(), reason: z.string() }),
  defineEvent('position.changed', {
    tokenId: z.string(),
    windowSlug: z.string(),
    shares: z.number(),
    provisionalShares: z.number(),
    avgPrice: z.number().nonnegative(),
    realizedUsd: z.number(),
    feesUsd: z.number().nonnegative(),
  }),
  defineEvent('position.settled', {
    tokenId: z.string(),
    windowSlug: z.string(),
    shares: z.number(),
    payoutUsd: z.number(),
    realizedUsd: z.number(),
  }),
  defineEvent('reconcile.completed', {
    ok: z.boolean(),
    openOrders: z.number().int(),
    adopted: z.number().int(),
    canceledOrphans: z.number().int(),
    trades: z.number().int(),
    reason: z.string().optional(),
  }),
  defineEvent('venue.status', {
    status: z.enum(['normal', 'restarting', 'post_only', 'cancel_only', 'disabled', 'rate_limited']),
    retryAfterMs: z.number().nonnegative().optional(),
    reason: z.string().optional(),
  }),
  defineEvent('venue.heartbeat', { ok: z.boolean(), consecutiveFailures: z.number().int(), reason: z.string().optional() }),
] as const;
