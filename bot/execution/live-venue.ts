/**
 * Live Polymarket venue. Orders are built on the prepared path (order-builder: cached tick/fee/keys, fast
 * signer) and posted with one keep-alive HTTP write; clob-client-v2 (ethers v5 Wallet, signature types 0–3,
 * funder) is used for API-key derivation and is available as `sdk` for the plain path. We never call the SDK's
 * postOrder on the hot path: in 1.1.0 it polls /data/trades for up to 30 s after a match.
 *
 * Invariants:
 * - The order id (EIP-712 hash) is known before sending, so the engine journals it first.
 * - 5xx and transport errors are `unknown` (resolve by querying), never retried blindly; 4xx are rejections;
 *   425/429/503 also update VenueStatus and the rate limiter (Retry-After honoured).
 * - Cancels go through the cancel bucket (which drains before orders); batches of <= 1000 ids.
 * - Venue time (`venueClock`: ours plus the measured `GET /time` offset) signs every L2 request and stamps every
 *   order: its `timestamp` and a GTD's `expiration` (the strategy's wanted expiry, moved to the venue clock, plus the
 *   venue's 60 s security threshold).
 * - Every 2xx answer tells VenueStatus the venue is alive (ends a restart); heartbeats report 425/429/503 like orders.
 */
import { Wallet } from '@ethersproject/wallet';
import { ClobClient } from '@polymarket/clob-client-v2';
import { z } from 'zod';
import type { Clock } from '../clock';
import { BalanceAllowance, CancelResponse, END_CURSOR, INITIAL_CURSOR, OpenOrder, OpenOrdersPage, ORDER_TYPE, PostOrderResponse, TradesPage } from '../protocol';
import { restOrderToVenue, tradeToFills, type Ownership } from './user-normalize';
import type { ApiCredentials } from '../core/connection';
import { isBalanceRefusal } from './balance-guard';
import { ClobHttp, retryAfter } from './clob-http';
import { L2Signer } from './hmac';
import { OrderBodyBuilder } from './order-builder';
import type { SignatureType } from './order-signer';
import type { RateLimiter } from './rate-limiter';
import type { CancelOutcome, PlaceOutcome, PlaceRequest, VenueFill, VenueListener, VenueOrder } from '../core/orders';
import type { PreparedOrder, Venue } from './venue';
import { VenueRequestError } from './venue';
import type { VenueStatus } from './venue-status';

export interface LiveVenueOptions {
  host: string;
  clock: Clock;
  privateKey: string;
  signatureType: SignatureType;
  funder?: string;
  chainId?: number;
  creds: ApiCredentials;
  /** The venue clock (default: `clock`). */
  venueClock?: Clock;
  limiter: RateLimiter;
  status: VenueStatus;
  /** Is this venue order id one of ours (journal)? Used to pick our maker fills from trades. */
  isOurOrder: (orderId: string) => boolean;
  maxPages?: number;
  requestTimeoutMs?: number;
}

/** Derive (or create) API credentials with clob-client-v2 (L1 auth, EIP-712 ClobAuth). */
export async function deriveApiCreds(host: string, privateKey: string, chainId = 137): Promise<ApiCredentials> {
  const client = new ClobClient({ host, chain: chainId, signer: new Wallet(privateKey) as never, throwOnError: true });
  const c = await client.createOrDeriveApiKey();
  return { key: c.key, secret: c.secret, passphrase: c.passphrase };
}

const MaybeOrder = z.union([OpenOrder, z.null(), z.object({}).strict(), z.literal('')]);

export class LiveVenue implements Venue {
  readonly reportsSent = true;
  readonly kind = 'live' as const;
  readonly http: ClobHttp;
  readonly builder: OrderBodyBuilder;
  readonly sdk: ClobClient;
  readonly ownership: Ownership;
  private readonly venueClock: Clock;
  private listener: VenueListener | undefined;
  private saltSeq: number;
  /** balanceRefusals: "not enough balance / allowance"; unknownValues: order statuses/types the venue sent that we do not know (kept raw). */
  readonly stats = { balanceRefusals: 0, unknownValues: 0 };

