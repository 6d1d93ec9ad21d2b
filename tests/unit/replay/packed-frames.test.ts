/**
 * Frames packed into shared memory for sweep workers (bot/replay/packed-frames.ts): unpacking gives back every
 * frame's source, receive time and text, in order, across block boundaries, for every source and for texts with
 * non-ASCII characters and empty texts; the buffers are SharedArrayBuffers (a structured clone shares them); an
 * unknown source is refused, naming the frame; packedProblem accepts what the packer writes and names what is
 * structurally wrong (as read from a file), and unpacking refuses a block whose text does not end where its frames do;
 * a packed source unpacks once, lazily, and hands out the frames in chunks.
 */
import { describe, expect, it } from 'vitest';
import { BLOCK, packedProblem, packedSource, packFrames, unpackFrames, type PackedFrames } from '../../../bot/replay/packed-frames';
import { FRAME_SOURCES, type RecordedFrame } from '../../../bot/replay/session';
import { Prng } from '../../../bot/util/prng';

function frames(n: number, seed: string): RecordedFrame[] {
  const prng = new Prng(seed);
  const texts = ['{"event_type":"book","asset_id":"1"}', '', 'Bitcoin ↑ “Up” 5m — ok', '{"v":1,"payload":{"value":95000.5}}', 'émoji 😀 pair'];
  const out: RecordedFrame[] = [];
  let t = 1_767_225_600_000;
  for (let i = 0; i < n; i++) {
    t += Math.floor(prng.next() * 3);
    out.push({ source: FRAME_SOURCES[i % FRAME_SOURCES.length]!, tsRecvMs: t + (i % 7 === 0 ? 0.5 : 0), raw: `${texts[i % texts.length]}#${i}`.slice(0, i % 11 === 0 ? 0 : undefined) });
  }
  return out;
}

/** In receive-time order, as a session's frames are (frames() jitters some by half a millisecond). */
const sorted = (f: RecordedFrame[]) => f.sort((a, b) => a.tsRecvMs - b.tsRecvMs);

describe('packed frames', () => {
  it('unpacks what was packed, in order, across blocks, for every source and any text', () => {
    const f = frames(40_000, 'packed');
    const p = packFrames(f);
    expect(p.frames).toBe(40_000);
    expect(p.blockBytes.length).toBe(3);
    const back = unpackFrames(p);
    expect(back).toEqual(f);
    expect(new Set(back.map((x) => x.source))).toEqual(new Set(FRAME_SOURCES));
    expect(back.some((x) => x.raw === '')).toBe(true);
    expect(back.some((x) => x.raw.includes('😀'))).toBe(true);
  });

  it('keeps its data in shared buffers, which a structured clone (a post to a worker) shares', () => {
    const p = packFrames(frames(100, 'shared'));
    for (const buf of [p.text, p.ends, p.ts, p.sources]) expect(buf).toBeInstanceOf(SharedArrayBuffer);
    const copy = structuredClone(p);
    new Uint8Array(copy.sources)[0] = 5;
    expect(new Uint8Array(p.sources)[0]).toBe(5);
    expect(unpackFrames(packFrames([]))).toEqual([]);
  });

  it('refuses a frame of an unknown source, naming it', () => {
    const f = frames(3, 'bad');
    (f[2] as { source: string }).source = 'telegram';
    expect(() => packFrames(f)).toThrow(/frame 2: unknown source 'telegram'/);
  });

  it('packedProblem: accepts what the packer writes; names counts, blocks, sources, times and ends that do not add up', () => {
    const f = sorted(frames(BLOCK + 500, 'problem'));
    const p = packFrames(f);
    expect(packedProblem(p)).toBeUndefined();
    expect(packedProblem(packFrames([]))).toBeUndefined();
    const copy = (): PackedFrames => structuredClone({ ...p, text: p.text.slice(0), ends: p.ends.slice(0), ts: p.ts.slice(0), sources: p.sources.slice(0) });
    const edit = (fn: (q: PackedFrames) => void): string | undefined => {
      const q = copy();
      fn(q);
      return packedProblem(q);
    };
    expect(edit((q) => (q.frames = q.frames + 1))).toMatch(/arrays shorter than/);
    expect(edit((q) => q.blockBytes.pop())).toMatch(/1 blocks for 16884 frames, expected 2/);
    expect(edit((q) => (q.blockBytes[1] = q.blockBytes[1]! + 1))).toMatch(/blocks hold \d+ bytes, the text \d+/);
    expect(edit((q) => (new Uint8Array(q.sources)[9] = FRAME_SOURCES.length))).toBe(`frame 9: unknown source index ${FRAME_SOURCES.length}`);
    expect(edit((q) => (new Float64Array(q.ts)[20] = Number.NaN))).toBe('frame 20: receive time out of order');
    expect(edit((q) => (new Float64Array(q.ts)[BLOCK + 1] = 0))).toBe(`frame ${BLOCK + 1}: receive time out of order`);
    expect(edit((q) => (new Float64Array(q.ends)[30] = 0.5))).toMatch(/^frame 30: text end 0.5 before/);
    // A block's first end starts again from zero (ends are offsets into each block's own text).
    expect(new Float64Array(p.ends)[BLOCK]!).toBeLessThan(new Float64Array(p.ends)[BLOCK - 1]!);
  });

  it('unpacking refuses a block whose decoded text does not end where its frames end', () => {
    const p = packFrames(sorted(frames(100, 'ends')));
    const ends = new Float64Array(p.ends);
    ends[99] = ends[99]! - 1;
    expect(packedProblem(p)).toBeUndefined();
    expect(() => unpackFrames(p)).toThrow(/block ending at frame 100 decodes to \d+ characters, its frames end at \d+/);
  });

  it('a packed source unpacks once, on the first read, and gives the frames in chunks', async () => {
    const f = frames(1_000, 'source');
    const manifest = { format: 'parquet' } as Parameters<typeof packedSource>[0];
    const s = packedSource(manifest, packFrames(f), { count: 2, first: 'x' });
    expect(s.invalid).toEqual({ count: 2, first: 'x' });
    const read = async (chunkSize: number) => {
      const out: unknown[] = [];
      for await (const c of s.frames({ chunkSize })) {
        expect(c.length).toBeLessThanOrEqual(chunkSize);
        out.push(...c);
      }
      return out;
    };
    expect(await read(333)).toEqual(f);
    expect(await read(1_000)).toEqual(f);
    // Given the frames already (a miss packs what it imported): those very objects are handed out.
    const given = packedSource(manifest, packFrames(f), { count: 0 }, f);
    for await (const c of given.frames({ chunkSize: 10_000 })) expect(c[5]).toBe(f[5]);
  });
});
