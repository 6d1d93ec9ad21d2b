/**
 * Two-sided maker (SPEC §3.3): post-only GTC bids on Up and Down around the fair mid (see quoting.ts),
 * requoted when the fair mid moves REQUOTE_THRESHOLD, the inventory changes or the flow state flips; a side is
 * skipped at POSITION_LIMIT; every quote is pulled PULL_BEFORE_END_SEC before the end; no quotes while the
 * parity check fails or a book is stale. Complete-set arbitrage (two FOK buys, tag purpose 'arb') when the
 * edge net of fees is positive. Seed-003 alpha (flow, regime, competitor, time patterns, markout guard, Kelly,
 * stale cleanup; alpha.ts) adjusts spread/size/price behind per-addition flags; every requote (and at most one per
 * second per window otherwise) emits a `signal` intent with the readings and why.
 *
 * Invariants: every quote is a post-only BUY priced below the token's best ask at placement; the only taker
 * orders are the 'arb' FOKs and only when 1 − askUp − askDown − fees > arbMinEdge; no quote in the last
 * PULL_BEFORE_END_SEC, no order outside [start, end) of an open window.
 */
import type { SignalReading } from '../../../lib/schemas/events/strategy';
import type { MarketView, Outcome, StrategyContext } from '../context';
import type { StrategyEvent } from '../events';
import { type Intent, type PlaceIntent, makeClientTag } from '../intents';
import type { Strategy } from '../strategy';
import { setBounded } from '../common/bounded';
import { adoptPositions } from '../common/adopt';
import { OwnOrders, filledSize } from '../common/own-orders';
import { WindowLog, decision } from '../common/window-log';
import * as mk from '../common/market';
import { sigmaLogPerSqrtSec } from '../hammer/sigma';
import type { TwoSidedMakerConfig } from './config';
import { type FlowTrade, clamp, flowImbalance, flowState, inventorySkew, parityOk, quotePrices, volScaledSpread } from './quoting';
import { planArbitrage } from './arbitrage';
import { MAX_ALPHA_SPREAD, MakerAlpha, type WindowAlpha, newWindowAlpha } from './alpha';
import { staleOrders } from './stale';
import { makerSignal, signalDue } from './signal';

export const TWO_SIDED_MAKER_ID = 'two-sided-maker';

interface MakerState {
  quotes: Partial<Record<Outcome, string>>;
  quotedFair?: number;
  quotedFlow: -1 | 0 | 1;
  quotedNet: number;
  pulled: boolean;
  trades: FlowTrade[];
  arbInFlight: string[];
  arbs: number;
  n: number;
  quotedKey?: string;
  lastSignalMs?: number;
  alpha: WindowAlpha;
}

export class TwoSidedMakerStrategy implements Strategy<TwoSidedMakerConfig> {
  readonly type = TWO_SIDED_MAKER_ID;
  private readonly orders = new OwnOrders();
  private readonly log = new WindowLog(TWO_SIDED_MAKER_ID);
  private readonly states = new Map<string, MakerState>();

  private readonly alpha: MakerAlpha;

  constructor(public config: TwoSidedMakerConfig) {
    this.alpha = new MakerAlpha(config);
  }

  updateConfig(config: TwoSidedMakerConfig): void {
    this.config = config;
    this.alpha.sync(config);
  }

  /** Restart: adopted positions become inventory (skew and limits apply at once). */
  onStart(ctx: StrategyContext): Intent[] {
    for (const a of adoptPositions(ctx, this.orders, this.config)) this.log.traded(a.market.slug, 'adopted position');
    return [];
  }

  onStop(): Intent[] {
    return [...this.states.keys()].map((slug) => ({ kind: 'cancel' as const, allForWindow: slug, reason: 'stop' }));
  }

  private state(slug: string): MakerState {
    let s = this.states.get(slug);
    if (!s) {
      s = { quotes: {}, quotedFlow: 0, quotedNet: 0, pulled: false, trades: [], arbInFlight: [], arbs: 0, n: 0, alpha: newWindowAlpha() };
      setBounded(this.states, slug, s);
    }
    return s;
  }

