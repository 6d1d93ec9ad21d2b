/**
 * Reader for recorded Polymarket CLOB `book` snapshots stored as Parquet (the CronosVirus00
 * polymarket-BTC5min-database layout, CC BY 4.0; see samples/polymarket-btc-5m-books/README.md).
 *
 * File layout: `<market slug>_<unix second the chunk was flushed>.parquet`; one market spans several files.
 * Columns: `timestamp` (float64 local receive time, Unix seconds), `slug`, `asset_id`, `bids` and `asks` (JSON arrays
 * of `{price, size}` decimal strings, best level LAST), `raw_data` (the whole WebSocket `book` message as received).
 *
 * Invariants:
 * - Every row is validated with zod at this edge; a bad row is skipped and counted (`invalid`, first error kept),
 *   never thrown. Reading stops at `maxRows` (default 1,000,000) and reports `truncated`, so memory is bounded.
 * - `raw` keeps `raw_data` verbatim (record raw, replay raw); levels are kept as the wire's strings, in file order.
 * - Directory reads return rows ordered by receive time (stable: ties keep file order, files in name order).
 * - `scanBookParquetDir` visits rows one at a time in file order (slugs by name, files by flush time) and retains
 *   nothing, so a caller that keeps only what it needs (an importer keeps `raw`) stays within its own bound.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { z } from 'zod';
import { DECIMAL_RE } from '../protocol/common';

const decimal = z.string().regex(DECIMAL_RE, 'expected a decimal string');
const Level = z.object({ price: decimal, size: decimal });
const Levels = z.array(Level);

/**
 * `Levels.safeParse(v)`'s data for the usual input (an array of objects with `price` and `size` decimal strings;
 * other keys are dropped, as the schema drops them), checked by hand: a book row carries hundreds of levels and the
 * schema's per-level checks were a third of an import. Undefined for anything else, which then goes to the schema
 * (same output: tests/unit/replay/parquet-books.test.ts).
 */
export function fastLevels(v: unknown): { price: string; size: string }[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: { price: string; size: string }[] = new Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const l = v[i] as Record<string, unknown> | null;
    if (typeof l !== 'object' || l === null || Array.isArray(l)) return undefined;
    const { price, size } = l;
    if (typeof price !== 'string' || typeof size !== 'string' || !DECIMAL_RE.test(price) || !DECIMAL_RE.test(size)) return undefined;
    out[i] = { price, size };
  }
  return out;
}

function parseLevels(v: unknown): { success: true; data: { price: string; size: string }[] } | { success: false } {
  const quick = fastLevels(v);
  if (quick) return { success: true, data: quick };
  const r = Levels.safeParse(v);
  return r.success ? { success: true, data: r.data } : { success: false };
}

/** The level schema (for tests that hold the fast path against it). */
export const levelsSchema = Levels;

/** The part of `raw_data` the reader interprets; other fields stay available in `raw`. */
const RawBook = z.object({
  market: z.string().optional(),
  asset_id: z.string().optional(),
  timestamp: z.union([z.string().regex(/^[0-9]+$/), z.number().int()]).optional(),
  hash: z.string().optional(),
  tick_size: z.string().optional(),
  event_type: z.string().optional(),
  last_trade_price: z.string().optional(),
});

const Row = z.object({
  timestamp: z.number().finite(),
  slug: z.string().min(1),
  asset_id: z.string().regex(/^[0-9]+$/, 'asset_id must be a decimal token id'),
  bids: z.string(),
  asks: z.string(),
  raw_data: z.string(),
});

export type WireLevel = z.infer<typeof Level>;

export interface ParquetBookRow {
  /** Local receive time, epoch ms (the `timestamp` column x 1000, rounded). */
  tsRecvMs: number;
  slug: string;
  assetId: string;
  /** Condition id from raw_data. */
  market?: string;
  /** Server time from raw_data, epoch ms. */
  serverTsMs?: number;
  /** raw_data's `timestamp` as sent (string or number; undefined when absent), for frames derived from the row. */
  rawTimestamp: string | number | undefined;
  hash?: string;
  /** "0.01" / "0.001" when the message carried it (some recorded messages do not). */
  tickSize?: string;
  lastTradePrice?: string;
  /** raw_data's `event_type` ("book" in every recorded row). */
  eventType?: string;
  bids: WireLevel[];
  asks: WireLevel[];
  /** raw_data verbatim. */
  raw: string;
}

export interface ParquetBooksRead {
  rows: ParquetBookRow[];
  invalid: number;
  firstError?: string;
  truncated: boolean;
}

export interface ReadOptions {
  maxRows?: number;
}

const DEFAULT_MAX_ROWS = 1_000_000;
const FILE_RE = /^(.+)_([0-9]+)\.parquet$/;

