/**
 * CLOB API credentials from a wallet key, the way the venue works (reference §2.2, §9.9): create with
 * `POST /auth/api-key`; when the venue refuses (400 "Could not create api key" – the wallet already has a key for
 * this nonce) derive it with `GET /auth/derive-api-key`. The L1 headers are built by the official SDK
 * (`createL1Headers`, EIP-712 ClobAuth with an ethers v5 Wallet); the requests are ours (User-Agent, timeout,
 * schema-checked answers), so a refusal never throws inside the SDK (its `throwOnError` would skip the fallback).
 *
 * Re-deriving after an L2 401 (credential-renewal.ts) goes the other way round (`first: 'derive'`): the key exists.
 *
 * Invariants: secrets are returned, never logged or put in an error message; the timestamp is the caller's
 * (venue-adjusted) clock in seconds; every failure says which call failed, its HTTP status and the venue's text.
 */
import { Wallet } from '@ethersproject/wallet';
import { createL1Headers } from '@polymarket/clob-client-v2';
import { ApiCreds, ErrorBody } from '../protocol';
import { getJson, type FetchFn } from '../http/clob-public';
import type { ApiCredentials } from '../core/connection';

export interface ObtainedCreds {
  creds: ApiCredentials;
  /** created: a new key; derived: the wallet already had one. */
  how: 'created' | 'derived';
  /** The signer address the key belongs to. */
  address: string;
}

export class ApiCredsError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface ObtainOptions {
  host: string;
  privateKey: string;
  chainId?: number;
  nonce?: number;
  /** Unix seconds for the L1 timestamp (the venue's clock when known). */
  nowSec: number;
  fetchFn?: FetchFn;
  /**
   * 'create' (default): a first run – create, derive when the venue says the key exists. 'derive': the key is known to
   * exist (re-deriving after a 401) – derive, create only when the venue says there is none to derive.
   */
  first?: 'create' | 'derive';
}

/** Create-then-derive. Throws ApiCredsError (no secret in it) when neither works. */
export async function obtainApiCreds(o: ObtainOptions): Promise<ObtainedCreds> {
  const wallet = new Wallet(o.privateKey);
  const chain = o.chainId ?? 137;
  const nonce = o.nonce ?? 0;
  const fetchFn = o.fetchFn ?? fetch;
  const call = async (method: 'POST' | 'GET', path: string) => {
    const headers = (await createL1Headers(wallet as never, chain as never, nonce, o.nowSec)) as unknown as Record<string, string>;
    return getJson(fetchFn, `${o.host}${path}`, ApiCreds, { method, headers: { ...headers } });
  };
  if (o.first === 'derive') {
    const derived = await call('GET', '/auth/derive-api-key');
    if (derived.ok) return { creds: toCreds(derived.value), how: 'derived', address: wallet.address };
    if (derived.status !== 400) throw new ApiCredsError(`GET /auth/derive-api-key failed: ${describe(derived.status, derived.reason)}`, derived.status);
  }
  const created = await call('POST', '/auth/api-key');
  if (created.ok) return { creds: toCreds(created.value), how: 'created', address: wallet.address };
  if (o.first === 'derive') throw new ApiCredsError(`could not derive or create CLOB API credentials for ${wallet.address}: POST /auth/api-key ${describe(created.status, created.reason)}`, created.status);
  // 400: the wallet already has a key (or the venue will not create one now) – derive it. Anything else
  // (401 bad L1 signature, 5xx, network) is reported as is: deriving would fail the same way.
  if (created.status !== 400) throw new ApiCredsError(`POST /auth/api-key failed: ${describe(created.status, created.reason)}`, created.status);
  const derived = await call('GET', '/auth/derive-api-key');
  if (derived.ok) return { creds: toCreds(derived.value), how: 'derived', address: wallet.address };
  throw new ApiCredsError(
    `could not create (HTTP 400: ${venueText(created.reason)}) or derive (${describe(derived.status, derived.reason)}) CLOB API credentials for ${wallet.address}`,
    derived.status,
  );
}

function toCreds(c: { apiKey: string; secret: string; passphrase: string }): ApiCredentials {
  return { key: c.apiKey, secret: c.secret, passphrase: c.passphrase };
}

function venueText(reason: string): string {
  try {
    const b = ErrorBody.safeParse(JSON.parse(reason));
    if (b.success) return b.data.error.slice(0, 200);
  } catch {
    /* not JSON */
  }
  return reason.slice(0, 200);
}

function describe(status: number, reason: string): string {
  return status === 0 ? reason : `HTTP ${status}: ${venueText(reason)}`;
}