  onEvent(ev: StrategyEvent, ctx: StrategyContext): Intent[] {
    const own = this.orders.apply(ev);
    if (own) {
      const s = this.state(own.windowSlug);
      const m = mk.findMarket(ctx, own.windowSlug);
      const outcome = m ? mk.outcomeOfToken(m, own.tokenId) : undefined;
      if (ev.kind === 'order.filled' && outcome && m) {
        this.log.traded(own.windowSlug, own.purpose === 'arb' ? 'arbitrage' : 'quotes filled');
        if (own.purpose !== 'arb') this.alpha.onFill(m, mk.bookOf(m, outcome), ev.side, ev.price, ev.size, ctx.nowMs);
      }
      if (own.status === 'done') {
        if (outcome && s.quotes[outcome] === own.clientTag) delete s.quotes[outcome];
        s.arbInFlight = s.arbInFlight.filter((t) => t !== own.clientTag);
      }
      return [];
    }
    if (ev.kind === 'window.closed') {
      const m = mk.findMarket(ctx, ev.slug);
      if (m && this.states.has(ev.slug)) {
        this.log.detail(ev.slug, 'upShares', this.orders.netShares(ev.slug, m.upTokenId));
        this.log.detail(ev.slug, 'downShares', this.orders.netShares(ev.slug, m.downTokenId));
      }
      const out: Intent[] = [{ kind: 'cancel', allForWindow: ev.slug, reason: 'window closed' }];
      out.push(...this.log.close(ctx, m, ev.slug, mk.inSeries(m, this.config), this.config.enabled));
      this.states.delete(ev.slug);
      this.orders.forget(ev.slug);
      return out;
    }
    if (ev.kind === 'trade') {
      const m = mk.findMarket(ctx, ev.slug);
      const outcome = m ? mk.outcomeOfToken(m, ev.tokenId) : undefined;
      if (outcome) {
        const bullishUp = (outcome === 'up') === (ev.side === 'BUY');
        const s = this.state(ev.slug);
        s.trades.push({ tsMs: ctx.nowMs, signed: bullishUp ? ev.size : -ev.size, size: ev.size });
        if (s.trades.length > 500) s.trades.shift();
        this.alpha.onTrade(m!, ctx.nowMs, ev.size);
      }
    }
    if (!this.config.enabled) return [];
    if (ev.kind !== 'book' && ev.kind !== 'tick' && ev.kind !== 'reference' && ev.kind !== 'trade') return [];
    const out: Intent[] = [];
    for (const m of mk.marketsToEvaluate(ev, ctx, this.config.asset, this.config.windowSecs)) {
      if (!mk.isTradable(m, ctx.nowMs)) continue;
      out.push(...this.evaluate(m, ctx));
    }
    return out;
  }

  private cancelQuotes(s: MakerState, reason: string): Intent[] {
    const out: Intent[] = [];
    for (const o of ['up', 'down'] as const) {
      const tag = s.quotes[o];
      if (tag) out.push({ kind: 'cancel', clientTag: tag, reason });
      delete s.quotes[o];
    }
    return out;
  }

