/**
 * Builds the read-only StrategyContext parts from the trading port: market views (windows + best-first books),
 * the reference view (1 s Chainlink history, TWAP-60, spot, stale flag) and a strategy's open orders.
 *
 * Invariants: the free functions rebuild views from current state on every call. `StrategyViewCache` (what the
 * strategy host uses) reuses a book view until the book's `version` or freshness changes, a market view until one of
 * its books or the window's state, price to beat or winner changes, and the reference view until a new sample or a
 * stale-flag change: never stale, and a replay of millions of frames does not rebuild (and collect) every view on
 * every event. `openMarkets` lists the open and closing windows' views alone (the catalog keeps a dozen or more closed
 * and resolved windows, which strategies looking for trades skip). Windows forgotten after resolution are not shown,
 * and their cache entries go when the port's window list changes; book levels are best-first, positive sizes only.
 */
import type { TrackedOrder } from '../execution';
import type { WindowRecord } from '../markets';
import type { OrderBook } from '../core/order-book';
import type { BookView, MarketView, OpenOrderView, PriceLevel, PriceSample, ReferenceView } from '../strategies/context';
import type { StrategyPort } from './strategy-port';
import { ReferenceStore } from '../core/reference-store';

/** An asset the session does not price (yet): an empty reference, never another asset's. */
const EMPTY_REFERENCE = new ReferenceStore(1);

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

/** `bookView` of a present book, reusing `prev`'s level lists where unchanged (equal content, see levelsReusing). */
function bookViewOf(b: OrderBook, tokenId: string, fresh: boolean, prev: BookView): BookView {
  return { tokenId, bids: positive(b.levelsReusing('bid', DEPTH, prev.bids)), asks: positive(b.levelsReusing('ask', DEPTH, prev.asks)), fresh, updatedMs: b.lastUpdateMs };
}

/** The levels with a positive size (a book holds no others; kept as the free function filters). */
function positive(levels: readonly PriceLevel[]): readonly PriceLevel[] {
  for (const l of levels) if (!(l.size > 0)) return levels.filter((x) => x.size > 0);
  return levels;
}

export function marketView(port: StrategyPort, r: WindowRecord): MarketView {
  return marketViewFrom(r, bookView(port, r.upTokenId), bookView(port, r.downTokenId));
}

/**
 * A window's view. Built key by key (the same keys in the same order as an object literal with the optional ones
 * spread in), reusing `prev`'s fee object when the schedule is unchanged: this runs on every book change.
 */
function marketViewFrom(r: WindowRecord, up: BookView, down: BookView, prev?: MarketView): MarketView {
  const f = r.fees;
  const pf = prev?.fee;
  const v = {
    slug: r.window.slug,
    asset: r.window.asset,
    windowSec: (r.window.endMs - r.window.startMs) / 1000,
    startMs: r.window.startMs,
    endMs: r.window.endMs,
    upTokenId: r.upTokenId,
    downTokenId: r.downTokenId,
    tickSize: r.tickSize,
    minOrderSize: r.minOrderSize,
    fee: pf && pf.rate === f.rate && pf.exponent === f.exponent && pf.takerOnly === f.takerOnly ? pf : { rate: f.rate, exponent: f.exponent, takerOnly: f.takerOnly },
    state: r.state === 'discovered' ? 'upcoming' : r.state,
    up,
    down,
  } as { -readonly [K in keyof MarketView]: MarketView[K] };
  if (r.priceToBeat !== undefined) v.priceToBeat = r.priceToBeat;
  if (r.winner) v.winner = r.winner;
  return v;
}

export function marketViews(port: StrategyPort): MarketView[] {
  return port.windows().map((r) => marketView(port, r));
}

/** The reference view's history: the last REFERENCE_HISTORY live samples (a copy when the series is longer). */
function referenceHistory(ref: ReferenceStore): readonly PriceSample[] {
  return ref.live.tail(REFERENCE_HISTORY);
}

