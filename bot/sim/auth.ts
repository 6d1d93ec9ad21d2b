/**
 * CLOB authentication for the simulator (reference §2.2): L1 EIP-712 `ClobAuth` signatures for API-key
 * creation/derivation, and L2 HMAC-SHA256 request signatures for every trading endpoint.
 *
 * Invariants:
 * - Credentials are a deterministic function of (seed, address, nonce); create and derive return the same triple.
 * - Like the venue (reference §9.9): creating a key that already exists answers 400 "Could not create api key",
 *   and deriving a key that was never created answers 400 "Could not derive api key!" (`strictKeys`, on in the
 *   real dialect).
 * - L2: message = timestamp + METHOD + path (no query) + raw body; signature compared in url-safe base64.
 * - Key state (control API): `expired` answers every L2 request 401 until the wallet's next L1 create or derive,
 *   which restores the same credentials (what real keys do after an unannounced server-side expiry); `revoked`
 *   answers 401 until set `active` again. The sockets refuse a key that is not active too.
 * - L2 timestamp window (control API, off by default because the official SDKs sign with the host clock, not the
 *   simulated one): a POLY_TIMESTAMP further than `l2MaxSkewSec` from the venue clock (`GET /time`) answers 401,
 *   like the venue's undocumented validity window (about a minute, as reported by its users).
 * - Every L1 and L2 request is logged (bounded: the last 10,000 of each), for tests that count what reached the venue.
 * - At most 10,000 keys are held.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { recoverTypedDataAddress } from 'viem';
import type { SimIds } from './ids';

export const CLOB_AUTH_MESSAGE = 'This message attests that I control the given wallet';

export interface KeyRecord {
  apiKey: string;
  secret: string;
  passphrase: string;
  address: string;
}

export type KeyState = 'active' | 'expired' | 'revoked';

/** Why an L2 request was refused (the venue answers all of them with the same 401 text). */
export type L2Refusal = 'no key' | 'unknown key' | 'key expired' | 'key revoked' | 'bad headers' | 'bad address' | 'bad signature' | 'timestamp skew';

/** One L2 request as the venue saw it (no secret: the API key id only). */
export interface L2Entry {
  /** Venue clock (the `GET /time` clock) when it arrived. */
  atMs: number;
  method: string;
  path: string;
  apiKey?: string;
  /** POLY_TIMESTAMP (seconds) as sent. */
  tsSec?: number;
  ok: boolean;
  refusal?: L2Refusal;
  /** `POST /order` / `POST /orders`: each order's type and post-only flag, as posted. */
  orders?: { orderType: string; postOnly: boolean }[];
}

/** One L1 request (API-key create or derive). */
export interface L1Entry {
  atMs: number;
  how: 'create' | 'derive';
  address?: string;
  ok: boolean;
  status: 200 | 400 | 401;
}

const MAX_LOG = 10_000;
const AUTH_OF = new WeakMap<object, AuthStore>();

/** Make a simulator's AuthStore reachable from its model (the control API only receives the model). */
export function attachAuth(model: object, auth: AuthStore): void {
  AUTH_OF.set(model, auth);
}
export function authOf(model: object): AuthStore | undefined {
  return AUTH_OF.get(model);
}

