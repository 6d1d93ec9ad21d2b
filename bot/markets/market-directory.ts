/**
 * Where the catalog learns what a window's market is: the venue (Gamma + `/clob-markets`, `GammaDirectory`) or a
 * recorded session (`RecordedDirectory`, replay). The catalog owns lifecycle and timing; a directory only answers.
 *
 * Invariants: never throws (errors are a `retry` with a reason); a `found` market passed every cross-check the
 * source can make (token pair by market.version, `/clob-markets` agreement); no directory answer is cached here.
 */
import { marketTokenPair, parseJsonStringArray } from '../protocol';
import { DEFAULT_CRYPTO_FEES, type FeeSchedule } from '../core/fees';
import type { ClobPublicClient } from '../http/clob-public';
import type { GammaClient } from '../http/gamma-client';
import type { MarketWindow } from './slug';

/** The exchange facts of one window's market. */
export interface DirectoryMarket {
  eventId: string;
  conditionId: string;
  upTokenId: string;
  downTokenId: string;
  tickSize: number;
  minOrderSize: number;
  negRisk: boolean;
  version: 'v1' | 'v2';
  fees: FeeSchedule;
  /** The venue's slug when it differs from the window's key (a window found through the series listing). */
  venueSlug?: string;
}

export type DirectoryLookup =
  | { kind: 'found'; market: DirectoryMarket }
  | { kind: 'retry'; reason: string; retryAfterMs?: number; notListed?: boolean; mismatch?: boolean };

export interface MarketDirectory {
  /** The market of a window (retry while it is not listed yet). */
  lookup(w: MarketWindow): Promise<DirectoryLookup>;
  /** Re-read the exchange facts (market version) of a known market; undefined when unreadable. */
  refresh(conditionId: string): Promise<{ version?: 'v1' | 'v2' } | undefined>;
  /** The published outcome of a closed window, when the source shows one. */
  outcome(slug: string): Promise<'up' | 'down' | undefined>;
  /** The venue's own price to beat (Gamma eventMetadata.priceToBeat), when published. */
  priceToBeat(slug: string): Promise<number | undefined>;
}

/** The venue: Gamma's event by slug, cross-checked against `/clob-markets/{conditionId}`. */
export class GammaDirectory implements MarketDirectory {
  constructor(
    private readonly gamma: Pick<GammaClient, 'eventBySlug'> & Partial<Pick<GammaClient, 'seriesEventStarting'>>,
    private readonly clob: Pick<ClobPublicClient, 'clobMarket'>,
  ) {}

  /**
   * By slug where the series' scheme is known (the fast path); through the series listing (by start time) when it
   * is not, or when the slug is not listed and the series id is known (a scheme the venue changed).
   */
  async lookup(w: MarketWindow): Promise<DirectoryLookup> {
    const byListing = () => (w.seriesId && this.gamma.seriesEventStarting ? this.gamma.seriesEventStarting(w.seriesId, w.startMs) : undefined);
    let g = w.scheme === 'listing' ? ((await byListing()) ?? { kind: 'error' as const, reason: 'no series id to list this series by' }) : await this.gamma.eventBySlug(w.slug);
    if (g.kind === 'not_found' && w.scheme !== 'listing') g = (await byListing()) ?? g;
    if (g.kind !== 'found') {
      return g.kind === 'not_found'
        ? { kind: 'retry', reason: 'not listed yet', notListed: true }
        : { kind: 'retry', reason: g.reason, ...(g.retryAfterMs !== undefined ? { retryAfterMs: g.retryAfterMs } : {}) };
    }
    const m = g.event.markets[0];
    if (!m) return { kind: 'retry', reason: 'event has no market' };
    const pair = marketTokenPair(m);
    if (!pair.ok) return { kind: 'retry', reason: pair.reason };
    const cid = m.conditionId.length === 64 ? m.conditionId + '00' : m.conditionId;
    const info = await this.clob.clobMarket(cid);
    if (!info.ok) return { kind: 'retry', reason: `clob-markets: ${info.reason}`, ...(info.retryAfterMs !== undefined ? { retryAfterMs: info.retryAfterMs } : {}) };
    const up = info.value.t.find((t) => t.o === 'Up')?.t;
    const down = info.value.t.find((t) => t.o === 'Down')?.t;
    if (up !== pair.upTokenId || down !== pair.downTokenId) return { kind: 'retry', reason: 'token pair disagrees with /clob-markets', mismatch: true };
    const fd = info.value.fd;
    const fs = m.feeSchedule;
    let fees: FeeSchedule = fs ? { rate: fs.rate, exponent: fs.exponent, takerOnly: fs.takerOnly } : fd ? { rate: fd.r, exponent: fd.e, takerOnly: fd.to } : DEFAULT_CRYPTO_FEES;
    if (m.feesEnabled === false) fees = { rate: 0, exponent: 1, takerOnly: true };
    return {
      kind: 'found',
      market: {
        eventId: g.event.id,
        conditionId: cid,
        upTokenId: pair.upTokenId,
        downTokenId: pair.downTokenId,
        tickSize: info.value.mts ?? m.orderPriceMinTickSize,
        minOrderSize: info.value.mos ?? m.orderMinSize,
        negRisk: info.value.nr ?? m.negRisk ?? false,
        version: pair.version,
        fees,
        ...(g.event.slug !== w.slug ? { venueSlug: g.event.slug } : {}),
      },
    };
  }

