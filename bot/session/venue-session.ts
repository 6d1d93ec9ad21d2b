/**
 * TradingStack: the venue-connectivity subsystem assembled for one mode (paper | live) over one set of endpoints
 * (real Polymarket or the simulator – only URLs differ). The runtime creates one and treats it as a component
 * (`name`, `start()`, `stop(reason)`); strategies read its catalog/books/reference/tracker, the risk engine adds
 * gates, intents go to `engine.place` / `engine.cancel`.
 *
 * Construction order: reference store -> REST clients -> market feed -> catalog (drives the feed's token set) ->
 * reference + spot feeds -> tracker (journal) -> venue status, rate limiter -> venue (live | paper) -> feed gate ->
 * engine (gates: window tradable, feeds fresh, heartbeat, extra) -> user feed + heartbeats (live).
 * Start: reconcile with the venue (journal restore, orphans, unknown orders, trades) BEFORE any order; retried
 * every `reconcileRetryMs` while incomplete (trading refused meanwhile) -> catalog -> feeds -> user feed -> heartbeats.
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
import { HeartbeatLoop } from '../execution/heartbeat';
import type { ExecutionJournal } from '../execution/journal';
import type { VenueEndpoints } from '../core/endpoints';
import type { ResolvedCredentials } from '../execution/credentials';
import { LiveVenue } from '../execution/live-venue';
import { OrderTracker, type TrackedOrder } from '../execution/order-tracker';
import { PaperVenue } from '../execution/paper-venue';
import { RateLimiter } from '../execution/rate-limiter';
import { reconcile, type ReconcileResult } from '../execution/reconcile';
import type { PlaceRequest } from '../core/orders';
import type { Venue } from '../execution/venue';
import { VenueStatus } from '../execution/venue-status';
import { ClobUserFeed } from '../execution';
import { ReferenceStore, type FeedName, type OrderBook } from '../core';
import { ClobPublicClient, GammaClient } from '../http';

export interface TradingStackOptions {
  mode: 'paper' | 'live';
  endpoints: VenueEndpoints;
  clock: Clock;
  bus: EventBus;
  journal: ExecutionJournal;
  asset: Asset;
  kinds: readonly WindowKind[];
  seed?: string | number;
  /** Resolved before the stack is built; live needs `live` (key + API credentials). */
  credentials: ResolvedCredentials;
  chainId?: number;
  staleFeedMs?: number;
  allowSpotOnly?: boolean;
  cancelOrphansAtStart?: boolean;
  /** How far back startup reconciliation reads our trades (default 24 h). */
  tradesLookbackMs?: number;
  cancelOnStop?: boolean;
  closingMs?: number;
  reconcileRetryMs?: number;
  requestTimeoutMs?: number;
  /** How long an order with an unknown outcome is queried before it is declared not placed. */
  resolveDeadlineMs?: number;
  /** Raw frame tap for the recorder (every feed, before parsing). */
  onRaw?: (feed: FeedName, tsRecvMs: number, text: string) => void;
  /** Extra gates (risk engine, kill switch): a reason denies the order. */
  gates?: Array<(req: PlaceRequest) => string | undefined>;
}

export class TradingModeError extends Error {}

export class TradingStack {
  readonly name = 'trading-stack';
  readonly reference = new ReferenceStore();
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
  private readonly prng: Prng;
  private retryTimer: CancelTimer | undefined;
  private readonly unsubs: Array<() => void> = [];

  constructor(private readonly o: TradingStackOptions) {
    if (o.mode === 'live' && !o.credentials.live) {
      throw new TradingModeError('TRADING_MODE=live needs a wallet private key and CLOB API credentials; refusing to arm the live venue without them.');
    }
    const { clock, bus, endpoints: ep } = o;
    this.prng = new Prng(o.seed ?? 'trading-stack');
    const rest = new ClobPublicClient(ep.clob);
    const staleMs = o.staleFeedMs ?? 5_000;
    const raw = o.onRaw ? { onRaw: o.onRaw } : {};
    this.marketFeed = new ClobMarketFeed({ url: ep.marketWs, clock, bus, prng: this.prng, rest, staleMs, ...raw });
    this.catalog = new MarketCatalog({
      clock, bus, prng: this.prng, gamma: new GammaClient(ep.gamma), clob: rest, reference: this.reference, asset: o.asset, kinds: o.kinds,
      ...(o.closingMs !== undefined ? { closingMs: o.closingMs } : {}),
      onTokens: (t) => this.marketFeed.setAssets(t),
    });
    const api = o.credentials.api;
    const choice = o.credentials.reference;
    this.referenceFeed = choice === 'rtds' ? 'rtds' : 'polybolt';
    this.refFeed =
      choice === 'polybolt' && api
        ? new PolyboltFeed({ url: ep.polybolt, clock, bus, prng: this.prng, creds: api, store: this.reference, staleMs, ...raw })
        : choice === 'rtds'
          ? new RtdsFeed({ url: ep.rtds, clock, bus, prng: this.prng, store: this.reference, staleMs, ...raw })
          : undefined;
    this.spotFeed = new SpotFeed({ url: ep.spot, clock, bus, prng: this.prng, store: this.reference, staleMs, ...raw });
    this.tracker = new OrderTracker({ clock, bus, journal: o.journal, tokenInfo: (t) => this.catalog.tokenInfo(t) });
    this.status = new VenueStatus(clock, bus);
    this.limiter = new RateLimiter({ clock });
    this.gate = new FeedGate({ bus, reference: this.referenceFeed, allowDegraded: o.allowSpotOnly ?? false, isBookFresh: (t) => this.marketFeed.isFresh(t) });
    this.marketFeed.addListener({ onResolved: (cid, win) => this.catalog.resolve(cid, win) });
    this.unsubs.push(bus.on('market.resolved', (e) => void this.tracker.settle(e.slug, e.winningTokenId)));
    this.build();
  }

