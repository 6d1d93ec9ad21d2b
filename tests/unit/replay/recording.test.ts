/**
 * Recording on disk: RecordingWriter -> openRecording round trips with rotation by size and by receive time (order,
 * manifest time range, sources, markets, byte counts checked against the files themselves), reordered frames are
 * clamped, the pending-bytes bound drops and counts, corrupted lines and a truncated tail (a crash) are counted
 * instead of thrown, and the chunk size never changes the replayed sequence.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRecording, readFramesRaw, readManifest } from '../../../bot/replay/recording-reader';
import { RecordingWriter } from '../../../bot/replay/recording-writer';
import { FRAME_SOURCES, type FrameSource, type RecordedFrame, type SessionSource } from '../../../bot/replay/session';
import { Prng } from '../../../bot/util/prng';

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'rec-test-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

const T0 = 1_776_327_600_000;

/** Deterministic frames: mixed sources, raw text with quotes, newlines and non-ASCII; equal times allowed. */
function makeFrames(n: number, stepMs: (i: number) => number, sources: readonly FrameSource[] = FRAME_SOURCES): RecordedFrame[] {
  const prng = new Prng('recording-test');
  const out: RecordedFrame[] = [];
  let t = T0;
  for (let i = 0; i < n; i++) {
    const source = sources[i % sources.length]!;
    const pad = 'x'.repeat(Math.floor(prng.next() * 80));
    out.push({ source, tsRecvMs: t, raw: JSON.stringify({ i, s: source, note: `line\n"${i}" – €`, pad }) });
    t += stepMs(i);
  }
  return out;
}

async function readAll(src: SessionSource, chunkSize?: number): Promise<RecordedFrame[][]> {
  const chunks: RecordedFrame[][] = [];
  for await (const c of src.frames(chunkSize === undefined ? undefined : { chunkSize })) chunks.push(c);
  return chunks;
}

function lineOf(f: RecordedFrame): string {
  return JSON.stringify({ source: f.source, tsRecvMs: f.tsRecvMs, raw: f.raw }) + '\n';
}

const market = {
  slug: 'btc-updown-5m-1776327600',
  kind: '5m' as const,
  startMs: T0,
  endMs: T0 + 300_000,
  conditionId: '0xabc',
  upTokenId: '111',
  downTokenId: '222',
};

