/**
 * The dashboard's trading snapshot (GET /api/trading): one entry per configured series (current and next window with
 * the books' top of book, last resolved window; trading-series.ts), per asset its reference and spot prices with their
 * freshness, the latest correlation estimate, feed health, PnL and exposure, open orders, recent fills, positions and
 * alerts, read from the running venue session and a small event log. A read model owned by the runtime
 * (`runtime.views.trading`), created with it: it reads the runtime through the narrow `TradingSource` and never imports
 * the root.
 *
 * The event log keeps what the session does not hold: the latest `feed.health` per feed, the degraded flag, the
 * last resolved window per series (the catalog is rebuilt on every start), the latest `risk.correlation`, the latest
 * `risk.balance` (the dashboard's Balance figure, with the drawdown trigger's threshold from the live risk config) and
 * a bounded alert list. It is seeded from the bus history and subscribed in the same synchronous turn, so nothing falls in between.
 *
 * Invariants: read-only (nothing here changes the runtime); no secrets (no credentials, keys or endpoints); every
 * list bounded by `tradingLimits`; the output parses with `tradingSnapshotSchema` (checked in tests).
 */

import { parseSlug } from '../markets';
import { workingBuyUsd } from '../host/risk-view';
import type { EventBus } from '../bus';
import type { Clock } from '../clock';
import type { RiskConfig, RuntimeConfig } from '../../lib/schemas/config';
import type { BotEvent, EventOf, RuntimeState } from '../../lib/schemas/events';
import { alertFromEvent, correlationFromEvent, tradingLimits, type Alert, type BalanceView, type CorrelationView, type FeedName, type FeedRow, type PnlView, type TradingSnapshot } from '../../lib/schemas/trading';
import { type VenueSession } from '../session';
import { assetViews, ResolvedLog, seriesViews } from './trading-series';

const DAY_MS = 86_400_000;

interface EventLog {
  instanceId: string;
  feeds: Map<FeedName, EventOf<'feed.health'>>;
  degraded: EventOf<'feed.degraded'> | undefined;
  resolved: ResolvedLog;
  correlation: CorrelationView | undefined;
  balance: EventOf<'risk.balance'> | undefined;
  alerts: Alert[];
  /** PnL, fills and positions as last read from a running stack (shown, marked as such, while the bot is stopped). */
  lastTrading: { pnl: PnlView; fills: TradingSnapshot['fills']; positions: TradingSnapshot['positions']; atMs: number } | undefined;
  /** Runtime state as of the last `runtime.state` event seen (feeds going stale on a stop are not alerts). */
  runtimeState: RuntimeState | undefined;
  unsubscribe: () => void;
}

/** What the snapshot reads from the runtime (a Runtime satisfies it structurally). */
export interface TradingSource {
  readonly instanceId: string;
  readonly bus: EventBus;
  readonly clock: Clock;
  readonly config: Pick<RuntimeConfig, 'mode' | 'venue' | 'series' | 'sim' | 'risk'>;
  status(): { state: RuntimeState; mode: string; venue: string };
  readonly session:
    | { readonly stack: VenueSession | undefined; readonly riskEngine: { readonly config: RiskConfig }; readonly riskDay: { realizedTodayUsd(): number } }
    | undefined;
}

function record(log: EventLog, e: BotEvent): void {
  switch (e.type) {
    case 'feed.health':
      log.feeds.set(e.feed, e);
      return;
    case 'feed.degraded':
      log.degraded = e;
      break;
    case 'runtime.state':
      log.runtimeState = e.state;
      return;
    case 'market.discovered':
      log.resolved.onDiscovered(e);
      return;
    case 'market.resolved':
      log.resolved.onResolved(e);
      return;
    case 'risk.correlation':
      log.correlation = correlationFromEvent(e);
      return;
    case 'risk.balance':
      log.balance = e;
      return;
  }
  const a = alertFromEvent(e, log.runtimeState);
  if (a) {
    log.alerts.push(a);
    if (log.alerts.length > tradingLimits.alerts) log.alerts.splice(0, log.alerts.length - tradingLimits.alerts);
  }
}

/** A new event log for this runtime, seeded from the bus history and subscribed in the same turn. */
function createEventLog(runtime: TradingSource): EventLog {
  const log: EventLog = { instanceId: runtime.instanceId, feeds: new Map(), degraded: undefined, resolved: new ResolvedLog(), correlation: undefined, balance: undefined, alerts: [], lastTrading: undefined, runtimeState: undefined, unsubscribe: () => {} };
  for (const e of runtime.bus.history.recent(runtime.bus.history.size)) record(log, e);
  log.unsubscribe = runtime.bus.onAny((e) => {
    try {
      record(log, e);
    } catch {
      // never let the dashboard's log break the bus
    }
  });
  return log;
}

