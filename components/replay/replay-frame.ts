/**
 * Browser-side shapes of the replay API answers the replay page reads: the playback state (GET /api/replay, from
 * lib/schemas) and the frame at a time (GET /api/replay/frame, mirrored here from bot/replay-playback.ts's
 * PlaybackSnapshot, which components may not import). Ledger entries and decisions are kept loose (their figures
 * are only displayed), but every field the page reads is checked.
 */
import { z } from 'zod';
import { replayStateResponseSchema } from '../../lib/schemas/replay-api';

export { replayStateResponseSchema };
export type ReplayStateResponse = z.infer<typeof replayStateResponseSchema>;

const num = z.number().nullable();

export const frameBookSchema = z.object({
  tokenId: z.string(),
  slug: z.string().nullable(),
  outcome: z.enum(['up', 'down']).nullable(),
  bestBid: num,
  bestAsk: num,
  bidSize: num,
  askSize: num,
});
export type FrameBook = z.infer<typeof frameBookSchema>;

export const frameLedgerEntrySchema = z.looseObject({
  kind: z.enum(['order', 'fill', 'settle', 'decision']),
  tsMs: z.number(),
  strategyId: z.string(),
  windowSlug: z.string(),
});
export type FrameLedgerEntry = z.infer<typeof frameLedgerEntrySchema> & Record<string, unknown>;

export const frameDecisionSchema = z.object({
  tsMs: z.number(),
  record: z.looseObject({
    strategyId: z.string(),
    windowSlug: z.string(),
    action: z.string(),
    reason: z.string(),
    outcome: z.enum(['up', 'down']).optional(),
    pHat: z.number().optional(),
  }),
});
export type FrameDecision = z.infer<typeof frameDecisionSchema>;

export const replayFrameSchema = z.object({
  tsMs: z.number(),
  keyframeMs: z.number().nullable(),
  final: z.boolean().optional(),
  books: z.array(frameBookSchema),
  reference: z.record(z.string(), z.object({ live: z.number().optional(), twap60: z.number().optional() })),
  spot: z.record(z.string(), z.number()),
  pnlUsd: z.number(),
  openPositions: z.number(),
  ledger: z.array(frameLedgerEntrySchema),
  ledgerUpTo: z.number().optional(),
  decisions: z.array(frameDecisionSchema),
  decisionsUpTo: z.number().optional(),
});
export type ReplayFrame = z.infer<typeof replayFrameSchema>;
