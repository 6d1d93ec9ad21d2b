/**
 * The Strategy page's live overlay (pure, browser-safe): `strategy.decision` events from the SSE stream folded into a
 * bounded list (reduceLive, for useCoalescedEvents), and laid over the last GET /api/strategy response (mergeLive):
 * decisions newer than the response's `seq` are prepended, counted and sampled into the series with the same
 * `appendPoint` the server uses, so a refetch lands on the same picture.
 *
 * Invariants: the live list is bounded (LIVE_MAX); nothing at or below the snapshot's seq is applied twice; the
 * merged detail keeps the schema's bounds (decisions ≤ strategyViewLimits.decisions, newest first).
 */
import type { BotEvent, DecisionRecord } from '../../lib/schemas/events';
import { appendPoint, pointOf, seriesKeyOf, strategyViewLimits, type StrategyDetail } from '../../lib/schemas/strategy-view';

export const LIVE_MAX = 500;

export interface LiveDecision {
  seq: number;
  record: DecisionRecord;
}

export interface LiveState {
  decisions: readonly LiveDecision[];
  /** Bumped by order / fill / position / resolution events: the page refetches (throttled) when it moves. */
  activity: number;
}

export const initialLive = (): LiveState => ({ decisions: [], activity: 0 });

const ACTIVITY = new Set<BotEvent['type']>(['order.state', 'order.filled', 'order.fill_confirmed', 'order.fill_voided', 'market.resolved', 'config.changed']);

/** Fold one bus event (undefined: not relevant, no re-render). */
export function reduceLive(s: LiveState, e: BotEvent): LiveState | undefined {
  if (e.type === 'strategy.decision') {
    const decisions = s.decisions.length >= LIVE_MAX ? s.decisions.slice(s.decisions.length - LIVE_MAX + 1) : s.decisions.slice();
    decisions.push({ seq: e.seq, record: e.record });
    return { ...s, decisions };
  }
  if (ACTIVITY.has(e.type)) return { ...s, activity: s.activity + 1 };
  return undefined;
}

/** The detail with the live decisions of its instance that are newer than `seq` laid over it. */
export function mergeLive(d: StrategyDetail, seq: number, live: readonly LiveDecision[]): StrategyDetail {
  const fresh = live.filter((x) => x.seq > seq && x.record.strategyId === d.id);
  if (fresh.length === 0) return d;
  const counts = { ...d.counts };
  const series = d.series.map((s) => ({ key: s.key, points: s.points.slice() }));
  for (const x of fresh) {
    counts[x.record.action]++;
    const p = pointOf(x.record);
    if (!p) continue;
    const key = seriesKeyOf(x.record.windowSlug);
    let s = series.find((y) => y.key === key);
    if (!s && series.length < strategyViewLimits.series) {
      s = { key, points: [] };
      series.push(s);
    }
    if (s) appendPoint(s.points, p);
  }
  const newest = fresh.map((x) => ({ seq: x.seq, record: x.record, winner: null })).reverse();
  const decisions = [...newest, ...d.decisions].slice(0, strategyViewLimits.decisions);
  return { ...d, type: d.type ?? fresh[0]!.record.strategyType, counts, series, decisions };
}
