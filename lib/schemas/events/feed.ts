/**
 * Feed health events: one `feed.health` per feed per second (state, last-message age, rate, reconnects,
 * stale flag, bad frames), `feed.stale` / `feed.recovered` on edges, `feed.bad_frame` (rate-limited), and
 * `feed.degraded` when the reference is stale and only spot is alive.
 * `signal.external`: one per external signal source per poll (bot/feeds/external): the reading when the fetch gave a
 * usable body (ok), else the error; `failures` / `badBodies` are the source's running counts since the poller started.
 */
import { z } from 'zod';
import { defineEvent } from './base';

export const feedNames = ['clob-market', 'clob-user', 'polybolt', 'rtds', 'spot'] as const;
export const feedNameSchema = z.enum(feedNames);
export const connectionStates = ['idle', 'connecting', 'open', 'backoff', 'closed'] as const;
export const connectionStateSchema = z.enum(connectionStates);

export const feedEvents = [
  defineEvent('feed.health', {
    feed: feedNameSchema,
    state: connectionStateSchema,
    lastMsgAgeMs: z.number().nonnegative().optional(),
    msgsPerSec: z.number().nonnegative(),
    reconnects: z.number().int().nonnegative(),
    stale: z.boolean(),
    badFrames: z.number().int().nonnegative(),
    /** Frames or array elements of an unknown event type (ignored). */
    unknownEvents: z.number().int().nonnegative().optional(),
    /** Open, answering keep-alives, no data, and the source verified unchanged (a quiet book is not stale). */
    quiet: z.boolean().optional(),
  }),
  defineEvent('feed.stale', { feed: feedNameSchema, ageMs: z.number().nonnegative() }),
  defineEvent('feed.recovered', { feed: feedNameSchema }),
  defineEvent('feed.bad_frame', { feed: feedNameSchema, reason: z.string(), count: z.number().int() }),
  defineEvent('feed.degraded', { degraded: z.boolean(), reason: z.string(), ordersAllowed: z.boolean() }),
  defineEvent('signal.external', {
    /** The signal id (trend-window weight key): 'putCallRatio' or 'fearGreed'. */
    id: z.string().min(1).max(40),
    /** Where it came from ('deribit', 'alternative.me', 'simulator'). */
    source: z.string().max(60),
    ok: z.boolean(),
    /** The source's own figure (put/call ratio, index 0–100); present when ok. */
    raw: z.number().finite().optional(),
    score: z.number().min(-1).max(1).optional(),
    direction: z.union([z.literal(-1), z.literal(0), z.literal(1)]).optional(),
    strength: z.number().min(0).max(1).optional(),
    confidence: z.number().min(0).max(1).optional(),
    /** Why the poll gave nothing usable (not ok): a timeout, an HTTP status, a bad body. */
    error: z.string().max(300).optional(),
    /** Age of the value strategies see now (absent: none, or older than the max age). */
    servedAgeMs: z.number().nonnegative().optional(),
    failures: z.number().int().nonnegative(),
    badBodies: z.number().int().nonnegative(),
  }),
] as const;
