import { describe, expect, it } from 'vitest';
import { joinQueue, onLevelSize, onOppositeTouch, onTradePrint, walkBook } from '../../../bot/execution/fill-model';
import { DEFAULT_CRYPTO_FEES, takerFeeUsd } from '../../../bot/core/fees';
import { limitOrderAmounts, marketOrderAmounts, snapPrice } from '../../../bot/core/rounding';

const asks = [{ price: 0.51, size: 60 }, { price: 0.52, size: 44 }, { price: 0.53, size: 80 }];

describe('fees', () => {
  it('charges 0.07·p·(1−p) per share, rounded to 5 dp', () => {
    expect(takerFeeUsd(DEFAULT_CRYPTO_FEES, 100, 0.5)).toBeCloseTo(1.75, 10);
    expect(takerFeeUsd(DEFAULT_CRYPTO_FEES, 100, 0.3)).toBeCloseTo(1.47, 10);
    expect(takerFeeUsd(DEFAULT_CRYPTO_FEES, 1, 0.01)).toBeCloseTo(0.00069, 10);
    expect(takerFeeUsd(DEFAULT_CRYPTO_FEES, 0.0001, 0.01)).toBe(0);
  });
});

describe('taker walk', () => {
  it('walks levels up to the limit and charges the fee per level', () => {
    const r = walkBook(asks, 'BUY', 0.52, 80, DEFAULT_CRYPTO_FEES);
    expect(r.fills).toEqual([
      { price: 0.51, size: 60, feeUsd: takerFeeUsd(DEFAULT_CRYPTO_FEES, 60, 0.51) },
      { price: 0.52, size: 20, feeUsd: takerFeeUsd(DEFAULT_CRYPTO_FEES, 20, 0.52) },
    ]);
    expect(r.complete).toBe(true);
    expect(r.notionalUsd).toBeCloseTo(60 * 0.51 + 20 * 0.52, 9);
  });
  it('FOK kills when the limit leaves too little; FAK takes what is there', () => {
    expect(walkBook(asks, 'BUY', 0.51, 100, DEFAULT_CRYPTO_FEES, { allOrNothing: true }).fills).toEqual([]);
    expect(walkBook(asks, 'BUY', 0.51, 100, DEFAULT_CRYPTO_FEES).shares).toBe(60);
  });
  it('sizes a market BUY in USD', () => {
    const r = walkBook(asks, 'BUY', 0.53, 20, DEFAULT_CRYPTO_FEES, { usd: true, allOrNothing: true });
    expect(r.complete).toBe(true);
    expect(r.notionalUsd).toBeLessThanOrEqual(20);
    expect(r.notionalUsd).toBeGreaterThan(19.98);
  });
  it('sells into bids down to the limit', () => {
    const bids = [{ price: 0.5, size: 10 }, { price: 0.49, size: 10 }];
    expect(walkBook(bids, 'SELL', 0.495, 15, DEFAULT_CRYPTO_FEES).shares).toBe(10);
  });
});

describe('maker queue', () => {
  it('queues behind visible size; prints at our price consume the queue first', () => {
    const q = joinQueue('BUY', 0.5, 10, 30);
    expect(onTradePrint(q, 'SELL', 0.5, 25)).toBe(0);
    expect(q.ahead).toBe(5);
    expect(onTradePrint(q, 'SELL', 0.5, 8)).toBe(3);
    expect(onTradePrint(q, 'BUY', 0.5, 100)).toBe(0);
    onLevelSize(q, 0);
    expect(onTradePrint(q, 'SELL', 0.49, 100)).toBe(7);
    expect(q.remaining).toBe(0);
  });
  it('fills when the opposite touch crosses our price', () => {
    const q = joinQueue('SELL', 0.6, 10, 0);
    expect(onOppositeTouch(q, 0.59, 100)).toBe(0);
    expect(onOppositeTouch(q, 0.61, 4)).toBe(4);
  });
});

describe('rounding (reference §3.5 examples)', () => {
  it('limit BUY 10 @ 0.53 and SELL 7.5 @ 0.47 on tick 0.01', () => {
    expect(limitOrderAmounts('BUY', 10, 0.53, '0.01')).toMatchObject({ makerAmount: '5300000', takerAmount: '10000000' });
    expect(limitOrderAmounts('SELL', 7.5, 0.47, '0.01')).toMatchObject({ makerAmount: '7500000', takerAmount: '3525000' });
    expect(limitOrderAmounts('BUY', 10.129, 0.53, '0.01').takerAmount).toBe('10120000');
  });
  it('market BUY $10 at 0.52 follows clob-client-v2 (19.2307 shares)', () => {
    expect(marketOrderAmounts('BUY', 10, 0.52, '0.01')).toMatchObject({ makerAmount: '10000000', takerAmount: '19230700' });
  });
  it('snaps prices conservatively', () => {
    expect(snapPrice(0.537, '0.01', 'BUY')).toBe(0.53);
    expect(snapPrice(0.531, '0.01', 'SELL')).toBe(0.54);
    expect(snapPrice(0.53, '0.01', 'SELL')).toBe(0.53);
  });
});
