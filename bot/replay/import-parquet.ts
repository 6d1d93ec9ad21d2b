/**
 * Importer: a directory of recorded Polymarket CLOB `book` snapshots in Parquet (the CronosVirus00
 * polymarket-BTC5min-database layout, CC BY 4.0; see samples/polymarket-btc-5m-books/README.md) -> a SessionSource.
 *
 * - Every valid Parquet row becomes one frame `{source: 'clob-market', tsRecvMs, raw}` with `raw_data` verbatim.
 * - Markets come from the slug (`btc-updown-5m-<startSec>`), the token ids seen, the condition id (`market` in
 *   raw_data) and the first recorded `tick_size` (0.01 when none). The data does not say which token is Up: by
 *   convention the numerically smaller token id is Up (`outcomeMapping: 'assumed'`, and a manifest note says so).
 * - A market with only one recorded token gets the other token's book synthesised as the exact mirror of each
 *   recorded book (other bid = 1 − ask, other ask = 1 − bid, same sizes, same receive and server time, no hash)
 *   under the synthetic token id 2^256 − 1 − <recorded id> (a decimal string, deterministic, its own inverse).
 * - Resolutions are inferred (see `inferWinner`) and appended as CLOB `market_resolved` frames at
 *   max(market end + `resolutionDelayMs`, the market's last row).
 *
 * Invariants: deterministic (same directory and options -> same manifest and frames; createdAtMs defaults to the
 * data's end, never the wall clock); memory is bounded by `maxRows` (a row keeps only its `raw`, plus its mirror's
 * while its market has one token; parsed levels are dropped once the row is summarised); bad rows are counted
 * (`invalid`, first error kept), never thrown.
 */
import { formatDecimal } from '../protocol/common';
import { parseSlug } from '../markets/slug';
import { scanBookParquetDir, type ParquetBookRow, type WireLevel } from './parquet-books';
import { manifestSchema, memorySource, type RecordedFrame, type SessionMarket, type SessionMarketInput, type SessionSource } from './session';

/**
 * The version of what the importer outputs (frames, manifest, invalid count). The import cache keys on it: bump it with
 * any change of the output (tests/unit/replay/import-cache.test.ts pins the sample's frame digest to it).
 */
export const PARQUET_IMPORT_VERSION = 1;

export const PARQUET_ATTRIBUTION = 'Polymarket BTC Orderbook Dataset © 2026 by CronosVirus00, licensed under CC BY 4.0';
export const PARQUET_LICENCE = 'CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)';
/** A last mid at or beyond these bounds is taken as settled; in between the market is reported unresolved. */
export const RESOLVED_MID_LOW = 0.1;
export const RESOLVED_MID_HIGH = 0.9;

export interface ImportParquetOptions {
  /** At most this many Parquet rows are read (default 1,000,000); the cut market is left unresolved. */
  maxRows?: number;
  /** Session id (default `parquet-<first slug>-n<markets>`). */
  id?: string;
  /** Manifest createdAtMs (default: the data's last frame time, so imports are reproducible). */
  createdAtMs?: number;
  /** The inferred `market_resolved` frame comes this long after the market end (default 5,000 ms). */
  resolutionDelayMs?: number;
}

const UINT256_MAX = (1n << 256n) - 1n;

/** The synthetic id of the unrecorded twin of a token: 2^256 − 1 − id (decimal; mirror of itself). */
export function mirrorTokenId(tokenId: string): string {
  return (UINT256_MAX - BigInt(tokenId)).toString();
}

/**
 * Complements already computed: a book's prices repeat from row to row (a few hundred distinct ticks), and each row's
 * mirror complements every level. Bounded: emptied when it grows past COMPLEMENTS_MAX.
 */
const complements = new Map<string, string>();
const COMPLEMENTS_MAX = 10_000;

/** 1 − p for a decimal price string, exactly ("0.01" -> "0.99", "1" -> "0", "0.455" -> "0.545"). */
export function complementPrice(p: string): string {
  let c = complements.get(p);
  if (c === undefined) {
    if (complements.size >= COMPLEMENTS_MAX) complements.clear();
    complements.set(p, (c = exactComplement(p)));
  }
  return c;
}

function exactComplement(p: string): string {
  const [int = '0', frac = ''] = p.split('.');
  const scale = 10n ** BigInt(frac.length);
  const c = (scale - BigInt(int + frac)).toString().padStart(frac.length + 1, '0');
  const head = c.slice(0, c.length - frac.length);
  const tail = c.slice(c.length - frac.length).replace(/0+$/, '');
  return tail ? `${head}.${tail}` : head;
}

const PROB_RE = /^[01](\.[0-9]+)?$/;
const levelsAreProbs = (l: readonly WireLevel[]) => l.every((x) => Number(x.price) <= 1);
const mirrorLevels = (l: readonly WireLevel[]) => l.map((x) => ({ price: complementPrice(x.price), size: x.size }));

