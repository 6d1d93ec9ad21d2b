/**
 * VenueSession: one start's venue connectivity over one set of endpoints (real Polymarket or the simulator – only
 * URLs differ): the market-data side (market-data-side.ts: catalog, market socket, reference and spot feeds, the
 * feed gate) and the order side (tracker, venue, execution engine; for live the heartbeat loop and the user socket),
 * which meet only here. The order side comes from a factory the composition root picks (`paperOrderSide` /
 * `liveOrderSide`), so nothing here branches on mode. Strategies read it through StrategyPort; intents go to
 * `engine.place` / `engine.cancel`.
 *
 * Construction order: reference store -> venue clock -> market-data side (REST client -> market feed -> catalog,
 * which drives the feed's token set -> reference + spot feeds -> feed gate) -> tracker (journal) -> venue status,
 * rate limiter -> order side -> engine (gates: window tradable, feeds fresh, order side, heartbeat, extra).
 * Start: measure the venue clock (`GET /time`, live sockets only) -> reconcile with the venue (journal restore,
 * orphans, unknown orders, trades) BEFORE any order; retried every `reconcileRetryMs` while incomplete (trading
 * refused meanwhile) -> catalog -> feeds -> user feed -> heartbeats.
 * Venue time: the catalog (which window is current, when it closes: the engine's "window tradable" gate) and the
 * order side (L2 timestamps, order timestamps, GTD expirations) run on `venueClock`, our clock plus the measured
 * `GET /time` offset, so a skewed host clock never trades on a skewed notion of the seconds left in a window.
 * Stop: reverse order; open orders are cancelled first when `cancelOnStop`.
 *
 * Credentials are resolved before the stack is built (credentials.ts): the reference feed is PolyBolt when CLOB
 * API credentials exist, legacy RTDS only when explicitly chosen, and none otherwise (the gate then keeps new
 * orders blocked and the runtime says why).
 *
 * Invariants: live mode without a private key and API credentials is refused with a clear message; secrets are
 * never logged or published; every timer uses the injected Clock.
 */
import type { EventBus } from '../bus';
import type { CancelTimer, Clock } from '../clock';
import type { ClobMarketFeed, FeedGate, PolyboltFeed, RtdsFeed, SpotFeed } from '../feeds';
import { orderMarketInfo, type Asset, type MarketCatalog, type WindowKind, type WindowRecord } from '../markets';
import { Prng } from '../util/prng';
import { ExecutionEngine, type SubmitResult } from '../execution/execution-engine';
import type { HeartbeatLoop } from '../execution/heartbeat';
import type { OrderSide, OrderSideFactory } from '../execution/order-side';
import type { ExecutionJournal } from '../execution/journal';
import type { VenueEndpoints } from '../core/endpoints';
import type { ResolvedCredentials } from '../execution/credentials';
import type { LiveVenue } from '../execution/live-venue';
import { OrderTracker, type TrackedOrder } from '../execution/order-tracker';
import { RateLimiter } from '../execution/rate-limiter';
import { reconcile, type ReconcileResult } from '../execution/reconcile';
import type { PlaceRequest } from '../core/orders';
import type { Venue } from '../execution/venue';
import { VenueStatus } from '../execution/venue-status';
import type { ClobUserFeed } from '../execution';
import { ReferenceSet, VenueClock, seriesDef, windowSecOf, type RawSource, type OrderBook, type ReferenceStore, type SeriesDef } from '../core';
import { MarketDataSide, type IngestFrame, type MarketDataWiring } from './market-data-side';

export type { IngestFrame, MarketDataWiring } from './market-data-side';

