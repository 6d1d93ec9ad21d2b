/**
 * SimMarket: one Up/Down window (identity, schedule, tick, book, lifecycle, resolution) and the bounded registry
 * that finds markets by slug, token id and condition id.
 *
 * Invariants:
 * - Identity (ids, slug, times) is a pure function of (seed, series, start) so a market can be materialised lazily.
 * - status moves listed -> open -> closed -> resolved, never back.
 * - The registry holds at most `maxMarkets`; the oldest resolved markets are evicted first.
 */
import { UnifiedBook, type Outcome } from './book';
import type { SimIds } from './ids';
import { type SeriesSpec, windowSlug } from './series';

export type MarketStatus = 'listed' | 'open' | 'closed' | 'resolved';

export interface FeeParams {
  rate: number;
  exponent: number;
  takerOnly: boolean;
  rebateRate: number;
}

export const DEFAULT_FEES: FeeParams = { rate: 0.07, exponent: 1, takerOnly: true, rebateRate: 0.2 };

export class SimMarket {
  readonly slug: string;
  readonly conditionId: string;
  readonly questionId: string;
  readonly upTokenId: string;
  readonly downTokenId: string;
  readonly marketId: string;
  readonly eventId: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly listedMs: number;
  readonly book = new UnifiedBook();
  status: MarketStatus = 'listed';
  /** Current tick in thousandths (10 = 0.01, 1 = 0.001). */
  tickMilli = 10;
  /** When the tick last changed (epoch ms); a switch to 0.001 comes at least TICK_DWELL_MS after it (tick-rule.ts). */
  tickChangedMs = -Infinity;
  booksActive = false;
  priceToBeat: number | undefined;
  finalPrice: number | undefined;
  winner: Outcome | undefined;
  lastTradeMilli: number | undefined;
  lastTradeSide: 'BUY' | 'SELL' | undefined;
  /** Last fair probability of Up that the makers used (for Gamma's outcomePrices). */
  fairUp = 0.5;

  constructor(
    readonly spec: SeriesSpec,
    readonly seriesIndex: number,
    readonly startSec: number,
    ids: SimIds,
    readonly fees: FeeParams,
    readonly minOrderSize: number,
    listLeadMs: number,
    /** Gamma `market.version`: "v1" (CLOB V2 exchange, clobTokenIds) or "v2" (Protocol V2, positionIds, ExchangeV3). */
    readonly version: 'v1' | 'v2' = 'v1',
  ) {
    this.slug = windowSlug(spec, startSec);
    this.conditionId = ids.conditionId(this.slug, version);
    this.questionId = ids.questionId(this.slug);
    this.upTokenId = ids.tokenId(this.slug, 'Up', version);
    this.downTokenId = ids.tokenId(this.slug, 'Down', version);
    this.marketId = ids.marketNumericId(seriesIndex, startSec);
    this.eventId = ids.eventNumericId(seriesIndex, startSec);
    this.startMs = startSec * 1000;
    this.endMs = (startSec + spec.durationSec) * 1000;
    this.listedMs = this.startMs - listLeadMs;
  }

  /** Condition id as Gamma shows it: 62-hex bytes31 for V2 markets. */
  get gammaConditionId(): string {
    return this.version === 'v2' ? this.conditionId.slice(0, 64) : this.conditionId;
  }

  tokenFor(o: Outcome): string {
    return o === 'Up' ? this.upTokenId : this.downTokenId;
  }

  outcomeOf(tokenId: string): Outcome | undefined {
    if (tokenId === this.upTokenId) return 'Up';
    if (tokenId === this.downTokenId) return 'Down';
    return undefined;
  }

  acceptingOrders(nowMs: number): boolean {
    return nowMs >= this.listedMs && nowMs < this.endMs && this.status !== 'resolved' && this.status !== 'closed';
  }
}

export class MarketRegistry {
  private readonly bySlug = new Map<string, SimMarket>();
  private readonly byToken = new Map<string, SimMarket>();
  private readonly byCondition = new Map<string, SimMarket>();

  constructor(private readonly maxMarkets: number) {}

  get size(): number {
    return this.bySlug.size;
  }

  add(m: SimMarket): void {
    if (this.bySlug.has(m.slug)) return;
    this.bySlug.set(m.slug, m);
    this.byToken.set(m.upTokenId, m);
    this.byToken.set(m.downTokenId, m);
    this.byCondition.set(m.conditionId, m);
    if (this.bySlug.size > this.maxMarkets) this.evict();
  }

  slug(s: string): SimMarket | undefined {
    return this.bySlug.get(s);
  }

  token(t: string): SimMarket | undefined {
    return this.byToken.get(t);
  }

  condition(c: string): SimMarket | undefined {
    return this.byCondition.get(c.toLowerCase());
  }

  all(): IterableIterator<SimMarket> {
    return this.bySlug.values();
  }

  private evict(): void {
    let victim: SimMarket | undefined;
    for (const m of this.bySlug.values()) {
      if (m.status !== 'resolved' || m.booksActive) continue;
      if (!victim || m.endMs < victim.endMs) victim = m;
    }
    if (!victim) return;
    this.bySlug.delete(victim.slug);
    this.byToken.delete(victim.upTokenId);
    this.byToken.delete(victim.downTokenId);
    this.byCondition.delete(victim.conditionId);
  }
}
