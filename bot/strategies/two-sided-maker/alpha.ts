/**
 * MakerAlpha: the seed-003 additions of the two-sided maker glued together (issue 14). It owns the bounded online
 * state (per window: regime ring, competitor trackers; per instance: markout tracker, time patterns, toxic pause)
 * and turns the config flags plus what it observed into adjustments of the core quote:
 *   spread = clamp(volSpread × spreadMult + spreadAdd, MIN_SPREAD, MAX_ALPHA_SPREAD), size × sizeMult,
 *   per side: competitor price response, Kelly size; `paused` while markouts are very toxic.
 * Every reading is computed whatever its flag (cheap) and reported with active = flag; only active readings change
 * the quote, so with every flag off the quote is exactly the SPEC core quote.
 * Invariants: bounded state; deterministic (time only from the caller's nowMs); `key` changes whenever an active
 * discrete state changes, so the strategy requotes on it.
 */
import type { SignalReading } from '../../../lib/schemas/events/strategy';
import type { BookView, MarketView } from '../context';
import { setBounded } from '../common/bounded';
import * as mk from '../common/market';
import type { TwoSidedMakerConfig } from './config';
import type { FlowTrade } from './quoting';
import { bookImbalance, flowWidening, orderFlowImbalance } from './flow';
import { RegimeWindow, type Regime, classifyRegime, regimeMultipliers } from './regime';
import { CompetitorTracker, competitorResponse } from './competitor';
import { TimePatterns, timeKey } from './time-pattern';
import { MarkoutTracker, type MarkoutAction, markoutAction } from './markout';
import { kellyShares } from './kelly';

export const MAX_ALPHA_SPREAD = 0.5;
const f3 = (x: number) => (x >= 0 ? '+' : '') + x.toFixed(3);

export interface WindowAlpha {
  readonly regime: RegimeWindow;
  readonly comp: { up: CompetitorTracker; down: CompetitorTracker };
  lastSnapMs?: number;
}

export const newWindowAlpha = (): WindowAlpha => ({ regime: new RegimeWindow(), comp: { up: new CompetitorTracker(), down: new CompetitorTracker() } });

export interface Assessment {
  readonly spreadAdd: number;
  readonly spreadMult: number;
  readonly sizeMult: number;
  readonly paused: boolean;
  readonly regime: Regime;
  readonly toxicity: number;
  readonly markout: MarkoutAction;
  readonly key: string;
  /** Built only when a signal is emitted (hot path stays allocation-light). */
  readonly readings: () => SignalReading[];
  readonly why: string[];
}

export interface SidePlan {
  readonly price: number;
  readonly size: number;
  readonly readings: () => SignalReading[];
}

export class MakerAlpha {
  markouts: MarkoutTracker;
  readonly time = new TimePatterns();
  private pausedUntilMs = Number.NEGATIVE_INFINITY;
  private pauseSamples = -1;
  private readonly tokenWindows = new Map<string, { startMs: number; windowSec: number }>();

  constructor(private c: TwoSidedMakerConfig) {
    this.markouts = new MarkoutTracker(c.markoutHorizonsSec);
  }

  sync(c: TwoSidedMakerConfig): void {
    if (c.markoutHorizonsSec.join() !== this.c.markoutHorizonsSec.join()) this.markouts = new MarkoutTracker(c.markoutHorizonsSec);
    this.time.resize(c.timeWindowBuckets);
    this.c = c;
  }

  private key(m: MarketView, tsMs: number) {
    return timeKey(m.startMs, m.windowSec, tsMs, this.c.timeWindowBuckets);
  }

  onFill(m: MarketView, book: BookView, side: 'BUY' | 'SELL', price: number, size: number, nowMs: number): void {
    const mid = mk.mid(book);
    setBounded(this.tokenWindows, book.tokenId, { startMs: m.startMs, windowSec: m.windowSec }, 256);
    if (mid !== undefined) this.markouts.onFill({ tsMs: nowMs, tokenId: book.tokenId, side, price, size }, mid);
  }

  onTrade(m: MarketView, nowMs: number, size: number): void {
    this.time.observeVolume(this.key(m, nowMs), size);
  }

