/**
 * Feed health events: one `feed.health` per feed per second (state, last-message age, rate, reconnects,
 * stale flag, bad frames), `feed.stale` / `feed.recovered` on edges, `feed.bad_frame` (rate-limited), and
 * `feed.degraded` when the reference is stale and only spot is alive.
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
] as const;
