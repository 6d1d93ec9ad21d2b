/**
 * Hammer (SPEC §3.3): late-window taker entries when the reference has moved hard.
 *
 * - Watch: a window goes on watch (for the rest of the window) once |60 s return of the reference| ≥
 *   WATCH_RETURN_THRESHOLD while it is open.
 * - In the last HAMMER_SECS: d = reference − price to beat, σ from 1 s log returns over 60 s, p_hat (twap or
 *   spot model), fee = rate·ask·(1 − ask) from the market's fee schedule, EV = P(win) − ask − fee for Up and
 *   Down; take the best positive-EV side with |d| ≥ D_MIN and ask ≤ MAX_ENTRY_PRICE by a FOK buy of
 *   min(QUOTE_SIZE_USD, MAX_USD_PER_TRADE, visible positive-EV depth).
 * - Every evaluation (throttled to minEvalIntervalMs per window) emits a `decision` with p_hat, z, σ, d and
 *   per-side ask / fee / EV, and the reason when it did not trade.
 *
 * Invariants: only FOK BUY orders; at most one FOK in flight per window; at most maxAttemptsPerWindow
 * FOKs and maxEntriesPerWindow filled entries per window; nothing is sent outside [start, end).
 */
import type { MarketView, StrategyContext } from '../context';
import type { StrategyEvent } from '../events';
import { type Intent, makeClientTag } from '../intents';
import type { Strategy } from '../strategy';
import { setBounded } from '../common/bounded';
import { adoptPositions } from '../common/adopt';
import { OwnOrders, filledSize } from '../common/own-orders';
import { WindowLog, decision } from '../common/window-log';
import { bestAsk, findMarket, inSeries, isTradable, marketsToEvaluate, secondsLeft } from '../common/market';
import type { HammerConfig } from './config';
import { fairProb } from './fair-prob';
import { sigmaLogPerSqrtSec, trailingReturn } from './sigma';
import { evOfBuy, sizeFok, type SideEv } from './ev';

export const HAMMER_ID = 'hammer';

interface WindowState {
  watched: boolean;
  lastEvalMs: number;
  attempts: number;
  inFlight?: string;
}

export class HammerStrategy implements Strategy<HammerConfig> {
  readonly type = HAMMER_ID;
  private readonly orders = new OwnOrders();
  private readonly log = new WindowLog(HAMMER_ID);
  private readonly windows = new Map<string, WindowState>();

  constructor(public config: HammerConfig) {}

  updateConfig(config: HammerConfig): void {
    this.config = config;
  }

  /** Restart: adopted positions count as this window's entry (no second entry). */
  onStart(ctx: StrategyContext): Intent[] {
    for (const a of adoptPositions(ctx, this.orders, this.config)) this.log.traded(a.market.slug, 'adopted position');
    return [];
  }

  onStop(): Intent[] {
    return [];
  }

  private state(slug: string): WindowState {
    let s = this.windows.get(slug);
    if (!s) {
      s = { watched: false, lastEvalMs: -Infinity, attempts: 0 };
      setBounded(this.windows, slug, s);
    }
    return s;
  }

  onEvent(ev: StrategyEvent, ctx: StrategyContext): Intent[] {
    const own = this.orders.apply(ev);
    if (own) {
      const s = this.state(own.windowSlug);
      if (ev.kind === 'order.filled' && own.fills.length === 1) this.log.traded(own.windowSlug, `fok-filled@${own.price}`);
      if (own.status === 'done' && s.inFlight === own.clientTag) {
        s.inFlight = undefined;
        if (filledSize(own) === 0) this.log.skip(own.windowSlug, `fok-${own.endReason ?? 'done'}`);
      }
      return [];
    }
    if (ev.kind === 'window.closed') {
      const m = findMarket(ctx, ev.slug);
      const out = this.log.close(ctx, m, ev.slug, inSeries(m, this.config), this.config.enabled);
      this.windows.delete(ev.slug);
      this.orders.forget(ev.slug);
      return out;
    }
    if (!this.config.enabled) return [];
    if (ev.kind !== 'reference' && ev.kind !== 'book' && ev.kind !== 'tick') return [];
    const out: Intent[] = [];
    for (const m of marketsToEvaluate(ev, ctx, this.config.asset, this.config.windowSecs)) {
      if (!isTradable(m, ctx.nowMs)) continue;
      const s = this.state(m.slug);
      if (!s.watched) {
        const ret = trailingReturn(ctx.reference.history, ctx.nowMs, 60);
        if (ret !== undefined && Math.abs(ret) >= this.config.watchReturnThreshold) {
          s.watched = true;
          this.log.detail(m.slug, 'watchReturn', ret);
        }
      }
      const left = secondsLeft(m, ctx.nowMs);
      if (left > this.config.hammerSecs) continue;
      if (ctx.nowMs - s.lastEvalMs < this.config.minEvalIntervalMs) continue;
      s.lastEvalMs = ctx.nowMs;
      out.push(...this.evaluate(m, s, ctx));
    }
    return out;
  }

