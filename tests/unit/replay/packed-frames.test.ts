/**
 * Frames packed into shared memory for sweep workers (bot/replay/packed-frames.ts): unpacking gives back every
 * frame's source, receive time and text, in order, across block boundaries, for every source and for texts with
 * non-ASCII characters and empty texts; the buffers are SharedArrayBuffers (a structured clone shares them); an
 * unknown source is refused, naming the frame.
 */
import { describe, expect, it } from 'vitest';
import { packFrames, unpackFrames } from '../../../bot/replay/packed-frames';
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
});