  async refresh(conditionId: string): Promise<{ version?: 'v1' | 'v2' } | undefined> {
    const info = await this.clob.clobMarket(conditionId);
    if (!info.ok) return undefined;
    const v = info.value.v;
    return v === 'v1' || v === 'v2' ? { version: v } : {};
  }

  async outcome(slug: string): Promise<'up' | 'down' | undefined> {
    const g = await this.gamma.eventBySlug(slug);
    if (g.kind !== 'found') return undefined;
    const m = g.event.markets[0];
    const prices = m?.outcomePrices ? parseJsonStringArray(m.outcomePrices) : undefined;
    if (!m?.closed || !prices) return undefined;
    return prices[0] === '1' ? 'up' : prices[1] === '1' ? 'down' : undefined;
  }

  async priceToBeat(slug: string): Promise<number | undefined> {
    const g = await this.gamma.eventBySlug(slug).catch(() => undefined);
    return g?.kind === 'found' ? g.event.eventMetadata?.priceToBeat : undefined;
  }
}

/** One market of a recorded session (structurally the replay session's market definition). */
export interface RecordedMarket extends DirectoryMarket {
  slug: string;
  startMs: number;
  priceToBeat?: number | undefined;
}

/**
 * A recorded session's markets: every market is listed (the recording says it existed); the outcome comes only
 * from the recorded `market_resolved` frames (never from here: that would look into the future); Gamma's price to
 * beat is answered once the window has opened, as the venue publishes it.
 */
export class RecordedDirectory implements MarketDirectory {
  private readonly bySlug = new Map<string, RecordedMarket>();
  private readonly byCondition = new Map<string, RecordedMarket>();

  constructor(
    markets: readonly RecordedMarket[],
    private readonly nowMs: () => number,
  ) {
    for (const m of markets) {
      this.bySlug.set(m.slug, m);
      this.byCondition.set(m.conditionId, m);
    }
  }

  async lookup(w: MarketWindow): Promise<DirectoryLookup> {
    const m = this.bySlug.get(w.slug);
    if (!m) return { kind: 'retry', reason: 'not in the recorded session', notListed: true };
    const { eventId, conditionId, upTokenId, downTokenId, tickSize, minOrderSize, negRisk, version, fees } = m;
    return { kind: 'found', market: { eventId, conditionId, upTokenId, downTokenId, tickSize, minOrderSize, negRisk, version, fees } };
  }

  async refresh(conditionId: string): Promise<{ version?: 'v1' | 'v2' } | undefined> {
    const m = this.byCondition.get(conditionId);
    return m ? { version: m.version } : undefined;
  }

  async outcome(): Promise<undefined> {
    return undefined;
  }

  async priceToBeat(slug: string): Promise<number | undefined> {
    const m = this.bySlug.get(slug);
    return m && this.nowMs() >= m.startMs ? m.priceToBeat : undefined;
  }
}
