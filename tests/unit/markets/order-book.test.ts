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

/**
 * A plain model of the book (a map per side, sorted on read): the semantics OrderBook keeps with its sorted arrays.
 * Random snapshots (ascending, descending, shuffled, repeated prices, zero sizes, over the level bound) and deltas
 * (new, changed and removed levels) must leave both with the same levels, tops, sizes and counts; several snapshots
 * hit each book (shorter after longer, reversed after ordered), which the book writes over its own arrays.
 */
class ModelBook {
  bids = new Map<number, number>();
  asks = new Map<number, number>();
  constructor(private readonly max: number) {}
  private trim(m: Map<number, number>, side: 'bid' | 'ask') {
    if (m.size <= this.max) return;
    const keys = [...m.keys()].sort((a, b) => (side === 'bid' ? b - a : a - b));
    for (const k of keys.slice(this.max)) m.delete(k);
  }
  snapshot(bids: { price: number; size: number }[], asks: { price: number; size: number }[]) {
    this.bids = new Map();
    this.asks = new Map();
    for (const l of bids) if (l.size > 0) this.bids.set(Math.round(l.price * 10_000), l.size);
    for (const l of asks) if (l.size > 0) this.asks.set(Math.round(l.price * 10_000), l.size);
    this.trim(this.bids, 'bid');
    this.trim(this.asks, 'ask');
  }
  delta(side: 'bid' | 'ask', price: number, size: number) {
    const m = side === 'bid' ? this.bids : this.asks;
    const k = Math.round(price * 10_000);
    if (size <= 0) m.delete(k);
    else {
      m.set(k, size);
      this.trim(m, side);
    }
  }
  levels(side: 'bid' | 'ask') {
    const m = side === 'bid' ? this.bids : this.asks;
    return [...m.keys()].sort((a, b) => (side === 'bid' ? b - a : a - b)).map((k) => ({ price: k / 10_000, size: m.get(k)! }));
  }
}

describe('OrderBook against a plain model', () => {
  it('random snapshots in every order (as level objects or as numbers) and random deltas give the same book', () => {
    let x = 42;
    const rnd = (n: number) => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) % n;
    const level = () => ({ price: (1 + rnd(99)) / 100, size: rnd(4) === 0 ? 0 : 1 + rnd(500) / 10 });
    for (let round = 0; round < 300; round++) {
      const max = 5 + rnd(30);
      const b = new OrderBook('T', { maxLevels: max });
      const m = new ModelBook(max);
      const sides = ['bid', 'ask'] as const;
      const make = () => {
        const n = rnd(60);
        let ls = Array.from({ length: n }, level);
        const order = rnd(4);
        if (order === 0) ls = [...new Map(ls.map((l) => [l.price, l])).values()].sort((p, q) => p.price - q.price);
        if (order === 1) ls = [...new Map(ls.map((l) => [l.price, l])).values()].sort((p, q) => q.price - p.price);
        return ls; // 2, 3: as drawn (repeated prices, any order)
      };
      for (let step = 0; step < 40; step++) {
        if (step === 0 || rnd(10) === 0) {
          const bids = make();
          const asks = make();
          if (rnd(2) === 0) b.applySnapshot(bids, asks, step);
          else {
            // The numbers form (the market feed's text path): arrays longer than the counts, stale entries after them.
            const junk = Array.from({ length: 1 + rnd(5) }, level);
            const col = (ls: typeof bids, k: 'price' | 'size') => [...ls, ...junk].map((l) => l[k]);
            b.applySnapshotNumbers(col(bids, 'price'), col(bids, 'size'), bids.length, col(asks, 'price'), col(asks, 'size'), asks.length, step);
          }
          m.snapshot(bids, asks);
        } else {
          const side = sides[rnd(2)]!;
          const l = level();
          b.applyDelta(side, l.price, l.size, step);
          m.delta(side, l.price, l.size);
        }
        for (const side of sides) {
          const want = m.levels(side);
          expect(b.levels(side)).toEqual(want);
          expect(b.levelCount(side)).toBe(want.length);
          expect(b.bestSize(side)).toBe(want[0]?.size);
          const probe = level().price;
          expect(b.sizeAt(side, probe)).toBe((side === 'bid' ? m.bids : m.asks).get(Math.round(probe * 10_000)) ?? 0);
        }
        expect(b.bestBid()).toBe(m.levels('bid')[0]?.price);
        expect(b.bestAsk()).toBe(m.levels('ask')[0]?.price);
        expect(b.sameLevels(m.levels('bid'), m.levels('ask'))).toBe(true);
      }
    }
  });
});