/** The recorded book's mirror: the other outcome's book (wire order kept: best level last on both sides). */
export function mirrorBookRaw(row: ParquetBookRow, otherTokenId: string): string {
  const o: Record<string, unknown> = { market: row.market, asset_id: otherTokenId };
  if (row.rawTimestamp !== undefined) o.timestamp = row.rawTimestamp;
  o.bids = mirrorLevels(row.asks);
  o.asks = mirrorLevels(row.bids);
  if (row.tickSize) o.tick_size = row.tickSize;
  o.event_type = 'book';
  if (row.lastTradePrice && PROB_RE.test(row.lastTradePrice) && Number(row.lastTradePrice) <= 1) o.last_trade_price = complementPrice(row.lastTradePrice);
  return JSON.stringify(o);
}

/** Mid of a book: (best bid, 0 without bids) + (best ask, 1 without asks), halved. */
export function bookMid(bids: readonly WireLevel[], asks: readonly WireLevel[]): number {
  let bb = 0;
  let ba = 1;
  for (const l of bids) bb = Math.max(bb, Number(l.price));
  for (const l of asks) ba = Math.min(ba, Number(l.price));
  return (bb + ba) / 2;
}

/**
 * The inference rule: the market's last recorded book (latest receive time, any token) decides. Its mid >= 0.9 ->
 * that token won; <= 0.1 -> the other token won; in between -> undefined (unresolved). Compared in micro units so
 * float noise never moves a boundary.
 */
export function inferWinner(lastTokenId: string, lastMid: number, otherTokenId: string): string | undefined {
  const micro = Math.round(lastMid * 1e6);
  if (micro >= RESOLVED_MID_HIGH * 1e6) return lastTokenId;
  if (micro <= RESOLVED_MID_LOW * 1e6) return otherTokenId;
  return undefined;
}

/** A CLOB market-socket `market_resolved` message (reference §4.2), as `parseMarketFrame` reads it. */
export function marketResolvedRaw(m: Pick<SessionMarket, 'slug' | 'conditionId' | 'upTokenId' | 'downTokenId'>, winnerTokenId: string, tsMs: number): string {
  return JSON.stringify({
    event_type: 'market_resolved',
    id: m.slug,
    market: m.conditionId,
    assets_ids: [m.upTokenId, m.downTokenId],
    winning_asset_id: winnerTokenId,
    winning_outcome: winnerTokenId === m.upTokenId ? 'Up' : 'Down',
    timestamp: String(Math.round(tsMs)),
  });
}

interface SlugAcc {
  frames: RecordedFrame[];
  /** mirrors[i] mirrors frames[i] while the market has a single token (dropped once a second token shows up). */
  mirrors: RecordedFrame[] | undefined;
  tokens: Set<string>;
  conditionId?: string;
  tickSize?: number;
  lastMs: number;
  lastToken: string;
  lastMid: number;
}