export interface VenueSessionOptions {
  /** Live sockets or a recorded session: chosen by the composition root. */
  marketData: MarketDataWiring;
  /** Builds the order side (paper or live): chosen by the composition root. */
  orderSide: OrderSideFactory;
  endpoints: VenueEndpoints;
  clock: Clock;
  bus: EventBus;
  journal: ExecutionJournal;
  /** Single-asset form (tests, doctor); `series` wins when given. */
  asset?: Asset;
  kinds?: readonly WindowKind[];
  /** The series to track (several assets and window lengths). */
  series?: readonly SeriesDef[];
  seed?: string | number;
  /** Resolved before the session is built: the reference feed depends on them. */
  credentials: ResolvedCredentials;
  chainId?: number;
  staleFeedMs?: number;
  allowSpotOnly?: boolean;
  cancelOrphansAtStart?: boolean;
  /** How far back startup reconciliation reads our trades (default 24 h). */
  tradesLookbackMs?: number;
  /** Cancel our open orders on stop (default: the order side's choice – live yes, paper no). */
  cancelOnStop?: boolean;
  closingMs?: number;
  reconcileRetryMs?: number;
  requestTimeoutMs?: number;
  /** How long an order with an unknown outcome is queried before it is declared not placed. */
  resolveDeadlineMs?: number;
  /** Raw frame tap for the recorder (every feed, before parsing). */
  onRaw?: (feed: RawSource, tsRecvMs: number, text: string) => void;
  /** Extra gates (risk engine, kill switch): a reason denies the order. */
  gates?: Array<(req: PlaceRequest) => string | undefined>;
}

export class VenueSession {
  readonly name = 'venue-session';
  /** Reference stores per asset (each series prices off its own asset's). */
  readonly references: ReferenceSet;
  /** The primary asset's reference store (single-asset readers). */
  readonly reference: ReferenceStore;
  /** Our clock plus the venue's measured offset (window timing, L2 and order timestamps). */
  readonly venueClock: VenueClock;
  readonly marketFeed: ClobMarketFeed;
  readonly catalog: MarketCatalog;
  /** The reference feed (undefined: none – no CLOB API credentials and no explicit RTDS choice). */
  readonly refFeed: PolyboltFeed | RtdsFeed | undefined;
  readonly referenceFeed: 'polybolt' | 'rtds';
  readonly spotFeed: SpotFeed;
  readonly tracker: OrderTracker;
  readonly status: VenueStatus;
  readonly limiter: RateLimiter;
  readonly gate: FeedGate;
  venue!: Venue;
  live: LiveVenue | undefined;
  engine!: ExecutionEngine;
  userFeed: ClobUserFeed | undefined;
  heartbeat: HeartbeatLoop | undefined;
  lastReconcile: ReconcileResult | undefined;
  /** True once a reconciliation with the venue completed (the ledger then reflects the venue and the journal). */
  reconciled = false;
  private readonly prng: Prng;
  private orderSide!: OrderSide;
  private retryTimer: CancelTimer | undefined;
  private readonly unsubs: Array<() => void> = [];
  /** The market-data half: REST client, feeds, catalog, feed gate (the public fields above are its parts). */
  private readonly md: MarketDataSide;

  constructor(private readonly o: VenueSessionOptions) {
    const { clock, bus } = o;
    this.prng = new Prng(o.seed ?? 'trading-stack'); // seed string kept: the jitter sequence stays as it was
    this.venueClock = new VenueClock(clock);
    const series = o.series ?? (o.kinds ?? []).map((k) => seriesDef({ asset: o.asset ?? 'btc', windowSec: windowSecOf(k) }));
    const assets = [...new Set(series.map((x) => x.asset))];
    this.references = new ReferenceSet(assets[0] ?? o.asset ?? 'btc', assets);
    this.reference = this.references.primary;
    this.md = new MarketDataSide({
      wiring: o.marketData, endpoints: o.endpoints, clock, venueClock: this.venueClock, bus, prng: this.prng, references: this.references, series, credentials: o.credentials,
      ...(o.staleFeedMs !== undefined ? { staleFeedMs: o.staleFeedMs } : {}),
      ...(o.allowSpotOnly !== undefined ? { allowSpotOnly: o.allowSpotOnly } : {}),
      ...(o.closingMs !== undefined ? { closingMs: o.closingMs } : {}),
      ...(o.onRaw ? { onRaw: o.onRaw } : {}),
    });
    this.marketFeed = this.md.marketFeed;
    this.catalog = this.md.catalog;
    this.refFeed = this.md.refFeed;
    this.referenceFeed = this.md.referenceFeed;
    this.spotFeed = this.md.spotFeed;
    this.gate = this.md.gate;
    this.tracker = new OrderTracker({ clock, bus, journal: o.journal, tokenInfo: (t) => this.catalog.tokenInfo(t) });
    this.status = new VenueStatus(clock, bus);
    this.limiter = new RateLimiter({ clock });
    this.unsubs.push(bus.on('market.resolved', (e) => void this.tracker.settle(e.slug, e.winningTokenId)));
    this.build();
  }