  private evaluate(m: MarketView, s: WindowState, ctx: StrategyContext): Intent[] {
    const c = this.config;
    const ref = ctx.reference.latest;
    const skip = (reason: string, extra: Parameters<typeof decision>[5] = {}): Intent[] => {
      this.log.skip(m.slug, reason);
      return [decision(ctx, HAMMER_ID, m, 'evaluated', reason, extra)];
    };
    if (!ref || ctx.reference.stale) return skip('stale-reference');
    if (m.priceToBeat === undefined) return skip('no-price-to-beat');
    const sig = sigmaLogPerSqrtSec(ctx.reference.history, ctx.nowMs, c.sigmaLookbackSec, c.minSigmaReturns);
    if (!sig) return skip('no-sigma');
    const fp = fairProb({
      model: c.pHatModel,
      spot: ref.price,
      priceToBeat: m.priceToBeat,
      sigmaLog: sig.sigmaLog,
      endMs: m.endMs,
      nowMs: ctx.nowMs,
      history: ctx.reference.history,
    });
    const d = ref.price - m.priceToBeat;
    const upAsk = bestAsk(m.up);
    const downAsk = bestAsk(m.down);
    const extraFee = c.extraFeeBps / 10_000;
    const upEv = upAsk !== undefined ? evOfBuy(fp.pHat, upAsk, m.fee, extraFee) : undefined;
    const downEv = downAsk !== undefined ? evOfBuy(1 - fp.pHat, downAsk, m.fee, extraFee) : undefined;
    const extra = {
      pHat: fp.pHat,
      z: fp.z,
      sigma: sig.sigmaLog * ref.price,
      distance: d,
      up: { pHat: fp.pHat, ...(upEv ?? {}) },
      down: { pHat: 1 - fp.pHat, ...(downEv ?? {}) },
      details: { model: c.pHatModel, watched: s.watched },
    };
    if (!s.watched) return skip('not-watched', extra);
    const entries = this.orders.forWindow(m.slug).filter((o) => filledSize(o) > 0).length; // voided fills excluded
    if (entries >= c.maxEntriesPerWindow) return skip('already-entered', extra);
    if (s.inFlight) return skip('order-in-flight', extra);
    if (s.attempts >= c.maxAttemptsPerWindow) return skip('max-attempts', extra);
    if (!m.up.fresh || !m.down.fresh) return skip('stale-book', extra);
    if (Math.abs(d) < c.dMin) return skip('|d|<D_MIN', extra);
    const sides: { outcome: 'up' | 'down'; e: SideEv; prob: number }[] = [];
    if (upEv && upEv.ev > 0) sides.push({ outcome: 'up', e: upEv, prob: fp.pHat });
    if (downEv && downEv.ev > 0) sides.push({ outcome: 'down', e: downEv, prob: 1 - fp.pHat });
    if (sides.length === 0) return skip('ev<=0', extra);
    const allowed = sides.filter((x) => x.e.ask <= c.maxEntryPrice + 1e-12);
    if (allowed.length === 0) return skip('ask>MAX_ENTRY_PRICE', extra);
    allowed.sort((a, b) => b.e.ev - a.e.ev);
    const best = allowed[0]!;
    const book = best.outcome === 'up' ? m.up : m.down;
    const sizing = sizeFok(book.asks, best.prob, m.fee, c.maxEntryPrice, c.quoteSizeUsd, c.maxUsdPerTrade, extraFee);
    if (!sizing) return skip('no-depth', extra);
    if (sizing.estShares < m.minOrderSize) return skip('depth<min-size', extra);
    s.attempts++;
    const tag = makeClientTag(ctx.strategyId, m.slug, 'fok', s.attempts);
    const place = {
      kind: 'place' as const,
      clientTag: tag,
      windowSlug: m.slug,
      tokenId: best.outcome === 'up' ? m.upTokenId : m.downTokenId,
      side: 'BUY' as const,
      price: sizing.limitPrice,
      usd: sizing.usd,
      orderType: 'FOK' as const,
      postOnly: false,
      reason: `hammer ${best.outcome} ev=${best.e.ev.toFixed(4)}`,
    };
    this.orders.track(place, 'fok', ctx.nowMs);
    s.inFlight = tag;
    return [
      place,
      decision(ctx, HAMMER_ID, m, 'evaluated', `fok-sent:${best.outcome}`, { ...extra, outcome: best.outcome }),
    ];
  }
}