/** The runtime's trading read model: one event log for the runtime's life, a snapshot on demand. */
export class TradingView {
  private readonly log: EventLog;
  constructor(private readonly source: TradingSource) {
    this.log = createEventLog(source);
  }
  snapshot(): TradingSnapshot {
    return buildSnapshot(this.source, this.log);
  }
  dispose(): void {
    this.log.unsubscribe();
  }
}

function feedRows(runtime: TradingSource, stack: VenueSession | undefined, log: EventLog): FeedRow[] {
  const refName: FeedName = stack
    ? stack.referenceFeed
    : log.feeds.has('polybolt') && (!log.feeds.has('rtds') || log.feeds.get('polybolt')!.seq > log.feeds.get('rtds')!.seq)
      ? 'polybolt'
      : log.feeds.has('rtds')
        ? 'rtds'
        : 'polybolt';
  const names: FeedName[] = ['clob-market', refName, 'spot', 'clob-user'];
  return names.map((feed) => {
    const used = feed === 'clob-user' ? runtime.config.mode === 'live' : true;
    const e = log.feeds.get(feed);
    if (!used) return { feed, used, state: 'idle', lastMsgAgeMs: null, msgsPerSec: 0, reconnects: 0, stale: false, badFrames: 0, reportedMs: null, seq: 0 };
    if (feed === refName && stack && !stack.refFeed) {
      // No CLOB API credentials (and no explicit RTDS choice): there is no reference feed at all – never "connecting".
      return { feed, used, state: 'idle', lastMsgAgeMs: null, msgsPerSec: 0, reconnects: 0, stale: true, badFrames: 0, reportedMs: null, seq: 0, note: 'off: no CLOB API credentials (npm run keys -- --new-wallet)' };
    }
    if (!stack || !e) {
      return { feed, used, state: stack ? 'connecting' : 'closed', lastMsgAgeMs: null, msgsPerSec: 0, reconnects: e?.reconnects ?? 0, stale: used, badFrames: e?.badFrames ?? 0, reportedMs: e?.tsEventMs ?? null, seq: e?.seq ?? 0 };
    }
    return { feed, used, state: e.state, lastMsgAgeMs: e.lastMsgAgeMs ?? null, msgsPerSec: e.msgsPerSec, reconnects: e.reconnects, stale: e.stale, badFrames: e.badFrames, reportedMs: e.tsEventMs, seq: e.seq };
  });
}

const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * The dashboard's Balance figure from the latest `risk.balance` (undefined fields become null). The paper ledger is
 * read when the event is published, so a paper balance without `readAtMs` was read at the event's own time.
 */
export function balanceView(e: EventOf<'risk.balance'>, dropAlertPct: number): BalanceView {
  return {
    source: e.source, balanceUsd: e.balanceUsd ?? null, availableUsd: e.availableUsd ?? null, workingBuyUsd: e.workingBuyUsd, positionValueUsd: e.positionValueUsd,
    equityUsd: e.equityUsd ?? null, highUsd: e.highUsd ?? null, drawdown: e.drawdown ?? null, readAtMs: e.readAtMs ?? (e.source === 'paper' && e.balanceUsd !== undefined ? e.tsRecvMs : null), error: e.error?.slice(0, 300) ?? null,
    reportedMs: e.tsRecvMs, dropAlertPct,
  };
}

function outcomeOf(stack: VenueSession, tokenId: string): 'up' | 'down' | null {
  const r = stack.catalog.byToken(tokenId);
  return r ? (r.upTokenId === tokenId ? 'up' : 'down') : null;
}

