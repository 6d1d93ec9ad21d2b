/**
 * L2 (HMAC) request signing for the CLOB (protocol reference §2.2): sig = urlsafe_b64(HMAC_SHA256(b64decode(secret),
 * ts + METHOD + path + body)), padding kept. The decoded key is cached per secret so the hot path pays one HMAC.
 *
 * Invariants: `path` excludes the query string; `body` is the exact JSON string sent; secrets never logged.
 */
import { createHmac } from 'node:crypto';
import type { ApiCredentials } from '../core/connection';

export function decodeSecret(secretB64: string): Buffer {
  return Buffer.from(secretB64.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

export function polyHmac(key: Buffer, tsSec: number, method: string, path: string, body?: string): string {
  return createHmac('sha256', key)
    .update(`${tsSec}${method}${path}${body ?? ''}`)
    .digest('base64')
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
}

export class L2Signer {
  private readonly key: Buffer;

  constructor(
    private readonly creds: ApiCredentials,
    /** The signer EOA address (POLY_ADDRESS), also for proxy/safe/deposit wallets. */
    private readonly address: string,
  ) {
    this.key = decodeSecret(creds.secret);
  }

  get apiKey(): string {
    return this.creds.key;
  }

  headers(tsSec: number, method: string, path: string, body?: string): Record<string, string> {
    return {
      POLY_ADDRESS: this.address,
      POLY_SIGNATURE: polyHmac(this.key, tsSec, method, path, body),
      POLY_TIMESTAMP: String(tsSec),
      POLY_API_KEY: this.creds.key,
      POLY_PASSPHRASE: this.creds.passphrase,
    };
  }

  toJSON(): object {
    return { apiKey: '[REDACTED]', address: this.address };
  }
}
