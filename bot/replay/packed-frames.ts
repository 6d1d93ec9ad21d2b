/**
 * Frames packed for a sweep's worker threads: an import done once by the sweep's parent (sweep-shared.ts) crosses to
 * every worker in shared memory instead of as a structured clone of one object and one string per frame.
 *
 * Layout: the frames' texts back to back as UTF-8 (`text`), cut into blocks of up to BLOCK frames (`blockBytes`); per
 * frame its text's end (UTF-16 units into its block's decoded text), receive time and source index (FRAME_SOURCES).
 * Every buffer is a SharedArrayBuffer: posting the packed session to a worker shares it, copying nothing. A worker
 * decodes each block's text once (one string) and takes each frame's text as a slice of it: no per-frame decoding,
 * and the texts are flat strings a reader scans in place.
 *
 * Invariants: `unpackFrames(packFrames(f))` equals `f` (same sources, times and texts, in order) for every text that
 * is well-formed UTF-16 (a lone surrogate would come back as U+FFFD: a frame's text is wire text, valid UTF-8); blocks
 * bound each decoded string (BLOCK frames of at most a few MiB of text each: far below V8's string length limit).
 */
import { arraySource, FRAME_SOURCES, type FrameSource, type RecordedFrame, type SessionManifest, type SessionSource } from './session';

/** Frames per block. */
export const BLOCK = 16_384;

export interface PackedFrames {
  frames: number;
  /** UTF-8 bytes of every frame's text, back to back. */
  text: SharedArrayBuffer;
  /** Bytes of each block's texts (block i holds frames [i * BLOCK, (i + 1) * BLOCK)). */
  blockBytes: number[];
  /** Float64: each frame's text end, in UTF-16 units of its block's decoded text. */
  ends: SharedArrayBuffer;
  /** Float64: receive times (ms). */
  ts: SharedArrayBuffer;
  /** Uint8: index into FRAME_SOURCES. */
  sources: SharedArrayBuffer;
}

const sourceIndex = new Map<string, number>(FRAME_SOURCES.map((s, i) => [s, i]));

/**
 * Packs frames as they come (a session's chunks), a block at a time: a block's frames are joined into one text as soon
 * as it is full, so they die young, and no list of every frame is held while a long session is read.
 */
export class FramePacker {
  private readonly ends: number[] = [];
  private readonly ts: number[] = [];
  private readonly sources: number[] = [];
  private readonly texts: string[] = [];
  private readonly blockBytes: number[] = [];
  private parts: string[] = [];
  private at = 0;

  add(f: RecordedFrame): void {
    const s = sourceIndex.get(f.source);
    if (s === undefined) throw new Error(`frame ${this.ts.length}: unknown source '${f.source}'`);
    this.parts.push(f.raw);
    this.at += f.raw.length;
    this.ends.push(this.at);
    this.ts.push(f.tsRecvMs);
    this.sources.push(s);
    if (this.parts.length === BLOCK) this.closeBlock();
  }

  finish(): PackedFrames {
    if (this.parts.length > 0) this.closeBlock();
    const n = this.ts.length;
    const ends = new Float64Array(new SharedArrayBuffer(Math.max(8, n * 8)));
    const ts = new Float64Array(new SharedArrayBuffer(Math.max(8, n * 8)));
    const sources = new Uint8Array(new SharedArrayBuffer(Math.max(1, n)));
    ends.set(this.ends);
    ts.set(this.ts);
    sources.set(this.sources);
    const text = new SharedArrayBuffer(Math.max(1, this.blockBytes.reduce((a, b) => a + b, 0)));
    const bytes = Buffer.from(text);
    let off = 0;
    for (let b = 0; b < this.texts.length; b++) off += bytes.write(this.texts[b]!, off, this.blockBytes[b]!, 'utf8');
    return { frames: n, text, blockBytes: [...this.blockBytes], ends: ends.buffer as SharedArrayBuffer, ts: ts.buffer as SharedArrayBuffer, sources: sources.buffer as SharedArrayBuffer };
  }

  private closeBlock(): void {
    const text = this.parts.join('');
    this.texts.push(text);
    this.blockBytes.push(Buffer.byteLength(text, 'utf8'));
    this.parts = [];
    this.at = 0;
  }
}

