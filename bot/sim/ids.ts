/**
 * Deterministic identifiers for the simulator: condition ids, token ids (> 2^53, canonical decimal strings),
 * Gamma ids, trade ids, transaction hashes and API credentials, all derived from the seed by hashing.
 *
 * Invariant: the same seed and inputs give the same ids on every run and platform; no wall clock, no Math.random.
 */
import { createHash, createHmac } from 'node:crypto';

function sha256Hex(...parts: string[]): string {
  return createHash('sha256').update(parts.join('|')).digest('hex');
}

export class SimIds {
  private tradeSeq = 0;
  private txSeq = 0;
  private hbSeq = 0;

  constructor(private readonly seed: string) {}

  /** 64-hex condition id as the CLOB and market WS use it; a V2 (bytes31) id is 62 hex right-padded with 00. */
  conditionId(slug: string, version: 'v1' | 'v2' = 'v1'): string {
    const h = sha256Hex(this.seed, 'condition', slug);
    return version === 'v1' ? `0x${h}` : `0x${h.slice(0, 62)}00`;
  }

  questionId(slug: string): string {
    return `0x${sha256Hex(this.seed, 'question', slug)}`;
  }

  /** A uint256-sized decimal token id (V1, ~77 digits) or a 75-digit V2 position id. */
  tokenId(slug: string, outcome: 'Up' | 'Down', version: 'v1' | 'v2' = 'v1'): string {
    const n = BigInt(`0x${sha256Hex(this.seed, 'token', slug, outcome)}`);
    if (version === 'v1') return n.toString(10);
    return ((n % (9n * 10n ** 74n)) + 10n ** 74n).toString(10);
  }

  marketNumericId(seriesIndex: number, startSec: number): string {
    return String(5_000_000 + seriesIndex * 1_000_000_000 + Math.floor(startSec / 60));
  }

  eventNumericId(seriesIndex: number, startSec: number): string {
    return String(1_000_000 + seriesIndex * 1_000_000_000 + Math.floor(startSec / 60));
  }

  /** UUID-shaped trade id. */
  nextTradeId(): string {
    const h = sha256Hex(this.seed, 'trade', String(++this.tradeSeq));
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  nextTxHash(): string {
    return `0x${sha256Hex(this.seed, 'tx', String(++this.txSeq))}`;
  }

  nextHeartbeatId(): string {
    const h = sha256Hex(this.seed, 'hb', String(++this.hbSeq));
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-9${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  syntheticOrderId(n: number): string {
    return `0x${sha256Hex(this.seed, 'synthetic-order', String(n))}`;
  }

  /** API credentials for (address, nonce): stable, so create and derive return the same triple. */
  apiCreds(address: string, nonce: string): { apiKey: string; secret: string; passphrase: string } {
    const h = sha256Hex(this.seed, 'apikey', address.toLowerCase(), nonce);
    const apiKey = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
    const secret = createHmac('sha256', this.seed).update(`secret|${apiKey}`).digest('base64').replace(/\+/g, '-').replace(/\//g, '_');
    const passphrase = sha256Hex(this.seed, 'pass', apiKey).slice(0, 32);
    return { apiKey, secret, passphrase };
  }
}