export async function importParquetBooks(dir: string, opts: ImportParquetOptions = {}): Promise<SessionSource> {
  const bySlug = new Map<string, SlugAcc>();
  let invalid = 0;
  let firstInvalid: string | undefined;
  const bad = (msg: string) => {
    invalid++;
    firstInvalid ??= msg;
  };
  const scan = await scanBookParquetDir(
    dir,
    (row) => {
      if (row.eventType !== undefined && row.eventType !== 'book') return bad(`raw_data event_type ${row.eventType} is not book`);
      if (!parseSlug(row.slug)) return bad(`slug ${row.slug} is not a BTC Up/Down window slug`);
      if (!levelsAreProbs(row.bids) || !levelsAreProbs(row.asks)) return bad(`${row.slug}: a book price is above 1`);
      let a = bySlug.get(row.slug);
      if (!a) {
        a = { frames: [], mirrors: [], tokens: new Set(), lastMs: -Infinity, lastToken: row.assetId, lastMid: 0.5 };
        bySlug.set(row.slug, a);
      }
      a.frames.push({ source: 'clob-market', tsRecvMs: row.tsRecvMs, raw: row.raw });
      a.tokens.add(row.assetId);
      if (a.tokens.size > 1) a.mirrors = undefined;
      else a.mirrors?.push({ source: 'clob-market', tsRecvMs: row.tsRecvMs, raw: mirrorBookRaw(row, mirrorTokenId(row.assetId)) });
      a.conditionId ??= row.market;
      if (a.tickSize === undefined && row.tickSize !== undefined && Number(row.tickSize) > 0 && Number(row.tickSize) <= 0.1) a.tickSize = Number(row.tickSize);
      if (row.tsRecvMs >= a.lastMs) {
        a.lastMs = row.tsRecvMs;
        a.lastToken = row.assetId;
        a.lastMid = bookMid(row.bids, row.asks);
      }
    },
    opts.maxRows === undefined ? {} : { maxRows: opts.maxRows },
  );
  if (scan.invalid) {
    invalid += scan.invalid;
    firstInvalid = scan.firstError ?? firstInvalid;
  }
  if (bySlug.size === 0) throw new Error(`${dir}: no valid BTC Up/Down Parquet book rows (${scan.files} file(s), ${invalid} bad row(s))`);

  const frames: RecordedFrame[] = [];
  const markets: SessionMarketInput[] = [];
  const mirrored: string[] = [];
  const resolved: string[] = [];
  const unresolved: string[] = [];
  let mirrorFrames = 0;
  const delayMs = opts.resolutionDelayMs ?? 5_000;
  for (const slug of [...bySlug.keys()].sort((x, y) => parseSlug(x)!.startMs - parseSlug(y)!.startMs)) {
    const a = bySlug.get(slug)!;
    const w = parseSlug(slug)!;
    if (!a.conditionId || a.tokens.size > 2) {
      for (let i = 0; i < a.frames.length; i++) bad(`${slug}: ${a.conditionId ? `${a.tokens.size} token ids` : 'no condition id (raw_data.market)'}; market skipped`);
      continue;
    }
    const recorded = [...a.tokens];
    const other = recorded[1] ?? mirrorTokenId(recorded[0]!);
    const [up, down] = BigInt(recorded[0]!) < BigInt(other) ? [recorded[0]!, other] : [other, recorded[0]!];
    const market = {
      slug, kind: w.kind, startMs: w.startMs, endMs: w.endMs, conditionId: a.conditionId,
      upTokenId: up, downTokenId: down, tickSize: a.tickSize ?? 0.01, outcomeMapping: 'assumed' as const,
    };
    markets.push(market);
    if (a.mirrors) {
      mirrored.push(slug);
      // Each mirror right after its recorded book: the stable sort keeps the pair together and in this order.
      for (let i = 0; i < a.frames.length; i++) frames.push(a.frames[i]!, a.mirrors[i]!);
      mirrorFrames += a.mirrors.length;
    } else for (const f of a.frames) frames.push(f);
    const lastOther = a.lastToken === recorded[0] ? other : recorded[0]!;
    const winner = scan.truncatedSlug === slug ? undefined : inferWinner(a.lastToken, a.lastMid, lastOther);
    if (winner === undefined) {
      unresolved.push(`${slug} (last mid ${formatDecimal(a.lastMid)}${scan.truncatedSlug === slug ? ', cut by maxRows' : ''})`);
      continue;
    }
    resolved.push(`${slug} -> ${winner === up ? 'Up' : 'Down'}`);
    const ts = Math.max(w.endMs + delayMs, a.lastMs);
    frames.push({ source: 'clob-market', tsRecvMs: ts, raw: marketResolvedRaw(market, winner, ts) });
  }
  bySlug.clear();
  if (frames.length === 0) throw new Error(`${dir}: no importable market (${invalid} bad row(s); first: ${firstInvalid ?? 'none'})`);

  let startMs = Infinity;
  let endMs = -Infinity;
  for (const f of frames) {
    if (f.tsRecvMs < startMs) startMs = f.tsRecvMs;
    if (f.tsRecvMs > endMs) endMs = f.tsRecvMs;
  }
  const notes = [
    'Outcome mapping assumed: the data does not say which token is Up; by convention the numerically smaller token id is Up (outcomeMapping "assumed").',
    `Resolutions inferred from the last recorded book of each market (any token): its mid (best bid, 0 without bids, plus best ask, 1 without asks, halved) >= ${RESOLVED_MID_HIGH} means that token won, <= ${RESOLVED_MID_LOW} means the other token won, in between the market is unresolved and gets no market_resolved frame; the frame is stamped max(end + ${delayMs / 1000} s, last row). Resolved: ${resolved.join(', ') || 'none'}. Unresolved: ${unresolved.join(', ') || 'none'}.`,
  ];
  if (mirrored.length) {
    notes.push(`One token recorded for ${mirrored.join(', ')}: the other token's book is synthesised as the exact mirror of every recorded book (bid = 1 − ask, ask = 1 − bid, same sizes, same receive and server time, no hash) under the synthetic token id 2^256 − 1 − <recorded id>; ${mirrorFrames} mirror frame(s).`);
  }
  if (scan.truncated) notes.push(`Truncated at maxRows = ${opts.maxRows}: ${scan.truncatedSlug ?? 'the last market'} is incomplete (left unresolved) and later markets were not read.`);
  if (invalid) notes.push(`${invalid} bad row(s) skipped; first: ${firstInvalid}`);
  const firstSlug = markets[0]!.slug;
  const manifest = manifestSchema.parse({
    version: 1,
    id: opts.id ?? `parquet-${firstSlug}-n${markets.length}`,
    format: 'parquet',
    createdAtMs: Math.floor(opts.createdAtMs ?? endMs),
    startMs,
    endMs,
    frames: frames.length,
    bytes: scan.bytes,
    sources: ['clob-market'],
    segments: [],
    markets,
    capabilities: { books: true, reference: false, spot: false, resolutions: 'inferred' },
    attribution: PARQUET_ATTRIBUTION,
    licence: PARQUET_LICENCE,
    notes,
  });
  const src = memorySource(manifest, frames);
  return { manifest: src.manifest, frames: (o) => src.frames(o), invalid: invalid ? { count: invalid, first: firstInvalid } : { count: 0 } };
}
