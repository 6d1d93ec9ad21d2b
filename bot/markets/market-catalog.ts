/**
 * Market catalog and lifecycle for the configured series (any asset, any window length: bot/core/series.ts).
 *
 * - Keeps the current and the next window of each kind discovered (prefetch); retries Gamma with jittered
 *   backoff while a slug is not listed yet (`market.lookup_failed`), cross-checks the token pair with
 *   `/clob-markets/{conditionId}` and refuses the window on disagreement.
 * - Rolls over exactly at the boundary (clock.at(endMs)): discovered -> open at start, closing at end − closingMs,
 *   closed at end, resolved on `market_resolved` (WS) or when Gamma shows the outcome.
 * - Captures the price to beat at the window start from the reference TWAP-60 (first sample at/after the start
 *   makes the at-start value final) and cross-checks Gamma `eventMetadata.priceToBeat` when present; when the bot
 *   started after the window opened (no reference sample from the start) Gamma's value is used instead.
 * - Calls `onTokens` with the tokens of every not-yet-resolved window (the market feed follows them; closed
 *   windows stay subscribed so the socket's `market_resolved` arrives).
 *
 * - Series are added and removed while running (`setSeries`): a new series rolls over at once; a removed one discovers
 *   no new windows, and its known windows live on until they resolve (positions held there settle normally).
 * - The price to beat comes from the window's own asset's reference store (never another asset's).
 *
 * Invariants: lifecycle moves follow the LIFECYCLE table; at most `maxWindows` records (oldest resolved first);
 * timers via the injected Clock; no network call on the order path (OrderMarketInfo is cached here).
 */
import type { EventBus } from '../bus';
import type { CancelTimer, Clock } from '../clock';
import type { Prng } from '../util/prng';
import { Backoff } from '../net/backoff';
import type { ReferenceStore } from '../core/reference-store';
import type { ReferenceSet } from '../core/reference-set';
import { seriesDef, seriesKeyOf, windowSecOf, type SeriesDef } from '../core/series';
import type { MarketDirectory } from './market-directory';
import { stateByTime, transition, type LifecycleState } from './lifecycle';
import { nextWindow, seriesWindowAt, type Asset, type MarketWindow, type WindowKind } from './slug';
import { orderMarketInfo, type WindowRecord } from './window-record';

export interface MarketCatalogOptions {
  clock: Clock;
  bus: EventBus;
  prng: Prng;
  /** Where window markets are looked up: the venue (Gamma + /clob-markets) or a recorded session. */
  directory: MarketDirectory;
  /** Reference stores per asset (or one store: single-asset catalogs and tests). */
  reference: ReferenceSet | ReferenceStore;
  /** The series to track; or the single-asset form `asset` + `kinds`. */
  series?: readonly SeriesDef[];
  asset?: Asset;
  kinds?: readonly WindowKind[];
  closingMs?: number;
  resolvePollMs?: number;
  maxWindows?: number;
  onTokens?: (tokens: string[]) => void;
}

export class MarketCatalog {
  private readonly records = new Map<string, WindowRecord>();
  /** The records by up and down token id (kept with `records`; token ids never change on a record). */
  private readonly tokens = new Map<string, WindowRecord>();
  private sorted: WindowRecord[] | undefined;
  private readonly pending = new Set<string>();
  private readonly timers = new Map<string, CancelTimer[]>();
  private readonly seriesTimers = new Map<string, CancelTimer>();
  private series = new Map<string, SeriesDef>();
  private stopped = true;
  readonly stats = { lookups: 0, notListed: 0, clobMismatches: 0, discovered: 0, resolved: 0 };

  constructor(private readonly o: MarketCatalogOptions) {
    const defs = o.series ?? (o.kinds ?? []).map((k) => seriesDef({ asset: o.asset ?? 'btc', windowSec: windowSecOf(k) }));
    for (const d of defs) this.series.set(d.key, d);
    o.bus.on('book.tick_size', (e) => {
      const r = this.byToken(e.tokenId);
      if (r) r.tickSize = e.tickSize;
    });
  }

  start(): void {
    this.stopped = false;
    for (const key of this.series.keys()) this.rollover(key);
  }

  /** The series tracked now. */
  tracked(): SeriesDef[] {
    return [...this.series.values()];
  }

