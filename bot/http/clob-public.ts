/**
 * Public CLOB REST reads the runtime needs (no auth): `/book`, `/clob-markets/{cid}`, `/tick-size`, `/time`.
 * Every response is parsed with the shared protocol schemas; failures are typed results, never throws.
 *
 * Invariants: token ids stay strings; a non-2xx or schema mismatch is `{ ok:false, status, reason }`.
 */
import { createHash } from 'node:crypto';
import { BooksResponse, ClobMarketInfo, HTTP_TIMEOUT_MS, OrderBookSummary, ServerTime, TickSizeResponse, USER_AGENT } from '../protocol';
import type { z } from 'zod';

export type HttpResult<T> = { ok: true; value: T } | { ok: false; status: number; reason: string; retryAfterMs?: number };

export type FetchFn = typeof fetch;

/** Order-book summary hash: sha1 of the JSON text of the summary with `hash` set to "" (key order as received). */
export function summaryHash(summary: Record<string, unknown>): string {
  return createHash('sha1').update(JSON.stringify({ ...summary, hash: '' })).digest('hex');
}

/**
 * GET (or `init`) a JSON resource and parse it with `schema`. Every call carries our User-Agent and a timeout
 * (`timeoutMs`, default HTTP_TIMEOUT_MS): a hung venue becomes `{ ok:false, status:0, reason:'network: timeout…' }`.
 */
export async function getJson<S extends z.ZodTypeAny>(
  fetchFn: FetchFn,
  url: string,
  schema: S,
  init?: RequestInit,
  timeoutMs = HTTP_TIMEOUT_MS,
): Promise<HttpResult<z.infer<S>>> {
  let res: Response;
  let text: string;
  try {
    const headers = new Headers(init?.headers);
    if (!headers.has('user-agent')) headers.set('user-agent', USER_AGENT);
    if (!headers.has('accept')) headers.set('accept', 'application/json');
    res = await fetchFn(url, { ...init, headers, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) });
    text = await res.text();
  } catch (err) {
    const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    // fetch() says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, a TLS error) is in `cause`.
    const cause = e?.cause?.code ?? e?.cause?.message;
    const why = e?.name === 'TimeoutError' || e?.name === 'AbortError' ? `timeout after ${timeoutMs} ms` : `${e?.message ?? String(err)}${cause ? ` (${cause})` : ''}`;
    return { ok: false, status: 0, reason: `network: ${why}` };
  }
  if (!res.ok) {
    const ra = Number(res.headers.get('retry-after'));
    return {
      ok: false,
      status: res.status,
      reason: text.slice(0, 300) || res.statusText,
      ...(Number.isFinite(ra) && ra >= 0 ? { retryAfterMs: ra * 1000 } : {}),
    };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, status: res.status, reason: 'malformed JSON' };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { ok: false, status: res.status, reason: `schema: ${parsed.error.issues[0]?.message ?? '?'}` };
  return { ok: true, value: parsed.data };
}

export class ClobPublicClient {
  constructor(
    private readonly host: string,
    private readonly fetchFn: FetchFn = fetch,
  ) {}

  book(tokenId: string): Promise<HttpResult<OrderBookSummary>> {
    return getJson(this.fetchFn, `${this.host}/book?token_id=${encodeURIComponent(tokenId)}`, OrderBookSummary);
  }

  /** `/book` plus the summary-hash check (sha1 of the JSON with hash "", as clob-client's getOrderBookHash). */
  async bookChecked(tokenId: string): Promise<HttpResult<OrderBookSummary & { hashOk: boolean }>> {
    let raw: Record<string, unknown> | undefined;
    const spy: FetchFn = async (url, init) => {
      const res = await this.fetchFn(url, init);
      const text = await res.text();
      try {
        raw = JSON.parse(text) as Record<string, unknown>;
      } catch {
        raw = undefined;
      }
      return new Response(text, { status: res.status, headers: res.headers });
    };
    const r = await getJson(spy, `${this.host}/book?token_id=${encodeURIComponent(tokenId)}`, OrderBookSummary);
    if (!r.ok) return r;
    return { ok: true, value: { ...r.value, hashOk: raw !== undefined && summaryHash(raw) === r.value.hash } };
  }

  /** `POST /books` for several tokens in one request (quiet-socket checks). */
  books(tokenIds: readonly string[]): Promise<HttpResult<OrderBookSummary[]>> {
    return getJson(this.fetchFn, `${this.host}/books`, BooksResponse, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(tokenIds.map((token_id) => ({ token_id }))),
    });
  }

  clobMarket(conditionId: string): Promise<HttpResult<ClobMarketInfo>> {
    return getJson(this.fetchFn, `${this.host}/clob-markets/${conditionId}`, ClobMarketInfo);
  }

  tickSize(tokenId: string): Promise<HttpResult<z.infer<typeof TickSizeResponse>>> {
    return getJson(this.fetchFn, `${this.host}/tick-size?token_id=${encodeURIComponent(tokenId)}`, TickSizeResponse);
  }

  serverTimeSec(): Promise<HttpResult<number>> {
    return getJson(this.fetchFn, `${this.host}/time`, ServerTime);
  }
}
