/**
 * SimModel: the simulated venue's world. Owns the price world (one correlated walk per asset), the market registry,
 * the ledger, the exchange and one synthetic crowd per active market; rolls windows at every series boundary,
 * captures the price to beat, closes, resolves by the series' settlement source (final >= price to beat => Up; ties
 * Up: the asset's reference TWAP-60, or its spot candle for `spot-candle` series) and settles positions.
 *
 * Invariants:
 * - Random streams: the first asset walks on `prng.fork('price')` and the default series' crowds fork from `prng`,
 *   exactly as the single-asset simulator did; every other asset and series has its own stream forked from a fresh
 *   Prng of the seed, so adding assets or series never changes the default ones' draws.
 * - Boundary work runs after the reference report of the same instant (timer names order them), so a window's
 *   price to beat equals the previous window's final price exactly.
 * - Books (makers and takers) run only for windows that are open or open within `bookLeadMs`; other listed windows
 *   exist lazily with empty books. The settlement history keeps at most 2,000 entries.
 */
import type { CancelTimer, Clock } from '../clock';
import { RingBuffer } from '../bus/ring-buffer';
import { MICRO } from './book';
import { Crowd, type CrowdOptions } from './crowd';
import { dialect, type Dialect, type DialectName } from './dialect';
import { Exchange } from './exchange';
import { SimHub } from './hub';
import { SimIds } from './ids';
import { Ledger } from './ledger';
import { type FeeParams, MarketRegistry, SimMarket } from './market';
import { MarketPublisher } from './market-frames';
import type { PriceModel, PriceModelOptions } from './price-model';
import { PriceWorld } from './price-world';
import { everyAligned } from './schedule';
import { isDefaultSeries, type SeriesSpec, settlementOf, windowSlug, windowStartSec, windowTitle } from './series';
import type { SimAsset } from './sim-assets';
import { checkSeries } from './sim-world-options';
import { Prng } from '../util/prng';
import { TradeLifecycle } from './trade-lifecycle';
import { VenueSettings } from './venue-settings';

export interface ModelOptions {
  seed: string;
  series: readonly SeriesSpec[];
  /** Shared price options (timing) and, when `assets` is empty, BTC's walk. */
  price: PriceModelOptions;
  /** Simulated assets, in correlation-matrix order (empty: one BTC walk from `price`). */
  assets: readonly SimAsset[];
  /** Correlation matrix of the assets' returns (validated), in `assets` order. */
  correlation: readonly (readonly number[])[];
  crowd: CrowdOptions;
  fees: FeeParams;
  minOrderSize: number;
  listLeadMs: number;
  bookLeadMs: number;
  resolutionDelayMs: number;
  minedDelayMs: number;
  confirmDelayMs: number;
  initialBalanceUsd: number;
  maxMarkets: number;
  marketVersion: 'v1' | 'v2';
  dialect: DialectName;
}

export interface Settlement {
  slug: string;
  winner: 'Up' | 'Down';
  priceToBeat: number;
  finalPrice: number;
  paidMicro: number;
  winningSharesMicro: number;
  upSupplyMicro: number;
  downSupplyMicro: number;
  resolvedAtMs: number;
}

export class SimModel {
  readonly ids: SimIds;
  readonly hub = new SimHub();
  /** The first asset's price model (BTC by default). */
  readonly prices: PriceModel;
  /** Every asset's price model, stepped together. */
  readonly world: PriceWorld;
  readonly registry: MarketRegistry;
  readonly ledger: Ledger;
  readonly publisher: MarketPublisher;
  readonly exchange: Exchange;
  readonly settlements = new RingBuffer<Settlement>(2000);
  /** How every server of this simulator spells its frames. */
  readonly dialect: Dialect;
  /** What the geoblock check answers (the control API can change it). */
  readonly geo = { blocked: false, country: 'PT', region: '' };
  /** Is this market's crowd quiet (the `quiet` fault; set by startSim)? */
  isQuiet: (m: SimMarket) => boolean = () => false;
  /** `/time` offset, closed-only accounts and allowances (the control API can change them). */
  readonly settings = new VenueSettings();
  private readonly crowds = new Map<string, Crowd>();
  private readonly crowdRoots = new Map<string, Prng>();
  private readonly cancels: CancelTimer[] = [];
  private readonly seriesList: SeriesSpec[];
  private started = false;

