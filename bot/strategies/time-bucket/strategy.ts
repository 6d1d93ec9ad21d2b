/**
 * Time-bucket (SPEC §3.3): one round per window on one leg.
 *
 * Round: maker entry (GTC post-only BUY at the best bid once bid ≥ ENTRY_BID_THRESHOLD; after
 * ENTRY_REQUOTE_WAIT_SEC an unfilled entry is cancelled and re-placed only if the bid improved by
 * ENTRY_REQUOTE_MIN_IMPROVE, otherwise it keeps resting) → take profit (GTC SELL at min(entry + MIN_TP_INCREMENT,
 * MAX_TP_PRICE)) or stop (FAK SELL at SL_ORDER_PRICE when bid ≤ trigger, see rules.ts). Late mode: see rules.ts;
 * after a full stop-out in late mode, up to MAX_LATE_REENTRIES re-entries (ENABLE_LATE_REENTRY) when the bid
 * is back ≥ LATE_REENTRY_ENTRY_THRESHOLD, same leg. After a TP, or a non-late stop-out, the round is over.
 *
 * Invariants: position and average price come from this strategy's own fills (average-cost); dust
 * (managed position < MIN_TRADE_SIZE) never gets a TP or stop order; one stop order in flight at a time and at
 * most maxStopOrders per window; never an order outside [start, end) of an open window; first-round entries are
 * never placed after the first entry fill.
 */
import type { MarketView, Outcome, StrategyContext } from '../context';
import type { StrategyEvent } from '../events';
import { type Intent, type PlaceIntent, makeClientTag } from '../intents';
import type { Strategy } from '../strategy';
import { setBounded } from '../common/bounded';
import { adoptPositions } from '../common/adopt';
import { OwnOrders, type OwnOrder, filledSize } from '../common/own-orders';
import { WindowLog, decision } from '../common/window-log';
import * as mk from '../common/market';
import type { TimeBucketConfig } from './config';
import { capAt, entrySize, isLate, stopRule, stopTriggered, takeProfitPrice } from './rules';
import { positionOf } from './position';

export const TIME_BUCKET_ID = 'time-bucket';
const EPS = 1e-9;

export interface Round {
  done: boolean;
  leg?: Outcome;
  hadFill: boolean;
  generation: number;
  genOf: Map<string, number>;
  entryTag?: string;
  entryPlacedMs: number;
  lastEntryEndMs: number;
  tpTag?: string;
  slTag?: string;
  slLate: boolean;
  stopOrders: number;
  reentries: number;
  lateStopOut: boolean;
  dust: number;
  n: number;
  /** A requote was decided: the old entry's cancel is in flight; re-enter once it is confirmed. */
  requotePurpose?: string;
}

export class TimeBucketStrategy implements Strategy<TimeBucketConfig> {
  readonly type = TIME_BUCKET_ID;
  private readonly orders = new OwnOrders();
  private readonly log = new WindowLog(TIME_BUCKET_ID);
  private readonly rounds = new Map<string, Round>();

  constructor(public config: TimeBucketConfig) {}

  updateConfig(config: TimeBucketConfig): void {
    this.config = config;
  }

  /** Restart: adopt the reconciled position as the round's entry (the larger leg); TP / stop resume. */
  onStart(ctx: StrategyContext): Intent[] {
    for (const a of adoptPositions(ctx, this.orders, this.config)) {
      const r = this.round(a.market.slug);
      const p = r.leg ? ctx.positions.get(mk.tokenOf(a.market, r.leg)) : undefined;
      if (!p || a.shares > p.shares) r.leg = a.outcome;
      r.hadFill = true;
      this.log.traded(a.market.slug, 'adopted position');
    }
    return [];
  }

  onStop(ctx: StrategyContext): Intent[] {
    void ctx;
    return [...this.rounds.keys()].map((slug) => ({ kind: 'cancel' as const, allForWindow: slug, reason: 'stop' }));
  }

