/**
 * The per-series and per-asset parts of the dashboard's trading snapshot (bot/views/trading-snapshot.ts): one entry
 * per configured series (its current and next window from the clock, what the venue session's catalog knows of them,
 * both books' tops, the last resolved window) and one entry per asset (its reference and spot prices, how old its
 * reference is and whether the feed gate calls it stale).
 *
 * Invariants: no series kind or asset is assumed (any asset and window length the config lists, in config order);
 * a window's identity comes from the series' own slug scheme (bot/markets/slug.ts), its state from the catalog; each
 * asset is read from its own reference store only (never another asset's); bounded by the config (≤ 32 series).
 */
import type { OrderBook } from '../core/order-book';
import type { ReferenceStore } from '../core/reference-store';
import { assetName, seriesDef, type SeriesDef } from '../core/series';
import { nextWindow, parseSlug, seriesKeyOfWindow, seriesWindowAt, type MarketWindow, type WindowRecord } from '../markets';
import type { EventOf } from '../../lib/schemas/events';
import { tradingLimits, type AssetView, type BookTop, type ResolvedWindow, type SeriesView, type WindowView } from '../../lib/schemas/trading';

/** The slice of a venue session these views read (a VenueSession satisfies it structurally). */
export interface SeriesSessionView {
  readonly catalog: { all(): readonly WindowRecord[]; get(slug: string): WindowRecord | undefined };
  readonly marketFeed: { book(tokenId: string): Pick<OrderBook, 'ready' | 'top'> | undefined };
  readonly references: { assets(): string[]; get(asset: string): ReferenceStore | undefined };
  /** The reference feed (undefined: none at all, e.g. no CLOB API credentials). */
  readonly refFeed: unknown;
}

const MAX_RESOLVED_KEYS = 64;
const MAX_DISCOVERED = 256;

/** Resolutions seen on the bus, by series key (the catalog is rebuilt on every start). */
export class ResolvedLog {
  private readonly bySeries = new Map<string, ResolvedWindow>();
  /** slug -> series of windows discovered with an asset (slugs no scheme parses, e.g. a listing's). */
  private readonly discovered = new Map<string, Pick<MarketWindow, 'asset' | 'kind' | 'endMs'>>();

  onDiscovered(e: EventOf<'market.discovered'>): void {
    const asset = e.asset ?? parseSlug(e.slug, e.startMs)?.asset;
    if (!asset) return;
    this.discovered.delete(e.slug);
    this.discovered.set(e.slug, { asset, kind: e.kind, endMs: e.endMs });
    if (this.discovered.size > MAX_DISCOVERED) this.discovered.delete(this.discovered.keys().next().value!);
  }

  onResolved(e: EventOf<'market.resolved'>): void {
    const w = parseSlug(e.slug, e.tsEventMs) ?? this.discovered.get(e.slug);
    if (!w) return;
    const key = seriesKeyOfWindow(w);
    const prev = this.bySeries.get(key);
    if (prev && prev.endMs > w.endMs) return;
    this.bySeries.delete(key);
    this.bySeries.set(key, { slug: e.slug, endMs: w.endMs, winner: e.winner });
    if (this.bySeries.size > MAX_RESOLVED_KEYS) this.bySeries.delete(this.bySeries.keys().next().value!);
  }

  get(key: string): ResolvedWindow | undefined {
    return this.bySeries.get(key);
  }
}

/** What every window slug of a series starts and ends with (the browser's filter matches rows by them). */
export function slugMatchOf(def: SeriesDef): { slugPrefix: string; slugSuffix: string } {
  if (def.slugScheme === 'hourly-et') return { slugPrefix: `${assetName(def.asset).toLowerCase()}-up-or-down-`, slugSuffix: '-et' };
  return { slugPrefix: `${def.asset}-updown-${def.kind}-`, slugSuffix: '' };
}

function top(stack: SeriesSessionView | undefined, tokenId: string): BookTop | null {
  const b = stack?.marketFeed.book(tokenId);
  if (!b || !b.ready) return null;
  const t = b.top();
  return { tokenId, bestBid: t.bestBid?.price ?? null, bestAsk: t.bestAsk?.price ?? null, bidSize: t.bestBid?.size ?? null, askSize: t.bestAsk?.size ?? null };
}