  constructor(private readonly o: LiveVenueOptions) {
    this.builder = new OrderBodyBuilder({ privateKey: o.privateKey, signatureType: o.signatureType, ...(o.funder ? { funder: o.funder } : {}), chainId: o.chainId ?? 137, apiKey: o.creds.key });
    this.venueClock = o.venueClock ?? o.clock;
    this.http = new ClobHttp(o.host, this.venueClock, new L2Signer(o.creds, this.builder.eoa), o.requestTimeoutMs ?? 10_000);
    this.sdk = new ClobClient({
      host: o.host,
      chain: o.chainId ?? 137,
      signer: new Wallet(o.privateKey) as never,
      creds: o.creds,
      signatureType: o.signatureType,
      ...(o.funder ? { funderAddress: o.funder } : {}),
      throwOnError: true,
    });
    this.ownership = { apiKey: o.creds.key, isOurOrder: o.isOurOrder };
    this.saltSeq = (o.clock.nowMs() * 1024) % 2 ** 52;
  }

  setListener(l: VenueListener): void {
    this.listener = l;
  }

  close(): void {
    this.http.close();
  }

  /** API credentials changed (re-derived after a 401): sign and own orders with the new ones. */
  setCredentials(creds: ApiCredentials): void {
    this.http.setSigner(new L2Signer(creds, this.builder.eoa));
    this.builder.setApiKey(creds.key);
    this.ownership.apiKey = creds.key;
  }

  /** The request in venue time: a GTD's wanted expiry moved by the venue clock's offset. */
  private inVenueTime(req: PlaceRequest, venueNowMs: number): PlaceRequest {
    if (req.expiresMs === undefined) return req;
    return { ...req, expiresMs: req.expiresMs + (venueNowMs - this.o.clock.nowMs()) };
  }

  prepare(req: PlaceRequest, clientId: string, salt: number): PreparedOrder {
    const now = this.venueClock.nowMs();
    const vreq = this.inVenueTime(req, now);
    const b = this.builder.take(vreq, now) ?? this.builder.build(vreq, salt, now);
    return { clientId, orderId: b.orderId, salt: b.salt, request: req, body: b.body };
  }

  /**
   * Pre-sign a standing intent (e.g. a FOK the strategy may fire) at candidate prices, off the hot path.
   * Each pre-signed order is used at most once; salts come from a counter seeded by the clock.
   */
  presign(req: PlaceRequest, prices: readonly number[]): number {
    const now = this.venueClock.nowMs();
    return this.builder.presign(this.inVenueTime(req, now), prices, () => (this.saltSeq = (this.saltSeq + 1) % 2 ** 52), now);
  }

  async send(p: PreparedOrder, onSent?: () => void): Promise<PlaceOutcome> {
    let r;
    try {
      r = await this.http.request('POST', '/order', p.body, { ...(onSent ? { onSent } : {}) });
    } catch (err) {
      return { kind: 'unknown', orderId: p.orderId, reason: `transport: ${err instanceof Error ? err.message : String(err)}` };
    }
    if (r.status >= 500 && r.status !== 503) return { kind: 'unknown', orderId: p.orderId, reason: `HTTP ${r.status}: ${r.text.slice(0, 200)}` };
    if (r.status < 200 || r.status >= 300) {
      const ra = retryAfter(r).retryAfterMs;
      const st = this.o.status.onError({ status: r.status, body: r.text, ...(ra !== undefined ? { retryAfterMs: ra } : {}) });
      if (r.status === 429) this.o.limiter.pause('order', ra ?? 1000);
      if (r.headers['poly-ratelimit-warning'] === 'true') this.o.limiter.setWarning(true);
      const text = errorText(r.text);
      this.noteRefusal(text);
      return { kind: 'rejected', orderId: p.orderId, reason: `${st ? st + ': ' : ''}${text}`, ...(ra !== undefined ? { retryAfterMs: ra } : {}) };
    }
    this.o.status.onSuccess();
    const parsed = PostOrderResponse.safeParse(safeJson(r.text));
    if (!parsed.success) return { kind: 'unknown', orderId: p.orderId, reason: 'unparseable order response' };
    const v = parsed.data;
    if (!v.success || v.errorMsg) {
      this.noteRefusal(v.errorMsg);
      return { kind: 'rejected', orderId: p.orderId, reason: v.errorMsg || 'rejected' };
    }
    return { kind: 'accepted', orderId: v.orderID || p.orderId, status: postStatus(v.status), tradeIds: v.tradeIDs ?? [] };
  }

