/**
 * Builds the read-only StrategyContext parts from the trading port: market views (windows + best-first books),
 * the reference view (1 s Chainlink history, TWAP-60, spot, stale flag) and a strategy's open orders.
 *
 * Invariants: the free functions rebuild views from current state on every call. `StrategyViewCache` (what the
 * strategy host uses) reuses a book view until the book's `version` or freshness changes, a market view until one of
 * its books or the window's state, price to beat or winner changes, and the reference view until a new sample or a
 * stale-flag change: never stale, and a replay of millions of frames does not rebuild (and collect) every view on
 * every event. Windows forgotten after resolution are not shown; book levels are best-first, positive sizes only.
 */
import type { TrackedOrder } from '../execution';
import type { WindowRecord } from '../markets';
import type { BookView, MarketView, OpenOrderView, ReferenceView } from '../strategies/context';
import type { StrategyPort } from './strategy-port';

const DEPTH = 20;
const REFERENCE_HISTORY = 240;

export function bookView(port: StrategyPort, tokenId: string): BookView {
  const b = port.book(tokenId);
  if (!b) return { tokenId, bids: [], asks: [], fresh: false, updatedMs: 0 };
  return {
    tokenId,
    bids: b.levels('bid', DEPTH).filter((l) => l.size > 0),
    asks: b.levels('ask', DEPTH).filter((l) => l.size > 0),
    fresh: port.isBookFresh(tokenId),
    updatedMs: b.lastUpdateMs,
  };
}

export function marketView(port: StrategyPort, r: WindowRecord): MarketView {
  return marketViewFrom(r, bookView(port, r.upTokenId), bookView(port, r.downTokenId));
}

function marketViewFrom(r: WindowRecord, up: BookView, down: BookView): MarketView {
  const state = r.state === 'discovered' ? 'upcoming' : r.state;
  return {
    slug: r.window.slug,
    asset: r.window.asset,
    windowSec: (r.window.endMs - r.window.startMs) / 1000,
    startMs: r.window.startMs,
    endMs: r.window.endMs,
    upTokenId: r.upTokenId,
    downTokenId: r.downTokenId,
    tickSize: r.tickSize,
    minOrderSize: r.minOrderSize,
    fee: { rate: r.fees.rate, exponent: r.fees.exponent, takerOnly: r.fees.takerOnly },
    state,
    up,
    down,
    ...(r.priceToBeat !== undefined ? { priceToBeat: r.priceToBeat } : {}),
    ...(r.winner ? { winner: r.winner } : {}),
  };
}

export function marketViews(port: StrategyPort): MarketView[] {
  return port.windows().map((r) => marketView(port, r));
}

export function referenceView(port: StrategyPort): ReferenceView {
  const ref = port.reference;
  const all = ref.live.all();
  const history = all.length > REFERENCE_HISTORY ? all.slice(all.length - REFERENCE_HISTORY) : all;
  const latest = ref.live.latest();
  const twap = ref.twap.latest();
  return {
    ...(latest ? { latest } : {}),
    history,
    ...(twap ? { twap60: twap } : {}),
    ...(ref.spot ? { spot: ref.spot } : {}),
    stale: port.referenceStale(),
  };
}

export function openOrderViews(orders: readonly TrackedOrder[]): OpenOrderView[] {
  return orders.map((o) => ({
    clientTag: o.clientTag,
    tokenId: o.tokenId,
    side: o.side,
    price: o.price,
    size: o.size ?? (o.usd !== undefined && o.price > 0 ? o.usd / o.price : 0),
    filledSize: o.filledSize,
    postOnly: o.postOnly,
  }));
}

interface CachedMarket {
  state: WindowRecord['state'];
  priceToBeat: number | undefined;
  winner: WindowRecord['winner'];
  tickSize: number;
  minOrderSize: number;
  up: BookView;
  down: BookView;
  view: MarketView;
}

/** Views reused across events while their inputs are unchanged (see the header). Bounded by the port's windows. */
export class StrategyViewCache {
  private books = new Map<string, { book: unknown; version: number; fresh: boolean; view: BookView }>();
  private marketsBySlug = new Map<string, CachedMarket>();
  private lastWindows: readonly WindowRecord[] | undefined;
  private lastMarkets: MarketView[] | undefined;
  private ref: { live: number; twap: number; spot: unknown; stale: boolean; view: ReferenceView } | undefined;

  book(port: StrategyPort, tokenId: string): BookView {
    const b = port.book(tokenId);
    const fresh = b ? port.isBookFresh(tokenId) : false;
    const c = this.books.get(tokenId);
    if (c && c.book === b && c.version === (b?.version ?? -1) && c.fresh === fresh) return c.view;
    const view = bookView(port, tokenId);
    this.books.set(tokenId, { book: b, version: b?.version ?? -1, fresh, view });
    return view;
  }

  markets(port: StrategyPort): MarketView[] {
    const windows = port.windows();
    let changed = windows !== this.lastWindows || this.lastMarkets === undefined;
    const out: MarketView[] = [];
    for (const r of windows) {
      const up = this.book(port, r.upTokenId);
      const down = this.book(port, r.downTokenId);
      const c = this.marketsBySlug.get(r.window.slug);
      if (c && c.state === r.state && c.priceToBeat === r.priceToBeat && c.winner === r.winner && c.tickSize === r.tickSize && c.minOrderSize === r.minOrderSize && c.up === up && c.down === down) {
        out.push(c.view);
        continue;
      }
      changed = true;
      const view = marketViewFrom(r, up, down);
      this.marketsBySlug.set(r.window.slug, { state: r.state, priceToBeat: r.priceToBeat, winner: r.winner, tickSize: r.tickSize, minOrderSize: r.minOrderSize, up, down, view });
      out.push(view);
    }
    if (!changed) return this.lastMarkets!;
    if (windows !== this.lastWindows) {
      // The window set changed: forget views (and books) of windows no longer listed.
      const live = new Set(windows.map((r) => r.window.slug));
      for (const slug of this.marketsBySlug.keys()) if (!live.has(slug)) this.marketsBySlug.delete(slug);
      const tokens = new Set(windows.flatMap((r) => [r.upTokenId, r.downTokenId]));
      for (const t of this.books.keys()) if (!tokens.has(t)) this.books.delete(t);
    }
    this.lastWindows = windows;
    this.lastMarkets = out;
    return out;
  }

  reference(port: StrategyPort): ReferenceView {
    const ref = port.reference;
    const stale = port.referenceStale();
    const c = this.ref;
    // Spot moves tens of times a second and the live series once a second: the (copied) history is rebuilt only when
    // the live series changed, the small wrapper when anything did.
    if (c && c.live === ref.live.version && c.twap === ref.twap.version && c.spot === ref.spot && c.stale === stale) return c.view;
    const history = c && c.live === ref.live.version ? c.view.history : referenceView(port).history;
    const latest = ref.live.latest();
    const twap = ref.twap.latest();
    const view: ReferenceView = { ...(latest ? { latest } : {}), history, ...(twap ? { twap60: twap } : {}), ...(ref.spot ? { spot: ref.spot } : {}), stale };
    this.ref = { live: ref.live.version, twap: ref.twap.version, spot: ref.spot, stale, view };
    return view;
  }

}