describe('RecordingWriter -> openRecording', () => {
  it('round trips across size-rotated segments; manifest matches the files', async () => {
    const dir = join(tmp, 's1');
    const frames = makeFrames(400, (i) => (i % 3 === 0 ? 0 : 7));
    const rotateBytes = 4_000;
    const w = new RecordingWriter({ dir, id: 's1', format: 'recording', rotateBytes, configHash: 'cfg1', createdAtMs: T0 - 5 });
    w.market(market);
    w.market({ ...market, tickSize: 0.001 }); // replaces, keyed by slug
    w.market({ ...market, slug: 'btc-updown-5m-1776327900', startMs: T0 + 300_000, endMs: T0 + 600_000 });
    for (const f of frames) w.frame(f);
    const m = await w.close();

    expect(m.open).toBe(false);
    expect(m.frames).toBe(frames.length);
    expect(m.startMs).toBe(frames[0]!.tsRecvMs);
    expect(m.endMs).toBe(frames.at(-1)!.tsRecvMs);
    expect(m.sources).toEqual([...FRAME_SOURCES]);
    expect(m.configHash).toBe('cfg1');
    expect(m.createdAtMs).toBe(T0 - 5);
    expect(m.markets.map((x) => [x.slug, x.tickSize])).toEqual([
      ['btc-updown-5m-1776327600', 0.001],
      ['btc-updown-5m-1776327900', 0.01],
    ]);
    expect(m.capabilities).toEqual({ books: true, reference: true, spot: true, resolutions: 'none' });

    // Segments: several, each at least rotateBytes uncompressed except the last, and never more than one line over.
    expect(m.segments.length).toBeGreaterThan(3);
    const maxLine = Math.max(...frames.map((f) => Buffer.byteLength(lineOf(f))));
    let onDisk = 0;
    let cursor = 0;
    for (const [k, seg] of m.segments.entries()) {
      const gz = readFileSync(join(dir, seg.file));
      onDisk += gz.length;
      expect(seg.bytes).toBe(gz.length);
      const text = gunzipSync(gz).toString('utf8');
      const expected = frames.slice(cursor, cursor + seg.frames).map(lineOf).join('');
      expect(text).toBe(expected);
      const size = Buffer.byteLength(text);
      if (k < m.segments.length - 1) expect(size).toBeGreaterThanOrEqual(rotateBytes);
      expect(size).toBeLessThan(rotateBytes + maxLine);
      expect(seg.startMs).toBe(frames[cursor]!.tsRecvMs);
      expect(seg.endMs).toBe(frames[cursor + seg.frames - 1]!.tsRecvMs);
      cursor += seg.frames;
    }
    expect(cursor).toBe(frames.length);
    expect(m.bytes).toBe(onDisk);
    expect(w.stats).toEqual({ frames: 400, bytes: onDisk, segments: m.segments.length, reordered: 0, dropped: 0 });

    expect(await readManifest(dir)).toEqual(m);
    const src = await openRecording(dir);
    expect((await readAll(src)).flat()).toEqual(frames);
    expect(src.invalid.count).toBe(0);
  });

  it('rotates by receive-time span', async () => {
    const dir = join(tmp, 's2');
    const frames = makeFrames(50, () => 100, ['clob-market']); // 5 s of frames every 100 ms
    const w = new RecordingWriter({ dir, id: 's2', format: 'recording', rotateMs: 1_000 });
    for (const f of frames) w.frame(f);
    const m = await w.close();
    // A new segment starts at the first frame 1 s or more after the current segment's first: T0, T0+1000, ...
    expect(m.segments.map((s) => [s.startMs - T0, s.endMs - T0, s.frames])).toEqual([
      [0, 900, 10],
      [1000, 1900, 10],
      [2000, 2900, 10],
      [3000, 3900, 10],
      [4000, 4900, 10],
    ]);
    expect(m.sources).toEqual(['clob-market']);
    expect(m.capabilities).toEqual({ books: true, reference: false, spot: false, resolutions: 'none' });
    expect(m.createdAtMs).toBe(T0); // no createdAtMs given: the first frame's time
    expect((await readAll(await openRecording(dir))).flat()).toEqual(frames);
  });

  it('clamps an older frame to the last time, counts it, and derives recorded resolutions', async () => {
    const dir = join(tmp, 's3');
    const w = new RecordingWriter({ dir, id: 's3', format: 'recording' });
    const raws = ['{"a":1}', '{"b":2}', '[{"event_type": "market_resolved","market":"0xabc"}]', '{"d":4}'];
    const times = [10, 20, 15, 30];
    raws.forEach((raw, i) => w.frame({ source: i === 1 ? 'rtds' : 'clob-market', tsRecvMs: times[i]!, raw }));
    const m = await w.close();
    expect(w.stats.reordered).toBe(1);
    const got = (await readAll(await openRecording(dir))).flat();
    expect(got.map((f) => f.tsRecvMs)).toEqual([10, 20, 20, 30]);
    expect(got.map((f) => f.raw)).toEqual(raws);
    expect(m.capabilities).toEqual({ books: true, reference: true, spot: false, resolutions: 'recorded' });
    expect(m.sources).toEqual(['clob-market', 'rtds']);
  });

  it('drops (and counts) frames beyond the pending-bytes bound instead of buffering them', async () => {
    const dir = join(tmp, 's4');
    const frames = makeFrames(30, () => 1, ['spot']).map((f, i) => ({ ...f, raw: `{"i":${String(i).padStart(3, '0')}}` }));
    const lineBytes = Buffer.byteLength(lineOf(frames[0]!));
    const bound = 10 * lineBytes + 3;
    const w = new RecordingWriter({ dir, id: 's4', format: 'recording', maxPendingBytes: bound, batchBytes: 1_000_000 });
    for (const f of frames) w.frame(f);
    // Nothing reaches gzip before the batch limit, so exactly floor(bound / lineBytes) lines fit.
    expect(w.stats.frames).toBe(10);
    expect(w.stats.dropped).toBe(20);
    await w.close();
    expect((await readAll(await openRecording(dir))).flat()).toEqual(frames.slice(0, 10));
  });

  it('drained() lets an offline writer burst without drops (the same burst without it drops)', async () => {
    const frames = makeFrames(20_000, () => 1);
    const opts = { format: 'synthetic' as const, maxPendingBytes: 256 * 1024, batchBytes: 16 * 1024 };
    const blind = new RecordingWriter({ dir: join(tmp, 'blind'), id: 'blind', ...opts });
    for (const f of frames) blind.frame(f);
    expect(blind.stats.dropped).toBeGreaterThan(0);
    expect(blind.stats.frames + blind.stats.dropped).toBe(frames.length);
    await blind.close();

    const dir = join(tmp, 'paced');
    const paced = new RecordingWriter({ dir, id: 'paced', ...opts });
    for (const [i, f] of frames.entries()) {
      paced.frame(f);
      if (i % 200 === 199) await paced.drained();
    }
    await paced.close();
    expect(paced.stats.dropped).toBe(0);
    expect((await readAll(await openRecording(dir))).flat()).toEqual(frames);
  });

  it('flushes leave nothing behind: a long-running recorder holds no waiter per past flush (the soak found ~12 MB a day)', async () => {
    const dir = join(tmp, 'flushes');
    const w = new RecordingWriter({ dir, id: 'flushes', format: 'recording' });
    const waiting = () => (w as unknown as { waiting: Set<unknown> }).waiting.size;
    const frames = makeFrames(200, () => 10, ['clob-market']);
    for (let i = 0; i < frames.length; i++) {
      w.frame(frames[i]!);
      if (i % 10 === 9) await w.flush();
    }
    expect(waiting()).toBe(0);
    await w.close();
    expect((await readAll(await openRecording(dir))).flat()).toEqual(frames);
  });

  it('a write failure rejects a flush that is waiting on the stream (a destroyed stream never calls back)', async () => {
    const errors: Error[] = [];
    const w = new RecordingWriter({ dir: join(tmp, 'fails'), id: 'fails', format: 'recording', onError: (e) => errors.push(e) });
    for (const f of makeFrames(20, () => 10, ['clob-market'])) w.frame(f);
    const pending = w.flush();
    (w as unknown as { fail(e: Error): void }).fail(new Error('ENOSPC: disk full'));
    await expect(pending).rejects.toThrow('ENOSPC');
    await expect(w.flush()).rejects.toThrow('ENOSPC');
    expect(errors.map((e) => e.message)).toEqual(['ENOSPC: disk full']);
    expect((w as unknown as { waiting: Set<unknown> }).waiting.size).toBe(0);
  });

  it('refuses an id that is not a manifest id (no path tricks)', () => {
    expect(() => new RecordingWriter({ dir: join(tmp, 'x'), id: '../x', format: 'recording' })).toThrow(/recording id/);
  });

  it('refuses an invalid market without recording it', async () => {
    const w = new RecordingWriter({ dir: join(tmp, 's5'), id: 's5', format: 'recording' });
    expect(() => w.market({ ...market, upTokenId: '' })).toThrow();
    expect((await w.close()).markets).toEqual([]);
  });
});

