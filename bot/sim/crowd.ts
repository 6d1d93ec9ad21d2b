/**
 * The synthetic crowd of one market: makers keep a full-depth ladder on both tokens around the fair probability
 * (lagged, noisy, aware of the series' settlement: reference TWAP-60 or spot candle, of the market's own asset) and
 * takers arrive as a Poisson process that lift or hit the touch. The ladder's shape
 * (every cent from 0.01 to 0.99, one-tick spread most of the time, real touch and near-touch sizes) is in
 * maker-ladder.ts; when the tick is 0.001 is in tick-rule.ts.
 *
 * Invariants:
 * - Makers never cross resting user orders; they only BUY (an ask on Up is a BUY Down at 1 - p), so Up and Down
 *   books are mirror images by construction.
 * - Requotes are incremental: a resting quote stays (keeping its queue place) while its level is still in the
 *   ladder; only levels that left the ladder, were filled, or are due a size refresh (each about every
 *   `makerRefreshMs`) change, so a requote touches a handful of levels, not the whole ladder.
 * - At most one quote per level: the crowd holds at most 2 x `makerLevels` resting orders per market.
 * - Randomness from a Prng forked per market; timing from the Clock; stop() cancels every timer.
 * - While `isQuiet()` holds (the `quiet` fault) the crowd neither requotes nor trades: the book does not change, so
 *   the market socket carries nothing but PONGs (a quiet book on the real venue, reference §9.9).
 */
import type { CancelTimer, Clock } from '../clock';
import type { Prng } from '../util/prng';
import { type BookOrder, type BookSide, MICRO } from './book';
import type { Exchange } from './exchange';
import { fairUpPointProbability, fairUpProbability } from './fair-value';
import { drawLevelMicro, drawSpreadTicks, ladderSide, ownBuyMilli, touchFor } from './maker-ladder';
import type { SimMarket } from './market';
import type { MarketPublisher } from './market-frames';
import type { PriceModel } from './price-model';
import { settlementOf } from './series';
import { nextTickMilli, quoteCentreMilli } from './tick-rule';

export { TICK_DWELL_MS } from './tick-rule';

export interface CrowdOptions {
  makerRequoteMs: number;
  makerLagMs: number;
  makerNoiseProb: number;
  /** Most ladder levels per side (the default covers every cent from the touch to 0.01 / 0.99, plus the fine steps). */
  makerLevels: number;
  /** Median size (shares) of a freshly quoted touch level; deeper levels scale from it (maker-ladder.ts). */
  makerBaseSize: number;
  /** Mean time after which a resting level is re-quoted with a fresh size. */
  makerRefreshMs: number;
  takerMeanIntervalMs: number;
  takerMeanSize: number;
}

export const DEFAULT_CROWD: CrowdOptions = {
  makerRequoteMs: 1000,
  makerLagMs: 1000,
  makerNoiseProb: 0.008,
  makerLevels: 110,
  makerBaseSize: 200,
  makerRefreshMs: 60_000,
  takerMeanIntervalMs: 3000,
  takerMeanSize: 15,
};

const roundLot = (shares: number) => Math.max(1, Math.round(shares * 100)) * 10_000;
/** Levels farther than this from the touch get their size refreshed ten times less often. */
const DEEP_DISTANCE = 10;
/** Quote key: one number per (side, unified price). */
const keyOf = (side: BookSide, priceMilli: number) => (side === 'bid' ? priceMilli : 1000 + priceMilli);

export class Crowd {
  private readonly quotes = new Map<number, BookOrder>();
  /** Scratch for requote(), indexed by quote key; all zero between requotes. */
  private readonly want = new Int16Array(2000);
  private readonly cancels: CancelTimer[] = [];
  private stopped = false;
  private cancelTaker: CancelTimer = () => {};

  constructor(
    private readonly m: SimMarket,
    private readonly clock: Clock,
    private readonly prng: Prng,
    private readonly prices: PriceModel,
    private readonly exchange: Exchange,
    private readonly publisher: MarketPublisher,
    private readonly opts: CrowdOptions,
    private readonly isQuiet: () => boolean = () => false,
  ) {}

  start(): void {
    this.requote();
    this.cancels.push(this.clock.every(this.opts.makerRequoteMs, `sim.d.maker.${this.m.slug}`, () => this.requote()));
    this.scheduleTaker();
  }

  stop(): void {
    this.stopped = true;
    for (const c of this.cancels.splice(0)) c();
    this.cancelTaker();
    for (const q of this.quotes.values()) if (q.remainingMicro > 0) this.m.book.remove(q);
    this.quotes.clear();
    this.publisher.flush(this.m, this.clock.nowMs());
  }

