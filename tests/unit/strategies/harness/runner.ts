/**
 * Day runner: drives strategy instances through a generated path with 5m and 15m windows, in simulated time
 * (SimClock), with views updated before each dispatch, intents executed on a per-strategy PaperVenue and
 * the resulting order events fed back FIFO. Records every placed intent with the market facts at that moment
 * so tests can check invariants afterwards.
 */
import { SimClock } from '../../../../bot/clock';
import type { MarketView, PriceSample, StrategyContext } from '../../../../bot/strategies/context';
import type { StrategyEvent } from '../../../../bot/strategies/events';
import type { DecisionRecord, SignalRecord } from '../../../../lib/schemas/events/strategy';
import type { PlaceIntent } from '../../../../bot/strategies/intents';
import type { Strategy } from '../../../../bot/strategies/strategy';
import { Prng } from '../../../../bot/util/prng';
import { SyntheticBooks } from './books';
import { PaperVenue } from './paper-venue';
import { type PricePath, type WindowSpec, generatePath, windowsOf } from './path';

type MutableMarket = { -readonly [K in keyof MarketView]: MarketView[K] };

export interface PlacedRecord {
  readonly strategyId: string;
  readonly intent: PlaceIntent;
  readonly nowMs: number;
  readonly market?: { state: string; startMs: number; endMs: number; bestAsk?: number; bestBid?: number; minOrderSize: number };
}

export interface FillRecord {
  readonly strategyId: string;
  readonly clientTag: string;
  readonly nowMs: number;
  readonly size: number;
  readonly remaining: number;
}

export interface RunResult {
  readonly placed: PlacedRecord[];
  readonly fills: FillRecord[];
  readonly decisions: DecisionRecord[];
  /** `signal` intents (strategy.signal records), in order. */
  readonly signals: SignalRecord[];
  readonly windows: WindowSpec[];
  readonly venues: Map<string, PaperVenue>;
  readonly path: PricePath;
  readonly events: number;
}

export interface RunOptions {
  readonly seed: string;
  readonly seconds: number;
  readonly windowSecs?: readonly number[];
  readonly strategies: readonly { id: string; strategy: Strategy }[];
  readonly sigma?: number;
  readonly startMs?: number;
}

const HISTORY_MAX = 900;

