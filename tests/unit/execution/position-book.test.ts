/**
 * PositionBook (bot/execution/positions.ts): bounded to `maxWindows` windows, oldest settled ones evicted first, and
 * the realised PnL of the evicted windows still counted in totalRealizedUsd() (the risk day reads it as a running
 * total: a forgotten window must not look like a loss or a gain).
 */
import { describe, expect, it } from 'vitest';
import { PositionBook, type LedgerFill } from '../../../bot/execution/positions';

const buy = (key: string, price: number, size: number, feeUsd = 0): LedgerFill => ({ key, side: 'BUY', price, size, feeUsd, status: 'CONFIRMED' });

describe('PositionBook eviction', () => {
  it('keeps at most maxWindows windows, evicting settled ones, and the running realised total does not move', () => {
    const book = new PositionBook(3);
    let expected = 0;
    for (let i = 0; i < 10; i++) {
      const w = `w${i}`;
      book.upsertFill(w, `${w}-up`, buy(`${w}-f`, 0.4, 10, 0.01));
      // Windows alternate winning (+10×0.6 − fee) and losing (−10×0.4 − fee).
      const win = i % 2 === 0;
      book.settle(w, win ? `${w}-up` : `${w}-down`);
      expected += win ? 10 - 4 - 0.01 : -4 - 0.01;
      expect(book.totalRealizedUsd()).toBeCloseTo(expected, 6);
    }
    const windows = new Set(book.all().map((p) => p.windowSlug));
    expect(windows.size).toBeLessThanOrEqual(3);
    expect(windows.has('w9')).toBe(true);
    expect(windows.has('w0')).toBe(false);
  });

  it('never evicts an open (unsettled) window, even past the bound', () => {
    const book = new PositionBook(2);
    for (let i = 0; i < 4; i++) book.upsertFill(`o${i}`, `o${i}-up`, buy(`o${i}-f`, 0.5, 2));
    expect(new Set(book.all().map((p) => p.windowSlug)).size).toBe(4);
    expect(book.totalRealizedUsd()).toBe(0);
  });
});