  /** Count "not enough balance / allowance" refusals (the engine refreshes and retries once: balance-guard.ts). */
  private noteRefusal(text: string): void {
    if (isBalanceRefusal(text)) this.stats.balanceRefusals++;
  }

  /**
   * `/balance-allowance/update` (reference §2.5) for what this order draws on – pUSD for a BUY, the outcome token for
   * a SELL – so the CLOB re-reads our balance and approvals; returns the confirmed balance (USD or shares). The
   * update's answer is used when it carries the balance, otherwise the balance is read once.
   */
  async refreshBalance(req: PlaceRequest): Promise<number | undefined> {
    const asset = req.side === 'BUY' ? 'asset_type=COLLATERAL' : `asset_type=${req.market.version === 'v2' ? 'CONDITIONAL-V2' : 'CONDITIONAL'}&token_id=${req.market.tokenId}`;
    const q = `?${asset}&signature_type=${this.o.signatureType}`;
    const upd = await this.http.request('GET', `/balance-allowance/update${q}`);
    let parsed = upd.status >= 200 && upd.status < 300 ? BalanceAllowance.safeParse(safeJson(upd.text)) : undefined;
    if (!parsed?.success) {
      const r = await this.http.json('GET', `/balance-allowance${q}`, BalanceAllowance);
      if (!r.ok) return undefined;
      parsed = { success: true, data: r.value };
    }
    const micro = Number(parsed.data.balance);
    return Number.isFinite(micro) ? micro / 1e6 : undefined;
  }

  async cancel(orderIds: readonly string[]): Promise<CancelOutcome> {
    const out: CancelOutcome = { canceled: [], notCanceled: {} };
    for (let i = 0; i < orderIds.length; i += 1000) {
      const chunk = orderIds.slice(i, i + 1000);
      await this.o.limiter.acquire('cancel', chunk.length);
      const r = await this.http.json('DELETE', '/orders', CancelResponse, JSON.stringify(chunk));
      if (!r.ok) {
        if (r.status === 429) this.o.limiter.pause('cancel', r.retryAfterMs ?? 1000);
        throw new VenueRequestError(`cancel failed: HTTP ${r.status} ${r.body}`, r.status, r.retryAfterMs);
      }
      out.canceled.push(...r.value.canceled);
      Object.assign(out.notCanceled, r.value.not_canceled);
    }
    return out;
  }

  async cancelAll(): Promise<CancelOutcome> {
    await this.o.limiter.acquire('cancel', 1);
    const r = await this.http.json('DELETE', '/cancel-all', CancelResponse);
    if (!r.ok) throw new VenueRequestError(`cancel-all failed: HTTP ${r.status} ${r.body}`, r.status, r.retryAfterMs);
    return { canceled: r.value.canceled, notCanceled: r.value.not_canceled };
  }

  async getOrder(orderId: string): Promise<VenueOrder | undefined> {
    const r = await this.http.json('GET', `/data/order/${orderId}`, MaybeOrder);
    if (!r.ok) {
      if (r.status === 404) return undefined;
      throw new VenueRequestError(`getOrder failed: HTTP ${r.status} ${r.body}`, r.status);
    }
    const v = r.value;
    const one = OpenOrder.safeParse(v);
    return one.success ? this.fromRest(one.data) : undefined;
  }

  /** Our pUSD (collateral) balance at the venue in USD; undefined when the venue does not answer with one. */
  async collateralUsd(): Promise<number | undefined> {
    const r = await this.http.json('GET', `/balance-allowance?asset_type=COLLATERAL&signature_type=${this.o.signatureType}`, BalanceAllowance);
    if (!r.ok) return undefined;
    const micro = Number(r.value.balance);
    return Number.isFinite(micro) ? micro / 1e6 : undefined;
  }

