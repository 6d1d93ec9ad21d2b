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
import { FRAME_SOURCES, type FrameSource, type RecordedFrame } from './session';

const BLOCK = 16_384;

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
  }
  if (k !== p.frames) throw new Error(`packed frames: ${k} unpacked, ${p.frames} expected`);
  return out;
}
