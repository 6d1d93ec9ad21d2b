/**
 * Importer: the seed-001 replay format of the Python "hammer" bot (swingingdevs/PolymarketBot,
 * src/strategy/parameter_eval.py) -> a SessionSource of real wire frames.
 *
 * Input: a CSV with the header `ts,event,price,token_id,bid,ask` (ts = Unix seconds, float; event `price` -> a
 * reference price; event `book` -> the top of book of `token_id`; blanks allowed; rows possibly unsorted) and a
 * markets JSON array of `{slug, start_epoch, end_epoch, up_token_id, down_token_id, horizon_minutes}`.
 * Output, in ts order (stable, as Python's sort):
 * - `price` -> a PolyBolt `price.crypto` btcusd data frame (no `price.crypto.twap` frames: without a TWAP series the
 *   ReferenceStore takes TWAP60 as the mean of the live reference over (t − 60 s, t], which gives the price to beat;
 *   the hammer's σ reads the live history);
 * - `book` -> a CLOB `book` message with one bid and one ask level of `depthShares` (the CSV has no sizes) and a
 *   strictly increasing server timestamp (never below the row's time);
 * - per market, an inferred `market_resolved` at end + `resolutionDelayMs`: Up iff TWAP60(end) >= TWAP60(start)
 *   (ties Up; protocol reference §7.1, bot/sim/model.ts), TWAP60 computed exactly as the ReferenceStore does
 *   (one sample per second, the last in each second). A market is resolved only when prices cover its end.
 *
 * Invariants: the CSV is streamed (64 KiB chunks, one line at a time, a line over 1 MiB is an error) into compact
 * numeric columns; frames are generated lazily per chunk, so memory is a few numbers per row. Bad rows are counted
 * and skipped (first error kept, with its line number); a missing header column or an unreadable / invalid markets
 * JSON throws an Error naming the file and the problem. Deterministic: createdAtMs defaults to the data's end.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import { issueText, tokenId } from '../protocol/common';
import { marketResolvedRaw } from './import-parquet';
import { manifestSchema, type RecordedFrame, type SessionMarket, type SessionSource } from './session';

export const SEED001_COLUMNS = ['ts', 'event', 'price', 'token_id', 'bid', 'ask'] as const;
/** The importer's output version: part of an import cache key (bump it when the frames a CSV gives change). */
export const SEED001_IMPORT_VERSION = 1;

export interface ImportSeed001Options {
  /** Size (shares) of the single bid and ask level of every book frame (default 1,000). */
  depthShares?: number;
  /** Session id (default `seed001-<csv file name>`). */
  id?: string;
  /** Manifest createdAtMs (default: the data's last frame time). */
  createdAtMs?: number;
  /** The inferred `market_resolved` frame comes this long after the market end (default 5,000 ms). */
  resolutionDelayMs?: number;
}

const MarketRow = z.object({
  slug: z.string().min(1),
  start_epoch: z.number().int().nonnegative(),
  end_epoch: z.number().int().positive(),
  up_token_id: tokenId,
  down_token_id: tokenId,
  horizon_minutes: z.union([z.literal(5), z.literal(15)]),
});
const MarketsFile = z.array(MarketRow).min(1, 'expected at least one market');

const MAX_LINE = 1 << 20;
const PRICE = 0;
const BOOK = 1;

/** Columns of the valid rows, in file order. Blank bid/ask are NaN. */
interface Rows {
  ts: number[];
  kind: number[];
  price: number[];
  token: number[];
  bid: number[];
  ask: number[];
}

function pushRow(r: Rows, ts: number, kind: number, price: number, token: number, bid: number, ask: number): void {
  r.ts.push(ts);
  r.kind.push(kind);
  r.price.push(price);
  r.token.push(token);
  r.bid.push(bid);
  r.ask.push(ask);
}

/** A finite number as a canonical decimal string (no exponent). */
function decimalText(n: number): string {
  const s = String(n);
  if (s.indexOf('e') < 0) return s;
  return n.toFixed(12).replace(/0+$/, '').replace(/\.$/, '');
}

function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