  /**
   * Track exactly these series from now on: new ones roll over at once; removed ones discover nothing more (their
   * known windows stay until resolved, so held positions settle).
   */
  setSeries(defs: readonly SeriesDef[]): { added: SeriesDef[]; removed: SeriesDef[] } {
    const next = new Map(defs.map((d) => [d.key, d]));
    const removed = [...this.series.values()].filter((d) => !next.has(d.key));
    const added = defs.filter((d) => !this.series.has(d.key));
    for (const d of removed) {
      this.seriesTimers.get(d.key)?.();
      this.seriesTimers.delete(d.key);
      this.series.delete(d.key);
    }
    for (const d of added) {
      this.series.set(d.key, d);
      if (!this.stopped) this.rollover(d.key);
    }
    return { added, removed };
  }

  stop(): void {
    this.stopped = true;
    for (const c of this.seriesTimers.values()) c();
    this.seriesTimers.clear();
    for (const list of this.timers.values()) for (const c of list) c();
    this.timers.clear();
  }

  get(slug: string): WindowRecord | undefined {
    return this.records.get(slug);
  }
  /** Every known window by start time. The same array until a window is added or dropped: callers never mutate it. */
  all(): readonly WindowRecord[] {
    this.sorted ??= [...this.records.values()].sort((a, b) => a.window.startMs - b.window.startMs);
    return this.sorted;
  }
  /** The current window of a series (`kind` of the primary asset, or of `asset`). */
  current(kind: WindowKind, asset?: Asset): WindowRecord | undefined {
    const a = asset ?? this.primaryAsset();
    const def = this.series.get(seriesKeyOf({ asset: a, windowSec: windowSecOf(kind) }));
    return def ? this.records.get(seriesWindowAt(def, this.o.clock.nowMs()).slug) : undefined;
  }

  private primaryAsset(): Asset {
    return this.o.asset ?? this.series.values().next().value?.asset ?? 'btc';
  }

  private referenceOf(asset: Asset): ReferenceStore | undefined {
    const r = this.o.reference;
    return 'bySymbol' in r ? r.get(asset) : r;
  }
  byToken(tokenId: string): WindowRecord | undefined {
    return this.tokens.get(tokenId);
  }
  byCondition(conditionId: string): WindowRecord | undefined {
    for (const r of this.records.values()) if (r.conditionId === conditionId) return r;
    return undefined;
  }
  marketInfo(slug: string, outcome: 'up' | 'down') {
    const r = this.records.get(slug);
    return r ? orderMarketInfo(r, outcome) : undefined;
  }
  /** Why no new order may go into this window now (undefined = tradable): unknown, not open, or past its end. */
  tradableReason(slug: string): string | undefined {
    const r = this.records.get(slug);
    if (!r) return `window ${slug} not discovered`;
    if (r.state !== 'open' && r.state !== 'closing') return `window ${slug} is ${r.state}`;
    if (this.o.clock.nowMs() >= r.window.endMs) return `window ${slug} has ended`;
    return undefined;
  }

  /** Window slug and fee schedule of a token (for the order tracker). */
  tokenInfo(tokenId: string) {
    const r = this.byToken(tokenId);
    return r ? { windowSlug: r.window.slug, fees: r.fees } : undefined;
  }

  /** Ensure current + next are known, and re-arm at the current window's end. */
  private rollover(key: string): void {
    const def = this.series.get(key);
    if (this.stopped || !def) return;
    const cur = seriesWindowAt(def, this.o.clock.nowMs());
    this.ensure(cur);
    this.ensure(nextWindow(cur));
    this.seriesTimers.set(key, this.o.clock.at(cur.endMs, `rollover:${key}`, () => this.rollover(key)));
    this.prune();
    this.emitTokens();
  }

  private ensure(w: MarketWindow): void {
    if (this.records.has(w.slug) || this.pending.has(w.slug)) return;
    this.pending.add(w.slug);
    void this.lookup(w, new Backoff(this.o.prng.fork(w.slug), { baseMs: 250, capMs: 5_000, floorMs: 100 }), 1);
  }

