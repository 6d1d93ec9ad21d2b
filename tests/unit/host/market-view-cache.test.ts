/**
 * StrategyViewCache.market(slug) — the one-window lookup strategies use on book and trade events (`ctx.market`):
 * it returns the very object `markets()` lists for that window, follows book changes, never lists a window the port
 * does not, and does not build the other windows' views (their books are not even read).
 * StrategyViewCache.openMarkets — the open and closing windows (`ctx.openMarkets`, what strategies evaluate on ticks
 * and reference updates): the objects `markets()` lists, in its order, reading no other window's books, following
 * state and book changes, and forgetting windows the port no longer lists.
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

describe('market view cache: open windows', () => {
  const states = ['resolved', 'resolved', 'closed', 'closing', 'open', 'discovered'] as const;
  function staged() {
    const w = world(states.length);
    w.windows.forEach((r, i) => ((r as { state: string }).state = states[i]!));
    return w;
  }

  it('lists the open and closing windows: the objects markets() lists, in its order, reading only their books', () => {
    const { windows, reads, port } = staged();
    const cache = new StrategyViewCache();
    reads.length = 0;
    const open = cache.openMarkets(port);
    expect(open.map((m) => m.state)).toEqual(['closing', 'open']);
    expect(open.map((m) => m.slug)).toEqual([windows[3]!.window.slug, windows[4]!.window.slug]);
    expect([...new Set(reads)].sort()).toEqual([windows[3]!.upTokenId, windows[3]!.downTokenId, windows[4]!.upTokenId, windows[4]!.downTokenId].sort());
    const all = cache.markets(port);
    expect(all).toHaveLength(states.length);
    expect(open[0]).toBe(all[3]);
    expect(open[1]).toBe(all[4]);
    expect(cache.openMarkets(port)).toBe(open);
  });

  it('follows a book change, a window closing and one opening, with the window list unchanged', () => {
    const { windows, books, port } = staged();
    const cache = new StrategyViewCache();
    const open = cache.openMarkets(port);
    books.get(windows[4]!.upTokenId)!.applyDelta('bid', 0.5, 7, 2);
    const moved = cache.openMarkets(port);
    expect(moved).not.toBe(open);
    expect(moved[0]).toBe(open[0]);
    expect(moved[1]!.up.bids[0]).toEqual({ price: 0.5, size: 7 });
    (windows[3] as { state: string }).state = 'closed';
    const closed = cache.openMarkets(port);
    expect(closed.map((m) => m.slug)).toEqual([windows[4]!.window.slug]);
    expect(closed[0]).toBe(moved[1]);
    (windows[5] as { state: string }).state = 'open';
    expect(cache.openMarkets(port).map((m) => m.slug)).toEqual([windows[4]!.window.slug, windows[5]!.window.slug]);
    expect(cache.markets(port)[5]).toBe(cache.openMarkets(port)[1]);
  });

  it('forgets the views and books of windows the port no longer lists, when only open windows are asked for', () => {
    const all = Array.from({ length: 30 }, (_, i) => record(i));
    let listed = all.slice(0, 4);
    const port = { windows: () => listed, window: (slug: string) => listed.find((w) => w.window.slug === slug), book: () => undefined, isBookFresh: () => false } as unknown as StrategyPort;
    const cache = new StrategyViewCache();
    const held = () => ({ markets: (cache as unknown as { marketsBySlug: Map<string, unknown> }).marketsBySlug.size, books: (cache as unknown as { books: Map<string, unknown> }).books.size });
    for (let i = 0; i + 4 <= all.length; i++) {
      listed = all.slice(i, i + 4);
      expect(cache.openMarkets(port).map((m) => m.slug)).toEqual(listed.map((r) => r.window.slug));
    }
    expect(held()).toEqual({ markets: 4, books: 8 });
  });
});
