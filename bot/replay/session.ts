/**
 * Recorded sessions: the one data model shared by the recorder, the importers (real Parquet sample, seed-001 CSV,
 * synthetic days), the replay source and the console's session list.
 *
 * A session is a manifest (identity, time range, markets, sources, provenance, what it can replay) plus a stream of
 * raw frames `{ source, tsRecvMs, raw }` in receive-time order. `raw` is the text exactly as a socket delivered it
 * (record raw, replay raw): replay feeds it through the same normalisers as live trading.
 *
 * On disk (our recordings and synthetic days): `<dir>/manifest.json` + `seg-000001.ndjson.gz`, ... where every line of
 * a segment is one frame, `{"source":"clob-market","tsRecvMs":1776327600123,"raw":"{...}"}`. Segments are rotated by
 * size and time; frames are in receive-time order within and across segments.
 *
 * Invariants: every manifest and every frame line is parsed with zod at this edge (bad lines are counted, never
 * replayed); market definitions carry everything the catalog needs, so a replay never calls Gamma or the CLOB.
 */
import { z } from 'zod';
import { windowKindSchema } from '../../lib/schemas/series';

/**
 * Frame sources a replay feeds: the sockets' text frames, 'clob-rest' (the market-data REST answers a session
 * asked for: `/book` resyncs and `/books` quiet checks, as `{method, path, body, status, text}`) and 'external'
 * (trend-window's external signal readings, one compact JSON reading per good poll of a source:
 * bot/feeds/external/recorded-reading.ts). The recorder never records the user socket: it is ours, and the journal
 * has it. Sessions recorded before a source existed simply do not list it (and replay without it).
 */
export const FRAME_SOURCES = ['clob-market', 'polybolt', 'rtds', 'spot', 'clob-rest', 'external'] as const;
export type FrameSource = (typeof FRAME_SOURCES)[number];

export const recordedFrameSchema = z.object({
  source: z.enum(FRAME_SOURCES),
  tsRecvMs: z.number().finite().nonnegative(),
  raw: z.string().max(10_000_000),
});
export type RecordedFrame = z.infer<typeof recordedFrameSchema>;

const feesSchema = z.object({ rate: z.number().nonnegative(), exponent: z.number().positive(), takerOnly: z.boolean() });

/** One window's market as the catalog needs it (what Gamma + /clob-markets said, or what an importer knows). */
export const sessionMarketSchema = z.object({
  slug: z.string().min(1),
  kind: windowKindSchema,
  /** The market's asset (`btc`, `eth`); absent in recordings made before several assets: read from the slug. */
  asset: z.string().regex(/^[a-z]{2,10}$/).optional(),
  startMs: z.number().int(),
  endMs: z.number().int(),
  eventId: z.string().default(''),
  conditionId: z.string().min(1),
  upTokenId: z.string().min(1),
  downTokenId: z.string().min(1),
  tickSize: z.number().positive().max(0.1).default(0.01),
  minOrderSize: z.number().positive().default(5),
  negRisk: z.boolean().default(false),
  version: z.enum(['v1', 'v2']).default('v2'),
  fees: feesSchema.default({ rate: 0.07, exponent: 1, takerOnly: true }),
  /** Gamma's eventMetadata.priceToBeat when the source had it. */
  priceToBeat: z.number().positive().optional(),
  /**
   * How the Up/Down token assignment is known: 'venue' (recorded from Gamma) or 'assumed' (an importer's convention,
   * e.g. the Parquet sample does not say which token is Up).
   */
  outcomeMapping: z.enum(['venue', 'assumed']).default('venue'),
});
export type SessionMarket = z.output<typeof sessionMarketSchema>;
export type SessionMarketInput = z.input<typeof sessionMarketSchema>;

export const sessionFormats = ['recording', 'synthetic', 'parquet', 'seed001-csv'] as const;
export type SessionFormat = (typeof sessionFormats)[number];

/** What the data can drive: strategies that need a missing input are reported as unable to run. */
export const capabilitiesSchema = z.object({
  books: z.boolean(),
  reference: z.boolean(),
  spot: z.boolean(),
  /** 'recorded': market_resolved frames are in the data; 'inferred': an importer derived them (and says how); 'none'. */
  resolutions: z.enum(['recorded', 'inferred', 'none']),
});
export type SessionCapabilities = z.infer<typeof capabilitiesSchema>;

export const segmentSchema = z.object({
  file: z.string().regex(/^seg-[0-9]{6}\.ndjson\.gz$/),
  startMs: z.number(),
  endMs: z.number(),
  frames: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
});
export type SegmentInfo = z.infer<typeof segmentSchema>;

export const manifestSchema = z.object({
  version: z.literal(1),
  id: z.string().regex(/^[A-Za-z0-9._-]{1,120}$/),
  format: z.enum(sessionFormats),
  createdAtMs: z.number().int().nonnegative(),
  startMs: z.number(),
  endMs: z.number(),
  frames: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  sources: z.array(z.enum(FRAME_SOURCES)),
  segments: z.array(segmentSchema),
  markets: z.array(sessionMarketSchema),
  capabilities: capabilitiesSchema,
  /** Hash of the runtime config the session was recorded with (our recordings). */
  configHash: z.string().optional(),
  /** Provenance to keep wherever the data is used (CC BY 4.0 sample: its attribution line). */
  attribution: z.string().optional(),
  licence: z.string().optional(),
  /** Free-form facts a user should know (how resolutions were inferred, assumed token mapping, ...). */
  notes: z.array(z.string()).default([]),
  /** Set while a recorder is still writing this session. */
  open: z.boolean().default(false),
});
export type SessionManifest = z.output<typeof manifestSchema>;

/** A frame's text length, without unescaping a frame that reads its text lazily (recording-reader's SpotLineFrame). */
export function frameChars(f: RecordedFrame): number {
  return (f as { chars?: number }).chars ?? f.raw.length;
}

/** A session ready to replay: its manifest and its frames in receive-time order, in chunks. */
export interface SessionSource {
  readonly manifest: SessionManifest;
  /** Frames in receive-time order, `chunkSize` at a time (the chunk size never changes what is replayed). */
  frames(opts?: { chunkSize?: number }): AsyncIterable<RecordedFrame[]>;
  /** Lines that failed validation while reading (counted, skipped). */
  readonly invalid: { count: number; first?: string };
}

/** Frames already in receive-time order (an import kept in memory or read back from the import cache), as a source. */
export function arraySource(manifest: SessionManifest, frames: readonly RecordedFrame[], invalid: { count: number; first?: string }): SessionSource {
  return {
    manifest,
    invalid,
    async *frames(opts) {
      const n = Math.max(1, Math.floor(opts?.chunkSize ?? 4096));
      for (let i = 0; i < frames.length; i += n) yield frames.slice(i, i + n);
    },
  };
}

/** Frames from memory (importers, tests). Sorted stably by receive time on construction. */
export function memorySource(manifest: SessionManifest, frames: readonly RecordedFrame[]): SessionSource {
  const sorted = [...frames].sort((a, b) => a.tsRecvMs - b.tsRecvMs);
  return {
    manifest,
    invalid: { count: 0 },
    async *frames(opts) {
      const n = Math.max(1, opts?.chunkSize ?? 4096);
      for (let i = 0; i < sorted.length; i += n) yield sorted.slice(i, i + n);
    },
  };
}
