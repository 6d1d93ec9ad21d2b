/**
 * RecordingWriter: writes one recorded session to disk (`<dir>/manifest.json` + `seg-000001.ndjson.gz`, ...), the
 * layout described in session.ts. Each frame is one NDJSON line `{"source","tsRecvMs","raw"}` in a gzip segment.
 *
 * Invariants:
 * - Lines are in non-decreasing tsRecvMs: a frame older than the last one is written with the last time and counted
 *   in `stats.reordered` (so the replay order equals the write order).
 * - A segment is rotated before the frame that would follow `rotateBytes` uncompressed bytes, or whose receive time
 *   is `rotateMs` or more after the segment's first frame; a segment always holds at least one frame.
 * - `frame()` never waits: lines are gathered in a small batch (`batchBytes`) and written to the gzip stream. When
 *   the bytes not yet taken by gzip exceed `maxPendingBytes` (disk slower than the feed) frames are dropped and
 *   counted in `stats.dropped`: memory stays bounded, the caller (trading) is never held up.
 * - manifest.json is replaced atomically (tmp + rename) when the writer opens, at each rotation, on `flush()` and at
 *   `close()`; it says `open: true` until close, and lists the segment being written, so a crash leaves a readable
 *   session (the reader stops cleanly at a truncated tail).
 * - After a write error the writer is failed: `onError` is called once, later frames are dropped (counted), and
 *   `close()` rejects with the error after a best-effort manifest write.
 */
import { mkdirSync, createWriteStream } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream';
import { createGzip, type Gzip } from 'node:zlib';
import {
  FRAME_SOURCES,
  manifestSchema,
  sessionMarketSchema,
  type FrameSource,
  type RecordedFrame,
  type SegmentInfo,
  type SessionCapabilities,
  type SessionFormat,
  type SessionManifest,
  type SessionMarket,
  type SessionMarketInput,
} from './session';

export interface RecordingWriterOptions {
  dir: string;
  id: string;
  format: SessionFormat;
  /** Uncompressed bytes per segment before rotation (default 64 MiB). */
  rotateBytes?: number;
  /** Receive-time span per segment before rotation (default 1 h). */
  rotateMs?: number;
  configHash?: string;
  attribution?: string;
  licence?: string;
  notes?: string[];
  /** Given: written as is. Absent: derived from the frames seen. */
  capabilities?: SessionCapabilities;
  /** Manifest `createdAtMs` (from the caller's clock; default: the first frame's receive time, 0 before one). */
  createdAtMs?: number;
  /** Bytes handed to gzip but not yet compressed, beyond which frames are dropped (default 32 MiB). */
  maxPendingBytes?: number;
  /** Lines gathered before one gzip write (default 64 KiB). */
  batchBytes?: number;
  /** gzip level 1..9 (default 6). */
  level?: number;
  /** Called once, on the first write error. */
  onError?: (err: Error) => void;
}

export interface RecordingWriterStats {
  frames: number;
  /** Compressed bytes produced (on disk once flushed). */
  bytes: number;
  segments: number;
  reordered: number;
  dropped: number;
}

interface OpenSegment {
  info: SegmentInfo;
  gzip: Gzip;
  /** Uncompressed bytes written to this segment. */
  rawBytes: number;
  /** Settles when the segment is on disk (or failed: see `error`). */
  done: Promise<void>;
}

const MiB = 1024 * 1024;
const RAW_MAX_CHARS = 10_000_000;
const SOURCE_SET: ReadonlySet<string> = new Set(FRAME_SOURCES);
const RESOLVED = /"event_type"\s*:\s*"market_resolved"/;

export class RecordingWriter {
  private readonly o: RecordingWriterOptions;
  private readonly rotateBytes: number;
  private readonly rotateMs: number;
  private readonly maxPending: number;
  private readonly batchLimit: number;
  private readonly segments: SegmentInfo[] = [];
  private readonly markets = new Map<string, SessionMarket>();
  private readonly sources = new Set<FrameSource>();
  private readonly closing = new Set<OpenSegment>();
  private seg: OpenSegment | undefined;
  private batch: string[] = [];
  private batchSize = 0;
  private firstMs: number | undefined;
  private lastMs = -Infinity;
  private sawResolution = false;
  private counts: RecordingWriterStats = { frames: 0, bytes: 0, segments: 0, reordered: 0, dropped: 0 };
  private error: Error | undefined;
  private ended = false;
  private closed = false;
  private closePromise: Promise<SessionManifest> | undefined;
  private manifestChain: Promise<void> = Promise.resolve();
  private queuedManifest: Promise<void> | undefined;
  /**
   * Rejecters of the promises `orFailure` handed out and that have not settled yet: a failure rejects them all. (Not
   * a race against one never-settling promise: each race would leave its reactions on it for the writer's lifetime.)
   */
  private readonly waiting = new Set<(err: Error) => void>();

