/**
 * Recording reader: opens a session directory written by RecordingWriter (or an importer using the same layout) as a
 * SessionSource, streaming the gzip NDJSON segments in order without loading a whole file.
 *
 * Invariants:
 * - manifest.json is parsed with `manifestSchema` (an invalid manifest is a clear error: nothing to replay).
 * - Every line is checked as `recordedFrameSchema` checks it; a bad line, a line older than the previous
 *   frame, an over-long line, a missing segment or a damaged gzip tail (a crash) is counted in `invalid` (first
 *   message kept) and skipped, never thrown. The complete lines before a damaged tail are all delivered. A line in
 *   the writer's own layout is read without parsing its envelope (only the `raw` string literal is JSON-parsed,
 *   and a spot trade in the canonical layout not even that: `SpotLineFrame`, read in place by the spot feed);
 *   any other line is JSON-parsed whole (same frame, same refusals: tests/unit/protocol/fast-paths.test.ts).
 * - Memory is bounded: decompressed text waiting for the consumer is capped (`REPLAY_QUEUED_CHARS` for a replay,
 *   `MAX_QUEUED_CHARS` for the decode-only pass; the file read is paused beyond it), and a line longer than
 *   `MAX_LINE_CHARS` is skipped.
 * - An open session (a recorder still writing, or one that crashed) also reads segment files the manifest does not
 *   list yet, after the listed ones.
 * - `invalid` is reset when a new `frames()` pass starts; chunk size never changes the frame sequence.
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { scanSpotTradeLiteral, spotTradeAt, type SpotTradeInText } from '../protocol/spot';
import { FRAME_SOURCES, manifestSchema, recordedFrameSchema, type RecordedFrame, type SessionManifest, type SessionSource } from './session';

const MAX_QUEUED_CHARS = 4 * 1024 * 1024;
// A replay's cap is small on purpose: text waiting here outlives a young-generation GC cycle when the consumer is the
// slower side, and every surviving byte is copied and promoted; 512 K chars is still 30+ reads of look-ahead. (The
// decode-only pass keeps MAX_QUEUED_CHARS: it is the benchmark's baseline and its consumer is the faster side.)
const REPLAY_QUEUED_CHARS = 512 * 1024;
const MAX_LINE_CHARS = 64 * 1024 * 1024;
const READ_CHUNK_BYTES = 16 * 1024;
/**
 * Decompressed bytes per gunzip output chunk. zlib hands each chunk back through the thread pool, one per event-loop
 * turn; 64 KiB (zlib's default is 16 KiB) is a quarter of the callbacks, stream pushes and decoder calls per byte, and
 * lets a replay turn the loop a quarter as often (IDLE_TURN_CHARS in replay-driver.ts). Never changes the lines.
 */
const GUNZIP_CHUNK_BYTES = 64 * 1024;
const SEGMENT_FILE = /^seg-[0-9]{6}\.ndjson\.gz$/;