const h = (headers: IncomingMessage['headers'], name: string): string | undefined => {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

export function hmacSignature(secret: string, message: string): string {
  const key = Buffer.from(secret.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return createHmac('sha256', key).update(message).digest('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

export type KeyResult = { ok: true; rec: KeyRecord } | { ok: false; status: 400 | 401; error: string };

function postedOrders(path: string, rawBody: string): L2Entry['orders'] {
  if (path !== '/order' && path !== '/orders') return undefined;
  try {
    const b = JSON.parse(rawBody) as unknown;
    const list = (Array.isArray(b) ? b : [b]).slice(0, 15) as { orderType?: unknown; postOnly?: unknown }[];
    return list.map((o) => ({ orderType: typeof o?.orderType === 'string' ? o.orderType : 'GTC', postOnly: o?.postOnly === true }));
  } catch {
    return [];
  }
}

export class AuthStore {
  private readonly keys = new Map<string, KeyRecord>();
  /** (address|nonce) pairs whose key was created (bounded like `keys`). */
  private readonly created = new Set<string>();
  /** apiKey -> state; absent = active. */
  private readonly states = new Map<string, KeyState>();
  private readonly l2Log: L2Entry[] = [];
  private readonly l1Log: L1Entry[] = [];
  /** The venue clock (ms); bound by the CLOB server to the model clock plus the `/time` offset. */
  private venueNowMs: () => number = () => 0;
  /** L2 timestamp window in seconds; undefined = not checked (default). */
  l2MaxSkewSec: number | undefined;

  constructor(
    private readonly ids: SimIds,
    private readonly chainId = 137,
  ) {}

  bindClock(venueNowMs: () => number): void {
    this.venueNowMs = venueNowMs;
  }

  /** Set the state of the key of (address, nonce); returns its API key id. */
  setKeyState(address: string, nonce: string, state: KeyState): string {
    const apiKey = this.ids.apiCreds(address, nonce).apiKey;
    if (state === 'active') this.states.delete(apiKey);
    else this.states.set(apiKey, state);
    if (this.states.size > 10_000) this.states.delete(this.states.keys().next().value!);
    return apiKey;
  }

  keyState(apiKey: string): KeyState {
    return this.states.get(apiKey) ?? 'active';
  }

  /** L2 requests seen (newest last), optionally only `METHOD /path`. */
  l2Requests(route?: string): L2Entry[] {
    return route ? this.l2Log.filter((e) => `${e.method} ${e.path}` === route) : [...this.l2Log];
  }

  /** L1 requests seen (API-key create / derive), newest last. */
  l1Requests(how?: 'create' | 'derive'): L1Entry[] {
    return how ? this.l1Log.filter((e) => e.how === how) : [...this.l1Log];
  }

  private log<T>(list: T[], e: T): void {
    list.push(e);
    if (list.length > MAX_LOG) list.splice(0, list.length - MAX_LOG);
  }

  private skewed(ts: string): boolean {
    if (this.l2MaxSkewSec === undefined) return false;
    return !(Math.abs(Number(ts) - this.venueNowMs() / 1000) <= this.l2MaxSkewSec);
  }

  /** Verify L1 headers; returns the credentials for (address, nonce) or undefined. */
  async l1(headers: IncomingMessage['headers']): Promise<KeyRecord | undefined> {
    const address = h(headers, 'POLY_ADDRESS');
    const signature = h(headers, 'POLY_SIGNATURE');
    const timestamp = h(headers, 'POLY_TIMESTAMP');
    const nonce = h(headers, 'POLY_NONCE') ?? '0';
    if (!address || !signature || !timestamp || !/^0x[0-9a-fA-F]{40}$/.test(address) || !/^[0-9]+$/.test(nonce) || !/^0x[0-9a-fA-F]+$/.test(signature)) return undefined;
    if (this.skewed(timestamp)) return undefined;
    let recovered: string;
    try {
      recovered = await recoverTypedDataAddress({
        domain: { name: 'ClobAuthDomain', version: '1', chainId: this.chainId },
        types: {
          ClobAuth: [
            { name: 'address', type: 'address' },
            { name: 'timestamp', type: 'string' },
            { name: 'nonce', type: 'uint256' },
            { name: 'message', type: 'string' },
          ],
        },
        primaryType: 'ClobAuth',
        message: { address: address as `0x${string}`, timestamp, nonce: BigInt(nonce), message: CLOB_AUTH_MESSAGE },
        signature: signature as `0x${string}`,
      });
    } catch {
      return undefined;
    }
    if (recovered.toLowerCase() !== address.toLowerCase()) return undefined;
    const creds = this.ids.apiCreds(address, nonce);
    const rec: KeyRecord = { ...creds, address: address.toLowerCase() };
    this.keys.set(rec.apiKey, rec);
    if (this.keys.size > 10_000) this.keys.delete(this.keys.keys().next().value!);
    return rec;
  }

  /** `POST /auth/api-key`: a second create of the same (address, nonce) is refused when `strict`. */
  async create(headers: IncomingMessage['headers'], strict: boolean): Promise<KeyResult> {
    return this.l1Call('create', headers, strict);
  }

  /** `GET /auth/derive-api-key`: only a created key can be derived when `strict`. */
  async derive(headers: IncomingMessage['headers'], strict: boolean): Promise<KeyResult> {
    return this.l1Call('derive', headers, strict);
  }

  private async l1Call(how: 'create' | 'derive', headers: IncomingMessage['headers'], strict: boolean): Promise<KeyResult> {
    const rec = await this.l1(headers);
    const atMs = this.venueNowMs();
    const address = h(headers, 'POLY_ADDRESS')?.toLowerCase();
    const out = ((): KeyResult => {
      if (!rec) return { ok: false, status: 401, error: 'Invalid L1 Request headers' };
      const k = `${rec.address}|${h(headers, 'POLY_NONCE') ?? '0'}`;
      if (strict && how === 'create' && this.created.has(k)) return { ok: false, status: 400, error: 'Could not create api key' };
      if (strict && how === 'derive' && !this.created.has(k)) return { ok: false, status: 400, error: 'Could not derive api key!' };
      this.markCreated(k);
      // A wallet's L1 round trip re-activates an expired key (same credentials); a revoked key stays revoked.
      if (this.states.get(rec.apiKey) === 'expired') this.states.delete(rec.apiKey);
      return { ok: true, rec };
    })();
    this.log(this.l1Log, { atMs, how, ...(address ? { address } : {}), ok: out.ok, status: out.ok ? 200 : out.status });
    return out;
  }

  private markCreated(k: string): void {
    this.created.add(k);
    if (this.created.size > 10_000) this.created.delete(this.created.values().next().value!);
  }

  /** Verify L2 headers for a request; returns the key record or undefined (logged either way). */
  l2(headers: IncomingMessage['headers'], method: string, path: string, rawBody: string): KeyRecord | undefined {
    const apiKey = h(headers, 'POLY_API_KEY');
    const ts = h(headers, 'POLY_TIMESTAMP');
    const entry: L2Entry = { atMs: this.venueNowMs(), method, path, ok: false, ...(apiKey ? { apiKey } : {}), ...(ts && /^\d+$/.test(ts) ? { tsSec: Number(ts) } : {}) };
    const orders = postedOrders(path, rawBody);
    if (orders) entry.orders = orders;
    const res = this.checkL2(headers, apiKey, ts, method, path, rawBody);
    if ('refusal' in res) entry.refusal = res.refusal;
    else entry.ok = true;
    this.log(this.l2Log, entry);
    return 'rec' in res ? res.rec : undefined;
  }

  private checkL2(headers: IncomingMessage['headers'], apiKey: string | undefined, ts: string | undefined, method: string, path: string, rawBody: string): { rec: KeyRecord } | { refusal: L2Refusal } {
    if (!apiKey) return { refusal: 'no key' };
    const rec = this.keys.get(apiKey);
    if (!rec) return { refusal: 'unknown key' };
    const state = this.keyState(apiKey);
    if (state !== 'active') return { refusal: state === 'expired' ? 'key expired' : 'key revoked' };
    const sig = h(headers, 'POLY_SIGNATURE');
    const address = h(headers, 'POLY_ADDRESS');
    if (!sig || !ts || h(headers, 'POLY_PASSPHRASE') !== rec.passphrase) return { refusal: 'bad headers' };
    if (!address || address.toLowerCase() !== rec.address) return { refusal: 'bad address' };
    const expected = hmacSignature(rec.secret, `${ts}${method}${path}${rawBody}`);
    const got = sig.replace(/\+/g, '-').replace(/\//g, '_');
    if (expected.length !== got.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(got))) return { refusal: 'bad signature' };
    if (this.skewed(ts)) return { refusal: 'timestamp skew' };
    return { rec };
  }

  /** Look up creds by key (user socket / PolyBolt auth); secret and passphrase must match and the key be active. */
  byCreds(apiKey: string, secret: string, passphrase: string): KeyRecord | undefined {
    const rec = this.keys.get(apiKey);
    if (!rec || rec.secret !== secret || rec.passphrase !== passphrase || this.keyState(apiKey) !== 'active') return undefined;
    return rec;
  }

  /** Register a key directly (operator/test convenience; never reachable from the venue API). */
  register(address: string, nonce = '0'): KeyRecord {
    const rec: KeyRecord = { ...this.ids.apiCreds(address, nonce), address: address.toLowerCase() };
    this.keys.set(rec.apiKey, rec);
    this.markCreated(`${rec.address}|${nonce}`);
    return rec;
  }
}