  /** Feed mids (markouts → time buckets), one regime/time snapshot per second, and competitor touches. */
  observe(m: MarketView, w: WindowAlpha, nowMs: number, upMid: number, downMid: number): void {
    for (const [tokenId, mid] of [[m.upTokenId, upMid], [m.downTokenId, downMid]] as const) {
      for (const done of this.markouts.onMid(tokenId, nowMs, mid)) {
        const tw = this.tokenWindows.get(tokenId);
        if (tw) this.time.observeMarkout(timeKey(tw.startMs, tw.windowSec, done.fill.tsMs, this.c.timeWindowBuckets), done.markout);
      }
    }
    w.comp.up.onTouch(nowMs, mk.bestBid(m.up), this.c.competitorReactSec);
    w.comp.down.onTouch(nowMs, mk.bestBid(m.down), this.c.competitorReactSec);
    if (w.lastSnapMs !== undefined && nowMs - w.lastSnapMs < 1000) return;
    w.lastSnapMs = nowMs;
    const spread = (mk.bestAsk(m.up) ?? 1) - (mk.bestBid(m.up) ?? 0);
    const b = bookImbalance(m.up, m.down, this.c.bookDepthLevels);
    w.regime.push({ spread, depth: b.depth, imbalance: b.imbalance }, this.c.regimeWindowSize);
    this.time.observeSpread(this.key(m, nowMs), spread);
  }

  assess(m: MarketView, w: WindowAlpha, trades: readonly FlowTrade[], nowMs: number): Assessment {
    const c = this.c;
    const why: string[] = [];
    let spreadAdd = 0;
    let spreadMult = 1;
    let sizeMult = 1;
    let key = '';

    const ofi = orderFlowImbalance(trades, nowMs, c.ofiWindowSec, c.ofiThreshold, c.ofiMinShares);
    const book = bookImbalance(m.up, m.down, c.bookDepthLevels);
    const fw = flowWidening(ofi, book, c);
    if (c.enableFlowSignals) {
      spreadAdd += fw.spreadAdd;
      key += `f${+fw.ofiTriggered}${+fw.bookTriggered}`;
      if (fw.ofiTriggered) why.push(`OFI ${f3(ofi.ofi)}`);
      if (fw.bookTriggered) why.push(`book imb ${f3(book.imbalance)}`);
    }

    const st = w.regime.stats();
    const regime = classifyRegime(st, c);
    const rm = regimeMultipliers(regime, c);
    if (c.enableRegime) {
      spreadMult *= rm.spreadMult;
      sizeMult *= rm.sizeMult;
      key += `|r${regime}`;
      if (regime !== 'normal') why.push(`regime ${regime}`);
    }

    const tr = this.time.read(this.key(m, nowMs), c);
    if (c.enableTimePatterns) {
      if (tr.toxic) spreadAdd += c.timeWiden;
      key += `|t${+tr.toxic}`;
      if (tr.toxic) why.push('toxic time bucket');
    }

    const ms = this.markouts.toxicity();
    let action = markoutAction(ms, c);
    let paused = false;
    if (c.enableMarkoutGuard) {
      if (action === 'pause' && ms.samples !== this.pauseSamples) {
        this.pausedUntilMs = nowMs + c.adversePauseSec * 1000;
        this.pauseSamples = ms.samples;
      }
      paused = nowMs < this.pausedUntilMs;
      if (!paused && action === 'pause') action = 'widen'; // no new markouts since the last pause: widen, not pause again
      if (action !== 'none') spreadAdd += c.markoutWiden;
      key += `|m${action}${+paused}`;
      if (paused) why.push(`paused: toxicity ${ms.toxicity.toFixed(2)}`);
      else if (action !== 'none') why.push(`toxicity ${ms.toxicity.toFixed(2)}`);
    }
    if (c.enableCompetitor) key += `|c${mk.bestBid(m.up)}/${mk.bestBid(m.down)}`;

    const dir = (x: number) => (x > 0 ? 1 : x < 0 ? -1 : 0) as -1 | 0 | 1;
    const readings = (): SignalReading[] => [
      { id: 'flowImbalance', value: ofi.ofi, direction: dir(ofi.ofi), strength: Math.min(1, Math.abs(ofi.ofi)), active: c.enableFlowSignals,
        state: ofi.triggered ? 'imbalanced' : 'balanced', effect: c.enableFlowSignals && ofi.triggered ? `spread +${c.ofiWiden.toFixed(3)}` : 'none' },
      { id: 'bookImbalance', value: book.imbalance, direction: dir(book.imbalance), strength: Math.min(1, Math.abs(book.imbalance)), active: c.enableFlowSignals,
        state: fw.bookTriggered ? 'imbalanced' : 'balanced', effect: c.enableFlowSignals && fw.bookTriggered ? `spread +${c.bookImbalanceWiden.toFixed(3)}` : 'none' },
      { id: 'regime', value: st.meanSpread, state: regime, confidence: Math.min(1, st.n / c.regimeWindowSize), active: c.enableRegime,
        effect: c.enableRegime ? `spread ×${rm.spreadMult.toFixed(2)} size ×${rm.sizeMult.toFixed(2)}` : 'none' },
      { id: 'timeOfWindow', value: Math.max(tr.window.toxicity, tr.hour.toxicity), state: `w${tr.key.window} h${tr.key.hour}${tr.toxic ? ' toxic' : ''}`,
        confidence: Math.min(1, tr.window.markouts / c.timeMinSamples), active: c.enableTimePatterns,
        effect: c.enableTimePatterns && tr.toxic ? `spread +${c.timeWiden.toFixed(3)}` : 'none' },
      { id: 'markout', value: ms.toxicity, state: paused ? 'paused' : action, confidence: Math.min(1, ms.samples / c.markoutMinSamples),
        active: c.enableMarkoutGuard, effect: !c.enableMarkoutGuard || action === 'none' ? 'none' : paused ? 'paused' : `spread +${c.markoutWiden.toFixed(3)}` },
    ];
    return { spreadAdd, spreadMult, sizeMult, paused, regime, toxicity: ms.toxicity, markout: action, key, readings, why };
  }