/** Read and validate `<dir>/manifest.json`. Throws with the file and the zod issues when it is not a manifest. */
export async function readManifest(dir: string): Promise<SessionManifest> {
  const path = join(dir, 'manifest.json');
  const text = await readFile(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path}: not JSON (${errorText(err)})`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`${path}: invalid manifest (${issues.join('; ')})`);
  }
  return parsed.data;
}

/** Open a recorded session directory for replay. */
export async function openRecording(dir: string): Promise<SessionSource> {
  const manifest = await readManifest(dir);
  const files = await segmentFiles(dir, manifest);
  const invalid: { count: number; first?: string } = { count: 0 };
  const bad = (msg: string) => {
    if (invalid.count++ === 0) invalid.first = msg;
  };
  return {
    manifest,
    invalid,
    async *frames(opts) {
      invalid.count = 0;
      delete invalid.first;
      const size = Math.max(1, Math.floor(opts?.chunkSize ?? 4096));
      let chunk: RecordedFrame[] = [];
      let lastMs = -Infinity;
      for (const file of files) {
        let lineNo = 0;
        for await (const lines of segmentLines(join(dir, file), (msg) => bad(`${file}: ${msg}`), REPLAY_QUEUED_CHARS)) {
          for (const line of lines) {
            lineNo++;
            if (line.length === 0) continue;
            const frame = parseFrameLine(line);
            if (typeof frame === 'string') {
              bad(`${file}:${lineNo}: ${frame}`);
              continue;
            }
            if (frame.tsRecvMs < lastMs) {
              bad(`${file}:${lineNo}: tsRecvMs ${frame.tsRecvMs} before the previous frame (${lastMs})`);
              continue;
            }
            lastMs = frame.tsRecvMs;
            chunk.push(frame);
            if (chunk.length >= size) {
              yield chunk;
              chunk = [];
            }
          }
        }
      }
      if (chunk.length > 0) yield chunk;
    },
  };
}

/**
 * Decode-only pass for benchmarks: gunzip, split and JSON.parse every line (no schema, no order check), handing each
 * value to `onLine`. Returns how many lines parsed and how many did not (damage included).
 */
export async function readFramesRaw(dir: string, onLine: (value: unknown) => void): Promise<{ lines: number; invalid: number }> {
  const manifest = await readManifest(dir);
  let lines = 0;
  let invalid = 0;
  for (const file of await segmentFiles(dir, manifest)) {
    for await (const batch of segmentLines(join(dir, file), () => invalid++)) {
      for (const line of batch) {
        if (line.length === 0) continue;
        try {
          onLine(JSON.parse(line));
          lines++;
        } catch {
          invalid++;
        }
      }
    }
  }
  return { lines, invalid };
}

/** The frame, or why the line is not one. */
const SOURCES: ReadonlySet<string> = new Set(FRAME_SOURCES);

/** The sources, most frequent first (spot ticks are most of a session's frames). */
const SOURCE_ORDER: readonly RecordedFrame['source'][] = ['spot', 'clob-market', 'polybolt', 'rtds', 'clob-rest', 'external'];
if (SOURCE_ORDER.length !== FRAME_SOURCES.length || !FRAME_SOURCES.every((s) => SOURCE_ORDER.includes(s))) throw new Error('recording-reader: SOURCE_ORDER must list every frame source');
const LINE_HEAD = '{"source":"';
const AFTER_SOURCE = '","tsRecvMs":';
const BEFORE_RAW = ',"raw":';
const MAX_RAW_CHARS = 10_000_000;

/**
 * Fast path for a line exactly as RecordingWriter writes it, `{"source":"<s>","tsRecvMs":<integer>,"raw":"<text>"}`:
 * the source and time are read in place and only the `raw` string literal is JSON-parsed (no envelope object).
 * Anything else (other layouts, fractions, exponents, more than 15 digits, a bad literal) returns undefined and the
 * line takes the full parse: both give the same frame (tests/unit/protocol/fast-paths.test.ts).
 */
/**
 * A recording line holding a spot trade frame, as `scanSpotTradeLiteral` found it: the spot feed reads the fields in
 * the line (`spotTrade`); `raw` (the frame text, what the schema path gives) is unescaped on first read only.
 */
export class SpotLineFrame implements SpotTradeInText {
  readonly source = 'spot' as const;
  readonly s0: number;
  readonly s1: number;
  readonly p0: number;
  readonly p1: number;
  readonly t0: number;
  readonly t1: number;
  private unescaped: string | undefined;

  /** Right after `scanSpotTradeLiteral(text, from, …)` accepted the line (its field places are read here). */
  constructor(
    readonly tsRecvMs: number,
    readonly text: string,
    private readonly from: number,
  ) {
    const at = spotTradeAt;
    this.s0 = at.s0;
    this.s1 = at.s1;
    this.p0 = at.p0;
    this.p1 = at.p1;
    this.t0 = at.t0;
    this.t1 = at.t1;
  }

  get raw(): string {
    return (this.unescaped ??= JSON.parse(this.text.slice(this.from - 1, this.text.length - 1)) as string);
  }

  /** The frame's length in the line (escaped: a little longer than `raw`), without unescaping it. */
  get chars(): number {
    return this.text.length - 2 - this.from;
  }

  get spotTrade(): SpotTradeInText {
    return this;
  }
}

function fastFrameLine(line: string): RecordedFrame | undefined {
  if (!line.startsWith(LINE_HEAD)) return undefined;
  // The source is one of a few names: matched in place (no slice, no lookup), the common ones first.
  let source: RecordedFrame['source'] | undefined;
  for (const name of SOURCE_ORDER) {
    if (line.startsWith(name, LINE_HEAD.length) && line.charCodeAt(LINE_HEAD.length + name.length) === 34 /* " */) {
      source = name;
      break;
    }
  }
  if (source === undefined) return undefined;
  const q = LINE_HEAD.length + source.length;
  if (!line.startsWith(AFTER_SOURCE, q)) return undefined;
  const from = q + AFTER_SOURCE.length;
  let i = from;
  let ts = 0;
  for (let c = line.charCodeAt(i); c >= 48 && c <= 57; c = line.charCodeAt(++i)) ts = ts * 10 + (c - 48);
  const digits = i - from;
  if (digits === 0 || digits > 15 || (digits > 1 && line.charCodeAt(from) === 48)) return undefined;
  if (!line.startsWith(BEFORE_RAW, i) || line.charCodeAt(line.length - 1) !== 125 /* } */) return undefined;
  const start = i + BEFORE_RAW.length;
  if (line.charCodeAt(start) !== 34 /* " */ || line.charCodeAt(line.length - 2) !== 34) return undefined;
  // A spot trade in the spot normaliser's canonical layout is recognised inside the literal (the body is then a valid
  // literal, `\"` its only escape): nothing is unescaped unless something reads `raw`.
  if (source === 'spot' && line.length - start - 3 <= MAX_RAW_CHARS && scanSpotTradeLiteral(line, start + 1, line.length - 2)) return new SpotLineFrame(ts, line, start + 1);
  let raw: unknown;
  try {
    // A slice that parses as JSON and starts with a quote is exactly one string literal: the whole `raw` value.
    raw = JSON.parse(line.slice(start, line.length - 1));
  } catch {
    return undefined;
  }
  if (typeof raw !== 'string' || raw.length > MAX_RAW_CHARS) return undefined;
  return { source, tsRecvMs: ts, raw };
}