export function packFrames(frames: readonly RecordedFrame[]): PackedFrames {
  const p = new FramePacker();
  for (const f of frames) p.add(f);
  return p.finish();
}

/**
 * What is structurally wrong with packed frames (from a file: import-cache.ts), or undefined: array lengths, block
 * count and bytes, sources, finite non-decreasing receive times, text ends rising within each block. (Whether each
 * block's text decodes to its last end is checked by `unpackFrames`.)
 */
export function packedProblem(p: PackedFrames): string | undefined {
  const n = p.frames;
  if (!Number.isSafeInteger(n) || n < 0) return `frame count ${String(n)}`;
  if (p.ends.byteLength < n * 8 || p.ts.byteLength < n * 8 || p.sources.byteLength < n) return `arrays shorter than ${n} frames`;
  const blocks = Math.ceil(n / BLOCK);
  if (!Array.isArray(p.blockBytes) || p.blockBytes.length !== blocks) return `${String(p.blockBytes?.length)} blocks for ${n} frames, expected ${blocks}`;
  let bytes = 0;
  for (const b of p.blockBytes) {
    if (!Number.isSafeInteger(b) || b < 0) return `block of ${String(b)} bytes`;
    bytes += b;
  }
  if (bytes > p.text.byteLength || p.text.byteLength > Math.max(1, bytes)) return `blocks hold ${bytes} bytes, the text ${p.text.byteLength}`;
  const ends = new Float64Array(p.ends, 0, n);
  const ts = new Float64Array(p.ts, 0, n);
  const sources = new Uint8Array(p.sources, 0, n);
  let last = -Infinity;
  let end = 0;
  for (let i = 0; i < n; i++) {
    if (sources[i]! >= FRAME_SOURCES.length) return `frame ${i}: unknown source index ${sources[i]}`;
    const t = ts[i]!;
    if (!Number.isFinite(t) || t < last) return `frame ${i}: receive time out of order`;
    last = t;
    if (i % BLOCK === 0) end = 0;
    const e = ends[i]!;
    if (!Number.isSafeInteger(e) || e < end) return `frame ${i}: text end ${e} before ${end}`;
    end = e;
  }
  return undefined;
}

/** A session whose frames are packed (the import cache's, or packed on import): sweeps share `packed` as it is. */
export interface PackedSource extends SessionSource {
  readonly packed: PackedFrames;
}

export function isPackedSource(s: SessionSource): s is PackedSource {
  return (s as Partial<PackedSource>).packed !== undefined;
}

/**
 * Packed frames as a source: unpacked on the first `frames()` call (once), or given already unpacked (`frames`).
 * The same manifest, frames in order and invalid count as the import they were packed from.
 */
export function packedSource(manifest: SessionManifest, packed: PackedFrames, invalid: { count: number; first?: string }, frames?: readonly RecordedFrame[]): PackedSource {
  let source: SessionSource | undefined;
  return {
    manifest,
    invalid,
    packed,
    frames: (opts) => (source ??= arraySource(manifest, frames ?? unpackFrames(packed), invalid)).frames(opts),
  };
}

export function unpackFrames(p: PackedFrames): RecordedFrame[] {
  const out: RecordedFrame[] = new Array<RecordedFrame>(p.frames);
  const ends = new Float64Array(p.ends);
  const ts = new Float64Array(p.ts);
  const sources = new Uint8Array(p.sources);
  const bytes = Buffer.from(p.text);
  let k = 0;
  let off = 0;
  for (const len of p.blockBytes) {
    const text = bytes.toString('utf8', off, off + len);
    off += len;
    const to = Math.min(p.frames, k + BLOCK);
    let at = 0;
    for (; k < to; k++) {
      const end = ends[k]!;
      out[k] = { source: FRAME_SOURCES[sources[k]!] as FrameSource, tsRecvMs: ts[k]!, raw: text.slice(at, end) };
      at = end;
    }
    if (at !== text.length) throw new Error(`packed frames: block ending at frame ${k} decodes to ${text.length} characters, its frames end at ${at}`);
  }
  if (k !== p.frames) throw new Error(`packed frames: ${k} unpacked, ${p.frames} expected`);
  return out;
}
