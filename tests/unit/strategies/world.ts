/**
 * Hand-built test world for strategy unit tests: mutable market / reference views, a SimClock for time,
 * and helpers to deliver events (views updated before dispatch, as the runtime does) and to answer a
 * strategy's intents with venue outcomes (accepted / filled / cancelled).
 */
import { SimClock } from '../../../bot/clock';
import type {
  BookView, FeeSchedule, MarketView, PriceLevel, PriceSample, StrategyContext, WindowState, ExternalSignalValue, PositionView,
} from '../../../bot/strategies/context';
import type { StrategyEvent } from '../../../bot/strategies/events';
import type { Intent, PlaceIntent } from '../../../bot/strategies/intents';
import type { Strategy } from '../../../bot/strategies/strategy';

export const FEE: FeeSchedule = { rate: 0.07, exponent: 1, takerOnly: true };
export const T0 = 1_790_000_100_000; // a 900 s (and 300 s) boundary: 1790000100 % 900 === 0

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function levels(spec: readonly (readonly [number, number])[]): PriceLevel[] {
  return spec.map(([price, size]) => ({ price, size }));
}

export function makeBook(tokenId: string, bids: readonly (readonly [number, number])[], asks: readonly (readonly [number, number])[]): Mutable<BookView> {
  return { tokenId, bids: levels(bids), asks: levels(asks), fresh: true, updatedMs: 0 };
}

export function makeMarket(opts: { windowSec?: number; startMs?: number; asset?: string; priceToBeat?: number } = {}): Mutable<MarketView> {
  const windowSec = opts.windowSec ?? 900;
  const startMs = opts.startMs ?? T0;
  const slug = `${opts.asset ?? 'btc'}-updown-${windowSec / 60}m-${startMs / 1000}`;
  return {
    slug, asset: opts.asset ?? 'btc', windowSec, startMs, endMs: startMs + windowSec * 1000,
    upTokenId: `${slug}-UP`, downTokenId: `${slug}-DOWN`, tickSize: 0.01, minOrderSize: 5, fee: FEE,
    state: 'open' as WindowState,
    up: makeBook(`${slug}-UP`, [[0.5, 100]], [[0.52, 100]]),
    down: makeBook(`${slug}-DOWN`, [[0.48, 100]], [[0.5, 100]]),
    priceToBeat: opts.priceToBeat ?? 100_000,
  };
}

export class World {
  readonly clock: SimClock;
  markets: Mutable<MarketView>[] = [];
  history: PriceSample[] = [];
  external = new Map<string, ExternalSignalValue>();
  positions = new Map<string, PositionView>();
  stale = false;
  readonly placed: PlaceIntent[] = [];
  readonly intents: Intent[] = [];

  constructor(startMs = T0, readonly strategyId = 's1') {
    this.clock = new SimClock(startMs);
  }

  get nowMs(): number {
    return this.clock.nowMs();
  }

  add(m: Mutable<MarketView>): Mutable<MarketView> {
    this.markets.push(m);
    return m;
  }

  ctx(): StrategyContext {
    const latest = this.history[this.history.length - 1];
    return {
      strategyId: this.strategyId,
      nowMs: this.nowMs,
      markets: this.markets,
      reference: { latest, history: this.history, stale: this.stale },
      positions: this.positions,
      openOrders: [],
      external: this.external,
    };
  }

  at(ms: number): this {
    this.clock.advanceTo(ms);
    return this;
  }

  /** Seconds into the first market. */
  atSec(sec: number, m: MarketView = this.markets[0]!): this {
    return this.at(m.startMs + sec * 1000);
  }

  setBook(m: Mutable<MarketView>, outcome: 'up' | 'down', bids: readonly (readonly [number, number])[], asks: readonly (readonly [number, number])[]): void {
    const b = makeBook(outcome === 'up' ? m.upTokenId : m.downTokenId, bids, asks);
    b.updatedMs = this.nowMs;
    if (outcome === 'up') m.up = b;
    else m.down = b;
  }

  /** Set the Up bid/ask and mirror them onto Down (bidDown = 1 − askUp, askDown = 1 − bidUp). */
  setUp(m: Mutable<MarketView>, bid: number, ask: number, size = 100): void {
    this.setBook(m, 'up', [[bid, size]], [[ask, size]]);
    this.setBook(m, 'down', [[round2(1 - ask), size]], [[round2(1 - bid), size]]);
  }

  send(s: Strategy, ev: StrategyEvent): Intent[] {
    const out = s.onEvent(ev, this.ctx());
    this.intents.push(...out);
    for (const i of out) if (i.kind === 'place') this.placed.push(i);
    return out;
  }

  book(s: Strategy, m: MarketView): Intent[] {
    return this.send(s, { kind: 'book', slug: m.slug, tokenId: m.upTokenId });
  }

  tick(s: Strategy): Intent[] {
    return this.send(s, { kind: 'tick' });
  }

  fill(s: Strategy, p: PlaceIntent, size: number, price = p.price, remaining = 0): Intent[] {
    return this.send(s, {
      kind: 'order.filled', clientTag: p.clientTag, tradeId: `${p.clientTag}#${size}@${this.nowMs}`, tokenId: p.tokenId,
      side: p.side, price, size, remaining, fee: 0, provisional: false,
    });
  }

  cancelled(s: Strategy, tag: string): Intent[] {
    return this.send(s, { kind: 'order.cancelled', clientTag: tag });
  }

  /** Append 1 s reference samples. */
  pushRef(prices: readonly number[], stepMs = 1000): void {
    for (const p of prices) {
      const last = this.history[this.history.length - 1];
      this.history.push({ tsMs: last ? last.tsMs + stepMs : this.nowMs, price: p });
    }
  }
}

export function places(out: readonly Intent[]): PlaceIntent[] {
  return out.filter((i): i is PlaceIntent => i.kind === 'place');
}

export function cancels(out: readonly Intent[]): Intent[] {
  return out.filter((i) => i.kind === 'cancel');
}

export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
