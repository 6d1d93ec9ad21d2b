/**
 * Metrics read from the running venue session at scrape time (no cost on the event path): feeds (last-message age,
 * msgs/s, stale and connected flags, reconnects and bad frames), orders by state, PnL (total, today, unrealised; per
 * strategy as the Orders page folds it), exposure (total, per strategy, the limits) and readiness.
 *
 * Feed counters survive restarts: every start builds new sockets whose own counts begin at 0, so the count of the
 * sockets a start replaced is banked and added (a counter never goes down while the process lives).
 *
 * Invariants: read-only; gauges that describe the session are emptied when there is none (a stopped bot reports no
 * feed ages rather than stale ones); label sets bounded (5 feeds, 8 states, at most `ordersLimits.strategies`
 * strategies); figures are the ones the dashboard and the Orders page show (same read models).
 */
import 'server-only';
import { Counter, Gauge, type Metric } from 'prom-client';
import type { Runtime } from '../../bot/runtime';
import { workingBuyUsd } from '../../bot/host/risk-view';
import { orderStates } from '../schemas/events';
import type { TradingSnapshot } from '../schemas/trading';
import { runtimeReadiness } from './health';
import { buildOrders } from './orders-route';

type Stack = NonNullable<NonNullable<Runtime['session']>['stack']>;
interface FeedHealthLike {
  readonly state: string;
  readonly stale: boolean;
  readonly reconnects: number;
  readonly badFrames: number;
  ageMs(): number | undefined;
  msgsPerSec(): number;
}

/** The session's feeds by name (the user feed only in live mode, the reference only with credentials). */
function sessionFeeds(stack: Stack): [string, FeedHealthLike][] {
  const out: [string, FeedHealthLike][] = [['clob-market', stack.marketFeed.conn.health], ['spot', stack.spotFeed.conn.health]];
  if (stack.refFeed) out.push([stack.referenceFeed, stack.refFeed.conn.health]);
  if (stack.userFeed) out.push(['clob-user', stack.userFeed.conn.health]);
  return out;
}

/** A per-feed count that restarts at 0 with every new socket, made monotone over the process's life. */
class FeedCountBank {
  private readonly slots = new Map<string, { health: FeedHealthLike; banked: number }>();
  constructor(private readonly read: (h: FeedHealthLike) => number) {}

  /** Totals per feed ever seen, given the feeds of the current session (empty when there is none). */
  totals(current: readonly [string, FeedHealthLike][]): Map<string, number> {
    for (const [feed, health] of current) {
      const slot = this.slots.get(feed);
      if (!slot) this.slots.set(feed, { health, banked: 0 });
      else if (slot.health !== health) {
        slot.banked += this.read(slot.health);
        slot.health = health;
      }
    }
    const out = new Map<string, number>();
    for (const [feed, slot] of this.slots) out.set(feed, slot.banked + this.read(slot.health));
    return out;
  }
}

const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

function strategyExposure(runtime: Runtime, stack: Stack): Map<string, number> {
  const out = new Map<string, number>();
  const host = runtime.session?.host;
  for (const s of runtime.config.strategies) {
    const held = host?.positions.costUsd(undefined, s.id) ?? 0;
    out.set(s.id, r6(held + workingBuyUsd(stack.tracker.open(s.id))));
  }
  return out;
}

