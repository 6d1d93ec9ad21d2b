/**
 * The Book page's read model (GET /api/book), owned by the runtime (`runtime.views.book`): for the current window of
 * one series (any asset and window length; picked by key, or by asset and / or length among the configured series,
 * see `pickSeries`), the top of book and depth ladders of Up and Down read from the venue session's live order books, and per
 * token a sampled top-of-book history (spread and mid over time) kept from `book.top` events.
 *
 * The history is seeded from `bus.history` and subscribed in the same synchronous turn (nothing falls in between).
 * Tokens are mapped to windows and outcomes through the session's catalog, else through the `market.discovered` events
 * seen (so the history of the current window still shows while the bot is stopped).
 *
 * Invariants: read-only (nothing here changes the runtime); at most one point per token per `bookLimits.sampleMs`
 * (bucketed on the bus receive time; a later event of the same second replaces that second's point, so a point is the
 * state at the end of its second); per token at most `historyMs` of points and `maxPointsPerToken`; at most `maxTokens`
 * tokens (least recently updated dropped) and tokens whose window ended more than `historyMs` ago are dropped;
 * a `book.invalidated` records a gap (a point without prices). The output parses with `bookSnapshotSchema` (tests).
 */
import { seriesWindowAt } from '../markets';
import type { OrderBook } from '../core/order-book';
import { seriesDef, windowSecOf, type SeriesDef } from '../core/series';
import type { EventOf } from '../../lib/schemas/events';
import type { LifecycleState } from '../markets';
import { bookLimits, type BookPoint, type BookQuery, type BookSeriesOption, type BookSide, type BookSnapshot, type BookTopView, type LadderLevel } from '../../lib/schemas/book';
import type { TimelineSource } from './feed-timeline';
import { configuredSeries, type SeriesEntry } from './trading-series';

/** The parts of an order book the page reads (an OrderBook satisfies it). */
export type BookReader = Pick<OrderBook, 'ready' | 'epoch' | 'lastUpdateMs' | 'top' | 'levels' | 'levelCount'>;

/** The slice of a venue session the page reads (a VenueSession satisfies it structurally). */
export interface BookSessionView {
  readonly marketFeed: { book(tokenId: string): BookReader | undefined };
  readonly catalog: { get(slug: string): { upTokenId: string; downTokenId: string; tickSize: number; state: LifecycleState } | undefined };
}

/** What the timeline reads: bus + clock, and (optional, read defensively) the runtime's id, series config and session. */
export interface BookTimelineSource extends TimelineSource {
  readonly instanceId?: string;
  readonly config?: { readonly series?: readonly SeriesEntry[] };
  readonly session?: { readonly stack: BookSessionView | undefined } | undefined;
}

interface TokenTrack {
  points: BookPoint[];
  last: EventOf<'book.top'> | undefined;
  lastRecvMs: number;
}

interface KnownWindow {
  slug: string;
  endMs: number;
  upTokenId: string;
  downTokenId: string;
}

const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** Spread and mid from a bid and an ask (null unless both exist). */
export function spreadAndMid(bid: number | null | undefined, ask: number | null | undefined): { spread: number | null; mid: number | null } {
  if (bid == null || ask == null) return { spread: null, mid: null };
  return { spread: r6(ask - bid), mid: r6((ask + bid) / 2) };
}

export class BookTimeline {
  private readonly tracks = new Map<string, TokenTrack>();
  private readonly windows = new Map<string, KnownWindow>();
  private readonly tokenEnd = new Map<string, number>();
  private lastPruneMs = -Infinity;
  private readonly unsubs: Array<() => void>;

  constructor(private readonly source: BookTimelineSource) {
    const bus = source.bus;
    for (const e of bus.history.recent(bus.history.size)) {
      if (e.type === 'book.top') this.onTop(e);
      else if (e.type === 'book.invalidated') this.onInvalidated(e);
      else if (e.type === 'market.discovered') this.onDiscovered(e);
    }
    this.unsubs = [bus.on('book.top', (e) => this.onTop(e)), bus.on('book.invalidated', (e) => this.onInvalidated(e)), bus.on('market.discovered', (e) => this.onDiscovered(e))];
  }

