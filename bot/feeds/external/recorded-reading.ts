/**
 * External signal readings as a recording keeps them: one compact JSON frame of source 'external' per good poll of
 * one source, `{"v":1,"id":"putCallRatio","source":"simulator","raw":1.4,"score":-1,"direction":-1,"strength":1,
 * "confidence":1,"tsMs":1790000000000}` (~150 bytes), written when the poller caches the reading and replayed into
 * the same cache at the frame's receive time (ExternalSignalPoller.ingestRecorded).
 *
 * Why the parsed reading and not the HTTP body: the Deribit book summary is 100+ KB per poll (a poll a minute is
 * ~150 MB a day, more than the market data), and the reading is exactly what strategies saw: scored with the config
 * of the recorded run, with Fear & Greed's age-based confidence computed at the fetch time. A replay therefore
 * serves the recorded values, not values re-scored under the replay's externalSignals config. Failed polls are not
 * recorded: they never change what strategies see (the last good value stays served until maxAgeSec).
 *
 * Invariants: decoding is zod-validated (ids, ranges, direction in {-1,0,1}, tsMs not after the receive time) and
 * never throws: a bad frame is a message. Encoding writes only the fields the schema reads.
 */
import { z } from 'zod';
import { EXTERNAL_SIGNAL_IDS, type ExternalReading, type ExternalSignalId } from './reading';

export const RECORDED_READING_VERSION = 1;
/** A recorded reading frame is tiny; anything longer is not one. */
export const MAX_RECORDED_READING_CHARS = 4_096;

export const recordedReadingSchema = z.strictObject({
  v: z.literal(RECORDED_READING_VERSION),
  id: z.enum(EXTERNAL_SIGNAL_IDS as [ExternalSignalId, ...ExternalSignalId[]]),
  /** The event source label of the recorded run ('simulator', 'deribit', 'alternative.me'). */
  source: z.string().min(1).max(60),
  raw: z.number().finite(),
  score: z.number().min(-1).max(1),
  direction: z.union([z.literal(-1), z.literal(0), z.literal(1)]),
  strength: z.number().min(0).max(1),
  confidence: z.number().min(0).max(1),
  /** When the reading was fetched (the recorded run's clock). */
  tsMs: z.number().finite().nonnegative(),
});
export type RecordedReading = z.infer<typeof recordedReadingSchema>;

/** The frame text for a reading fetched at `tsMs` from `source`. */
export function encodeRecordedReading(reading: ExternalReading, source: string, tsMs: number): string {
  const r: RecordedReading = {
    v: RECORDED_READING_VERSION,
    id: reading.id,
    source,
    raw: reading.raw,
    score: reading.score,
    direction: reading.direction,
    strength: reading.strength,
    confidence: reading.confidence,
    tsMs,
  };
  return JSON.stringify(r);
}

/** The reading in a recorded frame received at `tsRecvMs`, or why the frame is not one. */
export function decodeRecordedReading(text: string, tsRecvMs: number): RecordedReading | string {
  if (text.length > MAX_RECORDED_READING_CHARS) return `frame of ${text.length} characters (at most ${MAX_RECORDED_READING_CHARS})`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return 'frame is not JSON';
  }
  const parsed = recordedReadingSchema.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    return `not a recorded reading (${i ? `${i.path.join('.') || '(root)'}: ${i.message}` : 'invalid'})`;
  }
  if (parsed.data.tsMs > tsRecvMs) return `reading time ${parsed.data.tsMs} after the frame's receive time ${tsRecvMs}`;
  return parsed.data;
}
