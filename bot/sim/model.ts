/**
 * SimModel: the simulated venue's world. Owns the price model, the market registry, the ledger, the exchange and
 * one synthetic crowd per active market; rolls windows at every series boundary, captures the price to beat,
 * closes, resolves by the TWAP rule (final TWAP >= price to beat => Up; ties Up) and settles positions.
 *
 * Invariants:
 * - Boundary work runs after the reference report of the same instant (timer names order them), so a window's
 *   price to beat equals the previous window's final price exactly.
 * - Books (makers and takers) run only for windows that are open or open within `bookLeadMs`; other listed windows
 *   exist lazily with empty books. The settlement history keeps at most 2,000 entries.
 */
import type { CancelTimer, Clock } from '../clock';
import { RingBuffer } from '../bus/ring-buffer';
import type { Prng } from '../util/prng';
import { MICRO } from './book';
import { Crowd, type CrowdOptions } from './crowd';
import { dialect, type Dialect, type DialectName } from './dialect';
import { Exchange } from './exchange';
import { SimHub } from './hub';
import { SimIds } from './ids';
import { Ledger } from './ledger';
import { type FeeParams, MarketRegistry, SimMarket } from './market';
import { MarketPublisher } from './market-frames';
import { PriceModel, type PriceModelOptions } from './price-model';
import { everyAligned } from './schedule';
import { type SeriesSpec, windowStartSec, windowTitle } from './series';
import { TradeLifecycle } from './trade-lifecycle';
import { VenueSettings } from './venue-settings';

export interface ModelOptions {
  seed: string;
  series: readonly SeriesSpec[];
  price: PriceModelOptions;
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
  readonly prices: PriceModel;
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
  private readonly cancels: CancelTimer[] = [];

  constructor(
    readonly clock: Clock,
    private readonly prng: Prng,
    readonly opts: ModelOptions,
  ) {
    this.ids = new SimIds(opts.seed);
    this.dialect = dialect(opts.dialect);
    this.prices = new PriceModel(clock, prng.fork('price'), opts.price);
    this.registry = new MarketRegistry(opts.maxMarkets);
    this.ledger = new Ledger(Math.round(opts.initialBalanceUsd * MICRO));
    this.publisher = new MarketPublisher(this.hub, this.dialect);
    const lifecycle = new TradeLifecycle(clock, this.hub, { minedDelayMs: opts.minedDelayMs, confirmDelayMs: opts.confirmDelayMs }, this.dialect);
    this.exchange = new Exchange(clock, this.ledger, this.hub, this.publisher, this.ids, lifecycle);
  }

  start(): void {
    this.prices.start();
    const now = this.clock.nowMs();
    for (const spec of this.opts.series) {
      const cur = this.market(spec, windowStartSec(spec, now));
      this.open(cur);
      this.activateUpTo(spec, now);
      this.cancels.push(everyAligned(this.clock, spec.durationSec * 1000, 0, `sim.c.boundary.${spec.label}`, (t) => this.boundary(spec, t)));
    }
  }

  stop(): void {
    this.prices.stop();
    for (const c of this.cancels.splice(0)) c();
    for (const c of this.crowds.values()) c.stop();
    this.crowds.clear();
  }

  /** Materialise (or find) the market of a series window. */
  market(spec: SeriesSpec, startSec: number): SimMarket {
    const slug = `${spec.asset}-updown-${spec.label}-${startSec}`;
    const found = this.registry.slug(slug);
    if (found) return found;
    const idx = this.opts.series.indexOf(spec);
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
    const ending = this.registry.slug(`${spec.asset}-updown-${spec.label}-${sec - spec.durationSec}`);
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
    const crowd = new Crowd(m, this.clock, this.prng.fork(m.slug), this.prices, this.exchange, this.publisher, this.opts.crowd, () => this.isQuiet(m));
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

  private open(m: SimMarket): void {
    if (m.status !== 'listed') return;
    m.status = 'open';
    m.priceToBeat = this.prices.twapAtSecond(m.startSec) ?? this.prices.twapNow().value;
  }

  private close(m: SimMarket): void {
    if (m.status !== 'open') return;
    m.status = 'closed';
    m.finalPrice = this.prices.twapAtSecond(m.endMs / 1000) ?? this.prices.twapNow().value;
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
