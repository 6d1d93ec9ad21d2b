/**
 * Trend-window (SPEC §3.3): between TREND_START_SEC and TREND_END_SEC into a 15m window (scaled by
 * windowSec / 900 for other lengths) buy Up (FOK at its ask) when the Up mid > TREND_UP_THRESHOLD, Down when it
 * is < TREND_DOWN_THRESHOLD, else skip; fixed TREND_USD. The weighted fusion of in-venue signals (plus optional
 * external plug-ins from ctx.external) can veto the trade.
 *
 * Invariants: at most one filled trade per window, one FOK in flight, at most 3 attempts; thresholds are
 * strict (exactly 0.60 / 0.40 skip); nothing outside the band or outside an open window.
 */
import type { MarketView, StrategyContext } from '../context';
import type { StrategyEvent } from '../events';
import { type Intent, type PlaceIntent, makeClientTag } from '../intents';
import type { Strategy } from '../strategy';
import { setBounded } from '../common/bounded';
import { adoptPositions } from '../common/adopt';
import { OwnOrders, filledSize } from '../common/own-orders';
import { WindowLog, decision } from '../common/window-log';
import * as mk from '../common/market';
import { fairProb } from '../hammer/fair-prob';
import { sigmaLogPerSqrtSec } from '../hammer/sigma';
import type { TrendWindowConfig } from './config';
import { MidHistory, bookImbalance, divergence, spike, tickVelocity } from './signals';
import { fuse, vetoes, type WeightedScore } from './fusion';

export const TREND_WINDOW_ID = 'trend-window';
const MAX_ATTEMPTS = 3;
const EPS = 1e-9;

interface TrendState {
  mids: MidHistory;
  filled: boolean;
  attempts: number;
  inFlight?: string;
}

/** Band [start, end) in seconds into the window, scaled from the 900 s definition. */
export function trendBand(c: Pick<TrendWindowConfig, 'bandStartSec' | 'bandEndSec'>, windowSec: number): [number, number] {
  const k = windowSec / 900;
  return [c.bandStartSec * k, c.bandEndSec * k];
}

/** Direction from the Up price: +1 Up, −1 Down, 0 skip (strict thresholds). */
export function trendDirection(upPrice: number, upThreshold: number, downThreshold: number): 1 | -1 | 0 {
  if (upPrice > upThreshold + EPS) return 1;
  if (upPrice < downThreshold - EPS) return -1;
  return 0;
}

export class TrendWindowStrategy implements Strategy<TrendWindowConfig> {
  readonly type = TREND_WINDOW_ID;
  private readonly orders = new OwnOrders();
  private readonly log = new WindowLog(TREND_WINDOW_ID);
  private readonly states = new Map<string, TrendState>();

  constructor(public config: TrendWindowConfig) {}

  updateConfig(config: TrendWindowConfig): void {
    this.config = config;
  }

  /** Restart: an adopted position is this window's trade. */
  onStart(ctx: StrategyContext): Intent[] {
    for (const a of adoptPositions(ctx, this.orders, this.config)) {
      this.state(a.market.slug).filled = true;
      this.log.traded(a.market.slug, 'adopted position');
    }
    return [];
  }

  onStop(): Intent[] {
    return [];
  }

  private state(slug: string): TrendState {
    let s = this.states.get(slug);
    if (!s) {
      s = { mids: new MidHistory(), filled: false, attempts: 0 };
      setBounded(this.states, slug, s);
    }
    return s;
  }

  onEvent(ev: StrategyEvent, ctx: StrategyContext): Intent[] {
    const own = this.orders.apply(ev);
    if (own) {
      const s = this.state(own.windowSlug);
      if (ev.kind === 'order.filled' && !s.filled) {
        s.filled = true;
        this.log.traded(own.windowSlug, `bought ${own.purpose}@${own.price}`);
      }
      if (own.status === 'done' && s.inFlight === own.clientTag) {
        s.inFlight = undefined;
        if (filledSize(own) === 0) this.log.skip(own.windowSlug, `fok-${own.endReason ?? 'done'}`);
      }
      return [];
    }
    if (ev.kind === 'window.closed') {
      const m = mk.findMarket(ctx, ev.slug);
      const out = this.log.close(ctx, m, ev.slug, mk.inSeries(m, this.config), this.config.enabled);
      this.states.delete(ev.slug);
      this.orders.forget(ev.slug);
      return out;
    }
    if (ev.kind === 'book') {
      const m = mk.findMarket(ctx, ev.slug);
      const upMid = m ? mk.mid(m.up) : undefined;
      if (m && upMid !== undefined) this.state(m.slug).mids.push(ctx.nowMs, upMid);
    }
    if (!this.config.enabled || (ev.kind !== 'book' && ev.kind !== 'tick' && ev.kind !== 'reference')) return [];
    const out: Intent[] = [];
    for (const m of mk.marketsToEvaluate(ev, ctx, this.config.asset, this.config.windowSecs)) {
      if (!mk.isTradable(m, ctx.nowMs)) continue;
      const [from, to] = trendBand(this.config, m.windowSec);
      const into = mk.secondsInto(m, ctx.nowMs);
      if (into < from - EPS || into >= to - EPS) continue;
      out.push(...this.evaluate(m, ctx));
    }
    return out;
  }