  constructor(
    readonly clock: Clock,
    private readonly prng: Prng,
    readonly opts: ModelOptions,
  ) {
    this.seriesList = [...opts.series];
    this.ids = new SimIds(opts.seed);
    this.dialect = dialect(opts.dialect);
    this.world = buildWorld(clock, prng, opts);
    this.prices = this.world.models[0]!;
    this.registry = new MarketRegistry(opts.maxMarkets);
    this.ledger = new Ledger(Math.round(opts.initialBalanceUsd * MICRO));
    this.publisher = new MarketPublisher(this.hub, this.dialect);
    const lifecycle = new TradeLifecycle(clock, this.hub, { minedDelayMs: opts.minedDelayMs, confirmDelayMs: opts.confirmDelayMs }, this.dialect);
    this.exchange = new Exchange(clock, this.ledger, this.hub, this.publisher, this.ids, lifecycle);
  }

  start(): void {
    this.world.start();
    this.started = true;
    for (const spec of this.seriesList) this.startSeries(spec);
  }

  /** Every series the venue runs (the options' series, then any added while running). */
  get series(): readonly SeriesSpec[] {
    return this.seriesList;
  }

  /**
   * List a new series while running (a venue that launches a series): its current window opens now (its price to
   * beat is the current price when the start predates the synthetic past) and it rolls from there. Its asset must be
   * simulated; a bad or duplicate series throws a RangeError. Other series' draws are untouched.
   */
  addSeries(spec: SeriesSpec): void {
    checkSeries([...this.seriesList, spec]);
    if (!this.world.get(spec.asset)) throw new RangeError(`invalid series ${spec.seriesSlug}: its asset ${spec.asset} is not simulated (assets: ${this.world.models.map((m) => m.asset).join(', ')})`);
    this.seriesList.push(spec);
    if (this.started) this.startSeries(spec);
  }

  private startSeries(spec: SeriesSpec): void {
    const now = this.clock.nowMs();
    const cur = this.market(spec, windowStartSec(spec, now));
    this.open(cur);
    this.activateUpTo(spec, now);
    const name = isDefaultSeries(spec) ? `sim.c.boundary.${spec.label}` : `sim.c.boundary.${spec.label}.${spec.asset}`;
    this.cancels.push(everyAligned(this.clock, spec.durationSec * 1000, 0, name, (t) => this.boundary(spec, t)));
  }

  /** The price model of an asset (undefined when it is not simulated). */
  pricesFor(asset: string): PriceModel | undefined {
    return this.world.get(asset);
  }

  stop(): void {
    this.world.stop();
    for (const c of this.cancels.splice(0)) c();
    for (const c of this.crowds.values()) c.stop();
    this.crowds.clear();
  }

  /** Materialise (or find) the market of a series window. */
  market(spec: SeriesSpec, startSec: number): SimMarket {
    const slug = windowSlug(spec, startSec);
    const found = this.registry.slug(slug);
    if (found) return found;
    const idx = this.seriesList.indexOf(spec);
    const m = new SimMarket(spec, idx, startSec, this.ids, this.opts.fees, this.opts.minOrderSize, this.opts.listLeadMs, this.opts.marketVersion);
    this.registry.add(m);
    return m;
  }

  /** Is a window listed at this instant (within the listing horizon, or already materialised)? */
  isListed(spec: SeriesSpec, startSec: number, nowMs: number): boolean {
    return startSec * 1000 - this.opts.listLeadMs <= nowMs;
  }

  activeMarkets(): SimMarket[] {
    return [...this.registry.all()].filter((m) => m.booksActive);
  }

  crowd(m: SimMarket): Crowd | undefined {
    return this.crowds.get(m.slug);
  }

  private boundary(spec: SeriesSpec, tMs: number): void {
    const sec = tMs / 1000;
    const ending = this.registry.slug(windowSlug(spec, sec - spec.durationSec));
    if (ending) this.close(ending);
    this.open(this.market(spec, sec));
    this.activateUpTo(spec, tMs);
  }

  private activateUpTo(spec: SeriesSpec, nowMs: number): void {
    const last = windowStartSec(spec, nowMs + this.opts.bookLeadMs);
    for (let s = windowStartSec(spec, nowMs); s <= last; s += spec.durationSec) this.activate(this.market(spec, s));
  }