/** Parse one Parquet row object into a snapshot, or an error message. */
export function parseBookRow(obj: unknown): { ok: true; row: ParquetBookRow } | { ok: false; error: string } {
  const r = Row.safeParse(obj);
  if (!r.success) return { ok: false, error: r.error.issues[0]?.message ?? 'bad row' };
  const v = r.data;
  try {
    const bids = parseLevels(JSON.parse(v.bids));
    const asks = parseLevels(JSON.parse(v.asks));
    const raw = RawBook.safeParse(JSON.parse(v.raw_data));
    if (!bids.success || !asks.success) return { ok: false, error: 'bids/asks are not arrays of {price, size} decimal strings' };
    if (!raw.success) return { ok: false, error: `raw_data: ${raw.error.issues[0]?.message ?? 'invalid'}` };
    const ts = raw.data.timestamp;
    return {
      ok: true,
      row: {
        tsRecvMs: Math.round(v.timestamp * 1000),
        slug: v.slug,
        assetId: v.asset_id,
        market: raw.data.market,
        serverTsMs: ts === undefined ? undefined : Number(ts),
        rawTimestamp: ts,
        hash: raw.data.hash,
        tickSize: raw.data.tick_size,
        lastTradePrice: raw.data.last_trade_price,
        eventType: raw.data.event_type,
        bids: bids.data,
        asks: asks.data,
        raw: v.raw_data,
      },
    };
  } catch (e) {
    return { ok: false, error: `invalid JSON: ${(e as Error).message}` };
  }
}

/** Read one Parquet file (path or its bytes). Rows keep file order. */
export async function readBookParquet(source: string | ArrayBuffer | Uint8Array, opts: ReadOptions = {}): Promise<ParquetBooksRead> {
  const out: ParquetBooksRead = { rows: [], invalid: 0, truncated: false };
  const scan = newScan();
  await scanFile(scan, source, opts.maxRows ?? DEFAULT_MAX_ROWS, (r) => out.rows.push(r));
  return copyCounts(out, scan);
}

/** Parquet files of a directory grouped by market slug; files of a slug in flush order, slugs in name order. */
export async function listBookParquetFiles(dir: string): Promise<{ slug: string; files: string[] }[]> {
  const bySlug = new Map<string, { file: string; flushSec: number }[]>();
  for (const name of await readdir(dir)) {
    const m = FILE_RE.exec(name);
    if (!m) continue;
    const list = bySlug.get(m[1]!) ?? [];
    list.push({ file: join(dir, name), flushSec: Number(m[2]) });
    bySlug.set(m[1]!, list);
  }
  return [...bySlug.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([slug, l]) => ({ slug, files: l.sort((a, b) => a.flushSec - b.flushSec).map((x) => x.file) }));
}

/** Read every file of a directory (optionally only some slugs); rows ordered by receive time. */
export async function readBookParquetDir(dir: string, opts: ReadOptions & { slugs?: readonly string[] } = {}): Promise<ParquetBooksRead> {
  const out: ParquetBooksRead = { rows: [], invalid: 0, truncated: false };
  const scan = await scanBookParquetDir(dir, (r) => out.rows.push(r), opts);
  // Array.prototype.sort is stable, so equal receive times keep file order.
  out.rows.sort((a, b) => a.tsRecvMs - b.tsRecvMs);
  return copyCounts(out, scan);
}

export interface ParquetBooksScan {
  /** Valid rows visited. */
  rows: number;
  invalid: number;
  firstError?: string;
  /** `maxRows` was reached before the end of the data. */
  truncated: boolean;
  /** The slug whose files were being read when `maxRows` cut the scan (its market is incomplete). */
  truncatedSlug?: string;
  /** Files read and their total size in bytes. */
  files: number;
  bytes: number;
}

/**
 * Visit every valid row of a directory's Parquet files in file order (slugs by name, each slug's files by flush
 * time, rows as stored), at most `maxRows` of them. Retains nothing: the visitor keeps what it needs.
 */
export async function scanBookParquetDir(
  dir: string,
  visit: (row: ParquetBookRow) => void,
  opts: ReadOptions & { slugs?: readonly string[] } = {},
): Promise<ParquetBooksScan> {
  const scan = newScan();
  const max = opts.maxRows ?? DEFAULT_MAX_ROWS;
  for (const { slug, files } of await listBookParquetFiles(dir)) {
    if (opts.slugs && !opts.slugs.includes(slug)) continue;
    for (const f of files) {
      if (scan.truncated) return scan;
      await scanFile(scan, f, max, visit);
      if (scan.truncated) scan.truncatedSlug = slug;
    }
  }
  return scan;
}

function newScan(): ParquetBooksScan {
  return { rows: 0, invalid: 0, truncated: false, files: 0, bytes: 0 };
}

function copyCounts(out: ParquetBooksRead, scan: ParquetBooksScan): ParquetBooksRead {
  out.invalid = scan.invalid;
  if (scan.firstError !== undefined) out.firstError = scan.firstError;
  out.truncated = scan.truncated;
  return out;
}

async function scanFile(scan: ParquetBooksScan, source: string | ArrayBuffer | Uint8Array, maxRows: number, visit: (row: ParquetBookRow) => void): Promise<void> {
  const bytes = typeof source === 'string' ? await readFile(source) : source;
  const file = bytes instanceof ArrayBuffer ? bytes : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  scan.files++;
  scan.bytes += file.byteLength;
  const objs = await parquetReadObjects({ file: file as ArrayBuffer, columns: ['timestamp', 'slug', 'asset_id', 'bids', 'asks', 'raw_data'] });
  for (const o of objs) {
    if (scan.rows >= maxRows) {
      scan.truncated = true;
      return;
    }
    const p = parseBookRow(o);
    if (p.ok) {
      scan.rows++;
      visit(p.row);
    } else {
      scan.invalid++;
      scan.firstError ??= p.error;
    }
  }
}
