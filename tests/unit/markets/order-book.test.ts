import { describe, expect, it } from 'vitest';
import { OrderBook } from '../../../bot/core/order-book';

describe('OrderBook', () => {
  it('computes best levels regardless of array order (best levels last, as observed)', () => {
    const b = new OrderBook('U');
    b.applySnapshot(
      [{ price: 0.48, size: 120 }, { price: 0.49, size: 35.5 }, { price: 0.5, size: 210 }],
      [{ price: 0.53, size: 80 }, { price: 0.52, size: 44 }, { price: 0.51, size: 60 }],
      1,
    );
    expect(b.top()).toEqual({ bestBid: { price: 0.5, size: 210 }, bestAsk: { price: 0.51, size: 60 } });
    expect(b.levels('ask').map((l) => l.price)).toEqual([0.51, 0.52, 0.53]);
    expect(b.levels('bid', 2).map((l) => l.price)).toEqual([0.5, 0.49]);
    expect(b.epoch).toBe(1);
  });
  it('applies absolute-size deltas, removes on 0, ignores deltas before a snapshot', () => {
    const b = new OrderBook('U');
    expect(b.applyDelta('bid', 0.5, 10, 1)).toBe(false);
    expect(b.droppedDeltas).toBe(1);
    b.applySnapshot([{ price: 0.5, size: 210 }], [{ price: 0.51, size: 60 }], 1);
    b.applyDelta('bid', 0.5, 250, 2);
    expect(b.sizeAt('bid', 0.5)).toBe(250);
    b.applyDelta('ask', 0.51, 0, 3);
    expect(b.bestAsk()).toBeUndefined();
    b.applyDelta('ask', 0.52, 44, 4);
    expect(b.bestAsk()).toBe(0.52);
  });
  it('detects a crossed book and resets epochs on tick-size change', () => {
    const b = new OrderBook('U');
    b.applySnapshot([{ price: 0.5, size: 1 }], [{ price: 0.51, size: 1 }], 1);
    b.applyDelta('bid', 0.52, 5, 2);
    expect(b.isCrossed()).toBe(true);
    const e = b.epoch;
    b.setTickSize(0.001);
    expect(b.ready).toBe(false);
    expect(b.epoch).toBe(e + 1);
    expect(b.levelCount('bid')).toBe(0);
  });
  it('stays bounded', () => {
    const b = new OrderBook('U', { maxLevels: 10 });
    b.applySnapshot([], [], 1);
    for (let i = 1; i < 99; i++) b.applyDelta('bid', i / 100, 1, i);
    expect(b.levelCount('bid')).toBe(10);
    expect(b.bestBid()).toBe(0.98);
  });
});
