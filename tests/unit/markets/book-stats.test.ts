/** Book-shape statistics on small hand-made books: best levels from unsorted arrays, the 5-cent window, ticks, percentiles. */
import { describe, expect, it } from 'vitest';
import { BookStatsAccumulator, bookStats, formatBookStats, measureSnapshot, percentile, type SnapshotIn } from '../../../bot/markets/book-stats';

const lv = (price: number, size: number) => ({ price, size });

/** A one-level-per-side book around a bid (tick 0.01). */
function simple(bid: number, ask: number, bidSize: number, askSize: number, tickSize?: string): SnapshotIn {
  return { bids: [lv(bid, bidSize)], asks: [lv(ask, askSize)], ...(tickSize ? { tickSize } : {}) };
}

describe('measureSnapshot', () => {
  it('finds the best levels in unsorted wire strings (best last, as the venue sends them) and measures the book', () => {
    const m = measureSnapshot({
      bids: [{ price: '0.01', size: '1000' }, { price: '0.48', size: '100' }, { price: '0.5', size: '10' }, { price: '0.49', size: '20' }],
      asks: [{ price: '0.99', size: '500' }, { price: '0.52', size: '5' }, { price: '0.51', size: '30' }],
      tickSize: '0.01',
    })!;
    expect(m.bestBid).toBe(0.5);
    expect(m.bestAsk).toBe(0.51);
    expect(m.mid).toBeCloseTo(0.505, 12);
    expect(m.spreadTicks).toBe(1);
    expect(m.touchUsd).toBeCloseTo(0.5 * 10 + 0.51 * 30, 9);
    // 0.50, 0.49, 0.48 are within 5 cents of the best bid; 0.01 is not.
    expect(m.bidDepth5cUsd).toBeCloseTo(0.5 * 10 + 0.49 * 20 + 0.48 * 100, 9);
    expect(m.levels).toBe(7);
  });

  it('counts the level exactly 5 cents below the best bid even where floating point says 0.2 - 0.05 > 0.15', () => {
    expect(0.2 - 0.05 > 0.15).toBe(true);
    const m = measureSnapshot({ bids: [lv(0.14, 1000), lv(0.15, 100), lv(0.2, 10)], asks: [lv(0.21, 1)] })!;
    expect(m.bidDepth5cUsd).toBeCloseTo(0.15 * 100 + 0.2 * 10, 9);
  });

  it('ignores empty levels, needs both sides, and orders the best levels by price not position', () => {
    expect(measureSnapshot({ bids: [], asks: [lv(0.5, 1)] })).toBeUndefined();
    expect(measureSnapshot({ bids: [lv(0.4, 0)], asks: [lv(0.5, 1)] })).toBeUndefined();
    const m = measureSnapshot({ bids: [lv(0.45, 3), lv(0.47, 0), lv(0.44, 9)], asks: [lv(0.5, 2), lv(0.49, 0)] })!;
    expect(m.bestBid).toBe(0.45);
    expect(m.bestAsk).toBe(0.5);
    expect(m.spreadTicks).toBe(5);
    expect(m.levels).toBe(3);
  });

  it('uses the stated tick, else infers 0.001 from an off-cent price', () => {
    expect(measureSnapshot(simple(0.95, 0.96, 1, 1, '0.001'))!.spreadTicks).toBe(10);
    const inferred = measureSnapshot({ bids: [lv(0.961, 5), lv(0.96, 5)], asks: [lv(0.963, 5)] })!;
    expect(inferred.tick).toBe(0.001);
    expect(inferred.spreadTicks).toBe(2);
    expect(measureSnapshot(simple(0.3, 0.32, 1, 1))!.tick).toBe(0.01);
  });
});

describe('percentile', () => {
  it('interpolates linearly between order statistics', () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7, 12);
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([], 0.5)).toBeNaN();
  });
});

describe('bookStats over a stream', () => {
  const books: SnapshotIn[] = [
    simple(0.5, 0.51, 100, 100), // touch 101, spread 1
    simple(0.3, 0.31, 10, 10), // touch 6.1, spread 1
    simple(0.6, 0.62, 50, 50), // touch 61, spread 2
    simple(0.2, 0.23, 20, 20), // touch 8.6, spread 3
    simple(0.95, 0.96, 1000, 1000, '0.01'), // mid 0.955: outside [0.1, 0.9], not measured
    { bids: [lv(0.998, 5)], asks: [lv(0.999, 5)], tickSize: '0.001' }, // fine tick at a mid of 0.9985
    { bids: [], asks: [lv(0.5, 1)] }, // no mid
  ];

  it('measures only mids in [0.1, 0.9] and summarises spread, touch, depth and levels', () => {
    const s = bookStats(books);
    expect(s.snapshots).toBe(7);
    expect(s.measured).toBe(4);
    expect(s.oneTickShare).toBe(0.5);
    expect(s.spreadTicksP50).toBe(1.5);
    expect(s.spreadTicksP90).toBeCloseTo(2.7, 12);
    // touch sorted: 6.1, 8.6, 61, 101
    expect(s.touchUsdP50).toBeCloseTo((8.6 + 61) / 2, 9);
    expect(s.touchUsdP90).toBeCloseTo(61 + 0.7 * 40, 9);
    // depth (one bid level each): 3, 4, 30, 50
    expect(s.bidDepth5cUsdP50).toBeCloseTo((4 + 30) / 2, 9);
    expect(s.levelsP50).toBe(2);
    expect(formatBookStats('t', s)).toContain('one-tick=50.0%');
  });

  it('records which tick was seen at which mid, over all snapshots', () => {
    const s = bookStats(books);
    expect(s.tick.coarseMidMin).toBeCloseTo(0.215, 12);
    expect(s.tick.coarseMidMax).toBeCloseTo(0.955, 12);
    expect(s.tick.fineCount).toBe(1);
    expect(s.tick.fineInnermostMid).toBeCloseTo(0.9985, 12);
  });

  it('stays bounded: samples beyond maxSamples are counted as dropped', () => {
    const acc = new BookStatsAccumulator(2);
    for (const b of books) acc.add(b);
    const s = acc.stats();
    expect(s.measured).toBe(2);
    expect(s.dropped).toBe(2);
    expect(s.snapshots).toBe(7);
  });
});