  /** Read-only access for tests and the console. */
  roundOf(slug: string): Readonly<Round> | undefined {
    return this.rounds.get(slug);
  }

  private round(slug: string): Round {
    let r = this.rounds.get(slug);
    if (!r) {
      r = {
        done: false, hadFill: false, generation: 0, genOf: new Map(), entryPlacedMs: 0,
        lastEntryEndMs: -Infinity, slLate: false, stopOrders: 0, reentries: 0, lateStopOut: false, dust: 0, n: 0,
      };
      setBounded(this.rounds, slug, r);
    }
    return r;
  }

  onEvent(ev: StrategyEvent, ctx: StrategyContext): Intent[] {
    const own = this.orders.apply(ev);
    if (own) this.onOwnOrder(own, ev, ctx);
    if (ev.kind === 'window.closed') {
      const r = this.rounds.get(ev.slug);
      const m = mk.findMarket(ctx, ev.slug);
      if (r && m) {
        const p = positionOf(this.legOrders(ev.slug, r.leg ? mk.tokenOf(m, r.leg) : undefined), r, this.config.enableDustMerge);
        this.log.detail(ev.slug, 'heldShares', Number(p.position.toFixed(2)));
        if (p.position > EPS && p.managed < this.config.minTradeSize - EPS) this.log.detail(ev.slug, 'dustShares', p.position);
      }
      const out: Intent[] = [{ kind: 'cancel', allForWindow: ev.slug, reason: 'window closed' }];
      out.push(...this.log.close(ctx, m, ev.slug, mk.inSeries(m, this.config), this.config.enabled));
      this.rounds.delete(ev.slug);
      this.orders.forget(ev.slug);
      return out;
    }
    if (!this.config.enabled) return [];
    if (ev.kind === 'window.resolved' || ev.kind === 'window.opened' || ev.kind === 'window.closing') return [];
    const out: Intent[] = [];
    for (const m of mk.marketsToEvaluate(ev, ctx, this.config.asset, this.config.windowSecs)) {
      if (!mk.isTradable(m, ctx.nowMs)) continue;
      out.push(...this.evaluate(m, ctx));
    }
    return out;
  }

  private onOwnOrder(o: OwnOrder, ev: StrategyEvent, ctx: StrategyContext): void {
    const r = this.round(o.windowSlug);
    const c = this.config;
    if (ev.kind === 'order.filled' && (o.purpose === 'entry' || o.purpose === 'reentry')) {
      if (!r.hadFill) this.log.traded(o.windowSlug, `entered@${o.price}`);
      r.hadFill = true;
    }
    if (o.status !== 'done') return;
    const p = positionOf(this.legOrders(o.windowSlug, o.tokenId), r, c.enableDustMerge);
    if (o.clientTag === r.entryTag) {
      r.entryTag = undefined;
      r.lastEntryEndMs = ctx.nowMs;
    } else if (o.clientTag === r.tpTag) {
      r.tpTag = undefined;
      if (o.endReason === 'filled' && p.managed < EPS) {
        r.done = true;
        this.log.detail(o.windowSlug, 'exit', 'tp');
      }
    } else if (o.clientTag === r.slTag) {
      r.slTag = undefined;
      if (p.managed < c.minTradeSize - EPS) {
        // Full stop-out: whatever is left is dust, held to settlement.
        this.log.detail(o.windowSlug, 'exit', r.slLate ? 'late-stop' : 'stop');
        if (r.slLate) r.lateStopOut = true;
        else r.done = true;
      }
    }
  }

