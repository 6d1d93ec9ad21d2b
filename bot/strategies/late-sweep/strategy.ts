/**
 * Late-sweep (SPEC §3.3, off by default): in the last LATE_SWEEP_SECS of a window buy the side whose ask ≥
 * SWEEP_ASK_THRESHOLD (and ≤ MAX_ENTRY_PRICE) with FOK buys until TARGET_USD is spent; when that side's bid
 * falls to SWEEP_STOP_PRICE sell everything with a FAK at SL_ORDER_PRICE; otherwise hold to settlement.
 *
 * Invariants: one side per window (the first that qualifies); one order in flight at a time; no buying after
 * a stop; a position below the market's minimum size (dust) never gets a stop order; at most
 * maxOrdersPerWindow orders; nothing outside [start, end) of an open window.
 */
import type { MarketView, Outcome, StrategyContext } from '../context';
import type { StrategyEvent } from '../events';
import { type Intent, type PlaceIntent, makeClientTag } from '../intents';
import type { Strategy } from '../strategy';
import { setBounded } from '../common/bounded';
import { adoptPositions } from '../common/adopt';
import { OwnOrders } from '../common/own-orders';
import { WindowLog, decision } from '../common/window-log';
import * as mk from '../common/market';
import type { LateSweepConfig } from './config';

export const LATE_SWEEP_ID = 'late-sweep';

interface SweepState {
  side?: Outcome;
  inFlight?: string;
  stopped: boolean;
  orders: number;
}

export class LateSweepStrategy implements Strategy<LateSweepConfig> {
  readonly type = LATE_SWEEP_ID;
  private readonly orders = new OwnOrders();
  private readonly log = new WindowLog(LATE_SWEEP_ID);
  private readonly states = new Map<string, SweepState>();

  constructor(public config: LateSweepConfig) {}

  updateConfig(config: LateSweepConfig): void {
    this.config = config;
  }

  /** Restart: an adopted position fixes the window's side; the stop keeps watching it. */
  onStart(ctx: StrategyContext): Intent[] {
    for (const a of adoptPositions(ctx, this.orders, this.config)) {
      this.state(a.market.slug).side ??= a.outcome;
      this.log.traded(a.market.slug, 'adopted position');
    }
    return [];
  }

  onStop(): Intent[] {
    return [];
  }

  private state(slug: string): SweepState {
    let s = this.states.get(slug);
    if (!s) {
      s = { stopped: false, orders: 0 };
      setBounded(this.states, slug, s);
    }
    return s;
  }

  onEvent(ev: StrategyEvent, ctx: StrategyContext): Intent[] {
    const own = this.orders.apply(ev);
    if (own) {
      const s = this.state(own.windowSlug);
      if (ev.kind === 'order.filled' && own.side === 'BUY') this.log.traded(own.windowSlug, `swept ${s.side}`);
      if (own.status === 'done' && s.inFlight === own.clientTag) s.inFlight = undefined;
      return [];
    }
    if (ev.kind === 'window.closed') {
      const s = this.states.get(ev.slug);
      const m = mk.findMarket(ctx, ev.slug);
      if (s?.side && m) this.log.detail(ev.slug, 'heldShares', Number(this.orders.netShares(ev.slug, mk.tokenOf(m, s.side)).toFixed(2)));
      const out = this.log.close(ctx, m, ev.slug, mk.inSeries(m, this.config), this.config.enabled);
      this.states.delete(ev.slug);
      this.orders.forget(ev.slug);
      return out;
    }
    if (!this.config.enabled) return [];
    if (ev.kind !== 'book' && ev.kind !== 'tick' && ev.kind !== 'reference') return [];
    const out: Intent[] = [];
    for (const m of mk.marketsToEvaluate(ev, ctx, this.config.asset, this.config.windowSecs)) {
      if (!mk.isTradable(m, ctx.nowMs) || mk.secondsLeft(m, ctx.nowMs) > this.config.lateSweepSecs) continue;
      out.push(...this.evaluate(m, ctx));
    }
    return out;
  }

  private evaluate(m: MarketView, ctx: StrategyContext): Intent[] {
    const c = this.config;
    const s = this.state(m.slug);
    if (s.inFlight || s.orders >= c.maxOrdersPerWindow) return [];
    const shares = s.side ? this.orders.netShares(m.slug, mk.tokenOf(m, s.side)) : 0;
    if (s.side) {
      const book = mk.bookOf(m, s.side);
      const bid = mk.bestBid(book);
      if (!s.stopped && shares >= m.minOrderSize && bid !== undefined && bid <= c.sweepStopPrice + 1e-9) {
        s.stopped = true;
        this.log.detail(m.slug, 'exit', 'stop');
        const sl = this.place(ctx, m, s, 'sl', mk.tokenOf(m, s.side), 'SELL', c.slOrderPrice, { size: mk.roundShares(shares) }, 'FAK');
        return [sl, decision(ctx, LATE_SWEEP_ID, m, 'evaluated', `stop bid=${bid}`, { outcome: s.side })];
      }
      if (s.stopped) return [];
    }
    const remaining = c.targetUsd - this.orders.boughtUsd(m.slug);
    if (remaining < c.minBuyUsd) return [];
    const side = s.side ?? this.pickSide(m);
    if (!side) {
      this.log.skip(m.slug, 'no-ask≥SWEEP_ASK_THRESHOLD');
      return [];
    }
    const book = mk.bookOf(m, side);
    const ask = mk.bestAsk(book);
    if (ask === undefined || ask < c.sweepAskThreshold - 1e-9 || ask > c.maxEntryPrice + 1e-9 || !book.fresh) return [];
    const depth = mk.depthUsd(book.asks, (p) => p <= ask + 1e-9);
    const usd = Math.floor(Math.min(remaining, depth) * 100) / 100;
    if (usd < c.minBuyUsd || usd / ask < m.minOrderSize) {
      this.log.skip(m.slug, 'depth<min-size');
      return [];
    }
    s.side = side;
    const buy = this.place(ctx, m, s, 'buy', mk.tokenOf(m, side), 'BUY', ask, { usd }, 'FOK');
    return [buy, decision(ctx, LATE_SWEEP_ID, m, 'evaluated', `sweep ${side} ask=${ask}`, { outcome: side })];
  }

  private pickSide(m: MarketView): Outcome | undefined {
    const up = mk.bestAsk(m.up) ?? 0;
    const down = mk.bestAsk(m.down) ?? 0;
    const t = this.config.sweepAskThreshold - 1e-9;
    if (up >= t && up >= down) return 'up';
    if (down >= t) return 'down';
    return undefined;
  }

  private place(
    ctx: StrategyContext, m: MarketView, s: SweepState, purpose: string, tokenId: string, side: 'BUY' | 'SELL',
    price: number, amount: { size?: number; usd?: number }, orderType: 'FOK' | 'FAK',
  ): PlaceIntent {
    s.orders++;
    const intent: PlaceIntent = {
      kind: 'place', clientTag: makeClientTag(ctx.strategyId, m.slug, purpose, s.orders), windowSlug: m.slug,
      tokenId, side, price, ...amount, orderType, postOnly: false, reason: `late-sweep ${purpose}`,
    };
    this.orders.track(intent, purpose, ctx.nowMs);
    s.inFlight = intent.clientTag;
    return intent;
  }
}