export function runDay(o: RunOptions): RunResult {
  const startMs = o.startMs ?? 1_790_000_000_000;
  const path = generatePath({ seed: o.seed, startMs, seconds: o.seconds, sigma: o.sigma });
  const rng = new Prng(`${o.seed}:books`);
  const clock = new SimClock(startMs);
  const windows = (o.windowSecs ?? [300, 900]).flatMap((w) => windowsOf(path, w)).sort((a, b) => a.startMs - b.startMs);
  const history: PriceSample[] = [];
  const markets: MutableMarket[] = [];
  const bookers = new Map<string, SyntheticBooks>();
  const specs = new Map(windows.map((w) => [w.slug, w]));
  const venues = new Map(o.strategies.map((s) => [s.id, new PaperVenue(new Prng(`${o.seed}:venue:${s.id}`))]));
  const placed: PlacedRecord[] = [];
  const fills: FillRecord[] = [];
  const decisions: DecisionRecord[] = [];
  const signals: SignalRecord[] = [];
  let events = 0;

  const ctxOf = (id: string): StrategyContext => {
    const v = venues.get(id)!;
    return {
      strategyId: id, nowMs: clock.nowMs(), markets,
      reference: { latest: history[history.length - 1], history, stale: false },
      positions: v.positionViews(), openOrders: v.openOrders(),
    };
  };

  type Entry = RunOptions['strategies'][number];
  /** Deliver one event to one strategy, execute its intents, feed the venue's answers back (FIFO). */
  const deliver = (s: Entry, first: StrategyEvent) => {
    const venue = venues.get(s.id)!;
    const queue: StrategyEvent[] = [first];
    while (queue.length > 0) {
      const ev = queue.shift()!;
      events++;
      if (ev.kind === 'order.filled') fills.push({ strategyId: s.id, clientTag: ev.clientTag, nowMs: clock.nowMs(), size: ev.size, remaining: ev.remaining });
      for (const i of s.strategy.onEvent(ev, ctxOf(s.id))) {
        if (i.kind === 'decision') decisions.push(i.record);
        else if (i.kind === 'signal') signals.push(i.record);
        else if (i.kind === 'cancel') queue.push(...venue.cancel(i));
        else {
          const m = markets.find((x) => x.slug === i.windowSlug);
          const book = m ? (i.tokenId === m.upTokenId ? m.up : m.down) : undefined;
          placed.push({
            strategyId: s.id, intent: i, nowMs: clock.nowMs(),
            market: m && { state: m.state, startMs: m.startMs, endMs: m.endMs, bestAsk: book?.asks[0]?.price, bestBid: book?.bids[0]?.price, minOrderSize: m.minOrderSize },
          });
          queue.push(...venue.place(i, m, clock.nowMs()));
        }
      }
      if (queue.length > 10_000) throw new Error(`runaway event loop in ${s.id}`);
    }
  };
  const dispatch = (ev: StrategyEvent) => {
    for (const s of o.strategies) deliver(s, ev);
  };

  for (const s of o.strategies) s.strategy.onStart(ctxOf(s.id));
  let wi = 0;
  for (let i = 0; i <= o.seconds; i++) {
    const now = startMs + i * 1000;
    clock.advanceTo(now);
    // Lifecycle: close, resolve, open.
    for (const m of markets) {
      if (m.state === 'open' && now >= m.endMs) {
        m.state = 'closed';
        for (const s of o.strategies) for (const ev of venues.get(s.id)!.closeWindow(m.slug)) deliver(s, ev);
        dispatch({ kind: 'window.closed', slug: m.slug });
      } else if (m.state === 'closed' && now >= m.endMs + 55_000) {
        m.state = 'resolved';
        const spec = specs.get(m.slug)!;
        m.winner = spec.upWins ? 'up' : 'down';
        for (const v of venues.values()) v.settle(m, spec.upWins);
        dispatch({ kind: 'window.resolved', slug: m.slug, winner: m.winner });
      }
    }
    for (let k = markets.length - 1; k >= 0; k--) if (markets[k]!.state === 'resolved') markets.splice(k, 1);
    while (wi < windows.length && windows[wi]!.startMs <= now) {
      const w = windows[wi++]!;
      if (w.endMs <= now) continue;
      const booker = new SyntheticBooks(rng.fork(w.slug), path, w);
      bookers.set(w.slug, booker);
      const b = booker.books(now, `${w.slug}-UP`, `${w.slug}-DOWN`);
      markets.push({
        slug: w.slug, asset: 'btc', windowSec: w.windowSec, startMs: w.startMs, endMs: w.endMs,
        upTokenId: `${w.slug}-UP`, downTokenId: `${w.slug}-DOWN`, tickSize: 0.01, minOrderSize: 5,
        fee: { rate: 0.07, exponent: 1, takerOnly: true }, state: 'open', up: b.up, down: b.down, priceToBeat: w.priceToBeat,
      });
      dispatch({ kind: 'window.opened', slug: w.slug });
    }
    // Reference sample (1 Hz, with gaps).
    if (path.visible[i]) {
      history.push({ tsMs: now, price: path.ref[i]! });
      if (history.length > HISTORY_MAX) history.splice(0, history.length - HISTORY_MAX);
      dispatch({ kind: 'reference', price: path.ref[i]!, tsMs: now });
    } else dispatch({ kind: 'tick' });
    // Books, resting fills, synthetic trades.
    for (const m of markets) {
      if (m.state !== 'open') continue;
      const b = bookers.get(m.slug)!.books(now, m.upTokenId, m.downTokenId);
      m.up = b.up;
      m.down = b.down;
      for (const s of o.strategies) for (const ev of venues.get(s.id)!.step(m)) deliver(s, ev);
      dispatch({ kind: 'book', slug: m.slug, tokenId: m.upTokenId });
      if (rng.chance(0.3)) {
        const up = rng.chance(0.5);
        const side = rng.chance(0.5) ? 'BUY' : 'SELL';
        const book = up ? m.up : m.down;
        const px = side === 'BUY' ? book.asks[0]?.price : book.bids[0]?.price;
        if (px !== undefined) dispatch({ kind: 'trade', slug: m.slug, tokenId: book.tokenId, price: px, size: 5 + Math.floor(rng.next() * 40), side });
      }
    }
  }
  for (const s of o.strategies) s.strategy.onStop(ctxOf(s.id));
  return { placed, fills, decisions, signals, windows, venues, path, events };
}