  snapshot(query: Partial<BookQuery> = {}): BookSnapshot {
    const options = configuredSeries(this.seriesConfig() ?? []);
    const def = pickSeries(query, options);
    const nowMs = this.source.clock.nowMs();
    this.prune(nowMs);
    const win = seriesWindowAt(def, nowMs);
    const stack = this.stack();
    const rec = safe(() => stack?.catalog.get(win.slug));
    const known = this.windows.get(win.slug);
    const upToken = rec?.upTokenId ?? known?.upTokenId ?? null;
    const downToken = rec?.downTokenId ?? known?.downTokenId ?? null;
    const sinceMs = query.sinceMs ?? null;
    // A full read (or one from before the window) starts at the window's start, led by the book as it stood then.
    const fromMs = Math.max(sinceMs ?? -Infinity, win.startMs);
    const lead = fromMs === win.startMs;
    return {
      instanceId: typeof this.source.instanceId === 'string' ? this.source.instanceId : null,
      nowMs,
      seq: this.source.bus.stats.lastSeq,
      tradingUp: !!stack,
      series: def.key,
      asset: def.asset,
      seriesOptions: options.map(({ def: d, enabled }): BookSeriesOption => ({ key: d.key, asset: d.asset, kind: d.kind, windowSec: d.windowSec, enabled })),
      window: { slug: win.slug, kind: def.kind, startMs: win.startMs, endMs: win.endMs, state: rec?.state ?? null, tickSize: rec?.tickSize ?? null },
      sinceMs,
      sides: [this.side('up', upToken, stack, fromMs, lead), this.side('down', downToken, stack, fromMs, lead)],
      limits: { ladderDepth: bookLimits.ladderDepth, sampleMs: bookLimits.sampleMs, historyMs: bookLimits.historyMs },
    };
  }

  dispose(): void {
    for (const u of this.unsubs.splice(0)) u();
  }

  /** Tokens currently followed (for tests and diagnostics). */
  trackedTokens(): string[] {
    return [...this.tracks.keys()];
  }

  /** One token's whole sampled history, oldest first (for tests and diagnostics; the snapshot sends the window's). */
  history(tokenId: string): readonly BookPoint[] {
    return this.tracks.get(tokenId)?.points ?? [];
  }

  private onTop(e: EventOf<'book.top'>): void {
    const track = this.track(e.tokenId, e.tsRecvMs);
    track.last = e;
    this.addPoint(track, e.tsRecvMs, e.bestBid ?? null, e.bestAsk ?? null);
  }

  private onInvalidated(e: EventOf<'book.invalidated'>): void {
    const track = this.tracks.get(e.tokenId);
    if (!track) return;
    track.last = undefined;
    this.addPoint(track, e.tsRecvMs, null, null);
  }

  private onDiscovered(e: EventOf<'market.discovered'>): void {
    this.windows.delete(e.slug);
    this.windows.set(e.slug, { slug: e.slug, endMs: e.endMs, upTokenId: e.upTokenId, downTokenId: e.downTokenId });
    this.tokenEnd.set(e.upTokenId, e.endMs);
    this.tokenEnd.set(e.downTokenId, e.endMs);
    if (this.windows.size > bookLimits.maxTokens) this.forgetWindow(this.windows.keys().next().value!);
  }

  private track(tokenId: string, atMs: number): TokenTrack {
    let t = this.tracks.get(tokenId);
    if (!t) {
      if (this.tracks.size >= bookLimits.maxTokens) this.evictStalest();
      t = { points: [], last: undefined, lastRecvMs: atMs };
      this.tracks.set(tokenId, t);
    }
    t.lastRecvMs = atMs;
    return t;
  }

  private addPoint(track: TokenTrack, atMs: number, bestBid: number | null, bestAsk: number | null): void {
    const tMs = Math.floor(atMs / bookLimits.sampleMs) * bookLimits.sampleMs;
    const point: BookPoint = { tMs, bestBid, bestAsk, ...spreadAndMid(bestBid, bestAsk) };
    const pts = track.points;
    const lastT = pts.length > 0 ? pts[pts.length - 1]!.tMs : -Infinity;
    if (tMs === lastT) pts[pts.length - 1] = point;
    else if (tMs > lastT) pts.push(point);
    else return; // an older second than the last point: the bus clock never goes back; ignore
    let drop = 0;
    while (drop < pts.length && pts[drop]!.tMs < tMs - bookLimits.historyMs) drop++;
    drop = Math.max(drop, pts.length - bookLimits.maxPointsPerToken);
    if (drop > 0) pts.splice(0, drop);
    if (tMs - this.lastPruneMs >= bookLimits.sampleMs) this.prune(atMs);
  }

  /** Drop tokens whose window ended more than historyMs ago, or (window unknown) not updated for historyMs. */
  private prune(nowMs: number): void {
    this.lastPruneMs = nowMs;
    const cutoff = nowMs - bookLimits.historyMs;
    for (const [tokenId, t] of this.tracks) {
      const end = this.tokenEnd.get(tokenId);
      if ((end !== undefined && end < cutoff) || t.lastRecvMs < cutoff) this.tracks.delete(tokenId);
    }
    for (const w of [...this.windows.values()]) if (w.endMs < cutoff) this.forgetWindow(w.slug);
  }

  private forgetWindow(slug: string): void {
    const w = this.windows.get(slug);
    if (!w) return;
    this.windows.delete(slug);
    for (const tok of [w.upTokenId, w.downTokenId]) {
      this.tokenEnd.delete(tok);
      this.tracks.delete(tok);
    }
  }

