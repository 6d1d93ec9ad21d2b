/**
 * MarketDataSide: the market-data half of a VenueSession (bot/session/venue-session.ts) – the REST client for book
 * snapshots, the market socket feed, the window catalog (which drives the feed's token set), the reference feed
 * (PolyBolt or RTDS, per the resolved credentials) and the spot feed, and the feed gate over them. The order side
 * meets it only in the session (books for the paper venue, the gate and the catalog as engine gates).
 *
 * Construction order (the PRNG's draws and the bus subscriptions depend on it): REST client -> market feed ->
 * catalog -> reference feed -> spot feed -> feed gate -> the market feed's resolution listener (the catalog).
 * Start: catalog, then the feeds (sockets, or recorded frames through `ingest`). Stop: feeds in reverse, catalog,
 * then the gate's subscriptions.
 *
 * Invariants: the catalog runs on the venue clock (window timing is the venue's); feeds, their ages and the gate run
 * on our clock; a recorded wiring never opens a socket; frames of a source without a feed are dropped (false).
 */
import type { EventBus } from '../bus';
import type { Clock } from '../clock';
import type { RawSource, ReferenceSet, SeriesDef, VenueClock } from '../core';
import type { VenueEndpoints } from '../core/endpoints';
import type { ResolvedCredentials } from '../execution/credentials';
import { ClobMarketFeed, FeedGate, PolyboltFeed, RtdsFeed, SpotFeed } from '../feeds';
import { spotStreamUrl } from '../feeds/spot-feed';
import type { ClobPublicClient } from '../http';
import { MarketCatalog } from '../markets';
import type { MarketDirectory } from '../markets/market-directory';
import type { SpotTradeInText } from '../protocol/spot';
import type { Prng } from '../util/prng';

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
  /** A spot trade already located in its recording line (recording-reader's SpotLineFrame): read in place. */
  spotTrade?: SpotTradeInText;
}

export interface MarketDataSideOptions {
  wiring: MarketDataWiring;
  endpoints: VenueEndpoints;
  clock: Clock;
  /** Our clock plus the venue's offset: the catalog's window timing. */
  venueClock: VenueClock;
  bus: EventBus;
  prng: Prng;
  /** One reference store per asset: each feed symbol writes only to its asset's store. */
  references: ReferenceSet;
  /** Every series tracked (any asset, any window length). */
  series: readonly SeriesDef[];
  credentials: ResolvedCredentials;
  staleFeedMs?: number;
  allowSpotOnly?: boolean;
  closingMs?: number;
  /** Raw frame tap for the recorder (every feed, before parsing). */
  onRaw?: (feed: RawSource, tsRecvMs: number, text: string) => void;
}

export class MarketDataSide {
  readonly rest: ClobPublicClient;
  readonly marketFeed: ClobMarketFeed;
  readonly catalog: MarketCatalog;
  /** The reference feed (undefined: none – no CLOB API credentials and no explicit RTDS choice). */
  readonly refFeed: PolyboltFeed | RtdsFeed | undefined;
  readonly referenceFeed: 'polybolt' | 'rtds';
  readonly spotFeed: SpotFeed;
  readonly gate: FeedGate;

  private staleMs: number;

