/**
 * CLOB authentication for the simulator (reference §2.2): L1 EIP-712 `ClobAuth` signatures for API-key
 * creation/derivation, and L2 HMAC-SHA256 request signatures for every trading endpoint.
 *
 * Invariants:
 * - Credentials are a deterministic function of (seed, address, nonce); create and derive return the same triple.
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

export class AuthStore {
  private readonly keys = new Map<string, KeyRecord>();

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
    return rec;
  }
}
