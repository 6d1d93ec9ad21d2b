/**
 * The Feeds page's "External signals" rows (part of GET /api/feeds, `FeedsSnapshot.externalSignals`): one row per
 * external signal source (putCallRatio from Deribit, fearGreed, ...) folded from its `signal.external` events
 * (bot/feeds/external: one per source per poll). Shared by the runtime's read model (via `foldFeedEvent`,
 * lib/schemas/feeds.ts) and the browser's live overlay, so an event always reads the same.
 *
 * Invariants:
 * - One row per signal id, at most `externalSignalLimits.sources` rows (a new id evicts the one polled longest ago),
 *   kept in id order; strings are clipped to the schema's bounds.
 * - `raw`, `score`, `direction`, `strength`, `confidence` are those of the last ok poll (`lastOkMs`): a failing poll
 *   keeps them and sets `ok` false; `lastError` / `lastErrorMs` are those of the last failing poll and survive later
 *   ok polls (an operator sees what went wrong last). `servedAgeMs` is as reported by the last poll (null: nothing
 *   served), measured at `polledMs` (bus-clock epoch ms, the event's `tsRecvMs`).
 * - `foldExternalSignal` is pure: it returns a new list and never mutates its input.
 */
import { z } from 'zod';
import type { EventOf } from './events';

export const externalSignalLimits = { sources: 16, error: 300 } as const;

const num = z.number().finite();

export const externalSignalRowSchema = z.object({
  id: z.string().min(1).max(40),
  source: z.string().max(60),
  /** The last poll gave a usable body. */
  ok: z.boolean(),
  raw: num.nullable(),
  score: z.number().min(-1).max(1).nullable(),
  direction: z.union([z.literal(-1), z.literal(0), z.literal(1)]).nullable(),
  strength: z.number().min(0).max(1).nullable(),
  confidence: z.number().min(0).max(1).nullable(),
  /** Age of the value strategies were served at `polledMs` (null: none, or older than the max age). */
  servedAgeMs: z.number().nonnegative().nullable(),
  polledMs: num,
  lastOkMs: num.nullable(),
  lastError: z.string().max(externalSignalLimits.error).nullable(),
  lastErrorMs: num.nullable(),
  /** The source's running counters since the poller started. */
  failures: z.number().int().nonnegative(),
  badBodies: z.number().int().nonnegative(),
});
export type ExternalSignalRow = z.infer<typeof externalSignalRowSchema>;

export const externalSignalsSchema = z.array(externalSignalRowSchema).max(externalSignalLimits.sources);

/** The rows with one `signal.external` event folded in (a new list; the input is never mutated). */
export function foldExternalSignal(rows: readonly ExternalSignalRow[], e: EventOf<'signal.external'>): ExternalSignalRow[] {
  const t = e.tsRecvMs;
  const prev = rows.find((r) => r.id === e.id);
  const kept = e.ok
    ? { raw: e.raw ?? null, score: e.score ?? null, direction: e.direction ?? null, strength: e.strength ?? null, confidence: e.confidence ?? null, lastOkMs: t }
    : { raw: prev?.raw ?? null, score: prev?.score ?? null, direction: prev?.direction ?? null, strength: prev?.strength ?? null, confidence: prev?.confidence ?? null, lastOkMs: prev?.lastOkMs ?? null };
  const failed = !e.ok ? { lastError: (e.error ?? 'no usable reading').slice(0, externalSignalLimits.error), lastErrorMs: t } : { lastError: prev?.lastError ?? null, lastErrorMs: prev?.lastErrorMs ?? null };
  const row: ExternalSignalRow = {
    id: e.id, source: e.source.slice(0, 60), ok: e.ok, ...kept, servedAgeMs: e.servedAgeMs ?? null, polledMs: t, ...failed, failures: e.failures, badBodies: e.badBodies,
  };
  let others = rows.filter((r) => r.id !== e.id);
  if (others.length >= externalSignalLimits.sources) {
    const oldest = others.reduce((o, r) => (r.polledMs < o.polledMs ? r : o));
    others = others.filter((r) => r !== oldest);
  }
  return [...others, row].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