function windowView(w: MarketWindow, rec: WindowRecord | undefined, stack: SeriesSessionView | undefined): WindowView {
  return {
    slug: rec?.window.slug ?? w.slug,
    kind: w.kind,
    startMs: w.startMs,
    endMs: w.endMs,
    state: rec?.state ?? null,
    priceToBeatUsd: rec?.priceToBeat ?? null,
    priceToBeatSource: rec?.priceToBeat !== undefined ? (rec.priceToBeatSource ?? null) : null,
    tickSize: rec?.tickSize ?? null,
    up: rec ? top(stack, rec.upTokenId) : null,
    down: rec ? top(stack, rec.downTokenId) : null,
    winner: rec?.winner ?? null,
  };
}

/** A configured series as the views read it (a config `series` entry satisfies it). */
export type SeriesEntry = Parameters<typeof seriesDef>[0] & { readonly enabled: boolean };

/** The configured series as definitions (config order; a malformed or repeated entry is skipped, never thrown). */
export function configuredSeries(list: readonly SeriesEntry[]): { def: SeriesDef; enabled: boolean }[] {
  const out: { def: SeriesDef; enabled: boolean }[] = [];
  const seen = new Set<string>();
  for (const s of list) {
    let def: SeriesDef;
    try {
      def = seriesDef(s);
    } catch {
      continue;
    }
    if (seen.has(def.key) || out.length >= tradingLimits.series) continue;
    seen.add(def.key);
    out.push({ def, enabled: s.enabled });
  }
  return out;
}

/** One view per configured series: its current and next window, their books, the last resolved window. */
export function seriesViews(series: readonly SeriesEntry[], stack: SeriesSessionView | undefined, resolved: ResolvedLog, nowMs: number): SeriesView[] {
  const bySeries = new Map<string, WindowRecord[]>();
  for (const r of stack?.catalog.all() ?? []) {
    const key = seriesKeyOfWindow(r.window);
    const list = bySeries.get(key);
    if (list) list.push(r);
    else bySeries.set(key, [r]);
  }
  return configuredSeries(series).map(({ def, enabled }) => {
    const records = bySeries.get(def.key) ?? [];
    const find = (w: MarketWindow) => stack?.catalog.get(w.slug) ?? records.find((r) => r.window.startMs === w.startMs);
    const cur = seriesWindowAt(def, nowMs);
    const nxt = nextWindow(cur);
    let lastResolved: ResolvedWindow | null = null;
    for (const r of records) if (r.winner && r.window.endMs <= nowMs && (!lastResolved || r.window.endMs > lastResolved.endMs)) lastResolved = { slug: r.window.slug, endMs: r.window.endMs, winner: r.winner };
    const logged = resolved.get(def.key);
    if (logged && logged.endMs <= nowMs && (!lastResolved || logged.endMs > lastResolved.endMs)) lastResolved = logged;
    const nextRec = find(nxt);
    return {
      key: def.key,
      asset: def.asset,
      kind: def.kind,
      windowSec: def.windowSec,
      enabled,
      settlement: def.settlement,
      ...slugMatchOf(def),
      current: windowView(cur, find(cur), stack),
      next: nextRec ? windowView(nxt, nextRec, stack) : null,
      lastResolved,
    };
  });
}

const sample = (s: { tsMs: number; price: number } | undefined) => (s && s.price > 0 ? { priceUsd: s.price, tsMs: s.tsMs } : null);

/**
 * One view per asset (the configured series' assets in config order, then any other asset the session prices): its
 * own reference store's prices and freshness. `noReference`: the session has no reference feed at all (stale).
 */
export function assetViews(series: readonly SeriesEntry[], stack: SeriesSessionView | undefined, nowMs: number, staleAfterMs: number): AssetView[] {
  const assets = [...new Set([...configuredSeries(series).map((s) => s.def.asset), ...(stack?.references.assets() ?? [])])].slice(0, tradingLimits.assets);
  const noReference = !!stack && !stack.refFeed;
  return assets.map((asset) => {
    const store = stack?.references.get(asset);
    const recv = store?.lastRecvMs ?? null;
    return {
      asset,
      live: sample(store?.live.latest()),
      twap: sample(store?.twap.latest()),
      spot: sample(store?.spot),
      refRecvMs: recv,
      refAgeMs: recv === null ? null : Math.max(0, nowMs - recv),
      staleAfterMs,
      stale: !store || noReference || store.isStale(nowMs, staleAfterMs),
    };
  });
}
