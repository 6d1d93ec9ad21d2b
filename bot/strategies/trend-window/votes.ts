/**
 * The six signal votes of trend-window for one window at one instant (pure: reads the context, never writes it).
 *
 * In-venue signals (signals.ts gives their scores): direction = sign(score), strength = |score|, and
 * - bookImbalance confidence = depth on the counted levels of both books / bookDepthForConfidence, capped at 1;
 * - tickVelocity confidence = how much of the lookback the mid history covers (1 when it spans it all);
 * - divergence and spike confidence = returns in the σ estimate / 60 (one full minute of 1 s reference samples),
 *   0 readings when the reference is stale (then they are unavailable).
 * External signals (putCallRatio, fearGreed) come from ctx.external, filled by the runtime's poller: value = the
 * source's raw figure when given, direction / strength / confidence as the source mapped them (defaults: sign and
 * |value| of the score, confidence 1); missing → 'absent', older than externalMaxAgeSec → 'stale' (unavailable).
 */
import type { MarketView, PriceSample, StrategyContext } from '../context';
import * as mk from '../common/market';
import { fairProb } from '../hammer/fair-prob';
import { sigmaLogPerSqrtSec } from '../hammer/sigma';
import { EXTERNAL_TREND_SIGNALS, type TrendSignalId, type TrendWindowConfig } from './config';
import { splitScore, type SignalVote } from './fusion';
import { bookImbalance, divergence, spike, tickVelocity } from './signals';

const clamp01 = (x: number): number => Math.max(0, Math.min(1, x));
const SIGMA_FULL_RETURNS = 60;

function depth(m: MarketView, levels: number): number {
  let sum = 0;
  for (const b of [m.up, m.down]) for (let i = 0; i < levels; i++) sum += (b.bids[i]?.size ?? 0) + (b.asks[i]?.size ?? 0);
  return sum;
}

function historySpanSec(mids: readonly PriceSample[], nowMs: number): number {
  const first = mids[0];
  return first ? Math.max(0, (nowMs - first.tsMs) / 1000) : 0;
}

function inVenue(id: TrendSignalId, score: number | undefined, confidence: number, weight: number): SignalVote {
  if (score === undefined || !Number.isFinite(score)) return { id, direction: 0, strength: 0, confidence: 0, weight, available: false, state: 'no-data' };
  return { id, value: score, ...splitScore(score), confidence: clamp01(confidence), weight, available: true };
}

function external(id: TrendSignalId, ctx: StrategyContext, c: TrendWindowConfig): SignalVote {
  const weight = c.weights[id];
  const v = ctx.external?.get(id);
  if (!v || !Number.isFinite(v.value)) return { id, direction: 0, strength: 0, confidence: 0, weight, available: false, state: 'absent' };
  const value = v.raw !== undefined && Number.isFinite(v.raw) ? v.raw : v.value;
  if (ctx.nowMs - v.tsMs > c.externalMaxAgeSec * 1000) return { id, value, direction: 0, strength: 0, confidence: 0, weight, available: false, state: 'stale' };
  const split = splitScore(v.value);
  return {
    id,
    value,
    direction: v.direction ?? split.direction,
    strength: clamp01(v.strength ?? split.strength),
    confidence: clamp01(v.confidence ?? 1),
    weight,
    available: true,
  };
}

/** Votes in TREND_SIGNAL_IDS order; `mids` is the window's Up-mid history. */
export function trendVotes(m: MarketView, ctx: StrategyContext, c: TrendWindowConfig, mids: readonly PriceSample[]): SignalVote[] {
  const w = c.weights;
  const hist = ctx.reference.history;
  const sig = ctx.reference.stale ? undefined : sigmaLogPerSqrtSec(hist, ctx.nowMs, 60, 20);
  const ref = ctx.reference.latest;
  const pModel =
    sig && ref && m.priceToBeat !== undefined
      ? fairProb({ model: 'twap', spot: ref.price, priceToBeat: m.priceToBeat, sigmaLog: sig.sigmaLog, endMs: m.endMs, nowMs: ctx.nowMs, history: hist }).pHat
      : undefined;
  const sigmaConfidence = sig ? sig.n / SIGMA_FULL_RETURNS : 0;
  return [
    inVenue('bookImbalance', bookImbalance(m.up, m.down, c.bookLevels), depth(m, c.bookLevels) / c.bookDepthForConfidence, w.bookImbalance),
    inVenue('tickVelocity', tickVelocity(mids, ctx.nowMs, c.velocityLookbackSec, c.velocityScale), historySpanSec(mids, ctx.nowMs) / c.velocityLookbackSec, w.tickVelocity),
    inVenue('divergence', divergence(pModel, mk.mid(m.up), c.divergenceScale), sigmaConfidence, w.divergence),
    inVenue('spike', spike(hist, ctx.nowMs, c.spikeLookbackSec, sig?.sigmaLog, c.spikeZ), sigmaConfidence, w.spike),
    ...EXTERNAL_TREND_SIGNALS.map((id) => external(id, ctx, c)),
  ];
}