  /** Build venue + engine (+ user feed and heartbeats when live). */
  private build(): void {
    const { clock, bus } = this.o;
    const c = this.o.credentials.live;
    const api = c?.api;
    if (this.o.mode === 'live' && c) {
      this.live = new LiveVenue({
        host: this.o.endpoints.clob, clock, privateKey: c.privateKey, signatureType: c.signatureType, ...(c.funder ? { funder: c.funder } : {}),
        ...(this.o.chainId !== undefined ? { chainId: this.o.chainId } : {}), creds: c.api, limiter: this.limiter, status: this.status,
        isOurOrder: (id) => !!this.tracker.getByOrderId(id), ...(this.o.requestTimeoutMs ? { requestTimeoutMs: this.o.requestTimeoutMs } : {}),
      });
      this.venue = this.live;
      this.heartbeat = new HeartbeatLoop(clock, bus, this.live);
    } else {
      const paper = new PaperVenue({ clock, book: (t) => this.marketFeed.book(t) });
      this.marketFeed.addListener(paper);
      this.venue = paper;
    }
    const hb = this.heartbeat;
    this.engine = new ExecutionEngine({
      clock, bus, tracker: this.tracker, venue: this.venue, limiter: this.limiter, status: this.status,
      ...(this.o.resolveDeadlineMs !== undefined ? { resolveDeadlineMs: this.o.resolveDeadlineMs } : {}),
      refreshMarket: async (req) => {
        const r = await this.catalog.refreshMarket(req.market.windowSlug);
        return r ? orderMarketInfo(r, r.downTokenId === req.market.tokenId ? 'down' : 'up') : undefined;
      },
      gates: [(r) => this.catalog.tradableReason(r.market.windowSlug), (r) => this.gate.blockReason(r.market.tokenId), ...(hb ? [() => hb.denyReason()] : []), ...(this.o.gates ?? [])],
    });
    if (this.live && api) {
      this.userFeed = new ClobUserFeed({
        url: this.o.endpoints.userWs, clock, bus, prng: this.prng, creds: api, ownership: this.live.ownership, ...(this.o.onRaw ? { onRaw: this.o.onRaw } : {}),
        listener: { onOrder: (v) => this.tracker.onVenueOrder(v), onFill: (f) => this.tracker.onFill(f) },
        catchUp: async () => {
          const r = await this.reconcileOnce(false);
          if (!r.ok) throw new Error(r.reason);
        },
      });
    }
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
    return this.lastReconcile;
  }

  // --- TradingPort (bot/engine/trading-port.ts), structurally ---
  windows(): WindowRecord[] {
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
    return this.status.denyReason(orderType, postOnly) ?? this.heartbeat?.denyReason();
  }
  openOrders(strategyId?: string): TrackedOrder[] {
    return this.tracker.open(strategyId);
  }
  place(req: PlaceRequest): Promise<SubmitResult> {
    if (!this.engine) return Promise.resolve({ ok: false, reason: 'trading stack not started' });
    return this.engine.place(req);
  }
  cancel(clientTag: string): Promise<boolean> {
    return this.engine ? this.engine.cancel(clientTag) : Promise.resolve(false);
  }
  cancelAll(): Promise<number> {
    return this.engine ? this.engine.cancelAllOpen() : Promise.resolve(0);
  }

  async start(): Promise<void> {
    if (this.live) await this.measureServerTime();
    const first = await this.reconcileOnce(true);
    if (!first.ok) this.scheduleReconcileRetry();
    this.catalog.start();
    this.marketFeed.start();
    this.refFeed?.start();
    this.spotFeed.start();
    this.userFeed?.start();
    this.heartbeat?.start();
  }

  /** Measure the venue clock (GET /time, seconds) and apply the offset to L2 timestamps when it exceeds 1 s. */
  private async measureServerTime(): Promise<void> {
    const before = this.o.clock.nowMs();
    const r = await new ClobPublicClient(this.o.endpoints.clob).serverTimeSec();
    if (!r.ok || !this.live) return;
    const mid = (before + this.o.clock.nowMs()) / 2;
    const offset = r.value * 1000 + 500 - mid;
    this.live.http.serverOffsetMs = Math.abs(offset) > 1_000 ? Math.round(offset) : 0;
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
    if ((this.o.cancelOnStop ?? this.o.mode === 'live') && this.engine) {
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
    this.live?.close();
  }
}
