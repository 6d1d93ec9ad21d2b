/**
 * The synthetic crowd of one market: makers quoting a ladder on both tokens around the fair probability (TWAP-aware,
 * lagged, noisy) and takers arriving as a Poisson process that lift or hit the touch.
 *
 * Invariants:
 * - Makers never cross resting user orders; they only BUY (an ask on Up is a BUY Down at 1 - p), so Up and Down
 *   books are mirror images by construction.
 * - A level is re-quoted only when its target size moved by more than 25 %, so queue positions are not churned.
 * - Randomness from a Prng forked per market; timing from the Clock; stop() cancels every timer.
 */
import type { CancelTimer, Clock } from '../clock';
import type { Prng } from '../util/prng';
import { type BookOrder, type BookSide, MICRO } from './book';
import type { Exchange } from './exchange';
import { fairUpProbability } from './fair-value';
import type { SimMarket } from './market';
import type { MarketPublisher } from './market-frames';
import type { PriceModel } from './price-model';

export interface CrowdOptions {
  makerRequoteMs: number;
  makerLagMs: number;
  makerNoiseProb: number;
  makerLevels: number;
  makerBaseSize: number;
  takerMeanIntervalMs: number;
  takerMeanSize: number;
}

export const DEFAULT_CROWD: CrowdOptions = {
  makerRequoteMs: 1000,
  makerLagMs: 1000,
  makerNoiseProb: 0.008,
  makerLevels: 5,
  makerBaseSize: 80,
  takerMeanIntervalMs: 3000,
  takerMeanSize: 15,
};

/** Minimum time between two tick-size changes of one market. */
export const TICK_DWELL_MS = 20_000;

const roundLot = (shares: number) => Math.max(1, Math.round(shares * 100)) * 10_000;

export class Crowd {
  private readonly quotes = new Map<string, BookOrder>();
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
    for (const q of this.quotes.values()) this.m.book.remove(q);
    this.quotes.clear();
    this.publisher.flush(this.m, this.clock.nowMs());
  }

  /** Fair Up probability as the makers see it (lagged reference, TWAP-aware). */
  fair(): number {
    const now = this.clock.nowMs();
    const lagged = now - this.opts.makerLagMs;
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

  requote(): void {
    if (this.stopped) return;
    const m = this.m;
    const now = this.clock.nowMs();
    const clean = this.fair();
    const f = Math.min(0.999, Math.max(0.001, clean + this.opts.makerNoiseProb * this.prng.normal()));
    m.fairUp = f;
    // Tick switching follows the noise-free fair value with hysteresis and a minimum dwell, so the tick does not
    // flap every requote when the price sits near a threshold (each change resets every client's book).
    const oldTick = m.tickMilli;
    if (now - m.tickChangedMs >= TICK_DWELL_MS) {
      if (m.tickMilli === 10 && (clean < 0.04 || clean > 0.96)) m.tickMilli = 1;
      else if (m.tickMilli === 1 && clean >= 0.05 && clean <= 0.95) m.tickMilli = 10;
    }
    if (m.tickMilli !== oldTick) {
      m.tickChangedMs = now;
      this.publisher.tickChange(m, oldTick, now);
    }
    const tick = m.tickMilli;
    const half = (this.prng.chance(0.6) ? 0.5 : 1) * 10;
    let bid0 = Math.floor((f * 1000 - half) / tick) * tick;
    let ask0 = Math.ceil((f * 1000 + half) / tick) * tick;
    bid0 = Math.min(Math.max(bid0, tick), 1000 - 2 * tick);
    ask0 = Math.min(Math.max(ask0, bid0 + tick), 1000 - tick);
    const target = new Map<string, { side: BookSide; price: number; micro: number }>();
    for (let i = 0; i < this.opts.makerLevels; i++) {
      const size = this.opts.makerBaseSize * (1 + i * 0.6) * (0.5 + this.prng.next());
      const b = bid0 - i * tick;
      const a = ask0 + i * tick;
      if (b >= tick) target.set(`bid:${b}`, { side: 'bid', price: b, micro: roundLot(size) });
      if (a <= 1000 - tick) target.set(`ask:${a}`, { side: 'ask', price: a, micro: roundLot(size) });
    }
    for (const [k, q] of this.quotes) {
      const t = target.get(k);
      if (t && q.remainingMicro > 0 && Math.abs(q.remainingMicro - t.micro) <= 0.25 * t.micro) {
        target.delete(k);
        continue;
      }
      if (q.remainingMicro > 0) m.book.remove(q);
      this.quotes.delete(k);
    }
    for (const [k, t] of target) {
      if (t.side === 'ask' ? this.userCrosses('ask', t.price) : this.userCrosses('bid', t.price)) continue;
      const outcome = t.side === 'bid' ? 'Up' : 'Down';
      const own = t.side === 'bid' ? t.price : 1000 - t.price;
      this.quotes.set(k, this.exchange.restSynthetic(m, outcome, own, t.micro));
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