  /** Fair Up probability as the makers see it (lagged reference, TWAP-aware; lagged spot for spot-candle series). */
  fair(): number {
    const now = this.clock.nowMs();
    const lagged = now - this.opts.makerLagMs;
    if (settlementOf(this.m.spec) === 'spot-candle') {
      return fairUpPointProbability({
        reference: this.prices.spotAt(lagged),
        priceToBeat: this.m.priceToBeat ?? this.prices.spotNow(),
        secondsLeft: (this.m.endMs - now) / 1000,
        sigmaUsdPerSqrtSec: this.prices.sigmaUsdPerSqrtSec(),
      });
    }
    const refs = this.prices.referenceBetween(lagged - 5000, lagged);
    const S = refs.length > 0 ? refs[refs.length - 1]!.value : this.prices.referenceNow().value;
    const ptb = this.m.priceToBeat ?? this.prices.twapNow().value;
    const r = (this.m.endMs - now) / 1000;
    const windowStart = this.m.endMs - 60_000;
    const observed = now > windowStart ? this.prices.referenceBetween(windowStart, lagged) : [];
    return fairUpProbability({
      reference: S,
      priceToBeat: ptb,
      secondsLeft: r,
      observedSum: observed.reduce((s, p) => s + p.value, 0),
      observedCount: observed.length,
      sigmaUsdPerSqrtSec: this.prices.sigmaUsdPerSqrtSec(),
    });
  }

  /** Number of resting maker quotes (bounded by 2 x makerLevels). */
  quoteCount(): number {
    return this.quotes.size;
  }

  requote(): void {
    if (this.stopped || this.isQuiet()) return;
    const m = this.m;
    const now = this.clock.nowMs();
    const clean = this.fair();
    const f = Math.min(0.999, Math.max(0.001, clean + this.opts.makerNoiseProb * this.prng.normal()));
    m.fairUp = f;
    const oldTick = m.tickMilli;
    m.tickMilli = nextTickMilli(m, clean, now);
    if (m.tickMilli !== oldTick) {
      m.tickChangedMs = now;
      this.publisher.tickChange(m, oldTick, now);
    }
    const tick = m.tickMilli;
    const { bid0, ask0 } = touchFor(quoteCentreMilli(f, clean, tick), tick, drawSpreadTicks(this.prng));
    const bids = ladderSide('bid', bid0, tick, this.opts.makerLevels);
    const asks = ladderSide('ask', ask0, tick, this.opts.makerLevels);
    // want[key] = 1 + distance from the touch for every ladder level still to be quoted (0 = not wanted).
    const want = this.want;
    for (let k = 0; k < bids.length; k++) want[keyOf('bid', bids[k]!)] = k + 1;
    for (let k = 0; k < asks.length; k++) want[keyOf('ask', asks[k]!)] = k + 1;
    const refreshP = Math.min(1, this.opts.makerRequoteMs / this.opts.makerRefreshMs);
    for (const [k, q] of this.quotes) {
      if (q.remainingMicro <= 0) {
        this.quotes.delete(k);
        continue;
      }
      // Deep levels (rarely touched on real books) are refreshed ten times less often than those near the touch.
      if (want[k]! > 0 && !this.prng.chance(want[k]! > DEEP_DISTANCE ? refreshP / 10 : refreshP)) {
        want[k] = 0;
        continue;
      }
      m.book.remove(q);
      this.quotes.delete(k);
    }
    for (const [side, ladder] of [['bid', bids], ['ask', asks]] as const) {
      for (const price of ladder) {
        const k = keyOf(side, price);
        const distance = want[k]! - 1;
        want[k] = 0;
        if (distance < 0 || this.userCrosses(side, price)) continue;
        const own = ownBuyMilli(side, price);
        const micro = drawLevelMicro(this.prng, this.opts.makerBaseSize, distance, own, m.minOrderSize);
        this.quotes.set(k, this.exchange.restSynthetic(m, side === 'bid' ? 'Up' : 'Down', own, micro));
      }
    }
    this.publisher.flush(m, now);
  }

  private userCrosses(side: BookSide, price: number): boolean {
    const best = side === 'ask' ? this.m.book.bestBid() : this.m.book.bestAsk();
    if (best === undefined) return false;
    return side === 'ask' ? best >= price : best <= price;
  }

  private scheduleTaker(): void {
    if (this.stopped) return;
    const delay = Math.max(1, Math.round(this.prng.exponential(this.opts.takerMeanIntervalMs)));
    this.cancelTaker = this.clock.after(delay, `sim.e.taker.${this.m.slug}`, () => {
      this.take();
      this.scheduleTaker();
    });
  }

  private take(): void {
    if (this.isQuiet()) return;
    const m = this.m;
    const bb = m.book.bestBid();
    const ba = m.book.bestAsk();
    if (bb === undefined || ba === undefined) return;
    const mid = (bb + ba) / 2000;
    const pBuyUp = Math.min(0.9, Math.max(0.1, 0.5 + (m.fairUp - mid) * 8));
    const shares = roundLot(1 + this.prng.exponential(this.opts.takerMeanSize)) / MICRO;
    const tick = m.tickMilli;
    if (this.prng.chance(pBuyUp)) {
      this.exchange.submitSynthetic(m, 'Up', Math.min(1000 - tick, ba + tick), shares * MICRO, 'FAK');
    } else {
      this.exchange.submitSynthetic(m, 'Down', Math.min(1000 - tick, 1000 - bb + tick), shares * MICRO, 'FAK');
    }
  }
}