function buildSnapshot(runtime: TradingSource, log: EventLog): TradingSnapshot {
  const status = runtime.status();
  const nowMs = runtime.clock.nowMs();
  const stack = runtime.session?.stack;
  const risk = runtime.session?.riskEngine.config;
  const dayStartMs = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const seq = runtime.bus.stats.lastSeq;

  let pnl: PnlView = {
    realizedTodayUsd: 0, realizedTotalUsd: 0, feesTodayUsd: 0, costBasisUsd: 0, workingBuyUsd: 0, exposureUsd: 0, unrealizedUsd: null, fillsToday: 0,
    maxTotalExposureUsd: risk?.maxTotalExposureUsd ?? null, maxDailyLossUsd: risk?.maxDailyLossUsd ?? null,
  };
  let openOrders: TradingSnapshot['openOrders'] = [];
  let openOrdersTotal = 0;
  let fills: TradingSnapshot['fills'] = [];
  let positions: TradingSnapshot['positions'] = [];

  if (stack) {
    const tracker = stack.tracker;
    const open = tracker.open();
    openOrdersTotal = open.length;
    openOrders = open
      .sort((a, b) => b.createdMs - a.createdMs)
      .slice(0, tradingLimits.orders)
      .map((o) => ({
        clientTag: o.clientTag, strategyId: o.strategyId, windowSlug: o.windowSlug, outcome: outcomeOf(stack, o.tokenId), side: o.side, price: o.price,
        size: o.size ?? null, usd: o.usd ?? null, filledSize: o.filledSize, orderType: o.orderType, postOnly: o.postOnly, state: o.state, createdMs: o.createdMs, updatedMs: o.updatedMs,
      }));
    const allFills = tracker.allFills();
    for (const f of allFills) {
      if (f.tsMs >= dayStartMs && f.status !== 'FAILED') {
        pnl.fillsToday++;
        pnl.feesTodayUsd += f.feeUsd;
      }
    }
    fills = allFills
      .sort((a, b) => b.tsMs - a.tsMs)
      .slice(0, tradingLimits.fills)
      .map((f) => {
        const o = f.clientId ? tracker.get(f.clientId) : tracker.getByOrderId(f.orderId);
        return {
          tradeId: f.tradeId, clientTag: o?.clientTag ?? null, strategyId: o?.strategyId ?? null, windowSlug: f.windowSlug, outcome: outcomeOf(stack, f.tokenId), side: f.side,
          price: f.price, size: f.size, feeUsd: f.feeUsd, liquidity: f.liquidity, status: f.status, provisional: f.status !== 'CONFIRMED' && f.status !== 'FAILED', tsMs: f.tsMs,
        };
      });
    const all = tracker.positions.all();
    let unrealized = 0;
    let unrealizedKnown = true;
    for (const p of all) {
      pnl.realizedTotalUsd += p.realizedUsd;
      if (!p.settled && p.shares > 0) {
        pnl.costBasisUsd += p.costUsd;
        const bid = stack.marketFeed.book(p.tokenId)?.bestBid();
        if (bid === undefined) unrealizedKnown = false;
        else unrealized += p.shares * bid - p.costUsd;
      }
    }
    pnl.unrealizedUsd = unrealizedKnown ? r6(unrealized) : null;
    pnl.workingBuyUsd = r6(workingBuyUsd(open));
    pnl.costBasisUsd = r6(pnl.costBasisUsd);
    pnl.exposureUsd = r6(pnl.costBasisUsd + pnl.workingBuyUsd);
    // The persisted UTC risk day: the very figure the daily-loss limit reads (survives restarts).
    pnl.realizedTodayUsd = r6(runtime.session?.riskDay.realizedTodayUsd() ?? 0);
    pnl.realizedTotalUsd = r6(pnl.realizedTotalUsd);
    pnl.feesTodayUsd = r6(pnl.feesTodayUsd);
    const endOf = (slug: string) => parseSlug(slug)?.endMs ?? 0;
    positions = all
      .filter((p) => !p.settled || p.realizedUsd !== 0 || p.payoutUsd !== 0)
      .sort((a, b) => Number(a.settled) - Number(b.settled) || endOf(b.windowSlug) - endOf(a.windowSlug))
      .slice(0, tradingLimits.positions)
      .map((p) => {
        const bid = !p.settled && p.shares !== 0 ? stack.marketFeed.book(p.tokenId)?.bestBid() : undefined;
        return {
          windowSlug: p.windowSlug, tokenId: p.tokenId, outcome: outcomeOf(stack, p.tokenId), shares: p.shares, provisionalShares: p.provisionalShares, avgPrice: p.avgPrice,
          costUsd: p.costUsd, realizedUsd: p.realizedUsd, feesUsd: p.feesUsd, settled: p.settled, payoutUsd: p.payoutUsd, markPrice: bid ?? null,
        };
      });
  }

  let tradingAsOfMs: number | null = null;
  if (stack) log.lastTrading = { pnl, fills, positions, atMs: nowMs };
  else if (log.lastTrading) {
    ({ pnl, fills, positions } = { ...log.lastTrading, pnl: { ...log.lastTrading.pnl, workingBuyUsd: 0, unrealizedUsd: null } });
    pnl.exposureUsd = pnl.costBasisUsd;
    tradingAsOfMs = log.lastTrading.atMs;
  }

  const deg = log.degraded;
  return {
    instanceId: runtime.instanceId,
    runtimeState: status.state,
    tradingUp: !!stack,
    mode: status.mode,
    venue: status.venue,
    nowMs,
    clockRate: runtime.config.venue === 'sim' ? runtime.config.sim.speed : 1,
    seq,
    series: seriesViews(runtime.config.series, stack, log.resolved, nowMs),
    assets: assetViews(runtime.config.series, stack, nowMs, runtime.config.risk.staleFeedSec * 1000),
    correlation: log.correlation ?? null,
    feeds: feedRows(runtime, stack, log),
    degraded: stack && deg ? { degraded: deg.degraded, reason: deg.reason, ordersAllowed: deg.ordersAllowed, sinceMs: deg.tsEventMs } : { degraded: false, reason: '', ordersAllowed: true, sinceMs: null },
    pnl,
    balance: log.balance ? balanceView(log.balance, risk?.balanceDropAlertPct ?? runtime.config.risk.balanceDropAlertPct) : null,
    tradingAsOfMs,
    openOrders,
    openOrdersTotal,
    fills,
    positions,
    alerts: [...log.alerts].reverse(),
  };
}