  private evictStalest(): void {
    let stalest: string | undefined;
    let oldest = Infinity;
    for (const [id, t] of this.tracks)
      if (t.lastRecvMs < oldest) {
        oldest = t.lastRecvMs;
        stalest = id;
      }
    if (stalest !== undefined) this.tracks.delete(stalest);
  }

  private side(outcome: 'up' | 'down', tokenId: string | null, stack: BookSessionView | undefined, fromMs: number, lead: boolean): BookSide {
    const track = tokenId ? this.tracks.get(tokenId) : undefined;
    const points = track ? pointsFrom(track.points, fromMs, lead) : [];
    const book = tokenId ? safe(() => stack?.marketFeed.book(tokenId)) : undefined;
    const base = { outcome, tokenId, points };
    if (book && book.ready) {
      const t = book.top();
      const bb = t.bestBid?.price ?? null;
      const ba = t.bestAsk?.price ?? null;
      const top: BookTopView = { bestBid: bb, bestAsk: ba, bidSize: t.bestBid?.size ?? null, askSize: t.bestAsk?.size ?? null, ...spreadAndMid(bb, ba), source: 'book' };
      return {
        ...base, ready: true, epoch: book.epoch, updatedMs: book.lastUpdateMs || null, top,
        bids: ladder(book.levels('bid', bookLimits.ladderDepth)), asks: ladder(book.levels('ask', bookLimits.ladderDepth)),
        bidLevels: book.levelCount('bid'), askLevels: book.levelCount('ask'),
      };
    }
    const e = track?.last;
    const top: BookTopView | null = e
      ? { bestBid: e.bestBid ?? null, bestAsk: e.bestAsk ?? null, bidSize: e.bidSize ?? null, askSize: e.askSize ?? null, ...spreadAndMid(e.bestBid, e.bestAsk), source: 'event' }
      : null;
    return { ...base, ready: false, epoch: book ? book.epoch : (e?.epoch ?? null), updatedMs: e?.tsEventMs ?? null, top, bids: [], asks: [], bidLevels: 0, askLevels: 0 };
  }

  private stack(): BookSessionView | undefined {
    return safe(() => this.source.session?.stack);
  }

  private seriesConfig() {
    const s = safe(() => this.source.config?.series);
    return Array.isArray(s) ? s : undefined;
  }
}

/**
 * The series a query names: `series=<key>` that series (configured or not); else `asset` and / or `kind` (`series=5m`,
 * a bare length, counts as `kind`): the first configured series that matches, switched-on ones first, or that asset
 * and length themselves when none is configured; no query: the first switched-on series (BTC 5m without a config).
 */
export function pickSeries(query: Partial<Pick<BookQuery, 'series' | 'asset' | 'kind'>>, options: readonly { def: SeriesDef; enabled: boolean }[]): SeriesDef {
  const q = query.series;
  const byKey = q !== undefined && /^[a-z]{2,10}-\d+$/.test(q);
  if (byKey) {
    const hit = options.find((o) => o.def.key === q);
    if (hit) return hit.def;
    const [asset, sec] = q.split('-') as [string, string];
    return seriesDef({ asset, windowSec: Number(sec) });
  }
  const kind = query.kind ?? q;
  const asset = query.asset;
  const fits = (d: SeriesDef) => (asset === undefined || d.asset === asset) && (kind === undefined || d.windowSec === windowSecOf(kind));
  const hit = options.find((o) => o.enabled && fits(o.def)) ?? options.find((o) => fits(o.def));
  if (hit) return hit.def;
  const first = (options.find((o) => o.enabled) ?? options[0])?.def;
  return seriesDef({ asset: asset ?? first?.asset ?? 'btc', windowSec: kind !== undefined ? windowSecOf(kind) : (first?.windowSec ?? 300) });
}

/**
 * Points with tMs >= fromMs; with `lead`, the state at `fromMs` itself (the last earlier point, moved to `fromMs`)
 * leads them when no point falls on `fromMs`, so a chart of the window begins with the book as it stood at its start.
 */
function pointsFrom(all: readonly BookPoint[], fromMs: number, lead: boolean): BookPoint[] {
  let i = all.length;
  while (i > 0 && all[i - 1]!.tMs >= fromMs) i--;
  const out = all.slice(i);
  const before = i > 0 ? all[i - 1] : undefined;
  if (lead && before && out[0]?.tMs !== fromMs) out.unshift({ ...before, tMs: fromMs });
  return out;
}

/** Levels best first with cumulative shares and notional from the touch. */
function ladder(levels: readonly { price: number; size: number }[]): LadderLevel[] {
  let cumSize = 0;
  let cumUsd = 0;
  return levels.map((l) => {
    cumSize += l.size;
    cumUsd += l.price * l.size;
    return { price: l.price, size: l.size, cumSize: r6(cumSize), cumUsd: r6(cumUsd) };
  });
}

function safe<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
