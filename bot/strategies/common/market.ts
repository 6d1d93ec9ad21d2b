/**
 * Small pure helpers over the market views: window timing, tick rounding, book tops and depth.
 * Invariants: never mutate views; times in ms, prices on the market tick after roundToTick*.
 */
import type { BookView, MarketView, Outcome, PriceLevel, StrategyContext } from '../context';
import type { StrategyEvent } from '../events';

export function secondsInto(m: MarketView, nowMs: number): number {
  return (nowMs - m.startMs) / 1000;
}

export function secondsLeft(m: MarketView, nowMs: number): number {
  return (m.endMs - nowMs) / 1000;
}

/** True while the window accepts new orders from a strategy (open, inside [start, end)). */
/**
 * Open for new orders: `open`, or `closing` (the venue still trades in the last seconds before the end; the
 * lifecycle marks them so strategies that must wind down, e.g. the maker's pull-before-end, can see it).
 */
export function isTradable(m: MarketView, nowMs: number): boolean {
  return (m.state === 'open' || m.state === 'closing') && nowMs >= m.startMs && nowMs < m.endMs;
}

/**
 * The context's markets of one series (asset + window lengths): the context's own list when every window in it is of
 * the series (the common case: nothing is allocated), else a filtered copy. Callers must not mutate the result.
 * Not memoised: a memo kept per list (a WeakMap keyed by it, as before) held each list's filtered copies and the views
 * in them past young-generation collections, which promoted them all (most of a replay's old-generation garbage).
 */
export function seriesMarkets(
  ctx: StrategyContext,
  asset: string,
  windowSecs: readonly number[],
): readonly MarketView[] {
  return seriesOf(ctx.markets, asset, windowSecs);
}

/** The windows of one series in one of the context's lists (`markets` or `openMarkets`). */
function seriesOf(all: readonly MarketView[], asset: string, windowSecs: readonly number[]): readonly MarketView[] {
  for (let i = 0; i < all.length; i++) {
    const m = all[i]!;
    if (m.asset !== asset || !windowSecs.includes(m.windowSec)) return all.filter((x) => x.asset === asset && windowSecs.includes(x.windowSec));
  }
  return all;
}

/**
 * The series markets an event can change, in the order of the context's list: a `book` or `trade` event changes only
 * its own window, so only that one is evaluated; other windows are evaluated on their own book events, on reference
 * updates and on the host's tick (1 s), whatever the number of windows the catalog holds. On those, only the open and
 * closing windows are listed where the context has them (`ctx.openMarkets`): callers evaluate only what `isTradable`
 * accepts, which no other window is, and the catalog's closed and resolved windows then cost nothing.
 */
export function marketsToEvaluate(ev: StrategyEvent, ctx: StrategyContext, asset: string, windowSecs: readonly number[]): readonly MarketView[] {
  if (ev.kind !== 'book' && ev.kind !== 'trade') return seriesOf(ctx.openMarkets ?? ctx.markets, asset, windowSecs);
  // The event's own window, if it is of the series (slugs are unique, so this is the series list's match, without
  // building that list: book events come on every book change).
  const m = findMarket(ctx, ev.slug);
  return m && m.asset === asset && windowSecs.includes(m.windowSec) ? [m] : NONE;
}

const NONE: readonly MarketView[] = Object.freeze([]);

/** True when the market belongs to the configured series (asset + window lengths). */
export function inSeries(m: MarketView | undefined, cfg: { asset: string; windowSecs: readonly number[] }): boolean {
  return m !== undefined && m.asset === cfg.asset && cfg.windowSecs.includes(m.windowSec);
}

/** The context's window with this slug: `ctx.market` where the context has it (one view built), else a search. */
export function findMarket(ctx: StrategyContext, slug: string): MarketView | undefined {
  return ctx.market ? ctx.market(slug) : ctx.markets.find((m) => m.slug === slug);
}

export function bookOf(m: MarketView, outcome: Outcome): BookView {
  return outcome === 'up' ? m.up : m.down;
}

export function tokenOf(m: MarketView, outcome: Outcome): string {
  return outcome === 'up' ? m.upTokenId : m.downTokenId;
}

export function outcomeOfToken(m: MarketView, tokenId: string): Outcome | undefined {
  if (tokenId === m.upTokenId) return 'up';
  if (tokenId === m.downTokenId) return 'down';
  return undefined;
}

export function bestBid(b: BookView): number | undefined {
  return b.bids[0]?.price;
}

export function bestAsk(b: BookView): number | undefined {
  return b.asks[0]?.price;
}

export function mid(b: BookView): number | undefined {
  const bid = bestBid(b);
  const ask = bestAsk(b);
  if (bid === undefined || ask === undefined) return undefined;
  return (bid + ask) / 2;
}

/** Sum of size over levels accepted by `keep` (levels are best-first; stops at the first rejected level). */
export function depthShares(levels: readonly PriceLevel[], keep: (price: number) => boolean): number {
  let s = 0;
  for (const l of levels) {
    if (!keep(l.price)) break;
    s += l.size;
  }
  return s;
}

export function depthUsd(levels: readonly PriceLevel[], keep: (price: number) => boolean): number {
  let s = 0;
  for (const l of levels) {
    if (!keep(l.price)) break;
    s += l.size * l.price;
  }
  return s;
}

const EPS = 1e-9;

/** Round a price down to the tick (for bids), guarded against FP noise. */
export function roundDownToTick(p: number, tick: number): number {
  return roundTickDecimals(Math.floor(p / tick + EPS) * tick, tick);
}

export function roundUpToTick(p: number, tick: number): number {
  return roundTickDecimals(Math.ceil(p / tick - EPS) * tick, tick);
}

export function roundToTick(p: number, tick: number): number {
  return roundTickDecimals(Math.round(p / tick) * tick, tick);
}

function roundTickDecimals(p: number, tick: number): number {
  const dp = Math.max(0, Math.ceil(-Math.log10(tick) - EPS));
  return Number(p.toFixed(dp));
}

/** Clamp a limit price into the venue's valid range [tick, 1 − tick]. */
export function clampPrice(p: number, tick: number): number {
  return Math.min(1 - tick, Math.max(tick, p));
}

/** Round shares down to 2 decimals (venue size precision). */
export function roundShares(x: number): number {
  return Math.floor(x * 100 + EPS) / 100;
}
