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

const h = (headers: IncomingMessage['headers'], name: string): string | undefined => {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

export function hmacSignature(secret: string, message: string): string {
  const key = Buffer.from(secret.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return createHmac('sha256', key).update(message).digest('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

export type KeyResult = { ok: true; rec: KeyRecord } | { ok: false; status: 400 | 401; error: string };

export class AuthStore {
  private readonly keys = new Map<string, KeyRecord>();
  /** (address|nonce) pairs whose key was created (bounded like `keys`). */
  private readonly created = new Set<string>();

  constructor(
    private readonly ids: SimIds,
    private readonly chainId = 137,
  ) {}

  /** Verify L1 headers; returns the credentials for (address, nonce) or undefined. */
  async l1(headers: IncomingMessage['headers']): Promise<KeyRecord | undefined> {
    const address = h(headers, 'POLY_ADDRESS');
    const signature = h(headers, 'POLY_SIGNATURE');
    const timestamp = h(headers, 'POLY_TIMESTAMP');
    const nonce = h(headers, 'POLY_NONCE') ?? '0';
    if (!address || !signature || !timestamp || !/^0x[0-9a-fA-F]{40}$/.test(address) || !/^[0-9]+$/.test(nonce) || !/^0x[0-9a-fA-F]+$/.test(signature)) return undefined;
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
    const rec = await this.l1(headers);
    if (!rec) return { ok: false, status: 401, error: 'Invalid L1 Request headers' };
    const k = `${rec.address}|${h(headers, 'POLY_NONCE') ?? '0'}`;
    if (strict && this.created.has(k)) return { ok: false, status: 400, error: 'Could not create api key' };
    this.markCreated(k);
    return { ok: true, rec };
  }

  /** `GET /auth/derive-api-key`: only a created key can be derived when `strict`. */
  async derive(headers: IncomingMessage['headers'], strict: boolean): Promise<KeyResult> {
    const rec = await this.l1(headers);
    if (!rec) return { ok: false, status: 401, error: 'Invalid L1 Request headers' };
    const k = `${rec.address}|${h(headers, 'POLY_NONCE') ?? '0'}`;
    if (strict && !this.created.has(k)) return { ok: false, status: 400, error: 'Could not derive api key!' };
    this.markCreated(k);
    return { ok: true, rec };
  }

  private markCreated(k: string): void {
    this.created.add(k);
    if (this.created.size > 10_000) this.created.delete(this.created.values().next().value!);
  }

  /** Verify L2 headers for a request; returns the key record or undefined. */
  l2(headers: IncomingMessage['headers'], method: string, path: string, rawBody: string): KeyRecord | undefined {
    const apiKey = h(headers, 'POLY_API_KEY');
    const rec = apiKey ? this.keys.get(apiKey) : undefined;
    if (!rec) return undefined;
    const sig = h(headers, 'POLY_SIGNATURE');
    const ts = h(headers, 'POLY_TIMESTAMP');
    const address = h(headers, 'POLY_ADDRESS');
    if (!sig || !ts || h(headers, 'POLY_PASSPHRASE') !== rec.passphrase) return undefined;
    if (!address || address.toLowerCase() !== rec.address) return undefined;
    const expected = hmacSignature(rec.secret, `${ts}${method}${path}${rawBody}`);
    const got = sig.replace(/\+/g, '-').replace(/\//g, '_');
    if (expected.length !== got.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(got))) return undefined;
    return rec;
  }

  /** Look up creds by key (user socket / PolyBolt auth); secret and passphrase must match. */
  byCreds(apiKey: string, secret: string, passphrase: string): KeyRecord | undefined {
    const rec = this.keys.get(apiKey);
    if (!rec || rec.secret !== secret || rec.passphrase !== passphrase) return undefined;
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