  /** Build the order side (from the root's factory) and the engine over it. */
  private build(): void {
    const { clock, bus } = this.o;
    this.orderSide = this.o.orderSide({
      clock, bus, prng: this.prng, endpoints: this.o.endpoints, tracker: this.tracker, limiter: this.limiter, status: this.status, venueClock: this.venueClock,
      book: (t) => this.marketFeed.book(t),
      follow: (l) => this.marketFeed.addListener(l),
      catchUp: async () => {
        const r = await this.reconcileOnce(false);
        if (!r.ok) throw new Error(r.reason);
      },
      ...(this.o.onRaw ? { onRaw: this.o.onRaw } : {}),
      ...(this.o.chainId !== undefined ? { chainId: this.o.chainId } : {}),
      ...(this.o.requestTimeoutMs ? { requestTimeoutMs: this.o.requestTimeoutMs } : {}),
    });
    this.venue = this.orderSide.venue;
    this.live = this.orderSide.live;
    this.heartbeat = this.orderSide.heartbeat;
    this.userFeed = this.orderSide.userFeed;
    const hb = this.heartbeat;
    const side = this.orderSide;
    this.engine = new ExecutionEngine({
      clock, bus, tracker: this.tracker, venue: this.venue, limiter: this.limiter, status: this.status,
      ...(this.o.resolveDeadlineMs !== undefined ? { resolveDeadlineMs: this.o.resolveDeadlineMs } : {}),
      refreshMarket: async (req) => {
        const r = await this.catalog.refreshMarket(req.market.windowSlug);
        return r ? orderMarketInfo(r, r.downTokenId === req.market.tokenId ? 'down' : 'up') : undefined;
      },
      gates: [(r) => this.catalog.tradableReason(r.market.windowSlug), (r) => this.gate.blockReason(r.market.tokenId), ...(side.denyReason ? [() => side.denyReason?.()] : []), ...(hb ? [() => hb.denyReason()] : []), ...(this.o.gates ?? [])],
    });
  }

  /**
   * Startup (restore = true): orphans cancelled per config, trades of the last `tradesLookbackMs` (24 h).
   * Catch-up after a reconnect: foreign orders adopted (never cancelled), trades of the last hour.
   */
  private async reconcileOnce(restore: boolean): Promise<ReconcileResult> {
    const now = this.o.clock.nowMs();
    this.lastReconcile = await reconcile({
      bus: this.o.bus, tracker: this.tracker, venue: this.venue, engine: this.engine, restore,
      cancelOrphans: restore ? (this.o.cancelOrphansAtStart ?? true) : false,
      tradesAfterMs: now - (restore ? (this.o.tradesLookbackMs ?? 86_400_000) : 3_600_000),
    });
    if (this.lastReconcile.ok) this.reconciled = true;
    return this.lastReconcile;
  }

  /** Replay: one recorded frame through the same feed normaliser that parses it live (false: no feed for it). */
  ingest(frame: IngestFrame): boolean {
    return this.md.ingest(frame);
  }

  /** Order operations started through this session (place, cancel, cancel-all): each may leave promises pending. */
  private orderOps = 0;

  /**
   * Replay: moves whenever ingesting may have started async work: an order operation, a REST resync, or any bus event
   * other than the pure market-data ones (`pureEvents`, counted by the replay composition).
   */
  activity(impureEvents: number): number {
    return impureEvents + this.orderOps + this.marketFeed.stats.resyncs;
  }

  /** Config hot apply: the feeds' silent-stall bound and whether spot-only (degraded) trading is allowed. */
  /** Series added or removed while running: their windows and reference symbols start or stop (market data side). */
  setSeries(series: readonly SeriesDef[]): { added: SeriesDef[]; removed: SeriesDef[] } {
    return this.md.setSeries(series);
  }

  /** Why the reference of this token's asset cannot be trusted now (undefined: fresh, or no reference in this data). */
  referenceBlockReason(tokenId: string): string | undefined {
    return this.md.referenceBlockReason(tokenId);
  }

  setFeedLimits(limits: { staleFeedMs: number; allowSpotOnly: boolean }): void {
    this.md.setFeedLimits(limits);
  }