describe('damage is counted, not thrown', () => {
  async function writeSession(dir: string, frames: RecordedFrame[], rotateBytes = 3_000) {
    const w = new RecordingWriter({ dir, id: 'dmg', format: 'recording', rotateBytes });
    for (const f of frames) w.frame(f);
    return w.close();
  }

  it('skips corrupted lines (not JSON, not a frame, out of order) and keeps the first error', async () => {
    const dir = join(tmp, 'c1');
    const frames = makeFrames(60, () => 5);
    const m = await writeSession(dir, frames);
    const seg = join(dir, m.segments[0]!.file);
    const lines = gunzipSync(readFileSync(seg)).toString('utf8').split('\n');
    lines.splice(2, 0, '{"source":"clob-market","tsRecvMs":1,'); // not JSON
    lines.splice(4, 0, '{"source":"clob-user","tsRecvMs":1776327600010,"raw":"{}"}'); // not a frame source
    lines.splice(6, 0, '{"source":"spot","tsRecvMs":5,"raw":"{}"}'); // older than the previous frame
    writeFileSync(seg, gzipSync(lines.join('\n')));
    const src = await openRecording(dir);
    expect((await readAll(src)).flat()).toEqual(frames);
    expect(src.invalid.count).toBe(3);
    expect(src.invalid.first).toMatch(/^seg-000001\.ndjson\.gz:3: not JSON/);
    // A second pass starts its count afresh.
    await readAll(src);
    expect(src.invalid.count).toBe(3);
    expect(await readFramesRaw(dir, () => {})).toEqual({ lines: frames.length + 2, invalid: 1 });
  });

  it('a truncated final segment yields the complete lines before the damage and counts the damage once', async () => {
    const dir = join(tmp, 'c2');
    const frames = makeFrames(300, () => 3);
    const m = await writeSession(dir, frames, 6_000);
    expect(m.segments.length).toBeGreaterThan(2);
    const last = m.segments.at(-1)!;
    const path = join(dir, last.file);
    truncateSync(path, Math.floor(statSync(path).size / 2));
    // Independent decode of what survived: complete lines only.
    const survived = gunzipSync(readFileSync(path), { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8');
    const complete = survived.split('\n').slice(0, -1).length;
    const before = frames.length - last.frames;
    expect(complete).toBeGreaterThan(0);
    expect(complete).toBeLessThan(last.frames);

    const src = await openRecording(dir);
    expect((await readAll(src)).flat()).toEqual(frames.slice(0, before + complete));
    expect(src.invalid.count).toBe(1);
    expect(src.invalid.first).toContain(last.file);
  });

  it('reads a session whose writer never closed (crash after a flush): open manifest, all flushed frames', async () => {
    const dir = join(tmp, 'c3');
    const frames = makeFrames(120, () => 2);
    const w = new RecordingWriter({ dir, id: 'crash', format: 'recording' });
    for (const f of frames) w.frame(f);
    await w.flush();
    const src = await openRecording(dir);
    expect(src.manifest.open).toBe(true);
    expect(src.manifest.segments.map((s) => s.file)).toEqual(['seg-000001.ndjson.gz']);
    expect((await readAll(src)).flat()).toEqual(frames);
    expect(src.invalid.count).toBe(1); // the missing gzip trailer
    await w.close();
    const closed = await openRecording(dir);
    expect(closed.manifest.open).toBe(false);
    expect((await readAll(closed)).flat()).toEqual(frames);
    expect(closed.invalid.count).toBe(0);
  });

  it('an open session also reads segments its manifest does not list yet; a missing listed one is counted', async () => {
    const dir = join(tmp, 'c4');
    const frames = makeFrames(200, () => 4);
    const m = await writeSession(dir, frames);
    expect(m.segments.length).toBeGreaterThan(2);
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...m, open: true, segments: m.segments.slice(0, 1) }));
    expect((await readAll(await openRecording(dir))).flat()).toEqual(frames);

    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m));
    rmSync(join(dir, m.segments[1]!.file));
    const src = await openRecording(dir);
    const got = (await readAll(src)).flat();
    expect(got).toEqual([...frames.slice(0, m.segments[0]!.frames), ...frames.slice(m.segments[0]!.frames + m.segments[1]!.frames)]);
    expect(src.invalid.count).toBe(1);
  });

  it('an invalid manifest is a clear error', async () => {
    const dir = join(tmp, 'c5');
    await writeSession(dir, makeFrames(3, () => 1));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ version: 2 }));
    await expect(openRecording(dir)).rejects.toThrow(/manifest\.json: invalid manifest/);
  });
});

describe('chunking', () => {
  it('chunk sizes 1, 7 and 4096 give the same frame sequence', async () => {
    const dir = join(tmp, 'k');
    const frames = makeFrames(500, (i) => i % 2);
    const w = new RecordingWriter({ dir, id: 'k', format: 'recording', rotateBytes: 5_000 });
    for (const f of frames) w.frame(f);
    await w.close();
    const src = await openRecording(dir);
    for (const size of [1, 7, 4096]) {
      const chunks = await readAll(src, size);
      expect(chunks.flat()).toEqual(frames);
      expect(chunks.slice(0, -1).every((c) => c.length === size)).toBe(true);
      expect(chunks.at(-1)!.length).toBe(frames.length - size * (chunks.length - 1));
    }
    let n = 0;
    expect(await readFramesRaw(dir, (v) => (n += (v as RecordedFrame).raw.length > 0 ? 1 : 0))).toEqual({ lines: 500, invalid: 0 });
    expect(n).toBe(500);
  });
});