  constructor(opts: RecordingWriterOptions) {
    if (!manifestSchema.shape.id.safeParse(opts.id).success) throw new Error(`recording id ${JSON.stringify(opts.id)} is not [A-Za-z0-9._-]{1,120}`);
    this.o = opts;
    this.rotateBytes = positive(opts.rotateBytes, 64 * MiB);
    this.rotateMs = positive(opts.rotateMs, 3_600_000);
    this.maxPending = positive(opts.maxPendingBytes, 32 * MiB);
    this.batchLimit = positive(opts.batchBytes, 64 * 1024);
    mkdirSync(opts.dir, { recursive: true });
    void this.writeManifest().catch(() => {});
  }

  get stats(): RecordingWriterStats {
    return { ...this.counts, segments: this.segments.length };
  }

  /** The first write error, if any. */
  get failure(): Error | undefined {
    return this.error;
  }

  /** Append one frame (never waits; see the invariants for reordering and dropping). */
  frame(f: RecordedFrame): void {
    if (this.error || this.ended || !SOURCE_SET.has(f.source) || !(f.tsRecvMs >= 0) || !Number.isFinite(f.tsRecvMs) || f.raw.length > RAW_MAX_CHARS) {
      this.counts.dropped++;
      return;
    }
    let ts = f.tsRecvMs;
    if (ts < this.lastMs) {
      ts = this.lastMs;
      this.counts.reordered++;
    }
    const line = JSON.stringify({ source: f.source, tsRecvMs: ts, raw: f.raw }) + '\n';
    const size = Buffer.byteLength(line);
    if (this.pendingBytes() + size > this.maxPending) {
      this.counts.dropped++;
      return;
    }
    let seg = this.seg;
    if (seg && (seg.rawBytes >= this.rotateBytes || ts - seg.info.startMs >= this.rotateMs)) {
      this.endSegment();
      seg = undefined;
    }
    seg ??= this.openSegment(ts);
    if (!seg) return;
    this.batch.push(line);
    this.batchSize += size;
    seg.rawBytes += size;
    seg.info.frames++;
    seg.info.endMs = ts;
    this.counts.frames++;
    this.firstMs ??= ts;
    this.lastMs = ts;
    this.sources.add(f.source);
    if (!this.sawResolution && f.source === 'clob-market' && f.raw.includes('market_resolved') && RESOLVED.test(f.raw)) this.sawResolution = true;
    if (this.batchSize >= this.batchLimit) this.writeBatch();
  }

  /** Add or replace one market (keyed by slug). Throws on an invalid market (a caller bug, nothing written). */
  market(m: SessionMarketInput): void {
    const parsed = sessionMarketSchema.parse(m);
    this.markets.set(parsed.slug, parsed);
  }

  /** The manifest as it stands (open until close). */
  manifest(): SessionManifest {
    const startMs = this.firstMs ?? this.o.createdAtMs ?? 0;
    const sources = FRAME_SOURCES.filter((s) => this.sources.has(s));
    const o = this.o;
    return {
      version: 1,
      id: o.id,
      format: o.format,
      createdAtMs: Math.max(0, Math.floor(o.createdAtMs ?? this.firstMs ?? 0)),
      startMs,
      endMs: this.firstMs === undefined ? startMs : this.lastMs,
      frames: this.counts.frames,
      bytes: this.counts.bytes,
      sources,
      segments: this.segments.map((s) => ({ ...s })),
      markets: [...this.markets.values()],
      capabilities: o.capabilities ?? {
        books: this.sources.has('clob-market'),
        reference: this.sources.has('polybolt') || this.sources.has('rtds'),
        spot: this.sources.has('spot'),
        resolutions: this.sawResolution ? 'recorded' : 'none',
      },
      ...(o.configHash !== undefined ? { configHash: o.configHash } : {}),
      ...(o.attribution !== undefined ? { attribution: o.attribution } : {}),
      ...(o.licence !== undefined ? { licence: o.licence } : {}),
      notes: [...(o.notes ?? [])],
      open: !this.closed,
    };
  }

  /** Push gathered lines through gzip (sync flush: decodable on disk) and rewrite the manifest. */
  async flush(): Promise<void> {
    if (this.error) throw this.error;
    if (this.ended) return;
    this.writeBatch();
    const seg = this.seg;
    if (seg) await this.orFailure(new Promise<void>((res) => seg.gzip.flush(() => res())));
    await this.orFailure(this.writeManifest());
    if (this.error) throw this.error;
  }