  private async lookup(w: MarketWindow, backoff: Backoff, attempt: number): Promise<void> {
    if (this.stopped) return;
    this.stats.lookups++;
    const retry = (reason: string, retryAfterMs?: number) => {
      this.o.bus.publish({ type: 'market.lookup_failed', slug: w.slug, reason, attempt });
      if (this.o.clock.nowMs() >= w.endMs) {
        this.pending.delete(w.slug);
        return;
      }
      this.o.clock.after(backoff.next(retryAfterMs), `lookup:${w.slug}`, () => void this.lookup(w, backoff, attempt + 1));
    };
    const found = await this.o.directory.lookup(w);
    if (found.kind !== 'found') {
      if (found.notListed) this.stats.notListed++;
      if (found.mismatch) this.stats.clobMismatches++;
      return retry(found.reason, found.retryAfterMs);
    }
    const rec: WindowRecord = { window: w, state: 'discovered', ...found.market };
    this.pending.delete(w.slug);
    if (this.stopped) return;
    this.records.set(w.slug, rec);
    this.tokens.set(rec.upTokenId, rec);
    this.tokens.set(rec.downTokenId, rec);
    this.sorted = undefined;
    this.stats.discovered++;
    this.o.bus.publish({
      type: 'market.discovered', slug: w.slug, kind: w.kind, asset: w.asset, conditionId: rec.conditionId, upTokenId: rec.upTokenId, downTokenId: rec.downTokenId,
      startMs: w.startMs, endMs: w.endMs, tickSize: rec.tickSize, minOrderSize: rec.minOrderSize, version: rec.version,
      eventId: rec.eventId, negRisk: rec.negRisk, fees: rec.fees,
    });
    this.armLifecycle(rec);
    this.emitTokens();
  }

  /**
   * Re-read a window's exchange facts from `/clob-markets` (the market `v`ersion decides the signing domain; the
   * minimum tick may have moved). Returns the updated record, or undefined when the venue cannot be read.
   */
  async refreshMarket(slug: string): Promise<WindowRecord | undefined> {
    const r = this.records.get(slug);
    if (!r) return undefined;
    const info = await this.o.directory.refresh(r.conditionId);
    if (!info) return undefined;
    if (info.version && info.version !== r.version) {
      this.o.bus.publish({ type: 'runtime.notice', source: 'catalog', severity: 'warn', title: `market version changed: ${slug}`, detail: `${r.version} -> ${info.version}; orders are now signed for the new exchange` });
      r.version = info.version;
    }
    return r;
  }

  private armLifecycle(r: WindowRecord): void {
    const w = r.window;
    const closingMs = this.o.closingMs ?? 30_000;
    const c = this.o.clock;
    const t: CancelTimer[] = [];
    const now = c.nowMs();
    const byTime = stateByTime(w.startMs, w.endMs, closingMs, now);
    if (byTime !== 'discovered') this.move(r, byTime);
    if (now < w.startMs) t.push(c.at(w.startMs, `open:${w.slug}`, () => this.move(r, 'open')));
    if (now < w.endMs + 60_000) t.push(c.at(w.startMs, `ptb:${w.slug}`, () => this.capturePriceToBeat(r, 0)));
    if (now < w.endMs - closingMs) t.push(c.at(w.endMs - closingMs, `closing:${w.slug}`, () => this.move(r, 'closing')));
    t.push(c.at(Math.max(now, w.endMs), `closed:${w.slug}`, () => {
      this.move(r, 'closed');
      this.emitTokens();
      this.pollResolution(r);
    }));
    this.timers.set(w.slug, t);
  }

  private move(r: WindowRecord, to: LifecycleState): void {
    if (r.state === to || r.state === 'resolved') return;
    const prev = r.state;
    r.state = transition(prev, to);
    this.o.bus.publish({ type: 'market.state', slug: r.window.slug, state: to, prevState: prev });
  }

  /** The WS `market_resolved` or Gamma says who won. Idempotent. */
  resolve(conditionId: string, winningTokenId: string): void {
    const r = this.byCondition(conditionId);
    if (!r || r.state === 'resolved') return;
    const winner = winningTokenId === r.upTokenId ? 'up' : winningTokenId === r.downTokenId ? 'down' : undefined;
    if (!winner) return;
    if (r.state !== 'closed') this.move(r, 'closed');
    r.winner = winner;
    r.winningTokenId = winningTokenId;
    this.move(r, 'resolved');
    this.stats.resolved++;
    this.o.bus.publish({ type: 'market.resolved', slug: r.window.slug, winner, winningTokenId });
    this.emitTokens();
  }