  private evaluate(m: MarketView, ctx: StrategyContext): Intent[] {
    const c = this.config;
    const r = this.round(m.slug);
    if (r.done && r.entryTag) {
      // Round over (TP filled) while part of the entry still rests: withdraw it, no second round.
      const tag = r.entryTag;
      r.entryTag = undefined;
      return [this.cancel(tag, 'round complete')];
    }
    if (r.done || r.slTag) return [];
    const out: Intent[] = [];
    const left = mk.secondsLeft(m, ctx.nowMs);
    const late = isLate(left, c.lateWindowSec);
    const leg = r.leg ?? this.chooseLeg(m);
    const p = positionOf(this.legOrders(m.slug, mk.tokenOf(m, leg)), r, c.enableDustMerge);
    const book = mk.bookOf(m, leg);
    const bid = mk.bestBid(book);
    const tokenId = mk.tokenOf(m, leg);

    if (p.managed >= c.minTradeSize - EPS) {
      const rule = stopRule(p.avg, left, c);
      if (stopTriggered(bid, rule) && r.stopOrders < c.maxStopOrders) {
        if (r.entryTag) out.push(this.cancel(r.entryTag, 'stop'));
        if (r.tpTag) out.push(this.cancel(r.tpTag, 'stop'));
        r.entryTag = undefined;
        r.tpTag = undefined;
        r.lastEntryEndMs = ctx.nowMs;
        r.stopOrders++;
        r.slLate = rule.late;
        const sl = this.place(ctx, m, r, 'sl', tokenId, 'SELL', c.slOrderPrice, mk.roundShares(p.managed), 'FAK', false);
        r.slTag = sl.clientTag;
        out.push(sl, decision(ctx, TIME_BUCKET_ID, m, 'evaluated', `stop bid=${bid} ≤ ${rule.trigger.toFixed(3)}`, { outcome: leg }));
        return out;
      }
      const tpSize = mk.roundShares(p.managed);
      const tpPrice = takeProfitPrice(p.avg, c.minTpIncrement, c.maxTpPrice, m.tickSize);
      const tp = r.tpTag ? this.orders.get(r.tpTag) : undefined;
      if (!rule.takeProfit) {
        if (r.tpTag) out.push(this.cancel(r.tpTag, 'late: no TP'));
        r.tpTag = undefined;
      } else if (!tp || Math.abs(tp.price - tpPrice) > EPS || Math.abs(tp.size - filledSize(tp) - tpSize) > 0.005) {
        if (r.tpTag) out.push(this.cancel(r.tpTag, 'tp replace'));
        const t = this.place(ctx, m, r, 'tp', tokenId, 'SELL', tpPrice, tpSize, 'GTC', false);
        r.tpTag = t.clientTag;
        out.push(t);
      }
    } else {
      // Dust or flat: never a new TP/SL; a resting TP larger than what is held (voided fill) is withdrawn.
      const tp = r.tpTag ? this.orders.get(r.tpTag) : undefined;
      if (tp && tp.size - filledSize(tp) > p.managed + 0.005) {
        out.push(this.cancel(tp.clientTag, 'tp exceeds position'));
        r.tpTag = undefined;
      }
      if (p.managed > EPS) this.log.detail(m.slug, 'dustShares', Number(p.position.toFixed(2)));
    }

    const entry = r.entryTag ? this.orders.get(r.entryTag) : undefined;
    if (entry) {
      // Cancel-then-replace: the new entry goes out only after the venue confirms the cancel, so a fill that
      // races the cancel can never add a second full entry on top of the first.
      if (entry.cancelRequested) return out;
      if (bid === undefined || ctx.nowMs - r.entryPlacedMs < c.entryRequoteWaitSec * 1000 - EPS) return out;
      if (bid < entry.price + c.entryRequoteMinImprove - EPS) return out;
      const cap = capAt(c.capSchedule, m.windowSec, mk.secondsInto(m, ctx.nowMs)) ?? 0;
      const size = entrySize(cap, bid, c.minTradeSize) - filledSize(entry);
      if (size < c.minTradeSize - EPS || !book.fresh) return out;
      out.push(this.cancel(entry.clientTag, `requote ${entry.price}→${bid}`));
      r.requotePurpose = entry.purpose;
      return out;
    }
    if (r.requotePurpose !== undefined) {
      // The old entry is done (cancel confirmed, or it filled meanwhile): re-enter for what is still missing.
      const purpose = r.requotePurpose;
      r.requotePurpose = undefined;
      const cap = capAt(c.capSchedule, m.windowSec, mk.secondsInto(m, ctx.nowMs)) ?? 0;
      const threshold = purpose === 'reentry' ? c.lateReentryEntryThreshold : c.entryBidThreshold;
      if (bid === undefined || bid < threshold - EPS || !book.fresh || r.done) return out;
      const size = entrySize(cap, bid, c.minTradeSize) - p.managed;
      if (size < c.minTradeSize - EPS) return out;
      out.push(this.placeEntry(ctx, m, r, purpose, tokenId, bid, size));
      return out;
    }
    if (ctx.nowMs - r.lastEntryEndMs < c.entryRequoteWaitSec * 1000 - EPS) return out;
    const first = !r.hadFill;
    const reentry =
      r.hadFill && r.lateStopOut && late && c.enableLateReentry && r.reentries < c.maxLateReentries &&
      p.managed < c.minTradeSize - EPS;
    if (!first && !reentry) return out;
    const threshold = first ? c.entryBidThreshold : c.lateReentryEntryThreshold;
    if (bid === undefined || bid < threshold - EPS) {
      this.log.skip(m.slug, first ? 'bid<ENTRY_BID_THRESHOLD' : 'bid<LATE_REENTRY_ENTRY_THRESHOLD');
      return out;
    }
    if (!book.fresh) {
      this.log.skip(m.slug, 'stale-book');
      return out;
    }
    if (reentry) {
      r.reentries++;
      r.lateStopOut = false;
      r.generation++;
      r.dust = c.enableDustMerge ? 0 : p.position;
    }
    const cap = capAt(c.capSchedule, m.windowSec, mk.secondsInto(m, ctx.nowMs)) ?? 0;
    r.leg = leg;
    out.push(this.placeEntry(ctx, m, r, first ? 'entry' : 'reentry', tokenId, bid, entrySize(cap, bid, c.minTradeSize)));
    out.push(decision(ctx, TIME_BUCKET_ID, m, 'evaluated', `${first ? 'entry' : 'late re-entry'} bid=${bid}`, {
      outcome: leg, details: { capUsd: cap },
    }));
    return out;
  }