async function readMarkets(path: string): Promise<SessionMarket[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new Error(`${path}: cannot read the markets JSON (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: the markets file is not valid JSON (${(e as Error).message})`);
  }
  const r = MarketsFile.safeParse(json);
  if (!r.success) throw new Error(`${path}: not a seed-001 markets array: ${issueText(r.error)}`);
  return r.data.map((m, i) => {
    if (m.end_epoch <= m.start_epoch) throw new Error(`${path}: market ${i} (${m.slug}) ends before it starts`);
    return {
      slug: m.slug, kind: m.horizon_minutes === 5 ? '5m' : '15m', startMs: m.start_epoch * 1000, endMs: m.end_epoch * 1000, eventId: '',
      conditionId: `0x${createHash('sha256').update(`seed001:${m.slug}`).digest('hex')}`, upTokenId: m.up_token_id, downTokenId: m.down_token_id,
      tickSize: 0.01, minOrderSize: 5, negRisk: false, version: 'v2', fees: { rate: 0.07, exponent: 1, takerOnly: true }, outcomeMapping: 'venue',
    } satisfies SessionMarket;
  });
}

/** Stream the CSV into columns; bad rows counted. Throws on an unreadable file or a header without the columns. */
async function readRows(path: string, tokenIndex: ReadonlyMap<string, number>): Promise<{ rows: Rows; invalid: number; first?: string }> {
  const rows: Rows = { ts: [], kind: [], price: [], token: [], bid: [], ask: [] };
  let invalid = 0;
  let first: string | undefined;
  let col: number[] | undefined;
  let lineNo = 0;
  const bad = (msg: string) => {
    invalid++;
    first ??= `line ${lineNo}: ${msg}`;
  };
  const show = (s: string | undefined) => JSON.stringify((s ?? '').slice(0, 40));
  const num = (s: string | undefined): number | undefined => {
    const t = s?.trim();
    if (!t) return undefined;
    const n = Number(t);
    return Number.isFinite(n) ? n : NaN;
  };
  const onLine = (raw: string) => {
    lineNo++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    const f = splitCsvLine(line);
    if (!col) {
      const names = f.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h).trim());
      const missing = SEED001_COLUMNS.filter((c) => !names.includes(c));
      if (missing.length) throw new Error(`${path}: the CSV header lacks column(s) ${missing.join(', ')} (expected ${SEED001_COLUMNS.join(',')}; got "${line.slice(0, 200)}")`);
      col = SEED001_COLUMNS.map((c) => names.indexOf(c));
      return;
    }
    const ts = num(f[col[0]!]);
    if (ts === undefined || Number.isNaN(ts) || ts < 0) return bad(`ts ${show(f[col[0]!])} is not a Unix time`);
    const event = (f[col[1]!] ?? '').trim().toLowerCase();
    if (event === 'price') {
      const p = num(f[col[2]!]);
      if (p === undefined || Number.isNaN(p) || p <= 0) return bad(`price ${show(f[col[2]!])} is not a positive number`);
      return pushRow(rows, ts, PRICE, p, -1, NaN, NaN);
    }
    if (event !== 'book') return bad(`unknown event ${show(event)}`);
    const tok = tokenIndex.get((f[col[3]!] ?? '').trim());
    if (tok === undefined) return bad(`token_id ${show(f[col[3]!])} is not in the markets JSON`);
    const bid = num(f[col[4]!]);
    const ask = num(f[col[5]!]);
    for (const [name, v] of [['bid', bid], ['ask', ask]] as const) {
      if (v !== undefined && (Number.isNaN(v) || v < 0 || v > 1)) return bad(`${name} ${show(f[col[name === 'bid' ? 4 : 5]!])} is not a price in [0, 1]`);
    }
    if (bid !== undefined && ask !== undefined && bid > ask) return bad(`bid ${bid} > ask ${ask}`);
    pushRow(rows, ts, BOOK, NaN, tok, bid ?? NaN, ask ?? NaN);
  };
  let rest = '';
  try {
    for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 16 })) {
      const text = rest + (chunk as string);
      let from = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
        onLine(text.slice(from, nl));
        from = nl + 1;
      }
      rest = text.slice(from);
      if (rest.length > MAX_LINE) throw new Error(`${path}: line ${lineNo + 1} is longer than ${MAX_LINE} characters`);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw code ? new Error(`${path}: cannot read the CSV (${code})`) : e;
  }
  if (rest.length) onLine(rest);
  if (!col) throw new Error(`${path}: empty file, expected the CSV header ${SEED001_COLUMNS.join(',')}`);
  return { rows, invalid, ...(first ? { first } : {}) };
}