  constructor(private readonly o: MarketDataSideOptions) {
    const { clock, bus, prng, endpoints: ep, references } = o;
    const store = references.primary;
    const onRaw = o.onRaw;
    const rest = o.wiring.rest(ep, onRaw ? (text) => onRaw('clob-rest', clock.nowMs(), text) : undefined);
    this.rest = rest;
    const staleMs = o.staleFeedMs ?? 5_000;
    this.staleMs = staleMs;
    const raw = onRaw ? { onRaw } : {};
    // Tokens the market socket follows: the catalog's unresolved windows, at most 6 per series (32 series at most).
    this.marketFeed = new ClobMarketFeed({ url: ep.marketWs, clock, bus, prng, rest, staleMs, maxTokens: Math.max(16, MAX_SERIES * 12), ...raw });
    this.catalog = new MarketCatalog({
      clock: o.venueClock, bus, prng, directory: o.wiring.directory(ep, rest), reference: references, series: o.series,
      ...(o.closingMs !== undefined ? { closingMs: o.closingMs } : {}),
      onTokens: (t) => this.marketFeed.setAssets(t),
    });
    const api = o.credentials.api;
    const choice = o.credentials.reference;
    const recorded = o.wiring.transport === 'recorded';
    this.referenceFeed = choice === 'rtds' ? 'rtds' : 'polybolt';
    this.refFeed =
      choice === 'polybolt' && (api || recorded)
        ? new PolyboltFeed({ url: ep.polybolt, clock, bus, prng, ...(api ? { creds: api } : {}), references, symbols: polyboltSymbols(o.series), staleMs, ...raw })
        : choice === 'rtds'
          ? new RtdsFeed({ url: ep.rtds, clock, bus, prng, references, symbols: rtdsSymbols(o.series), staleMs, ...raw })
          : undefined;
    // One asset: the configured stream as it is; several: one combined stream, each price to its own asset's store.
    const spotSymbols = [...new Set(o.series.map((s) => s.spotSymbol))];
    // Both stores are handed over so that a series of another asset added while running switches it to routing by symbol.
    this.spotFeed = new SpotFeed({ url: spotSymbols.length > 1 ? spotStreamUrl(ep.spot, spotSymbols) : ep.spot, baseUrl: ep.spot, clock, bus, prng, store, references, multi: spotSymbols.length > 1, staleMs, ...raw });
    this.gate = new FeedGate({ bus, reference: o.wiring.noReference ? 'none' : this.referenceFeed, allowDegraded: o.allowSpotOnly ?? false, isBookFresh: (t) => this.marketFeed.isFresh(t), referenceBlock: (t) => this.referenceBlockReason(t) });
    this.marketFeed.addListener({ onResolved: (cid, win) => this.catalog.resolve(cid, win) });
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
        if (frame.spotTrade) this.spotFeed.ingestTrade(frame.spotTrade);
        else this.spotFeed.ingest(frame.raw);
        return true;
      case 'clob-rest':
        return this.o.wiring.deliver?.(frame) ?? false;
      default:
        return false;
    }
  }

  /** Series added or removed while running: the catalog's windows and the reference and spot feeds' symbols follow. */
  setSeries(series: readonly SeriesDef[]): { added: SeriesDef[]; removed: SeriesDef[] } {
    for (const s of series) this.o.references.add(s.asset);
    const change = this.catalog.setSeries(series);
    if (this.refFeed instanceof PolyboltFeed) this.refFeed.setSymbols(polyboltSymbols(series));
    else this.refFeed?.setSymbols(rtdsSymbols(series));
    this.spotFeed.setSymbols(series.map((s) => s.spotSymbol));
    return change;
  }

  /**
   * Each asset's reference has its own freshness: a stale ETH reference blocks ETH windows only. Undefined when this
   * token's asset has a fresh reference, or when the data has no reference at all (books-only recordings).
   */
  referenceBlockReason(tokenId: string): string | undefined {
    if (this.o.wiring.noReference || !this.refFeed) return undefined;
    const rec = this.catalog.byToken(tokenId);
    if (!rec) return undefined;
    const store = this.o.references.get(rec.window.asset);
    if (!store || store.isStale(this.o.clock.nowMs(), this.staleMs)) return `reference ${rec.window.asset} stale`;
    return undefined;
  }

  /** This asset's own reference symbol has been silent past the stale bound (or never spoke). */
  assetReferenceStale(asset: string): boolean {
    const store = this.o.references.get(asset);
    return !store || store.isStale(this.o.clock.nowMs(), this.staleMs);
  }

  /** Config hot apply: the feeds' silent-stall bound and whether spot-only (degraded) trading is allowed. */
  setFeedLimits(limits: { staleFeedMs: number; allowSpotOnly: boolean }): void {
    this.staleMs = limits.staleFeedMs;
    for (const f of [this.marketFeed, this.refFeed, this.spotFeed]) f?.conn.health.setStaleMs(limits.staleFeedMs);
    this.gate.setAllowDegraded(limits.allowSpotOnly);
  }

  /** The catalog, then the feeds: sockets, or recorded connections fed through `ingest`. */
  start(): void {
    this.catalog.start();
    if (this.o.wiring.transport === 'recorded') {
      for (const f of [this.marketFeed, this.refFeed, this.spotFeed]) f?.conn.startRecorded();
    } else {
      this.marketFeed.start();
      this.refFeed?.start();
      this.spotFeed.start();
    }
  }

  /** Feeds in reverse order, the catalog, then the gate's bus subscriptions. */
  stop(): void {
    this.spotFeed.stop();
    this.refFeed?.stop();
    this.marketFeed.stop();
    this.catalog.stop();
    this.gate.dispose();
  }
}

/** The config's bound on the series list (lib/schemas/config.ts). */
const MAX_SERIES = 32;

/** PolyBolt symbols of the series (`btcusd`), one per asset. */
function polyboltSymbols(series: readonly SeriesDef[]): string[] {
  return [...new Set(series.map((s) => s.referenceSymbol.replace('/', '')))];
}

/** Legacy RTDS spells them `btc/usd`. */
function rtdsSymbols(series: readonly SeriesDef[]): string[] {
  return [...new Set(series.map((s) => s.referenceSymbol.replace('/', '').replace(/usd$/, '/usd')))];
}