  private evaluate(m: MarketView, ctx: StrategyContext): Intent[] {
    const c = this.config;
    const s = this.state(m.slug);
    if (s.pulled) return [];
    if (mk.secondsLeft(m, ctx.nowMs) <= c.pullBeforeEndSec + 1e-9) {
      s.pulled = true;
      return [...this.cancelQuotes(s, 'pull before end'), decision(ctx, TWO_SIDED_MAKER_ID, m, 'evaluated', 'pulled before end')];
    }
    const out: Intent[] = [];
    if (c.enableArbitrage && s.arbInFlight.length === 0 && s.arbs < c.maxArbsPerWindow && m.up.fresh && m.down.fresh) {
      const plan = planArbitrage(m.up.asks, m.down.asks, m.fee, c.arbMinEdge, c.arbMaxSets, m.minOrderSize);
      if (plan) {
        s.arbs++;
        for (const o of ['up', 'down'] as const) {
          const ask = o === 'up' ? plan.askUp : plan.askDown;
          const usd = Math.floor(plan.sets * ask * 100) / 100;
          const p = this.place(ctx, m, s, 'arb', mk.tokenOf(m, o), ask, { usd }, 'FOK', false);
          s.arbInFlight.push(p.clientTag);
          out.push(p);
        }
        out.push(decision(ctx, TWO_SIDED_MAKER_ID, m, 'evaluated', `arbitrage edge=${plan.edge.toFixed(4)}`, {
          up: { ask: plan.askUp }, down: { ask: plan.askDown }, details: { sets: plan.sets, edge: plan.edge },
        }));
      }
    }
    const upMid = mk.mid(m.up);
    const downMid = mk.mid(m.down);
    if (upMid === undefined || downMid === undefined || !m.up.fresh || !m.down.fresh) {
      this.log.skip(m.slug, 'no-book');
      return [...out, ...this.cancelQuotes(s, 'no book')];
    }
    this.alpha.observe(m, s.alpha, ctx.nowMs, upMid, downMid);
    if (!parityOk(upMid, downMid, c.parityTolerance)) {
      this.log.skip(m.slug, `parity ${(upMid + downMid).toFixed(3)}`);
      return [...out, ...this.cancelQuotes(s, 'parity')];
    }
    const aged = c.enableStaleCleanup ? staleOrders(this.orders.live(m.slug).filter((o) => o.purpose.startsWith('quote-')), ctx.nowMs, c.maxOrderAgeSec) : [];
    for (const o of aged) {
      o.cancelRequested = true;
      out.push({ kind: 'cancel', clientTag: o.clientTag, reason: 'stale order' });
      for (const side of ['up', 'down'] as const) if (s.quotes[side] === o.clientTag) delete s.quotes[side];
    }
    const fairUp = (upMid + 1 - downMid) / 2;
    const shares = { up: this.orders.netShares(m.slug, m.upTokenId), down: this.orders.netShares(m.slug, m.downTokenId) };
    const net = shares.up - shares.down;
    const fl = flowImbalance(s.trades, ctx.nowMs, c.flowWindowSec);
    const flow = flowState(fl.f, fl.volume, c.flowImbalanceThreshold, c.flowMinShares);
    const a = this.alpha.assess(m, s.alpha, s.trades, ctx.nowMs);
    let vol: { sigma: number | undefined; volSpread: number; spread: number } | undefined;
    const volNow = () => {
      if (vol) return vol;
      const sigma = sigmaLogPerSqrtSec(ctx.reference.history, ctx.nowMs, 60, 20)?.sigmaLog;
      const volSpread = volScaledSpread(c.baseSpread, sigma, c.volRefSigma, c.minSpread, c.maxSpread);
      return (vol = { sigma, volSpread, spread: clamp(volSpread * a.spreadMult + a.spreadAdd, c.minSpread, Math.max(c.maxSpread, MAX_ALPHA_SPREAD)) });
    };
    const emit = (requoted: boolean, sides: (() => SignalReading[])[], extra: Record<string, number | undefined>, summary: () => string) => {
      if (!signalDue(s.lastSignalMs, ctx.nowMs, requoted)) return;
      s.lastSignalMs = ctx.nowMs;
      const v = volNow();
      const core: SignalReading[] = [
        { id: 'volatility', value: v.sigma ?? 0, active: true, effect: `spread ${v.volSpread.toFixed(3)}` },
        { id: 'oneSidedFlow', value: fl.f, direction: flow, active: true, state: flow === 0 ? 'none' : 'one-sided', effect: flow === 0 ? 'none' : `${flow === 1 ? 'down' : 'up'} bid −${c.flowWiden.toFixed(3)}` },
        { id: 'staleOrders', value: aged.length, active: c.enableStaleCleanup, effect: aged.length > 0 ? `cancelled ${aged.length}` : 'none' },
      ];
      const model = { fairUp, volSpread: v.volSpread, spread: v.spread, net, regime: a.regime, toxicity: a.toxicity, paused: a.paused, spreadMult: a.spreadMult, spreadAdd: a.spreadAdd, sizeMult: a.sizeMult, ...extra };
      out.push(makerSignal(ctx, TWO_SIDED_MAKER_ID, m, [...core, ...a.readings(), ...sides.flatMap((f) => f())], model, summary()));
    };
    if (a.paused) {
      const cancelled = this.cancelQuotes(s, 'toxic flow pause');
      out.push(...cancelled);
      s.quotedFair = undefined;
      emit(cancelled.length > 0 || aged.length > 0, [], {}, () => `no quotes: ${a.why.join(', ')}`);
      return out;
    }
    const stale =
      s.quotedFair === undefined || Math.abs(fairUp - s.quotedFair) >= c.requoteThreshold - 1e-9 ||
      flow !== s.quotedFlow || Math.abs(net - s.quotedNet) > 1e-9 || !s.quotes.up || !s.quotes.down || a.key !== s.quotedKey;
    if (!stale) {
      emit(aged.length > 0, [], {}, () => `holding quotes (fair ${fairUp.toFixed(3)} moved < ${c.requoteThreshold})`);
      return out;
    }
    const spread = volNow().spread;
    const skew = inventorySkew(net, c.positionLimit, c.maxInventorySkew);
    const px = quotePrices({
      fairUp, spread, skew, flow, flowWiden: c.flowWiden, tick: m.tickSize,
      upBestAsk: mk.bestAsk(m.up), downBestAsk: mk.bestAsk(m.down),
    });
    s.quotedFair = fairUp;
    s.quotedFlow = flow;
    s.quotedNet = net;
    s.quotedKey = a.key;
    const n0 = out.length;
    const sides: (() => SignalReading[])[] = [];
    const final: Record<string, number | undefined> = {};
    for (const o of ['up', 'down'] as const) {
      const model0 = o === 'up' ? px.upBid : px.downBid;
      const existing = s.quotes[o] ? this.orders.get(s.quotes[o]!) : undefined;
      const room = c.positionLimit - shares[o];
      const base = mk.roundShares(Math.min(Math.max(c.quoteSizeShares * a.sizeMult, m.minOrderSize), room));
      const plan = model0 === undefined ? undefined : this.alpha.side(o, m, s.alpha, model0, o === 'up' ? fairUp : 1 - fairUp, base, existing ? existing.size - filledSize(existing) : 0, c.minSpread);
      if (plan) sides.push(plan.readings);
      const price = plan?.price;
      const size = plan?.size ?? base;
      final[`${o}Bid`] = price;
      final[`${o}Size`] = price === undefined || size < m.minOrderSize ? 0 : size;
      if (price === undefined || size < m.minOrderSize) {
        const why = price === undefined ? 'no valid post-only price' : base < m.minOrderSize ? 'position limit' : 'kelly size 0';
        if (existing) out.push({ kind: 'cancel', clientTag: existing.clientTag, reason: why });
        delete s.quotes[o];
        continue;
      }
      if (existing && Math.abs(existing.price - price) < 1e-9 && existing.size - filledSize(existing) <= room + 1e-9) continue;
      if (existing) out.push({ kind: 'cancel', clientTag: existing.clientTag, reason: 'requote' });
      const p = this.place(ctx, m, s, `quote-${o}`, mk.tokenOf(m, o), price, { size }, 'GTC', true);
      s.quotes[o] = p.clientTag;
      s.alpha.comp[o].onOurQuote(ctx.nowMs, price);
      out.push(p);
    }
    const bids = () => `Up ${final.upBid?.toFixed(2) ?? '–'}×${final.upSize} / Down ${final.downBid?.toFixed(2) ?? '–'}×${final.downSize}`;
    emit(out.length > n0 || aged.length > 0, sides, { ...final, skew }, () => `${bids()} fair ${fairUp.toFixed(3)} spread ${spread.toFixed(3)}${a.why.length ? `: ${a.why.join(', ')}` : ''}`);
    return out;
  }

  private place(
    ctx: StrategyContext, m: MarketView, s: MakerState, purpose: string, tokenId: string, price: number,
    amount: { size?: number; usd?: number }, orderType: 'GTC' | 'FOK', postOnly: boolean,
  ): PlaceIntent {
    const intent: PlaceIntent = {
      kind: 'place', clientTag: makeClientTag(ctx.strategyId, m.slug, purpose, ++s.n), windowSlug: m.slug,
      tokenId, side: 'BUY', price, ...amount, orderType, postOnly, reason: `maker ${purpose}`,
    };
    this.orders.track(intent, purpose, ctx.nowMs);
    return intent;
  }
}
