/**
 * VenueSession: one start's venue connectivity over one set of endpoints (real Polymarket or the simulator – only
 * URLs differ): the market-data side (catalog, market socket, reference and spot feeds, the feed gate) and the order
 * side (tracker, venue, execution engine; for live the heartbeat loop and the user socket), which meet only here.
 * The order side comes from a factory the composition root picks (`paperOrderSide` / `liveOrderSide`), so nothing
 * here branches on mode. Strategies read it through StrategyPort; intents go to `engine.place` / `engine.cancel`.
 *
 * Construction order: reference store -> REST clients -> market feed -> catalog (drives the feed's token set) ->
 * reference + spot feeds -> tracker (journal) -> venue status, rate limiter -> order side -> feed gate ->
 * engine (gates: window tradable, feeds fresh, heartbeat, extra).
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
import { ClobMarketFeed, FeedGate, PolyboltFeed, RtdsFeed, SpotFeed } from '../feeds';
import { MarketCatalog, orderMarketInfo, type Asset, type WindowKind, type WindowRecord } from '../markets';
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
import { ReferenceStore, VenueClock, type RawSource, type OrderBook } from '../core';
import type { ClobPublicClient } from '../http';
import type { MarketDirectory } from '../markets/market-directory';

/**
 * Where market data comes from (the root's choice): live sockets to the endpoints, or a recorded session whose
 * frames arrive through `VenueSession.ingest` (replay). Both run the same feeds, normalisers and catalog.
 */
export interface MarketDataWiring {
  transport: 'sockets' | 'recorded';
  /** REST client for book snapshots and quiet-socket checks; `tap` records its answers (market data too). */
  rest(endpoints: VenueEndpoints, tap?: (text: string) => void): ClobPublicClient;
  /** Replay: a recorded REST answer ('clob-rest' frame) for a request the session made. */
  deliver?(frame: IngestFrame): boolean;
  /** Where window markets are looked up. */
  directory(endpoints: VenueEndpoints, rest: ClobPublicClient): MarketDirectory;
  /** Recorded sessions without a reference price: orders are gated on books alone. */
  noReference?: boolean;
}

/** A recorded frame as the session ingests it (bot/replay/session.ts RecordedFrame, structurally). */
export interface IngestFrame {
  source: string;
  raw: string;
}

export interface VenueSessionOptions {
  /** Live sockets or a recorded session: chosen by the composition root. */
  marketData: MarketDataWiring;
  /** Builds the order side (paper or live): chosen by the composition root. */
  orderSide: OrderSideFactory;
  endpoints: VenueEndpoints;
  clock: Clock;
  bus: EventBus;
  journal: ExecutionJournal;
  asset: Asset;
  kinds: readonly WindowKind[];
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
  readonly reference = new ReferenceStore();
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
  private readonly rest: ClobPublicClient;

  constructor(private readonly o: VenueSessionOptions) {
    const { clock, bus, endpoints: ep } = o;
    this.prng = new Prng(o.seed ?? 'trading-stack'); // seed string kept: the jitter sequence stays as it was
    this.venueClock = new VenueClock(clock);
    const onRaw = o.onRaw;
    const rest = o.marketData.rest(ep, onRaw ? (text) => onRaw('clob-rest', clock.nowMs(), text) : undefined);
    this.rest = rest;
    const staleMs = o.staleFeedMs ?? 5_000;
    const raw = o.onRaw ? { onRaw: o.onRaw } : {};
    this.marketFeed = new ClobMarketFeed({ url: ep.marketWs, clock, bus, prng: this.prng, rest, staleMs, ...raw });
    this.catalog = new MarketCatalog({
      clock: this.venueClock, bus, prng: this.prng, directory: o.marketData.directory(ep, rest), reference: this.reference, asset: o.asset, kinds: o.kinds,
      ...(o.closingMs !== undefined ? { closingMs: o.closingMs } : {}),
      onTokens: (t) => this.marketFeed.setAssets(t),
    });
    const api = o.credentials.api;
    const choice = o.credentials.reference;
    const recorded = o.marketData.transport === 'recorded';
    this.referenceFeed = choice === 'rtds' ? 'rtds' : 'polybolt';
    this.refFeed =
      choice === 'polybolt' && (api || recorded)
        ? new PolyboltFeed({ url: ep.polybolt, clock, bus, prng: this.prng, ...(api ? { creds: api } : {}), store: this.reference, staleMs, ...raw })
        : choice === 'rtds'
          ? new RtdsFeed({ url: ep.rtds, clock, bus, prng: this.prng, store: this.reference, staleMs, ...raw })
          : undefined;
    this.spotFeed = new SpotFeed({ url: ep.spot, clock, bus, prng: this.prng, store: this.reference, staleMs, ...raw });
    this.tracker = new OrderTracker({ clock, bus, journal: o.journal, tokenInfo: (t) => this.catalog.tokenInfo(t) });
    this.status = new VenueStatus(clock, bus);
    this.limiter = new RateLimiter({ clock });
    this.gate = new FeedGate({ bus, reference: o.marketData.noReference ? 'none' : this.referenceFeed, allowDegraded: o.allowSpotOnly ?? false, isBookFresh: (t) => this.marketFeed.isFresh(t) });
    this.marketFeed.addListener({ onResolved: (cid, win) => this.catalog.resolve(cid, win) });
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

  /**
   * Replay: one recorded frame through the same feed normaliser that parses it live. Frames of a source this
   * session has no feed for (a reference the credentials did not choose) are counted and dropped.
   */
  ingest(frame: IngestFrame): boolean {
    switch (frame.source) {
      case 'clob-market':
        this.marketFeed.ingest(frame.raw);
        return true;
      case 'polybolt':
      case 'rtds':
        if (!this.refFeed || this.referenceFeed !== frame.source) return false;
        this.refFeed.ingest(frame.raw);
        return true;
      case 'spot':
        this.spotFeed.ingest(frame.raw);
        return true;
      case 'clob-rest':
        return this.o.marketData.deliver?.(frame) ?? false;
      default:
        return false;
    }
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
  setFeedLimits(limits: { staleFeedMs: number; allowSpotOnly: boolean }): void {
    for (const f of [this.marketFeed, this.refFeed, this.spotFeed]) f?.conn.health.setStaleMs(limits.staleFeedMs);
    this.gate.setAllowDegraded(limits.allowSpotOnly);
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
    this.catalog.start();
    if (this.o.marketData.transport === 'recorded') {
      for (const f of [this.marketFeed, this.refFeed, this.spotFeed]) f?.conn.startRecorded();
    } else {
      this.marketFeed.start();
      this.refFeed?.start();
      this.spotFeed.start();
    }
    this.userFeed?.start();
    this.heartbeat?.start();
  }

  /** `GET /time` once: the venue clock's offset from ours (ignored at or below 1 s); a failure keeps our clock. */
  private async measureVenueClock(): Promise<void> {
    const sent = this.o.clock.nowMs();
    const r = await this.rest.serverTimeSec().catch(() => undefined);
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
    this.spotFeed.stop();
    this.refFeed?.stop();
    this.marketFeed.stop();
    this.catalog.stop();
    for (const u of this.unsubs.splice(0)) u();
    this.gate.dispose();
    this.limiter.dispose();
    this.orderSide.close();
  }
}
