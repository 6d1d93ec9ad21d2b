/**
 * StrategyViewCache.market(slug) — the one-window lookup strategies use on book and trade events (`ctx.market`):
 * it returns the very object `markets()` lists for that window, follows book changes, never lists a window the port
 * does not, and does not build the other windows' views (their books are not even read).
 */
import { describe, expect, it } from 'vitest';
import { OrderBook } from '../../../bot/core/order-book';
import type { StrategyPort } from '../../../bot/host/strategy-port';
import { StrategyViewCache } from '../../../bot/host/strategy-views';
import type { WindowRecord } from '../../../bot/markets';

function record(i: number): WindowRecord {
  const startMs = 1_767_225_600_000 + i * 300_000;
  return {
    window: { asset: 'btc', kind: '5m', startMs, endMs: startMs + 300_000, slug: `btc-updown-5m-${startMs / 1000}` },
    state: 'open',
    conditionId: `0x${String(i).padStart(64, '0')}`,
    upTokenId: `${100 + 2 * i}`,
    downTokenId: `${101 + 2 * i}`,
    tickSize: 0.01,
    minOrderSize: 5,
    negRisk: false,
    version: 2,
    fees: { rate: 0.072, exponent: 1, takerOnly: true },
  } as unknown as WindowRecord;
}

function world(n: number) {
  const windows = Array.from({ length: n }, (_, i) => record(i));
  const books = new Map<string, OrderBook>();
  for (const r of windows) {
    for (const t of [r.upTokenId, r.downTokenId]) {
      const b = new OrderBook(t);
      b.applySnapshot([{ price: '0.48', size: '10' }], [{ price: '0.52', size: '12' }], 1);
      books.set(t, b);
    }
  }
  const reads: string[] = [];
  const port = {
    windows: () => windows,
    window: (slug: string) => windows.find((w) => w.window.slug === slug),
    book: (t: string) => {
      reads.push(t);
      return books.get(t);
    },
    isBookFresh: () => true,
  } as unknown as StrategyPort;
  return { windows, books, reads, port };
}

describe('market view cache: one window by slug', () => {
  it('returns the object the list holds, before and after the list is built, and follows a book change', () => {
    const { windows, books, port } = world(6);
    const cache = new StrategyViewCache();
    const slug = windows[3]!.window.slug;
    const alone = cache.market(port, slug)!;
    expect(alone.slug).toBe(slug);
    expect(alone.up.bids[0]).toEqual({ price: 0.48, size: 10 });
    const list = cache.markets(port);
    expect(list).toHaveLength(6);
    expect(list[3]).toBe(alone);
    expect(cache.market(port, slug)).toBe(list[3]);

    books.get(windows[3]!.upTokenId)!.applyDelta('bid', 0.5, 7, 2);
    const moved = cache.market(port, slug)!;
    expect(moved).not.toBe(alone);
    expect(moved.up.bids[0]).toEqual({ price: 0.5, size: 7 });
    const list2 = cache.markets(port);
    expect(list2[3]).toBe(moved);
    expect(list2[2]).toBe(list[2]);
  });

  it('reads only that window\'s two books, and answers undefined for a window the port does not list', () => {
    const { windows, reads, port } = world(40);
    const cache = new StrategyViewCache();
    reads.length = 0;
    cache.market(port, windows[7]!.window.slug);
    expect([...new Set(reads)].sort()).toEqual([windows[7]!.downTokenId, windows[7]!.upTokenId].sort());
    expect(cache.market(port, 'btc-updown-5m-1')).toBeUndefined();
  });
});
