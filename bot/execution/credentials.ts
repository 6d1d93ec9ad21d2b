/**
 * Which credentials the bot trades and reads the reference with, decided once per start BEFORE any feed is
 * built (the reference feed depends on it: PolyBolt needs CLOB API credentials).
 *
 * Order of sources for the CLOB API credentials:
 *   1. the environment (POLY_API_KEY / _SECRET / _PASSPHRASE or their *_FILE),
 *   2. credentials stored in the data directory for this venue host and signer (0600 file),
 *   3. create-then-derive from the signing key (POLY_PRIVATE_KEY, or in paper mode the data-only paper wallet
 *      made by `npm run keys -- --new-wallet`; on the simulator a throwaway key per seed), then stored.
 * Live mode needs a signing key (refused earlier otherwise). Paper mode without any credentials on the real venue
 * runs with NO reference feed and says so: the legacy RTDS feed is only used when asked for
 * (`REFERENCE_FEED=rtds`), and is labelled deprecated – it is never presented as the working default.
 *
 * Invariants: secrets never enter a notice, log line or error message; the result names where the credentials
 * came from so the console can show it.
 */
import { Wallet } from '@ethersproject/wallet';
import type { ApiCredentials } from '../core/connection';
import { obtainApiCreds } from './api-creds';
import type { CredsStore } from './creds-store';
import type { SignatureType } from './order-signer';
import { Prng } from '../util/prng';
import { KEYS_COMMAND } from './keys-command';

export interface LiveKey {
  privateKey: string;
  signatureType: SignatureType;
  funder?: string;
}

export type CredsSource = 'env' | 'stored' | 'created' | 'derived' | 'none';
export type ReferenceChoice = 'polybolt' | 'rtds' | 'none';

export interface ResolvedCredentials {
  /** Signing key + API credentials (live mode only). */
  live?: LiveKey & { api: ApiCredentials };
  /** API credentials for PolyBolt and the user socket. */
  api?: ApiCredentials;
  source: CredsSource;
  /** Which wallet the API credentials belong to (address only). */
  address?: string;
  reference: ReferenceChoice;
  /** Operator-facing notices (no secrets): what is missing and the one command that fixes it. */
  notices: { severity: 'info' | 'warn' | 'danger'; title: string; detail: string }[];
}

export interface ResolveOptions {
  mode: 'paper' | 'live';
  /** True on the built-in simulator (throwaway keys are fine there). */
  simulator: boolean;
  clobHost: string;
  nowSec: () => number;
  nowMs: () => number;
  envKey?: LiveKey;
  envApi?: ApiCredentials;
  /** Where derived credentials are kept (omitted: nothing is stored). */
  store?: CredsStore;
  /** Paper on the simulator: the throwaway key to derive credentials from. */
  simKey?: string;
  /** Explicit legacy reference feed choice (REFERENCE_FEED=rtds). */
  referenceOverride?: 'rtds';
  chainId?: number;
}

export { KEYS_COMMAND };

/** The throwaway key paper mode derives its simulator API credentials from (deterministic per simulator seed). */
export const simPaperKey = (seed: number | string): string => '0x' + new Prng(`sim-paper-key:${seed}`).hex(32);

export async function resolveCredentials(o: ResolveOptions): Promise<ResolvedCredentials> {
  const notices: ResolvedCredentials['notices'] = [];
  if (o.mode === 'live' && !o.envKey) throw new Error('TRADING_MODE=live needs POLY_PRIVATE_KEY (or POLY_PRIVATE_KEY_FILE)');

  const fromKey = async (privateKey: string): Promise<{ api: ApiCredentials; source: CredsSource; address: string }> => {
    const address = new Wallet(privateKey).address;
    const stored = o.store?.get(o.clobHost, address);
    if (stored) return { api: stored, source: 'stored', address };
    const got = await obtainApiCreds({ host: o.clobHost, privateKey, nowSec: o.nowSec(), ...(o.chainId !== undefined ? { chainId: o.chainId } : {}) });
    o.store?.put(o.clobHost, address, got.creds, got.how, o.nowMs());
    return { api: got.creds, source: got.how, address };
  };

  let api: ApiCredentials | undefined;
  let source: CredsSource = 'none';
  let address: string | undefined;
  if (o.envApi) {
    api = o.envApi;
    source = 'env';
    if (o.envKey) address = new Wallet(o.envKey.privateKey).address;
  } else {
    const key = o.envKey?.privateKey ?? o.store?.paperWallet()?.privateKey ?? (o.simulator ? o.simKey : undefined);
    if (key) ({ api, source, address } = await fromKey(key));
  }

  if (o.mode === 'live') {
    return { live: { ...o.envKey!, api: api! }, api, source, ...(address ? { address } : {}), reference: 'polybolt', notices };
  }
  if (api) return { api, source, ...(address ? { address } : {}), reference: 'polybolt', notices };

  if (o.referenceOverride === 'rtds') {
    notices.push({
      severity: 'warn',
      title: 'reference: legacy RTDS (deprecated)',
      detail: `REFERENCE_FEED=rtds: Polymarket deprecated the public RTDS price topics and planned their removal; if it stays silent, create CLOB API credentials with \`${KEYS_COMMAND} -- --new-wallet\` and unset REFERENCE_FEED.`,
    });
    return { source, reference: 'rtds', notices };
  }
  notices.push({
    severity: 'danger',
    title: 'no CLOB API credentials: no reference price',
    detail: `The reference feed (PolyBolt) needs CLOB API credentials and none were found, so nothing will trade. Fix: \`${KEYS_COMMAND} -- --new-wallet\` (creates a data-only wallet and its credentials in the data directory), or set POLY_PRIVATE_KEY, or POLY_API_KEY / POLY_API_SECRET / POLY_API_PASSPHRASE.`,
  });
  return { source, reference: 'none', notices };
}