  private activate(m: SimMarket): void {
    if (m.booksActive || m.status === 'closed' || m.status === 'resolved') return;
    m.booksActive = true;
    const crowd = new Crowd(m, this.clock, this.crowdRoot(m.spec).fork(m.slug), this.assetPrices(m.spec), this.exchange, this.publisher, this.opts.crowd, () => this.isQuiet(m));
    this.crowds.set(m.slug, crowd);
    crowd.start();
    this.hub.publishMarket(m.conditionId, [m.upTokenId, m.downTokenId], true, {
      event_type: 'new_market',
      id: m.marketId,
      question: windowTitle(m.spec, m.startSec),
      market: m.conditionId,
      slug: m.slug,
      assets_ids: [m.upTokenId, m.downTokenId],
      outcomes: ['Up', 'Down'],
      timestamp: String(this.clock.nowMs()),
      condition_id: m.conditionId,
      active: true,
      clob_token_ids: [m.upTokenId, m.downTokenId],
      order_price_min_tick_size: '0.01',
      tags: [],
    }, true);
  }

  /** Default series given at start fork their crowds from the model's stream (as always); others from their own. */
  private crowdRoot(spec: SeriesSpec): Prng {
    if (isDefaultSeries(spec) && this.opts.series.includes(spec)) return this.prng;
    const key = `${spec.asset}:${spec.label}`;
    let root = this.crowdRoots.get(key);
    if (!root) {
      root = new Prng(this.opts.seed).fork(`crowd:${key}`);
      this.crowdRoots.set(key, root);
    }
    return root;
  }

  private assetPrices(spec: SeriesSpec): PriceModel {
    const p = this.world.get(spec.asset);
    if (!p) throw new Error(`series ${spec.seriesSlug}: asset ${spec.asset} is not simulated`);
    return p;
  }

  private open(m: SimMarket): void {
    if (m.status !== 'listed') return;
    m.status = 'open';
    const p = this.assetPrices(m.spec);
    m.priceToBeat = settlementOf(m.spec) === 'spot-candle' ? p.candleOpen(m.startMs) : (p.twapAtSecond(m.startSec) ?? p.twapNow().value);
  }

  private close(m: SimMarket): void {
    if (m.status !== 'open') return;
    m.status = 'closed';
    const p = this.assetPrices(m.spec);
    m.finalPrice = settlementOf(m.spec) === 'spot-candle' ? p.candleClose(m.endMs) : (p.twapAtSecond(m.endMs / 1000) ?? p.twapNow().value);
    this.crowds.get(m.slug)?.stop();
    this.crowds.delete(m.slug);
    this.clock.after(this.opts.resolutionDelayMs, `sim.f.resolve.${m.slug}`, () => this.resolve(m));
  }

  private resolve(m: SimMarket): void {
    const now = this.clock.nowMs();
    m.winner = (m.finalPrice ?? 0) >= (m.priceToBeat ?? 0) ? 'Up' : 'Down';
    for (const o of this.exchange.orders.values()) if (o.market === m && o.status === 'LIVE') this.exchange.cancel(o, 'CANCELED_MARKET_RESOLVED');
    const upSupply = this.ledger.supply(m.upTokenId);
    const downSupply = this.ledger.supply(m.downTokenId);
    const win = m.winner === 'Up' ? m.upTokenId : m.downTokenId;
    const lose = m.winner === 'Up' ? m.downTokenId : m.upTokenId;
    const s = this.ledger.settle(win, lose);
    m.status = 'resolved';
    m.booksActive = false;
    this.settlements.push({
      slug: m.slug,
      winner: m.winner,
      priceToBeat: m.priceToBeat ?? 0,
      finalPrice: m.finalPrice ?? 0,
      paidMicro: s.paidMicro,
      winningSharesMicro: s.winningSharesMicro,
      upSupplyMicro: upSupply,
      downSupplyMicro: downSupply,
      resolvedAtMs: now,
    });
    this.publisher.resolved(m, now);
  }
}

/**
 * The price world of these options. World order: the first asset on `prng.fork('price')` (the single-asset stream),
 * then the others, each on `new Prng(seed).fork('price:<asset>')`.
 */
function buildWorld(clock: Clock, prng: Prng, opts: ModelOptions): PriceWorld {
  const base = opts.price;
  if (opts.assets.length === 0) return new PriceWorld(clock, [{ asset: 'btc', opts: base, prng: prng.fork('price') }], [[1]]);
  const assets = opts.assets.map((a, i) => ({
    asset: a.asset,
    opts: { ...base, startPrice: a.startPrice, annualVol: a.annualVol, jumpsPerHour: a.jumpsPerHour ?? base.jumpsPerHour, jumpSigma: a.jumpSigma ?? base.jumpSigma, decimals: a.decimals ?? base.decimals ?? 2 },
    prng: i === 0 ? prng.fork('price') : new Prng(opts.seed).fork(`price:${a.asset}`),
  }));
  return new PriceWorld(clock, assets, opts.correlation);
}