  /**
   * Resolves when the bytes waiting for gzip are at most half the drop bound: offline writers (importers, synthetic
   * days) await it every few thousand frames so that a synchronous burst never drops. Live taps never wait.
   */
  async drained(): Promise<void> {
    for (;;) {
      this.writeBatch();
      if (this.error || this.pendingBytes() <= this.maxPending / 2) break;
      const busy = [this.seg, ...this.closing].filter((s): s is OpenSegment => s !== undefined && s.gzip.writableNeedDrain);
      if (busy.length === 0) break;
      await this.orFailure(Promise.race(busy.map((s) => new Promise<void>((res) => s.gzip.once('drain', res)))));
    }
    if (this.error) throw this.error;
  }

  /** Finish the segment, write the final manifest (open=false). Idempotent. */
  close(): Promise<SessionManifest> {
    this.closePromise ??= this.doClose();
    return this.closePromise;
  }

  private async doClose(): Promise<SessionManifest> {
    if (!this.error) this.writeBatch();
    this.ended = true;
    if (this.seg) this.endSegment();
    await Promise.all([...this.closing].map((s) => s.done));
    this.closed = true;
    await this.writeManifest();
    if (this.error) throw this.error;
    return this.manifest();
  }

  private pendingBytes(): number {
    let n = this.batchSize + (this.seg ? this.seg.gzip.writableLength : 0);
    for (const s of this.closing) n += s.gzip.writableLength;
    return n;
  }

  private openSegment(ts: number): OpenSegment | undefined {
    const n = this.segments.length + 1;
    if (n > 999_999) {
      this.fail(new Error(`recording ${this.o.id}: too many segments`));
      this.counts.dropped++;
      return undefined;
    }
    const info: SegmentInfo = { file: `seg-${String(n).padStart(6, '0')}.ndjson.gz`, startMs: ts, endMs: ts, frames: 0, bytes: 0 };
    const gzip = createGzip({ level: this.o.level ?? 6 });
    const file = createWriteStream(join(this.o.dir, info.file), { flags: 'wx' });
    gzip.on('data', (c: Buffer) => {
      info.bytes += c.length;
      this.counts.bytes += c.length;
    });
    const done = new Promise<void>((res) =>
      pipeline(gzip, file, (err) => {
        if (err) this.fail(err);
        res();
      }),
    );
    this.segments.push(info);
    this.seg = { info, gzip, rawBytes: 0, done };
    void this.writeManifest().catch(() => {});
    return this.seg;
  }

  private endSegment(): void {
    const s = this.seg;
    if (!s) return;
    this.writeBatch();
    this.seg = undefined;
    this.closing.add(s);
    s.gzip.end();
    void s.done.then(() => {
      this.closing.delete(s);
      if (!this.ended) void this.writeManifest().catch(() => {});
    });
  }

  private writeBatch(): void {
    if (this.batchSize === 0 || !this.seg) return;
    const chunk = this.batch.length === 1 ? this.batch[0]! : this.batch.join('');
    this.batch = [];
    this.batchSize = 0;
    if (!this.error) this.seg.gzip.write(chunk);
  }

  /** Queue an atomic manifest rewrite (coalesced: one waiting write takes the newest state when it runs). */
  private writeManifest(): Promise<void> {
    if (this.queuedManifest) return this.queuedManifest;
    const p = this.manifestChain.then(async () => {
      this.queuedManifest = undefined;
      const final = join(this.o.dir, 'manifest.json');
      const tmp = `${final}.tmp`;
      await writeFile(tmp, JSON.stringify(this.manifest(), null, 1) + '\n');
      await rename(tmp, final);
    });
    this.queuedManifest = p;
    this.manifestChain = p.catch((err: unknown) => this.fail(asError(err)));
    return p;
  }

  private fail(err: Error): void {
    if (this.error) return;
    this.error = err;
    this.batch = [];
    this.batchSize = 0;
    for (const s of [this.seg, ...this.closing]) s?.gzip.destroy();
    for (const reject of [...this.waiting]) reject(err);
    this.waiting.clear();
    this.o.onError?.(err);
  }

  /** Resolve with `p`, or reject as soon as the writer fails (a failed stream may never call back). */
  private orFailure(p: Promise<void>): Promise<void> {
    if (this.error) return Promise.reject(this.error);
    return new Promise<void>((resolve, reject) => {
      this.waiting.add(reject);
      p.then(
        () => {
          this.waiting.delete(reject);
          resolve();
        },
        (err: unknown) => {
          this.waiting.delete(reject);
          reject(asError(err));
        },
      );
    });
  }
}

function positive(v: number | undefined, fallback: number): number {
  return v !== undefined && v > 0 && Number.isFinite(v) ? v : fallback;
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
