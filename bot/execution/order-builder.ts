/**
 * Prepared-path order building for the live venue: rounding (tick / min size), maker/signer addresses by
 * signature type, the EIP-712 signature (fast signer, cached per exchange domain) and the exact JSON body
 * that clob-client-v2's orderToJsonV2 would produce (same key order, same types).
 *
 * Invariants: prices must be on the market's tick and within [tick, 1 − tick]; shares (limit) or the computed
 * share side (market BUY) must be >= min order size; GTD expiry gets the venue's 60 s security threshold.
 */
import { OrderSigner, EXCHANGES, type OrderStruct, type SignatureType } from './order-signer';
import { limitOrderAmounts, marketOrderAmounts, priceValid, ROUNDING } from '../core/rounding';
import type { PlaceRequest } from '../core/orders';

export const ZERO32 = '0x' + '0'.repeat(64);

export interface BuilderIdentity {
  privateKey: string;
  signatureType: SignatureType;
  /** Funder (maker) address: proxy / safe / deposit wallet; defaults to the EOA. */
  funder?: string;
  chainId?: number;
  apiKey: string;
}

export interface BuiltOrder {
  orderId: string;
  body: string;
  struct: OrderStruct;
  signature: string;
  salt: number;
  builtMs: number;
}

/** Key of an order's economic content: a pre-signed order can stand in for any intent with the same key. */
export function presignKey(req: PlaceRequest): string {
  return `${req.market.tokenId}|${req.market.version}|${req.side}|${req.orderType}|${req.postOnly}|${req.price}|${req.usd ?? ''}|${req.size ?? ''}|${req.expiresMs ?? ''}`;
}

export class OrderBodyBuilder {
  private readonly signers = new Map<string, OrderSigner>();
  /** Pre-signed orders (single use, bounded, dropped after `presignMaxAgeMs`). */
  private readonly presigned = new Map<string, BuiltOrder>();
  presignHits = 0;
  presignMaxAgeMs = 60_000;
  presignMax = 256;
  readonly eoa: string;
  readonly maker: string;
  readonly signerAddr: string;

  constructor(private id: BuilderIdentity) {
    const base = this.signerFor('v1', false);
    this.eoa = base.address;
    this.maker = id.funder ?? this.eoa;
    this.signerAddr = id.signatureType === 3 ? this.maker : this.eoa;
  }

  /** The order `owner` after the API credentials changed (re-derive); pre-signed bodies carry the old one: dropped. */
  setApiKey(apiKey: string): void {
    if (apiKey === this.id.apiKey) return;
    this.id = { ...this.id, apiKey };
    this.presigned.clear();
  }

  signerFor(version: 'v1' | 'v2', negRisk: boolean): OrderSigner {
    const k = `${version}|${negRisk}`;
    let s = this.signers.get(k);
    if (!s) {
      s = new OrderSigner({
        privateKey: this.id.privateKey,
        chainId: this.id.chainId ?? 137,
        domainVersion: version === 'v2' ? '3' : '2',
        verifyingContract: version === 'v2' ? EXCHANGES.v3 : negRisk ? EXCHANGES.v2NegRisk : EXCHANGES.v2,
      });
      this.signers.set(k, s);
    }
    return s;
  }

  /** Sign `req` at each price ahead of time (off the hot path); `take` hands one out once. */
  presign(req: PlaceRequest, prices: readonly number[], nextSalt: () => number, nowMs: number): number {
    let n = 0;
    for (const price of prices) {
      const r = { ...req, price };
      const k = presignKey(r);
      const have = this.presigned.get(k);
      if (have && nowMs - have.builtMs < this.presignMaxAgeMs / 2) continue;
      try {
        this.presigned.set(k, this.build(r, nextSalt(), nowMs));
        n++;
      } catch {
        /* invalid price for this market: skip */
      }
      if (this.presigned.size > this.presignMax) this.presigned.delete(this.presigned.keys().next().value!);
    }
    return n;
  }

  /** A pre-signed order for exactly this content, if one is fresh; removed from the cache. */
  take(req: PlaceRequest, nowMs: number): BuiltOrder | undefined {
    const k = presignKey(req);
    const b = this.presigned.get(k);
    if (!b) return undefined;
    this.presigned.delete(k);
    if (nowMs - b.builtMs > this.presignMaxAgeMs) return undefined;
    this.presignHits++;
    return b;
  }

  /** Validate, round, sign and serialise. Throws with a clear message on invalid input. */
  build(req: PlaceRequest, salt: number, timestampMs: number): BuiltOrder {
    const m = req.market;
    const rc = ROUNDING[m.tickSize];
    if (!priceValid(req.price, m.tickSize)) throw new Error(`invalid price ${req.price} for tick ${m.tickSize}`);
    if (Math.abs(Number(req.price.toFixed(rc.price)) - req.price) > 1e-9) throw new Error(`price ${req.price} is not on tick ${m.tickSize}`);
    const market = req.orderType === 'FOK' || req.orderType === 'FAK';
    if (req.postOnly && market) throw new Error('postOnly is not supported for FOK/FAK orders');
    let amounts;
    if (market) {
      const qty = req.side === 'BUY' ? (req.usd ?? (req.size !== undefined ? req.size * req.price : undefined)) : req.size;
      if (qty === undefined) throw new Error('market order needs usd (BUY) or size (SELL)');
      amounts = marketOrderAmounts(req.side, qty, req.price, m.tickSize);
    } else {
      if (req.size === undefined) throw new Error('limit order needs size');
      amounts = limitOrderAmounts(req.side, req.size, req.price, m.tickSize);
    }
    if (amounts.shares < m.minOrderSize) throw new Error(`size ${amounts.shares} lower than the minimum ${m.minOrderSize}`);
    const struct: OrderStruct = {
      salt: String(salt),
      maker: this.maker,
      signer: this.signerAddr,
      tokenId: m.tokenId,
      makerAmount: amounts.makerAmount,
      takerAmount: amounts.takerAmount,
      side: req.side,
      signatureType: this.id.signatureType,
      timestamp: String(timestampMs),
      metadata: ZERO32,
      builder: ZERO32,
    };
    const signer = this.signerFor(m.version, m.negRisk);
    const signature = signer.sign(struct);
    const orderId = signer.orderHash(struct);
    // GTD: the venue drops an order 60 s before its expiration and refuses one less than 180 s ahead, so the wanted
    // expiry + 60 s, never less than now + 180 s (a shorter wanted life is cancelled by the engine on time).
    const expiration = req.orderType === 'GTD' && req.expiresMs !== undefined ? String(Math.max(Math.floor(req.expiresMs / 1000) + 60, Math.ceil(timestampMs / 1000) + 180)) : '0';
    const body = JSON.stringify({
      deferExec: false,
      postOnly: req.postOnly,
      order: {
        salt,
        maker: struct.maker,
        signer: struct.signer,
        tokenId: struct.tokenId,
        makerAmount: struct.makerAmount,
        takerAmount: struct.takerAmount,
        side: struct.side,
        signatureType: struct.signatureType,
        timestamp: struct.timestamp,
        expiration,
        metadata: struct.metadata,
        builder: struct.builder,
        signature,
      },
      owner: this.id.apiKey,
      orderType: req.orderType,
    });
    return { orderId, body, struct, signature, salt, builtMs: timestampMs };
  }
}