  // --- StrategyPort (bot/host/strategy-port.ts), structurally ---
  windows(): readonly WindowRecord[] {
    return this.catalog.all();
  }
  window(slug: string): WindowRecord | undefined {
    return this.catalog.get(slug);
  }
  windowByToken(tokenId: string): WindowRecord | undefined {
    return this.catalog.byToken(tokenId);
  }
  windowBlockReason(slug: string): string | undefined {
    return this.catalog.tradableReason(slug);
  }
  book(tokenId: string): OrderBook | undefined {
    return this.marketFeed.book(tokenId);
  }
  isBookFresh(tokenId: string): boolean {
    return this.marketFeed.isFresh(tokenId);
  }
  referenceStale(): boolean {
    return this.gate.isStale(this.referenceFeed);
  }
  /** One asset's reference store (each series prices off its own asset's). */
  referenceOf(asset: string): ReferenceStore | undefined {
    return this.references.get(asset);
  }
  /** The reference feed is stale, or this asset's own symbol has been silent past the stale bound. */
  referenceStaleOf(asset: string): boolean {
    return this.referenceStale() || this.md.assetReferenceStale(asset);
  }
  feedBlockReason(tokenId: string): string | undefined {
    return this.gate.blockReason(tokenId);
  }
  venueBlockReason(orderType: PlaceRequest['orderType'], postOnly: boolean): string | undefined {
    if (this.engine && !this.engine.ready) return `not ready: ${this.engine.notReadyReason}`;
    return this.status.denyReason(orderType, postOnly) ?? this.orderSide.denyReason?.() ?? this.heartbeat?.denyReason();
  }
  openOrders(strategyId?: string): TrackedOrder[] {
    return this.tracker.open(strategyId);
  }
  place(req: PlaceRequest): Promise<SubmitResult> {
    this.orderOps++;
    if (!this.engine) return Promise.resolve({ ok: false, reason: 'venue session not started' });
    return this.engine.place(req);
  }
  cancel(clientTag: string): Promise<boolean> {
    this.orderOps++;
    return this.engine ? this.engine.cancel(clientTag) : Promise.resolve(false);
  }
  cancelAll(): Promise<number> {
    this.orderOps++;
    return this.engine ? this.engine.cancelAllOpen() : Promise.resolve(0);
  }

  async start(): Promise<void> {
    if (this.o.marketData.transport === 'sockets') await this.measureVenueClock();
    await this.orderSide.prepare();
    const first = await this.reconcileOnce(true);
    if (!first.ok) this.scheduleReconcileRetry();
    this.md.start();
    this.userFeed?.start();
    this.heartbeat?.start();
  }

  /** `GET /time` once: the venue clock's offset from ours (ignored at or below 1 s); a failure keeps our clock. */
  private async measureVenueClock(): Promise<void> {
    const sent = this.o.clock.nowMs();
    const r = await this.md.rest.serverTimeSec().catch(() => undefined);
    if (!r?.ok) return;
    const offset = this.venueClock.measure(r.value, sent, this.o.clock.nowMs());
    if (offset !== 0) {
      const s = (Math.abs(offset) / 1000).toFixed(1);
      this.o.bus.publish({ type: 'runtime.notice', source: 'venue.clock', severity: 'warn', title: `Host clock is ${s} s ${offset > 0 ? 'behind' : 'ahead of'} the venue`, detail: 'Window timing, L2 timestamps and GTD expirations use the venue clock (GET /time). Fix the host clock (NTP).' });
    }
  }

  private scheduleReconcileRetry(): void {
    this.retryTimer = this.o.clock.after(this.o.reconcileRetryMs ?? 10_000, 'reconcile-retry', () => {
      void this.reconcileOnce(false).then((r) => {
        if (!r.ok) this.scheduleReconcileRetry();
      });
    });
  }

  async stop(_reason = 'stop'): Promise<void> {
    this.retryTimer?.();
    if ((this.o.cancelOnStop ?? this.orderSide.cancelOnStop) && this.engine) {
      await this.engine.cancelAllOpen().catch(() => 0);
    }
    this.heartbeat?.stop();
    this.userFeed?.stop();
    this.md.stop();
    for (const u of this.unsubs.splice(0)) u();
    this.limiter.dispose();
    this.orderSide.close();
  }
}