  async openOrders(): Promise<VenueOrder[]> {
    const out: VenueOrder[] = [];
    let cursor = INITIAL_CURSOR;
    for (let page = 0; page < (this.o.maxPages ?? 50) && cursor !== END_CURSOR; page++) {
      const r = await this.http.json('GET', `/data/orders?next_cursor=${encodeURIComponent(cursor)}`, OpenOrdersPage);
      if (!r.ok) throw new VenueRequestError(`open orders failed: HTTP ${r.status} ${r.body}`, r.status);
      out.push(...r.value.data.map((o) => this.fromRest(o)));
      cursor = r.value.next_cursor;
    }
    if (cursor !== END_CURSOR) throw new VenueRequestError('open orders: too many pages (incomplete snapshot)', 0);
    return out;
  }

  async fills(afterMs?: number): Promise<VenueFill[]> {
    const out: VenueFill[] = [];
    let cursor = INITIAL_CURSOR;
    const after = afterMs !== undefined ? `&after=${Math.floor(afterMs / 1000)}` : '';
    for (let page = 0; page < (this.o.maxPages ?? 50) && cursor !== END_CURSOR; page++) {
      const r = await this.http.json('GET', `/data/trades?next_cursor=${encodeURIComponent(cursor)}${after}`, TradesPage);
      if (!r.ok) throw new VenueRequestError(`trades failed: HTTP ${r.status} ${r.body}`, r.status);
      for (const t of r.value.data) out.push(...tradeToFills(t, this.ownership));
      cursor = r.value.next_cursor;
    }
    if (cursor !== END_CURSOR) throw new VenueRequestError('trades: too many pages (incomplete snapshot)', 0);
    return out;
  }

  /** A REST order; a status or type we do not know is counted (the order is kept, its raw status too). */
  private fromRest(o: OpenOrder): VenueOrder {
    const v = restOrderToVenue(o);
    if (v.status === 'UNKNOWN' || (o.order_type && !ORDER_TYPE.known(o.order_type))) this.stats.unknownValues++;
    return v;
  }

  /** POST /v1/heartbeats; returns the next heartbeat id. */
  async heartbeat(id: string): Promise<{ ok: true; id: string } | { ok: false; expectedId?: string; reason: string; status?: number }> {
    const r = await this.http.request('POST', '/v1/heartbeats', JSON.stringify({ heartbeat_id: id }));
    const body = safeJson(r.text) as { heartbeat_id?: unknown; error?: unknown; error_msg?: unknown } | undefined;
    if (r.status === 200 && typeof body?.heartbeat_id === 'string') {
      this.o.status.onAlive();
      return { ok: true, id: body.heartbeat_id };
    }
    if (r.status === 425 || r.status === 429 || r.status === 503) {
      const ra = retryAfter(r).retryAfterMs;
      this.o.status.onError({ status: r.status, body: r.text, ...(ra !== undefined ? { retryAfterMs: ra } : {}) });
    }
    return {
      ok: false,
      status: r.status,
      ...(typeof body?.heartbeat_id === 'string' ? { expectedId: body.heartbeat_id } : {}),
      reason: `HTTP ${r.status} ${String(body?.error ?? body?.error_msg ?? '')}`,
    };
  }

  /** Deliver venue reports (user feed) to the tracker. */
  emitOrder(o: VenueOrder): void {
    this.listener?.onOrder(o);
  }
  emitFill(f: VenueFill): void {
    this.listener?.onFill(f);
  }
}

/**
 * The post answer's status. "" (older answers) is a resting order; a status we do not know is treated as
 * `delayed` – pending, resolved through the user feed or a query – never as filled.
 */
function postStatus(s: string): 'live' | 'matched' | 'delayed' | 'unmatched' {
  if (s === '' || s === 'live') return 'live';
  if (s === 'matched' || s === 'delayed' || s === 'unmatched') return s;
  return 'delayed';
}

function safeJson(t: string): unknown {
  try {
    return JSON.parse(t);
  } catch {
    return undefined;
  }
}

function errorText(t: string): string {
  const j = safeJson(t) as { error?: unknown; errorMsg?: unknown } | undefined;
  return String(j?.error ?? j?.errorMsg ?? t).slice(0, 300);
}