  /** Own orders of the window on one token (all tokens when undefined). */
  private legOrders(slug: string, tokenId: string | undefined): OwnOrder[] {
    return this.orders.forWindow(slug).filter((o) => tokenId === undefined || o.tokenId === tokenId);
  }

  private chooseLeg(m: MarketView): Outcome {
    if (this.config.legChoice === 'UP_ONLY') return 'up';
    if (this.config.legChoice === 'DOWN_ONLY') return 'down';
    return (mk.bestBid(m.down) ?? 0) > (mk.bestBid(m.up) ?? 0) ? 'down' : 'up';
  }

  private placeEntry(ctx: StrategyContext, m: MarketView, r: Round, purpose: string, tokenId: string, price: number, size: number): PlaceIntent {
    const p = this.place(ctx, m, r, purpose, tokenId, 'BUY', price, size, 'GTC', true);
    r.entryTag = p.clientTag;
    r.entryPlacedMs = ctx.nowMs;
    r.genOf.set(p.clientTag, r.generation);
    return p;
  }

  private place(
    ctx: StrategyContext, m: MarketView, r: Round, purpose: string, tokenId: string,
    side: 'BUY' | 'SELL', price: number, size: number, orderType: 'GTC' | 'FAK', postOnly: boolean,
  ): PlaceIntent {
    const intent: PlaceIntent = {
      kind: 'place', clientTag: makeClientTag(ctx.strategyId, m.slug, purpose, ++r.n), windowSlug: m.slug,
      tokenId, side, price, size, orderType, postOnly, reason: `time-bucket ${purpose}`,
    };
    this.orders.track(intent, purpose, ctx.nowMs);
    return intent;
  }

  private cancel(clientTag: string, reason: string): Intent {
    const o = this.orders.get(clientTag);
    if (o) o.cancelRequested = true;
    return { kind: 'cancel', clientTag, reason };
  }
}