/** TWAP60 at tMs from per-second samples (ascending): the mean over (tMs − 60 s, tMs], as ReferenceStore.twapAt. */
function twap60(secTs: readonly number[], secPx: readonly number[], tMs: number): number | undefined {
  let lo = 0;
  let hi = secTs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (secTs[mid]! > tMs - 60_000) hi = mid;
    else lo = mid + 1;
  }
  let n = 0;
  let sum = 0;
  for (let i = lo; i < secTs.length && secTs[i]! <= tMs; i++) {
    n++;
    sum += secPx[i]!;
  }
  return n ? sum / n : undefined;
}

export async function importSeed001Csv(csvPath: string, marketsJsonPath: string, opts: ImportSeed001Options = {}): Promise<SessionSource> {
  const depthShares = opts.depthShares ?? 1000;
  if (!(Number.isFinite(depthShares) && depthShares > 0)) throw new RangeError(`depthShares must be a positive number (got ${depthShares})`);
  const markets = await readMarkets(marketsJsonPath);
  const tokens: string[] = [];
  const tokenIndex = new Map<string, number>();
  const tokenMarket: SessionMarket[] = [];
  for (const m of markets) {
    for (const t of [m.upTokenId, m.downTokenId]) {
      if (tokenIndex.has(t)) throw new Error(`${marketsJsonPath}: token id ${t} appears twice (${m.slug})`);
      tokenIndex.set(t, tokens.length);
      tokens.push(t);
      tokenMarket.push(m);
    }
  }
  const { rows, invalid, first } = await readRows(csvPath, tokenIndex);
  const n = rows.ts.length;
  if (n === 0) throw new Error(`${csvPath}: no valid rows (${invalid} bad; first: ${first ?? 'none'})`);
  const order = new Uint32Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    order[i] = i;
    if (i > 0 && rows.ts[i]! < rows.ts[i - 1]!) sorted = false;
  }
  if (!sorted) order.sort((a, b) => rows.ts[a]! - rows.ts[b]! || a - b);

  // The reference as the ReferenceStore keeps it: one sample per second, the last one in each second.
  const secTs: number[] = [];
  const secPx: number[] = [];
  let priceRows = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (rows.kind[i] !== PRICE) continue;
    priceRows++;
    const t = Math.round(rows.ts[i]! * 1000);
    const last = secTs.length - 1;
    if (last >= 0 && Math.floor(secTs[last]! / 1000) === Math.floor(t / 1000)) {
      secTs[last] = t;
      secPx[last] = rows.price[i]!;
    } else {
      secTs.push(t);
      secPx.push(rows.price[i]!);
    }
  }
  const delayMs = opts.resolutionDelayMs ?? 5_000;
  const resolutions: RecordedFrame[] = [];
  const unresolved: string[] = [];
  let ups = 0;
  for (const m of markets) {
    const start = twap60(secTs, secPx, m.startMs);
    const end = twap60(secTs, secPx, m.endMs);
    if (start === undefined || end === undefined || secTs[secTs.length - 1]! < m.endMs) {
      unresolved.push(m.slug);
      continue;
    }
    if (end >= start) ups++;
    const ts = m.endMs + delayMs;
    resolutions.push({ source: 'clob-market', tsRecvMs: ts, raw: marketResolvedRaw(m, end >= start ? m.upTokenId : m.downTokenId, ts) });
  }
  resolutions.sort((a, b) => a.tsRecvMs - b.tsRecvMs);

  const depth = decimalText(depthShares);
  const startMs = Math.min(Math.round(rows.ts[order[0]!]! * 1000), resolutions[0]?.tsRecvMs ?? Infinity);
  const endMs = Math.max(Math.round(rows.ts[order[n - 1]!]! * 1000), resolutions[resolutions.length - 1]?.tsRecvMs ?? -Infinity);
  const size = (await stat(csvPath)).size;
  const shown = unresolved.slice(0, 10).join(', ') + (unresolved.length > 10 ? `, … (${unresolved.length - 10} more)` : '');
  const manifest = manifestSchema.parse({
    version: 1,
    id: opts.id ?? `seed001-${basename(csvPath).replace(/\.csv$/i, '').replace(/[^A-Za-z0-9._-]/g, '-')}`.slice(0, 120),
    format: 'seed001-csv',
    createdAtMs: Math.floor(opts.createdAtMs ?? endMs),
    startMs,
    endMs,
    frames: n + resolutions.length,
    bytes: size,
    sources: [...(n > priceRows || resolutions.length ? ['clob-market' as const] : []), ...(priceRows ? ['polybolt' as const] : [])],
    segments: [],
    markets,
    capabilities: { books: n > priceRows, reference: priceRows > 0, spot: false, resolutions: resolutions.length ? 'inferred' : 'none' },
    notes: [
      `Converted from a seed-001 replay CSV (${basename(csvPath)}): price rows -> PolyBolt price.crypto btcusd frames (no price.crypto.twap frames: the reference store then takes TWAP60 as the mean of the live reference over the last 60 s); book rows -> CLOB book frames with one bid and one ask level of ${depth} shares (the CSV has no sizes) and strictly increasing server timestamps.`,
      'Condition ids are synthetic (0x + sha256("seed001:" + slug)); the Up/Down token ids come from the markets JSON.',
      `Resolutions inferred with the venue rule: Up iff TWAP60(end) >= TWAP60(start) (ties Up), TWAP60(t) = mean of the reference in (t − 60 s, t], one sample per second (the last in each second); a market is resolved only when the prices cover its end; market_resolved comes at end + ${delayMs / 1000} s. Resolved ${resolutions.length} (Up ${ups}, Down ${resolutions.length - ups}); unresolved ${unresolved.length}${unresolved.length ? `: ${shown}` : ''}.`,
    ],
  });

  const cid = tokenMarket.map((m) => m.conditionId);
  /**
   * Rows in ts order as wire frames, the resolutions merged in (after the data of the same ms), a chunk at a time:
   * a cursor over the rows (no generator step or temporary array per frame: this runs for every row of every sweep
   * point).
   */
  function cursor() {
    let seq = 0;
    let serverTs = -1;
    let r = 0;
    let k = 0;
    return (chunkSize: number): RecordedFrame[] => {
      const out: RecordedFrame[] = [];
      while (out.length < chunkSize && k < n) {
        const i = order[k]!;
        const t = Math.round(rows.ts[i]! * 1000);
        if (r < resolutions.length && resolutions[r]!.tsRecvMs < t) {
          out.push(resolutions[r++]!);
          continue;
        }
        k++;
        if (rows.kind[i] === PRICE) {
          const v = decimalText(rows.price[i]!);
          out.push({ source: 'polybolt', tsRecvMs: t, raw: `{"v":1,"channel":"price.crypto","seq":${seq++},"ts":${t},"payload":{"symbol":"btcusd","value":${v},"full_accuracy_value":"${v}","timestamp":${t}}}` });
          continue;
        }
        serverTs = Math.max(t, serverTs + 1);
        const b = rows.bid[i]!;
        const a = rows.ask[i]!;
        const tok = rows.token[i]!;
        const bids = Number.isNaN(b) ? '' : `{"price":"${decimalText(b)}","size":"${depth}"}`;
        const asks = Number.isNaN(a) ? '' : `{"price":"${decimalText(a)}","size":"${depth}"}`;
        out.push({ source: 'clob-market', tsRecvMs: t, raw: `{"event_type":"book","asset_id":"${tokens[tok]}","market":"${cid[tok]}","bids":[${bids}],"asks":[${asks}],"timestamp":"${serverTs}","tick_size":"0.01"}` });
      }
      while (out.length < chunkSize && k >= n && r < resolutions.length) out.push(resolutions[r++]!);
      return out;
    };
  }
  return {
    manifest,
    invalid: invalid ? { count: invalid, ...(first ? { first } : {}) } : { count: 0 },
    async *frames(o) {
      const chunkSize = Math.max(1, o?.chunkSize ?? 4096);
      const next = cursor();
      for (let chunk = next(chunkSize); chunk.length > 0; chunk = next(chunkSize)) yield chunk;
    },
  };
}