export function referenceView(port: StrategyPort): ReferenceView {
  const ref = port.reference;
  const history = referenceHistory(ref);
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

interface CachedBook {
  readonly tokenId: string;
  book: OrderBook | undefined;
  version: number;
  fresh: boolean;
  view: BookView;
}

interface CachedMarket {
  /** The entries of the window's two tokens (also in `books`). */
  upEntry: CachedBook;
  downEntry: CachedBook;
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
  private books = new Map<string, CachedBook>();
  private marketsBySlug = new Map<string, CachedMarket>();
  private lastWindows: readonly WindowRecord[] | undefined;
  private lastMarkets: MarketView[] | undefined;
  /** The cache entry of each window of `lastWindows`, by position. */
  private lastEntries: (CachedMarket | undefined)[] = [];
  private lastOpenWindows: readonly WindowRecord[] | undefined;
  private lastOpen: MarketView[] = [];
  /** The window list the cache's entries were last pruned against (forgetUnlisted). */
  private listed: readonly WindowRecord[] | undefined;
  /** Per asset ('' = the port's primary reference). */
  private readonly refs = new Map<string, { live: number; twap: number; spot: unknown; stale: boolean; view: ReferenceView }>();

  book(port: StrategyPort, tokenId: string): BookView {
    return this.bookEntry(port, tokenId, this.books.get(tokenId)).view;
  }

  /** A token's cache entry (`c`, its current one, if any), its view rebuilt when the book, version or freshness moved. */
  private bookEntry(port: StrategyPort, tokenId: string, c: CachedBook | undefined): CachedBook {
    const b = port.book(tokenId);
    const fresh = b ? port.isBookFresh(tokenId) : false;
    if (c && c.book === b && c.version === (b?.version ?? -1) && c.fresh === fresh) return c;
    // Same book, new version: its level lists (and unchanged level objects) are reused where nothing moved.
    const view = b && c && c.book === b ? bookViewOf(b, tokenId, fresh, c.view) : bookView(port, tokenId);
    if (c) {
      c.book = b;
      c.version = b?.version ?? -1;
      c.fresh = fresh;
      c.view = view;
      return c;
    }
    const entry: CachedBook = { tokenId, book: b, version: b?.version ?? -1, fresh, view };
    this.books.set(tokenId, entry);
    return entry;
  }

  markets(port: StrategyPort): MarketView[] {
    const windows = port.windows();
    const same = windows === this.lastWindows;
    const last = same ? this.lastMarkets : undefined;
    // Nothing is allocated while every window's view is the one returned last time (the common case: one book moved
    // below the depth shown, or not at all). While the window list is the same array, entry i belongs to window i.
    let out: MarketView[] | undefined = last ? undefined : [];
    const entries = same ? this.lastEntries : new Array<CachedMarket | undefined>(windows.length);
    for (let i = 0; i < windows.length; i++) {
      const r = windows[i]!;
      const c = this.marketEntry(port, r, entries[i] ?? this.marketsBySlug.get(r.window.slug));
      entries[i] = c;
      const view = c.view;
      if (out) out.push(view);
      else if (last![i] !== view) {
        out = last!.slice(0, i);
        out.push(view);
      }
    }
    if (!out) return last!;
    this.forgetUnlisted(windows);
    this.lastWindows = windows;
    this.lastEntries = entries;
    this.lastMarkets = out;
    return out;
  }

  /**
   * The views of the windows in state `open` or `closing`, in `markets` order (the same objects `markets` lists):
   * only these windows' books are read. The same array while every one of them is unchanged.
   */
  openMarkets(port: StrategyPort): MarketView[] {
    const windows = port.windows();
    const last = windows === this.lastOpenWindows ? this.lastOpen : undefined;
    let out: MarketView[] | undefined = last ? undefined : [];
    let n = 0;
    for (let i = 0; i < windows.length; i++) {
      const r = windows[i]!;
      if (r.state !== 'open' && r.state !== 'closing') continue;
      const view = this.marketEntry(port, r, this.marketsBySlug.get(r.window.slug)).view;
      if (out) out.push(view);
      else if (last![n] !== view) {
        out = last!.slice(0, n);
        out.push(view);
      }
      n++;
    }
    if (!out) {
      if (last!.length === n) return last!;
      out = last!.slice(0, n);
    }
    this.forgetUnlisted(windows);
    this.lastOpenWindows = windows;
    this.lastOpen = out;
    return out;
  }

  /** When the port's window list is a new one: forget the views (and books) of windows it no longer lists. */
  private forgetUnlisted(windows: readonly WindowRecord[]): void {
    if (windows === this.listed) return;
    this.listed = windows;
    const live = new Set(windows.map((r) => r.window.slug));
    for (const slug of this.marketsBySlug.keys()) if (!live.has(slug)) this.marketsBySlug.delete(slug);
    const tokens = new Set(windows.flatMap((r) => [r.upTokenId, r.downTokenId]));
    for (const t of this.books.keys()) if (!tokens.has(t)) this.books.delete(t);
  }

  /**
   * One window's view, as `markets` would list it (the same object), without visiting the other windows; undefined
   * for a window the port does not list.
   */
  market(port: StrategyPort, slug: string): MarketView | undefined {
    const r = port.window(slug);
    return r ? this.marketEntry(port, r, this.marketsBySlug.get(slug)).view : undefined;
  }

  /**
   * One window's cache entry (`c`, its current one, if any): its view is kept while the books, state, price to beat,
   * winner, tick and size are unchanged, else rebuilt.
   */
  private marketEntry(port: StrategyPort, r: WindowRecord, c: CachedMarket | undefined): CachedMarket {
    const upEntry = this.bookEntry(port, r.upTokenId, c?.upEntry.tokenId === r.upTokenId ? c.upEntry : this.books.get(r.upTokenId));
    const downEntry = this.bookEntry(port, r.downTokenId, c?.downEntry.tokenId === r.downTokenId ? c.downEntry : this.books.get(r.downTokenId));
    const up = upEntry.view;
    const down = downEntry.view;
    if (c && c.state === r.state && c.priceToBeat === r.priceToBeat && c.winner === r.winner && c.tickSize === r.tickSize && c.minOrderSize === r.minOrderSize && c.up === up && c.down === down) return c;
    const view = marketViewFrom(r, up, down, c?.view);
    if (c) {
      c.state = r.state;
      c.priceToBeat = r.priceToBeat;
      c.winner = r.winner;
      c.tickSize = r.tickSize;
      c.minOrderSize = r.minOrderSize;
      c.up = up;
      c.down = down;
      c.view = view;
      return c;
    }
    const entry: CachedMarket = { upEntry, downEntry, state: r.state, priceToBeat: r.priceToBeat, winner: r.winner, tickSize: r.tickSize, minOrderSize: r.minOrderSize, up, down, view };
    this.marketsBySlug.set(r.window.slug, entry);
    return entry;
  }

  /** The reference view of one asset (its own store and staleness), or the port's primary reference without one. */
  reference(port: StrategyPort, asset?: string): ReferenceView {
    const own = asset !== undefined && port.referenceOf ? port.referenceOf(asset) : undefined;
    const ref = own ?? (asset !== undefined && port.referenceOf ? EMPTY_REFERENCE : port.reference);
    const stale = asset !== undefined && port.referenceStaleOf ? port.referenceStaleOf(asset) : port.referenceStale();
    const key = asset ?? '';
    const c = this.refs.get(key);
    // Spot moves tens of times a second and the live series once a second: the (copied) history is rebuilt only when
    // the live series changed, the small wrapper when anything did.
    if (c && c.live === ref.live.version && c.twap === ref.twap.version && c.spot === ref.spot && c.stale === stale) return c.view;
    const history = c && c.live === ref.live.version ? c.view.history : referenceHistory(ref);
    const latest = ref.live.latest();
    const twap = ref.twap.latest();
    // The referenceView shape and key order, built without spreads (this runs on most events: spot moves at 50 Hz).
    const view = {} as { -readonly [K in keyof ReferenceView]: ReferenceView[K] };
    if (latest) view.latest = latest;
    view.history = history;
    if (twap) view.twap60 = twap;
    if (ref.spot) view.spot = ref.spot;
    view.stale = stale;
    if (c) {
      c.live = ref.live.version;
      c.twap = ref.twap.version;
      c.spot = ref.spot;
      c.stale = stale;
      c.view = view;
    } else this.refs.set(key, { live: ref.live.version, twap: ref.twap.version, spot: ref.spot, stale, view });
    return view;
  }

}
