/**
 * Market data events: window discovery and lifecycle, books (top of book and bounded-depth snapshots),
 * trades, tick sizes, reference (Chainlink via PolyBolt/RTDS) and spot prices, price to beat, resolution.
 *
 * Invariants: prices/probabilities in [0, 1] except `*Usd` (BTC dollars); book levels are best-first and
 * bounded (<= 20 levels per side in `book.snapshot`); `epoch` increases whenever a book is reset.
 */
import { z } from 'zod';
import { assetSchema, windowKindSchema } from '../series';
import { defineEvent } from './base';

export const marketLifecycleStates = ['discovered', 'open', 'closing', 'closed', 'resolved'] as const;
export const marketLifecycleSchema = z.enum(marketLifecycleStates);
const prob = z.number().min(0).max(1);
const level = z.object({ price: prob, size: z.number().nonnegative() });
const outcome = z.enum(['up', 'down']);

export const marketEvents = [
  defineEvent('market.discovered', {
    slug: z.string(),
    kind: windowKindSchema,
    asset: assetSchema.optional(),
    conditionId: z.string(),
    upTokenId: z.string(),
    downTokenId: z.string(),
    startMs: z.number(),
    endMs: z.number(),
    tickSize: z.number().positive(),
    minOrderSize: z.number().nonnegative(),
    version: z.enum(['v1', 'v2']),
    /** Exchange facts the recorder keeps so that a replay needs no Gamma (optional: older producers omit them). */
    eventId: z.string().optional(),
    negRisk: z.boolean().optional(),
    fees: z.object({ rate: z.number().nonnegative(), exponent: z.number().positive(), takerOnly: z.boolean() }).optional(),
  }),
  defineEvent('market.state', { slug: z.string(), state: marketLifecycleSchema, prevState: marketLifecycleSchema }),
  defineEvent('market.lookup_failed', { slug: z.string(), reason: z.string(), attempt: z.number().int() }),
  defineEvent('market.price_to_beat', {
    slug: z.string(),
    priceUsd: z.number(),
    source: z.enum(['reference', 'gamma']),
    gammaPriceUsd: z.number().optional(),
    diffUsd: z.number().optional(),
  }),
  defineEvent('market.resolved', { slug: z.string(), winner: outcome, winningTokenId: z.string() }),
  defineEvent('book.snapshot', {
    tokenId: z.string(),
    epoch: z.number().int(),
    bids: z.array(level).max(20),
    asks: z.array(level).max(20),
    source: z.enum(['ws', 'rest']),
  }),
  defineEvent('book.top', {
    tokenId: z.string(),
    epoch: z.number().int(),
    bestBid: prob.optional(),
    bestAsk: prob.optional(),
    bidSize: z.number().nonnegative().optional(),
    askSize: z.number().nonnegative().optional(),
  }),
  defineEvent('book.invalidated', { tokenId: z.string(), epoch: z.number().int(), reason: z.string() }),
  defineEvent('book.trade', { tokenId: z.string(), price: prob, size: z.number().nonnegative(), side: z.enum(['BUY', 'SELL']) }),
  defineEvent('book.tick_size', { tokenId: z.string(), tickSize: z.number().positive() }),
  defineEvent('ref.price', {
    source: z.enum(['polybolt', 'rtds']),
    kind: z.enum(['live', 'twap60']),
    symbol: z.string(),
    priceUsd: z.number().positive(),
  }),
  defineEvent('spot.price', { source: z.string(), symbol: z.string(), priceUsd: z.number().positive() }),
] as const;
