import { describe, expect, it } from 'vitest';
import { LiveArmingError, liveOrderSide, OrderBodyBuilder, OrderSigner } from '../../../bot/execution';
import { SignedOrderV2Wire, PostOrderRequest } from '../../../bot/protocol';
import { DEFAULT_CRYPTO_FEES, type PlaceRequest } from '../../../bot/core';

const market = { windowSlug: 'w', conditionId: '0x' + 'cd'.repeat(32), tokenId: '123456789', tickSize: '0.01' as const, minOrderSize: 5, negRisk: false, version: 'v1' as const, fees: DEFAULT_CRYPTO_FEES };
const base: PlaceRequest = { clientTag: 't', strategyId: 's', market, side: 'BUY', price: 0.53, size: 10, orderType: 'GTC', postOnly: true };
const PK = '0x' + '11'.repeat(32);

describe('OrderBodyBuilder', () => {
  const b = new OrderBodyBuilder({ privateKey: PK, signatureType: 0, apiKey: 'key-1' });

  it('produces a wire body that parses with the venue schema, with the order id = EIP-712 hash', () => {
    const o = b.build(base, 42, 1791241812345);
    const body = PostOrderRequest.parse(JSON.parse(o.body));
    expect(body).toMatchObject({ owner: 'key-1', orderType: 'GTC', postOnly: true });
    expect(SignedOrderV2Wire.parse(body.order)).toMatchObject({ salt: 42, makerAmount: '5300000', takerAmount: '10000000', side: 'BUY', expiration: '0', timestamp: '1791241812345' });
    expect(o.orderId).toBe(new OrderSigner({ privateKey: PK }).orderHash(o.struct));
    expect(Object.keys(JSON.parse(o.body))).toEqual(['deferExec', 'postOnly', 'order', 'owner', 'orderType']);
  });

  it('adds the 60 s security threshold to GTD expiries', () => {
    const o = b.build({ ...base, orderType: 'GTD', expiresMs: 1791242000_000 }, 1, 1791241800000);
    expect(JSON.parse(o.body).order.expiration).toBe(String(1791242000 + 60));
  });

  it('refuses off-tick prices, out-of-range prices, sizes below the minimum and post-only takers', () => {
    expect(() => b.build({ ...base, price: 0.535 }, 1, 1)).toThrow(/tick/);
    expect(() => b.build({ ...base, price: 0.995 }, 1, 1)).toThrow(/invalid price/);
    expect(() => b.build({ ...base, size: 4.99 }, 1, 1)).toThrow(/minimum/);
    expect(() => b.build({ ...base, orderType: 'FOK', usd: 10, size: undefined }, 1, 1)).toThrow(/postOnly/);
  });

  it('builds FAK/FOK market orders from USD (BUY) or shares (SELL)', () => {
    const buy = JSON.parse(b.build({ ...base, orderType: 'FAK', postOnly: false, size: undefined, usd: 10, price: 0.52 }, 1, 1).body);
    expect(buy.order).toMatchObject({ makerAmount: '10000000', takerAmount: '19230700' });
    const sell = JSON.parse(b.build({ ...base, side: 'SELL', orderType: 'FOK', postOnly: false, size: 10, price: 0.5 }, 1, 1).body);
    expect(sell.order).toMatchObject({ makerAmount: '10000000', takerAmount: '5000000', side: 'SELL' });
  });

  it('hands out a pre-signed order once, only for identical content', () => {
    const c = new OrderBodyBuilder({ privateKey: PK, signatureType: 0, apiKey: 'k' });
    let salt = 100;
    expect(c.presign({ ...base, orderType: 'FOK', postOnly: false, size: undefined, usd: 10 }, [0.5, 0.51], () => ++salt, 1000)).toBe(2);
    expect(c.take({ ...base, orderType: 'FOK', postOnly: false, size: undefined, usd: 10, price: 0.51 }, 1001)?.salt).toBe(102);
    expect(c.take({ ...base, orderType: 'FOK', postOnly: false, size: undefined, usd: 10, price: 0.51 }, 1002)).toBeUndefined();
    expect(c.take({ ...base, orderType: 'FOK', postOnly: false, size: undefined, usd: 11, price: 0.5 }, 1002)).toBeUndefined();
    expect(c.take({ ...base, orderType: 'FOK', postOnly: false, size: undefined, usd: 10, price: 0.5 }, 1000 + 61_000)).toBeUndefined();
  });
});

describe('live order side', () => {
  it('refuses to arm the live venue without a key and API credentials, with a clear message', () => {
    expect(() => liveOrderSide(undefined)).toThrow(LiveArmingError);
    expect(() => liveOrderSide(undefined)).toThrow(/private key/);
    expect(() => liveOrderSide({ privateKey: '0x' + '11'.repeat(32), signatureType: 0, api: undefined as never })).toThrow(/API credentials/);
  });
});