  private pollResolution(r: WindowRecord): void {
    const every = this.o.resolvePollMs ?? 15_000;
    const poll = async () => {
      if (this.stopped || r.state === 'resolved' || !this.records.has(r.window.slug)) return;
      const outcome = await this.o.directory.outcome(r.venueSlug ?? r.window.slug);
      if (outcome) {
        this.resolve(r.conditionId, outcome === 'up' ? r.upTokenId : r.downTokenId);
        return;
      }
      this.o.clock.after(every, `resolve-poll:${r.window.slug}`, () => void poll());
    };
    this.o.clock.after(every, `resolve-poll:${r.window.slug}`, () => void poll());
  }

  /** Wait for the first TWAP sample at/after the start (bounded), then take the value at the start. */
  private capturePriceToBeat(r: WindowRecord, tries: number): void {
    if (r.priceToBeat !== undefined || this.stopped) return;
    const start = r.window.startMs;
    const ref = this.referenceOf(r.window.asset);
    const def = this.series.get(seriesKeyOf({ asset: r.window.asset, windowSec: windowSecOf(r.window.kind) }));
    if (!ref || def?.settlement === 'spot-candle') return void this.priceToBeatFromGamma(r, 0);
    const latest = ref.twap.latest() ?? ref.live.latest();
    const settled = latest !== undefined && latest.tsMs >= start;
    if (!settled && tries < 40) {
      this.o.clock.after(250, `ptb:${r.window.slug}`, () => this.capturePriceToBeat(r, tries + 1));
      return;
    }
    const v = ref.twapAt(start);
    if (!v) {
      // No reference sample from the window start (the bot started mid-window): Gamma's eventMetadata.priceToBeat
      // is the next-best source (protocol reference §7.2), published once the window is open.
      void this.priceToBeatFromGamma(r, 0);
      return;
    }
    r.priceToBeat = v.price;
    r.priceToBeatSource = v.source;
    void this.crossCheckGamma(r);
  }

  private async priceToBeatFromGamma(r: WindowRecord, tries: number): Promise<void> {
    if (r.priceToBeat !== undefined || this.stopped || !this.records.has(r.window.slug)) return;
    const gp = await this.o.directory.priceToBeat(r.venueSlug ?? r.window.slug);
    if (r.priceToBeat !== undefined || this.stopped) return;
    if (gp !== undefined && Number.isFinite(gp) && gp > 0) {
      r.priceToBeat = gp;
      r.priceToBeatSource = 'gamma';
      r.gammaPriceToBeat = gp;
      this.o.bus.publish({ type: 'market.price_to_beat', slug: r.window.slug, priceUsd: gp, source: 'gamma', gammaPriceUsd: gp });
      return;
    }
    if (tries < 30 && this.o.clock.nowMs() < r.window.endMs) {
      this.o.clock.after(5_000, `ptb-gamma:${r.window.slug}`, () => void this.priceToBeatFromGamma(r, tries + 1));
    }
  }

  private async crossCheckGamma(r: WindowRecord): Promise<void> {
    const gp = await this.o.directory.priceToBeat(r.venueSlug ?? r.window.slug);
    if (gp !== undefined) r.gammaPriceToBeat = gp;
    this.o.bus.publish({
      type: 'market.price_to_beat', slug: r.window.slug, priceUsd: r.priceToBeat!, source: 'reference',
      ...(gp !== undefined ? { gammaPriceUsd: gp, diffUsd: Math.round((r.priceToBeat! - gp) * 1e6) / 1e6 } : {}),
    });
  }

  private emitTokens(): void {
    const tokens: string[] = [];
    // Closed windows stay subscribed until resolved: the market socket's `market_resolved` names the winner.
    for (const r of this.all()) if (r.state !== 'resolved') tokens.push(r.upTokenId, r.downTokenId);
    this.o.onTokens?.(tokens);
  }

  private prune(): void {
    // Per series: the current and next windows plus closed ones awaiting resolution (several series side by side).
    const max = this.o.maxWindows ?? Math.max(16, this.series.size * 6);
    if (this.records.size <= max) return;
    for (const r of this.all()) {
      if (this.records.size <= max) break;
      if (r.state !== 'resolved' && r.state !== 'closed') continue;
      if (r.state === 'closed' && this.o.clock.nowMs() < r.window.endMs + 10 * 60_000) continue;
      this.records.delete(r.window.slug);
      if (this.tokens.get(r.upTokenId) === r) this.tokens.delete(r.upTokenId);
      if (this.tokens.get(r.downTokenId) === r) this.tokens.delete(r.downTokenId);
      this.sorted = undefined;
      for (const c of this.timers.get(r.window.slug) ?? []) c();
      this.timers.delete(r.window.slug);
    }
  }
}