export function parseFrameLine(line: string): RecordedFrame | string {
  const quick = fastFrameLine(line);
  if (quick) return quick;
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (err) {
    return `not JSON (${errorText(err)})`;
  }
  // Fast path: the schema's three fields, checked as it checks them (anything else goes to the schema for its message).
  const o = json as Record<string, unknown> | null;
  if (o && typeof o === 'object' && typeof o.source === 'string' && SOURCES.has(o.source) && typeof o.tsRecvMs === 'number' && Number.isFinite(o.tsRecvMs) && o.tsRecvMs >= 0 && typeof o.raw === 'string' && o.raw.length <= MAX_RAW_CHARS) {
    return { source: o.source as RecordedFrame['source'], tsRecvMs: o.tsRecvMs, raw: o.raw };
  }
  const r = recordedFrameSchema.safeParse(json);
  if (r.success) return r.data;
  const i = r.error.issues[0];
  return `not a frame (${i ? `${i.path.join('.') || '(root)'}: ${i.message}` : 'invalid'})`;
}

/** Segment files in replay order: the manifest's, then (open sessions) unlisted ones found on disk. */
async function segmentFiles(dir: string, manifest: SessionManifest): Promise<string[]> {
  const files = manifest.segments.map((s) => s.file);
  if (!manifest.open) return files;
  const listed = new Set(files);
  const last = files.at(-1) ?? '';
  const onDisk = await readdir(dir).catch(() => [] as string[]);
  const extra = onDisk.filter((f) => SEGMENT_FILE.test(f) && !listed.has(f) && f > last).sort();
  return [...files, ...extra];
}

/**
 * Lines of one gzip NDJSON file, in batches. Never throws: a read or gunzip error (a truncated tail) reports
 * `onDamage` once after every complete line before it has been yielded; the partial line at the damage is dropped.
 *
 * The gunzip stream is kept flowing (never paused) so that everything it decoded before an error reaches us before
 * the error; backpressure is applied to the file read instead.
 */
async function* segmentLines(path: string, onDamage: (msg: string) => void, maxQueued = MAX_QUEUED_CHARS): AsyncGenerator<string[]> {
  const src = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
  const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
  const decoder = new StringDecoder('utf8');
  const queue: string[] = [];
  let queued = 0;
  let ended = false;
  let failure: Error | undefined;
  let gzipBusy = false;
  let consumerBusy = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const stop = (err: Error) => {
    failure ??= err;
    ended = true;
    notify();
  };
  const resumeIfFree = () => {
    if (!gzipBusy && !consumerBusy && src.isPaused()) src.resume();
  };
  src.on('data', (b: Buffer | string) => {
    if (!gunzip.write(b)) {
      gzipBusy = true;
      src.pause();
    }
  });
  src.on('end', () => gunzip.end());
  src.on('error', (err) => {
    gunzip.destroy();
    stop(err);
  });
  gunzip.on('drain', () => {
    gzipBusy = false;
    resumeIfFree();
  });
  gunzip.on('data', (b: Buffer) => {
    const text = decoder.write(b);
    if (text.length > 0) {
      queue.push(text);
      queued += text.length;
    }
    if (queued > maxQueued && !consumerBusy) {
      consumerBusy = true;
      src.pause();
    }
    notify();
  });
  gunzip.on('end', () => {
    const tail = decoder.end();
    if (tail.length > 0) queue.push(tail);
    ended = true;
    notify();
  });
  gunzip.on('error', (err) => {
    src.destroy();
    stop(err);
  });

  const parts: string[] = [];
  let partLen = 0;
  let skipping = false;
  try {
    for (;;) {
      const text = queue.shift();
      if (text === undefined) {
        if (ended) break;
        await new Promise<void>((res) => (wake = res));
        continue;
      }
      queued -= text.length;
      if (consumerBusy && queued <= maxQueued / 2) {
        consumerBusy = false;
        resumeIfFree();
      }
      const lines: string[] = [];
      let from = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
        const piece = text.slice(from, nl);
        from = nl + 1;
        if (skipping) {
          skipping = false;
          continue;
        }
        lines.push(partLen > 0 ? parts.join('') + piece : piece);
        parts.length = 0;
        partLen = 0;
      }
      if (from < text.length && !skipping) {
        parts.push(text.slice(from));
        partLen += text.length - from;
        if (partLen > MAX_LINE_CHARS) {
          onDamage(`line longer than ${MAX_LINE_CHARS} characters skipped`);
          parts.length = 0;
          partLen = 0;
          skipping = true;
        }
      }
      if (lines.length > 0) yield lines;
    }
    if (failure) onDamage(`unreadable or truncated (${errorText(failure)})`);
    else if (partLen > 0) yield [parts.join('')];
  } finally {
    src.destroy();
    gunzip.destroy();
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