export function createTradingMetrics(runtime: () => Runtime): Metric[] {
  const gauge = (name: string, help: string, labelNames: string[], collect: (g: Gauge, rt: Runtime, stack: Stack | undefined) => void) =>
    new Gauge({
      name, help, labelNames, registers: [],
      collect() {
        this.reset();
        const rt = runtime();
        collect(this, rt, rt.session?.stack);
      },
    });
  const perFeed = (fn: (h: FeedHealthLike) => number | undefined) => (g: Gauge, _rt: Runtime, stack: Stack | undefined) => {
    if (!stack) return;
    for (const [feed, h] of sessionFeeds(stack)) {
      const v = fn(h);
      if (v !== undefined && Number.isFinite(v)) g.set({ feed }, v);
    }
  };
  const banked = (name: string, help: string, read: (h: FeedHealthLike) => number) => {
    const bank = new FeedCountBank(read);
    return new Counter({
      name, help, labelNames: ['feed'], registers: [],
      collect() {
        const stack = runtime().session?.stack;
        this.reset();
        for (const [feed, total] of bank.totals(stack ? sessionFeeds(stack) : [])) this.inc({ feed }, total);
      },
    });
  };
  // The read models cost a pass over the tracker: built once per scrape (same bus seq, same clock second), read by several.
  const stamp = (rt: Runtime) => `${rt.instanceId}:${rt.bus.stats.lastSeq}:${Math.floor(rt.clock.nowMs() / 1000)}`;
  let snapCache: { key: string; pnl: TradingSnapshot['pnl'] } | undefined;
  const pnl = (rt: Runtime) => {
    const key = stamp(rt);
    if (snapCache?.key !== key) snapCache = { key, pnl: rt.views.trading.snapshot().pnl };
    return snapCache.pnl;
  };
  let pnlCache: { key: string; rows: ReturnType<typeof buildOrders>['strategies'] } | undefined;
  const strategyPnl = (rt: Runtime, stack: Stack) => {
    const key = stamp(rt);
    if (pnlCache?.key === key) return pnlCache.rows;
    const seq = rt.bus.stats.lastSeq;
    const res = buildOrders(
      {
        nowMs: rt.clock.nowMs(), seq, source: 'session', orders: stack.tracker.all(), fills: stack.tracker.allFills(), positions: stack.tracker.positions.all(),
        outcomeOf: () => null,
        bidOf: (tokenId) => stack.marketFeed.book(tokenId)?.bestBid(),
        winnerOf: (slug) => stack.catalog.get(slug)?.winningTokenId,
      },
      1,
    );
    pnlCache = { key, rows: res.strategies };
    return res.strategies;
  };

  return [
    gauge('updown_feed_last_message_age_seconds', 'Age of the last data message per feed (runtime clock; absent before the first message)', ['feed'], perFeed((h) => {
      const a = h.ageMs();
      return a === undefined ? undefined : Math.max(0, a) / 1000;
    })),
    gauge('updown_feed_messages_per_second', 'Data messages per second per feed (last 5 s, runtime clock)', ['feed'], perFeed((h) => h.msgsPerSec())),
    gauge('updown_feed_stale', 'Feed stale (1) or fresh (0): not open, or silent longer than the stale bound', ['feed'], perFeed((h) => (h.stale ? 1 : 0))),
    gauge('updown_feed_connected', 'Feed socket open (1) or not (0)', ['feed'], perFeed((h) => (h.state === 'open' ? 1 : 0))),
    banked('updown_feed_reconnects_total', 'Feed socket reconnects since the process started', (h) => h.reconnects),
    banked('updown_feed_bad_frames_total', 'Feed frames (or elements) that failed to parse since the process started', (h) => h.badFrames),
    gauge('updown_orders', 'Orders the tracker holds by state (open ones and retained terminal ones; absent while stopped)', ['state'], (g, _rt, stack) => {
      if (!stack) return;
      const counts = new Map<string, number>(orderStates.map((s) => [s, 0]));
      for (const o of stack.tracker.all()) counts.set(o.state, (counts.get(o.state) ?? 0) + 1);
      for (const [state, n] of counts) g.set({ state }, n);
    }),
    gauge('updown_orders_open', 'Orders not in a terminal state (created, submitted, live, partial, unknown)', [], (g, _rt, stack) => {
      if (stack) g.set(stack.tracker.open().length);
    }),
    gauge('updown_pnl_realized_usd', 'Realised PnL in pUSD of every position the ledger holds (fees included, settlements booked)', [], (g, rt) => {
      g.set(pnl(rt).realizedTotalUsd);
    }),
    gauge('updown_pnl_realized_today_usd', 'Realised PnL of the UTC day in pUSD (the persisted risk day the daily-loss limit reads)', [], (g, rt) => {
      g.set(pnl(rt).realizedTodayUsd);
    }),
    gauge('updown_pnl_unrealized_usd', 'Unrealised PnL in pUSD of open positions marked at the best bid (absent when a book is missing)', [], (g, rt) => {
      const u = pnl(rt).unrealizedUsd;
      if (u !== null) g.set(u);
    }),
    gauge('updown_strategy_pnl_realized_usd', 'Realised PnL per strategy in pUSD (its fills folded per window and token, settlements paid; as the Orders page)', ['strategy'], (g, rt, stack) => {
      if (stack) for (const r of strategyPnl(rt, stack)) g.set({ strategy: r.strategyId }, r.realizedUsd);
    }),
    gauge('updown_strategy_pnl_unrealized_usd', 'Unrealised PnL per strategy in pUSD at the best bid (absent when a book is missing)', ['strategy'], (g, rt, stack) => {
      if (stack) for (const r of strategyPnl(rt, stack)) if (r.unrealizedUsd !== null) g.set({ strategy: r.strategyId }, r.unrealizedUsd);
    }),
    gauge('updown_exposure_usd', 'Exposure in pUSD: cost basis of unsettled positions plus the notional of working BUY orders', [], (g, rt) => {
      g.set(pnl(rt).exposureUsd);
    }),
    gauge('updown_strategy_exposure_usd', "Exposure per strategy in pUSD (its positions' cost basis plus its working BUY orders: what the risk engine's budget reads)", ['strategy'], (g, rt, stack) => {
      if (stack) for (const [strategy, usd] of strategyExposure(rt, stack)) g.set({ strategy }, usd);
    }),
    gauge('updown_exposure_limit_usd', 'The risk limit on total exposure in pUSD (risk.maxTotalExposureUsd)', [], (g, rt) => {
      const v = pnl(rt).maxTotalExposureUsd;
      if (v !== null) g.set(v);
    }),
    gauge('updown_daily_loss_limit_usd', 'The daily realised-loss limit in pUSD (risk.maxDailyLossUsd)', [], (g, rt) => {
      const v = pnl(rt).maxDailyLossUsd;
      if (v !== null) g.set(v);
    }),
    gauge('updown_ready', 'Ready (1) as /api/ready answers: running, reconciled with the venue, required feeds fresh', [], (g, rt) => {
      g.set(runtimeReadiness(rt).ready ? 1 : 0);
    }),
  ];
}