  /** Competitor response and Kelly size for one side's bid (model price from quotePrices). */
  side(
    o: 'up' | 'down', m: MarketView, w: WindowAlpha, modelBid: number, fairSide: number, baseSize: number,
    ownRemaining: number, minSpread: number,
  ): SidePlan {
    const c = this.c;
    const b = mk.bookOf(m, o);
    const respond = () => {
      const stats = w.comp[o].stats();
      const levelSize = b.bids.find((l) => Math.abs(l.price - modelBid) < 1e-9)?.size ?? 0;
      const r = competitorResponse({
        modelBid, bestBid: mk.bestBid(b), bestAsk: mk.bestAsk(b), othersAtLevel: Math.max(0, levelSize - ownRemaining),
        fair: fairSide, minSpread, tick: m.tickSize, stats,
      }, c);
      return { stats, r };
    };
    // Computed on the hot path only when it acts; otherwise lazily for the signal.
    const acted = c.enableCompetitor ? respond() : undefined;
    const price = acted ? acted.r.price : modelBid;
    const k = kellyShares(fairSide, price, { kellyFraction: c.kellyFraction, kellyBankrollUsd: c.kellyBankrollUsd, cap: baseSize, minOrderSize: m.minOrderSize });
    const readings = (): SignalReading[] => {
      const { stats, r } = acted ?? respond();
      return [
      { id: `competitor:${o}`, value: stats.medianRequoteSec ?? 0, state: r.state, strength: stats.pennyShare, active: c.enableCompetitor,
        effect: c.enableCompetitor && r.price !== modelBid ? `bid ${modelBid.toFixed(3)}→${r.price.toFixed(3)}` : 'none' },
      { id: `kelly:${o}`, value: k.fStar, strength: Math.min(1, k.fStar), active: c.enableKelly, effect: c.enableKelly ? `size ${k.shares.toFixed(2)}` : 'none' },
      ];
    };
    return { price, size: c.enableKelly ? k.shares : baseSize, readings };
  }
}
