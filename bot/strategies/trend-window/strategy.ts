/**
 * Trend-window (SPEC §3.3): between TREND_START_SEC and TREND_END_SEC into a 15m window (scaled by
 * windowSec / 900 for other lengths) buy Up (FOK at its ask) when the Up mid > TREND_UP_THRESHOLD, Down when it
 * is < TREND_DOWN_THRESHOLD, else skip; fixed TREND_USD. A weighted vote of six signals (votes.ts: four in-venue,
 * putCallRatio and fearGreed from ctx.external) can veto the trade:
 *     fused = Σ wᵢ·dᵢ·sᵢ·cᵢ / Σ wᵢ over the available signals (weights from config, direction, strength, confidence),
 *     veto when fused × trade direction ≤ −vetoThreshold (fusion.ts).
 * Every decision in the band (buy, veto, or skip with its reason) returns a `signal` intent (signal-record.ts):
 * buys always, vetoes and skips when their reason code changes, else at most once per second per window.
 *
 * Invariants: at most one filled trade per window, one FOK in flight, at most 3 attempts; thresholds are
 * strict (exactly 0.60 / 0.40 skip); nothing outside the band or outside an open window.
 */
import type { MarketView, Outcome, StrategyContext } from '../context';
import type { StrategyEvent } from '../events';
import { type Intent, type PlaceIntent, makeClientTag } from '../intents';
import type { Strategy } from '../strategy';
import { setBounded } from '../common/bounded';
import { adoptPositions } from '../common/adopt';
import { OwnOrders, filledSize } from '../common/own-orders';
import { WindowLog, decision } from '../common/window-log';
import * as mk from '../common/market';
import type { TrendWindowConfig } from './config';
import { MidHistory } from './signals';
import { counts, fuseVotes, vetoes, type FusedVote, type SignalVote } from './fusion';
import { SignalThrottle, trendSignalIntent, type TrendAction } from './signal-record';
import { trendVotes } from './votes';

export const TREND_WINDOW_ID = 'trend-window';
const MAX_ATTEMPTS = 3;
const EPS = 1e-9;

interface TrendState {
  mids: MidHistory;
  filled: boolean;
  attempts: number;
  inFlight?: string;
  signals: SignalThrottle;
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
      s = { mids: new MidHistory(), filled: false, attempts: 0, signals: new SignalThrottle() };
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

  /** The six signal votes for a window now (exposed for tests and the console). */
  votes(m: MarketView, ctx: StrategyContext): SignalVote[] {
    return trendVotes(m, ctx, this.config, this.state(m.slug).mids.all);
  }

  private evaluate(m: MarketView, ctx: StrategyContext): Intent[] {
    const c = this.config;
    const s = this.state(m.slug);
    if (s.filled || s.inFlight || s.attempts >= MAX_ATTEMPTS) return [];
    // Votes are computed once, and only when needed (a veto check or a signal record): a throttled skip costs nothing.
    let memo: { votes: SignalVote[]; fused: FusedVote } | undefined;
    const voted = () => (memo ??= ((votes) => ({ votes, fused: fuseVotes(votes) }))(this.votes(m, ctx)));
    const upPrice = mk.mid(m.up);
    /** The signal record of this decision (throttled for veto / skip); `code` is the throttle's reason key. */
    const signal = (action: TrendAction, code: string, reason: string, outcome?: Outcome): Intent[] =>
      s.signals.shouldEmit(action, code, ctx.nowMs)
        ? [trendSignalIntent({ strategyId: ctx.strategyId, strategyType: TREND_WINDOW_ID, windowSlug: m.slug, atMs: ctx.nowMs, ...voted(), action, reason, vetoThreshold: c.vetoThreshold, ...(outcome ? { outcome } : {}), ...(upPrice !== undefined ? { upPrice } : {}) })]
        : [];
    const skip = (code: string, reason: string, outcome?: Outcome): Intent[] => {
      this.log.skip(m.slug, reason);
      return signal('skip', code, reason, outcome);
    };
    if (upPrice === undefined) return skip('no-up-price', 'no-up-price');
    const dir = trendDirection(upPrice, c.upThreshold, c.downThreshold);
    if (dir === 0) return skip('dead-zone', `up-price ${upPrice.toFixed(3)} in [${c.downThreshold}, ${c.upThreshold}]`);
    const { votes, fused } = voted();
    const details: Record<string, number | string | boolean> = { upPrice, fused: fused.fused };
    for (const v of votes) if (counts(v)) details[v.id] = v.direction * v.strength;
    const outcome: Outcome = dir === 1 ? 'up' : 'down';
    if (c.enableVeto && vetoes(fused.fused, dir, c.vetoThreshold)) {
      const reason = `veto fused=${fused.fused.toFixed(3)}`;
      this.log.skip(m.slug, reason);
      for (const [k, v] of Object.entries(details)) this.log.detail(m.slug, k, v);
      return signal('veto', 'veto', `${reason} ≤ −${c.vetoThreshold} against ${outcome}`, outcome);
    }
    const book = mk.bookOf(m, outcome);
    const ask = mk.bestAsk(book);
    if (ask === undefined || ask > c.maxEntryPrice + EPS || !book.fresh) {
      const why = ask === undefined ? 'no-ask' : !book.fresh ? 'stale-book' : 'ask>MAX_ENTRY_PRICE';
      return skip(why, why, outcome);
    }
    let usd = c.usdPerTrade;
    if (usd / ask < m.minOrderSize - EPS) {
      if (c.belowMinSize === 'skip') return skip('usd<min-size', 'usd<min-size', outcome);
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
    return [
      intent,
      decision(ctx, TREND_WINDOW_ID, m, 'evaluated', `buy ${outcome}`, { outcome, details }),
      ...signal('buy', 'buy', `up-price ${upPrice.toFixed(3)} ${dir === 1 ? '>' : '<'} ${dir === 1 ? c.upThreshold : c.downThreshold}, ask ${ask}`, outcome),
    ];
  }
}