  /** Signal scores for a window (exposed for tests and the console). */
  signals(m: MarketView, ctx: StrategyContext): WeightedScore[] {
    const c = this.config;
    const hist = ctx.reference.history;
    const sig = sigmaLogPerSqrtSec(hist, ctx.nowMs, 60, 20);
    const ref = ctx.reference.latest;
    const pModel =
      sig && ref && m.priceToBeat !== undefined
        ? fairProb({ model: 'twap', spot: ref.price, priceToBeat: m.priceToBeat, sigmaLog: sig.sigmaLog, endMs: m.endMs, nowMs: ctx.nowMs, history: hist }).pHat
        : undefined;
    const scores: WeightedScore[] = [
      { id: 'bookImbalance', score: bookImbalance(m.up, m.down, c.bookLevels), weight: c.wBookImbalance },
      { id: 'tickVelocity', score: tickVelocity(this.state(m.slug).mids.all, ctx.nowMs, c.velocityLookbackSec, c.velocityScale), weight: c.wTickVelocity },
      { id: 'divergence', score: divergence(pModel, mk.mid(m.up), c.divergenceScale), weight: c.wDivergence },
      { id: 'spike', score: spike(hist, ctx.nowMs, c.spikeLookbackSec, sig?.sigmaLog, c.spikeZ), weight: c.wSpike },
    ];
    for (const [id, w] of Object.entries(c.externalWeights)) {
      const v = ctx.external?.get(id);
      const fresh = v && ctx.nowMs - v.tsMs <= c.externalMaxAgeSec * 1000 && Number.isFinite(v.value);
      scores.push({ id: `ext:${id}`, score: fresh ? Math.max(-1, Math.min(1, v.value)) : undefined, weight: w });
    }
    return scores;
  }

  private evaluate(m: MarketView, ctx: StrategyContext): Intent[] {
    const c = this.config;
    const s = this.state(m.slug);
    if (s.filled || s.inFlight || s.attempts >= MAX_ATTEMPTS) return [];
    const upPrice = mk.mid(m.up);
    if (upPrice === undefined) {
      this.log.skip(m.slug, 'no-up-price');
      return [];
    }
    const dir = trendDirection(upPrice, c.upThreshold, c.downThreshold);
    if (dir === 0) {
      this.log.skip(m.slug, `up-price ${upPrice.toFixed(3)} in [${c.downThreshold}, ${c.upThreshold}]`);
      return [];
    }
    const scores = this.signals(m, ctx);
    const { fused } = fuse(scores);
    const details: Record<string, number | string | boolean> = { upPrice, fused };
    for (const sc of scores) if (sc.score !== undefined) details[sc.id] = sc.score;
    const outcome = dir === 1 ? 'up' : 'down';
    if (c.enableVeto && vetoes(fused, dir, c.vetoThreshold)) {
      this.log.skip(m.slug, `veto fused=${fused.toFixed(3)}`);
      for (const [k, v] of Object.entries(details)) this.log.detail(m.slug, k, v);
      return [];
    }
    const book = mk.bookOf(m, outcome);
    const ask = mk.bestAsk(book);
    if (ask === undefined || ask > c.maxEntryPrice + EPS || !book.fresh) {
      this.log.skip(m.slug, ask === undefined ? 'no-ask' : !book.fresh ? 'stale-book' : 'ask>MAX_ENTRY_PRICE');
      return [];
    }
    let usd = c.usdPerTrade;
    if (usd / ask < m.minOrderSize - EPS) {
      if (c.belowMinSize === 'skip') {
        this.log.skip(m.slug, 'usd<min-size');
        return [];
      }
      usd = Math.ceil(m.minOrderSize * ask * 100 - EPS) / 100;
    }
    s.attempts++;
    const intent: PlaceIntent = {
      kind: 'place', clientTag: makeClientTag(ctx.strategyId, m.slug, outcome, s.attempts), windowSlug: m.slug,
      tokenId: mk.tokenOf(m, outcome), side: 'BUY', price: ask, usd, orderType: 'FOK', postOnly: false,
      reason: `trend ${outcome} up-price=${upPrice.toFixed(3)}`,
    };
    this.orders.track(intent, outcome, ctx.nowMs);
    s.inFlight = intent.clientTag;
    return [intent, decision(ctx, TREND_WINDOW_ID, m, 'evaluated', `buy ${outcome}`, { outcome, details })];
  }
}
