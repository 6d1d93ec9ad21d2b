/**
 * Frames packed for a sweep's worker threads: an import done once by the sweep's parent (sweep-shared.ts) crosses to
 * every worker in shared memory instead of as a structured clone of one object and one string per frame.
 *
 * Layout, per block of up to BLOCK frames: the frames' texts back to back as UTF-8 (`text`), and per frame its text's
 * end (UTF-16 units into the block's decoded text), receive time and source index (FRAME_SOURCES). Every buffer is a
 * SharedArrayBuffer: posting the packed session to a worker shares it, copying nothing. A worker decodes each block's
 * text once (one string) and takes each frame's text as a slice of it: no per-frame decoding, and the texts are flat
 * strings a reader scans in place.
 *
 * Invariants: `unpackFrames(packFrames(f))` equals `f` (same sources, times and texts, in order) for every text that
 * is well-formed UTF-16 (a lone surrogate would come back as U+FFFD: a frame's text is wire text, valid UTF-8); blocks
 * bound each decoded string (BLOCK frames of at most a few MiB of text each: far below V8's string length limit).
 */
import { FRAME_SOURCES, type FrameSource, type RecordedFrame } from './session';

const BLOCK = 16_384;

export interface PackedBlock {
  /** UTF-8 bytes of the block's texts, back to back. */
  text: SharedArrayBuffer;
  /** Float64: each frame's text end, in UTF-16 units of the decoded block. */
  ends: SharedArrayBuffer;
  /** Float64: receive times (ms). */
  ts: SharedArrayBuffer;
  /** Uint8: index into FRAME_SOURCES. */
  sources: SharedArrayBuffer;
}

export interface PackedFrames {
  frames: number;
  blocks: PackedBlock[];
}

const sourceIndex = new Map<string, number>(FRAME_SOURCES.map((s, i) => [s, i]));

function shared(bytes: number): SharedArrayBuffer {
  return new SharedArrayBuffer(Math.max(1, bytes));
}

export function packFrames(frames: readonly RecordedFrame[]): PackedFrames {
  const blocks: PackedBlock[] = [];
  for (let from = 0; from < frames.length; from += BLOCK) {
    const n = Math.min(BLOCK, frames.length - from);
    const ends = new Float64Array(shared(n * 8));
    const ts = new Float64Array(shared(n * 8));
    const sources = new Uint8Array(shared(n));
    const texts: string[] = new Array<string>(n);
    let at = 0;
    for (let i = 0; i < n; i++) {
      const f = frames[from + i]!;
      const s = sourceIndex.get(f.source);
      if (s === undefined) throw new Error(`frame ${from + i}: unknown source '${f.source}'`);
      texts[i] = f.raw;
      at += f.raw.length;
      ends[i] = at;
      ts[i] = f.tsRecvMs;
      sources[i] = s;
    }
    const utf8 = Buffer.from(texts.join(''), 'utf8');
    const text = shared(utf8.length);
    utf8.copy(new Uint8Array(text));
    blocks.push({ text, ends: ends.buffer as SharedArrayBuffer, ts: ts.buffer as SharedArrayBuffer, sources: sources.buffer as SharedArrayBuffer });
  }
  return { frames: frames.length, blocks };
}

export function unpackFrames(p: PackedFrames): RecordedFrame[] {
  const out: RecordedFrame[] = new Array<RecordedFrame>(p.frames);
  let k = 0;
  for (const b of p.blocks) {
    const ends = new Float64Array(b.ends);
    const ts = new Float64Array(b.ts);
    const sources = new Uint8Array(b.sources);
    const text = Buffer.from(b.text).toString('utf8');
    let at = 0;
    for (let i = 0; i < ends.length; i++) {
      const end = ends[i]!;
      out[k++] = { source: FRAME_SOURCES[sources[i]!] as FrameSource, tsRecvMs: ts[i]!, raw: text.slice(at, end) };
      at = end;
    }
  }
  if (k !== p.frames) throw new Error(`packed frames: ${k} unpacked, ${p.frames} expected`);
  return out;
}
