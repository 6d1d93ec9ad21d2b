/**
 * GET /api/trading: the dashboard's read-only trading snapshot (one entry per configured series with its current and
 * next window, the reference and spot prices of every asset with their freshness, the latest correlation estimate, feed
 * health, PnL and exposure, open orders, fills, positions, alerts), shared by the route (lib/server/routes.ts) and the
 * browser, which parses every response with it. Also the alert derivation both sides use (server-side alert log,
 * browser-side live alerts from the SSE stream), so one event always reads the same.
 *
 * Invariants: read-only, never a secret; times are epoch ms (`*Ms`, server clock), money is `*Usd`, prices of
 * outcome tokens are probabilities in [0, 1]; every list is bounded (see the `.max()`s). `seq` is the bus sequence
 * number the snapshot is consistent with: a live event with a larger seq is newer than the snapshot. No series kind
 * or asset is assumed: a series is whatever the running config lists (asset + window length).
 */
import { z } from 'zod';
import { assetSchema, windowKindSchema } from './series';
import type { BotEvent } from './events';
import { connectionStateSchema, feedNameSchema } from './events/feed';
import { marketLifecycleSchema } from './events/market';
import { orderStateSchema } from './events/execution';
import { runtimeStateSchema, type RuntimeState } from './events/runtime';

const prob = z.number().min(0).max(1);
const outcome = z.enum(['up', 'down']);

export type FeedName = z.infer<typeof feedNameSchema>;

export const tradingLimits = { orders: 50, fills: 30, positions: 40, alerts: 60, series: 32, assets: 32 } as const;

export const bookTopSchema = z.object({
  tokenId: z.string(),
  bestBid: prob.nullable(),
  bestAsk: prob.nullable(),
  bidSize: z.number().nonnegative().nullable(),
  askSize: z.number().nonnegative().nullable(),
});
export type BookTop = z.infer<typeof bookTopSchema>;

export const windowViewSchema = z.object({
  slug: z.string(),
  kind: windowKindSchema,
  startMs: z.number(),
  endMs: z.number(),
  /** null: not discovered yet (or the bot is stopped): identity from slug maths only. */
  state: marketLifecycleSchema.nullable(),
  priceToBeatUsd: z.number().positive().nullable(),
  priceToBeatSource: z.enum(['twap', 'live-mean', 'gamma']).nullable(),
  tickSize: z.number().positive().nullable(),
  up: bookTopSchema.nullable(),
  down: bookTopSchema.nullable(),
  winner: outcome.nullable(),
});
export type WindowView = z.infer<typeof windowViewSchema>;

export const resolvedWindowSchema = z.object({ slug: z.string(), endMs: z.number(), winner: outcome });
export type ResolvedWindow = z.infer<typeof resolvedWindowSchema>;

export const seriesViewSchema = z.object({
  /** `<asset>-<windowSec>` (`eth-900`): the key config paths and every per-series map use. */
  key: z.string().regex(/^[a-z]{2,10}-[1-9][0-9]{1,5}$/),
  asset: assetSchema,
  kind: windowKindSchema,
  windowSec: z.number().int().positive(),
  /** Switched on in the config (a switched-off series keeps its windows but opens no new exposure). */
  enabled: z.boolean(),
  /**
   * How a window settles: `twap60` = the reference TWAP-60 at the end vs the price to beat; `spot-candle` = the asset's
   * 1 h spot candle close vs open (hourly series; the price to beat is the venue's).
   */
  settlement: z.enum(['twap60', 'spot-candle']),
  /** Every window slug of this series starts with `slugPrefix` and ends with `slugSuffix` (the console's series filter). */
  slugPrefix: z.string().min(1).max(80),
  slugSuffix: z.string().max(20),
  current: windowViewSchema,
  next: windowViewSchema.nullable(),
  lastResolved: resolvedWindowSchema.nullable(),
});
export type SeriesView = z.infer<typeof seriesViewSchema>;

const priceSample = z.object({ priceUsd: z.number().positive(), tsMs: z.number() });
export type PriceSampleView = z.infer<typeof priceSample>;

/** One asset's prices: its Chainlink reference (live and TWAP-60) with its own freshness, and its spot price. */
export const assetViewSchema = z.object({
  asset: assetSchema,
  /** Chainlink `<asset>/USD` as streamed (PolyBolt `price.crypto` or legacy RTDS); `tsMs` is the venue's stamp. */
  live: priceSample.nullable(),
  /** The settlement series: Chainlink TWAP-60. */
  twap: priceSample.nullable(),
  spot: priceSample.nullable(),
  /** Server clock when this asset's last reference point (live or TWAP) arrived; null: none yet. */
  refRecvMs: z.number().nullable(),
  /** nowMs − refRecvMs at the snapshot (null: none yet). */
  refAgeMs: z.number().nonnegative().nullable(),
  /** The freshness bound the feed gate applies to it (risk.staleFeedSec). */
  staleAfterMs: z.number().positive(),
  /** No reference point within staleAfterMs (or no reference feed at all): orders of this asset's series are blocked. */
  stale: z.boolean(),
});
export type AssetView = z.infer<typeof assetViewSchema>;

const MAX_CORR = 32;
const corrGrid = <T extends z.ZodType>(cell: T) => z.array(z.array(cell).max(MAX_CORR)).max(MAX_CORR);

/** The latest `risk.correlation` event: the correlation between assets and the aggregate directional exposure it caps. */
export const correlationViewSchema = z.object({
  seq: z.number().int().nonnegative(),
  tsMs: z.number(),
  assets: z.array(z.string()).max(MAX_CORR),
  /** ρ between assets[i] and assets[j] (diagonal 1). */
  rho: corrGrid(z.number().min(-1).max(1)),
  /** Paired returns behind each estimate. */
  samples: corrGrid(z.number().int().nonnegative()),
  /** true: too few samples, the configured prior is used instead of the estimate. */
  isPrior: corrGrid(z.boolean()),
  /** Signed directional USD per asset (Up minus Down, held plus working BUY). */
  exposureUsd: z.array(z.number()).max(MAX_CORR),
  /** sqrt(xᵀCx) with ρ clipped into [0, 1], against capUsd. */
  aggregateUsd: z.number().nonnegative(),
  capUsd: z.number().positive(),
  windowSec: z.number().positive(),
  sampleSec: z.number().positive(),
});
export type CorrelationView = z.infer<typeof correlationViewSchema>;

/** The correlation view of a `risk.correlation` event (server log and browser overlay alike). */
export function correlationFromEvent(e: Extract<BotEvent, { type: 'risk.correlation' }>): CorrelationView {
  return {
    seq: e.seq, tsMs: e.tsEventMs, assets: e.assets, rho: e.rho, samples: e.samples, isPrior: e.isPrior, exposureUsd: e.exposureUsd,
    aggregateUsd: e.aggregateUsd, capUsd: e.capUsd, windowSec: e.windowSec, sampleSec: e.sampleSec,
  };
}

/** The asset a feed symbol prices: lib/schemas/series.ts `assetOfSymbol` under the name the live overlay imports. */
export { assetOfSymbol as assetOfPriceSymbol } from './series';

export const feedRowSchema = z.object({
  feed: feedNameSchema,
  /** false: this feed is not part of the configuration (the user stream in paper mode). */
  used: z.boolean(),
  state: connectionStateSchema,
  lastMsgAgeMs: z.number().nonnegative().nullable(),
  msgsPerSec: z.number().nonnegative(),
  reconnects: z.number().int().nonnegative(),
  stale: z.boolean(),
  badFrames: z.number().int().nonnegative(),
  /** When the last `feed.health` report was published (null: none yet). */
  reportedMs: z.number().nullable(),
  seq: z.number().int().nonnegative(),
  /** Why the feed is not running at all (e.g. no CLOB API credentials for the reference), shown instead of metrics. */
  note: z.string().max(160).optional(),
});
export type FeedRow = z.infer<typeof feedRowSchema>;

export const degradedSchema = z.object({ degraded: z.boolean(), reason: z.string(), ordersAllowed: z.boolean(), sinceMs: z.number().nullable() });

export const pnlViewSchema = z.object({
  /** Realised PnL (after fees) of windows that ended since 00:00 UTC of the server's day. */
  realizedTodayUsd: z.number(),
  realizedTotalUsd: z.number(),
  feesTodayUsd: z.number().nonnegative(),
  /** Cost basis of the shares held in unsettled windows. */
  costBasisUsd: z.number(),
  /** Notional still working in open BUY orders. */
  workingBuyUsd: z.number().nonnegative(),
  /** costBasisUsd + workingBuyUsd: what the risk engine counts against its exposure limits. */
  exposureUsd: z.number(),
  /** Held shares marked at the best bid minus their cost (null when a book is missing). */
  unrealizedUsd: z.number().nullable(),
  fillsToday: z.number().int().nonnegative(),
  maxTotalExposureUsd: z.number().positive().nullable(),
  maxDailyLossUsd: z.number().positive().nullable(),
});
export type PnlView = z.infer<typeof pnlViewSchema>;

/**
 * The collateral balance as the risk layer last read it (the latest `risk.balance`): `balanceUsd` null = never read
 * (then `error` says why); `drawdown` is a fraction of the session high; `dropAlertPct` the drawdown trigger's
 * threshold (risk.balanceDropAlertPct, a fraction); `reportedMs` when the event was published (bus clock).
 */
export const balanceViewSchema = z.object({
  source: z.enum(['venue', 'paper']),
  balanceUsd: z.number().nullable(),
  availableUsd: z.number().nullable(),
  workingBuyUsd: z.number().nonnegative(),
  positionValueUsd: z.number().nonnegative(),
  equityUsd: z.number().nullable(),
  highUsd: z.number().nullable(),
  drawdown: z.number().nullable(),
  readAtMs: z.number().nullable(),
  error: z.string().max(300).nullable(),
  reportedMs: z.number(),
  dropAlertPct: z.number().positive().max(1),
});
export type BalanceView = z.infer<typeof balanceViewSchema>;

export const orderRowSchema = z.object({
  clientTag: z.string(),
  strategyId: z.string(),
  windowSlug: z.string(),
  outcome: outcome.nullable(),
  side: z.enum(['BUY', 'SELL']),
  price: prob,
  size: z.number().nonnegative().nullable(),
  usd: z.number().nonnegative().nullable(),
  filledSize: z.number().nonnegative(),
  orderType: z.enum(['GTC', 'GTD', 'FOK', 'FAK']),
  postOnly: z.boolean(),
  state: orderStateSchema,
  createdMs: z.number(),
  updatedMs: z.number(),
});
export type OrderRow = z.infer<typeof orderRowSchema>;

export const fillRowSchema = z.object({
  tradeId: z.string(),
  clientTag: z.string().nullable(),
  strategyId: z.string().nullable(),
  windowSlug: z.string(),
  outcome: outcome.nullable(),
  side: z.enum(['BUY', 'SELL']),
  price: prob,
  size: z.number().nonnegative(),
  feeUsd: z.number().nonnegative(),
  liquidity: z.enum(['taker', 'maker']),
  status: z.enum(['MATCHED', 'MINED', 'CONFIRMED', 'RETRYING', 'FAILED']),
  /** Not yet CONFIRMED on chain (may still fail). */
  provisional: z.boolean(),
  tsMs: z.number(),
});
export type FillRow = z.infer<typeof fillRowSchema>;

export const positionRowSchema = z.object({
  windowSlug: z.string(),
  tokenId: z.string(),
  outcome: outcome.nullable(),
  shares: z.number(),
  provisionalShares: z.number(),
  avgPrice: z.number().nonnegative(),
  costUsd: z.number(),
  realizedUsd: z.number(),
  feesUsd: z.number().nonnegative(),
  settled: z.boolean(),
  payoutUsd: z.number(),
  /** Best bid of the token now (unsettled positions with a book only). */
  markPrice: prob.nullable(),
});
export type PositionRow = z.infer<typeof positionRowSchema>;

export const alertKinds = ['runtime.error', 'runtime.notice', 'risk.denied', 'risk.cooldown', 'feed.stale', 'feed.recovered', 'feed.degraded', 'killswitch.auto', 'preflight', 'health'] as const;
export const alertSchema = z.object({
  seq: z.number().int().nonnegative(),
  tsMs: z.number(),
  kind: z.enum(alertKinds),
  severity: z.enum(['danger', 'warn', 'ok']),
  title: z.string().max(120),
  detail: z.string().max(300),
  /** The feed a feed.* alert is about (the console dims a stale alert once that feed is healthy again). */
  feed: feedNameSchema.optional(),
});
export type Alert = z.infer<typeof alertSchema>;

export const tradingSnapshotSchema = z.object({
  instanceId: z.string(),
  runtimeState: runtimeStateSchema,
  /** The venue session exists (the bot is running or starting). */
  tradingUp: z.boolean(),
  mode: z.string(),
  venue: z.string(),
  /** Server clock now; `clockRate` simulated ms per real ms (1 unless the simulator runs faster). */
  nowMs: z.number(),
  clockRate: z.number().positive(),
  seq: z.number().int().nonnegative(),
  /** One entry per configured series (switched on or off), in config order. */
  series: z.array(seriesViewSchema).max(tradingLimits.series),
  /** One entry per asset of the configured series (its reference and spot prices and their freshness). */
  assets: z.array(assetViewSchema).max(tradingLimits.assets),
  /** The latest correlation estimate (null until the risk engine has published one). */
  correlation: correlationViewSchema.nullable(),
  feeds: z.array(feedRowSchema).max(8),
  degraded: degradedSchema,
  pnl: pnlViewSchema,
  /** The latest collateral balance read (null: none published yet; absent in snapshots from before it existed). */
  balance: balanceViewSchema.nullable().optional(),
  /**
   * null: PnL, fills and positions are read from the running stack now. Otherwise the bot is stopped and they are
   * the last values read while it ran (at this time); open orders are then empty.
   */
  tradingAsOfMs: z.number().nullable(),
  openOrders: z.array(orderRowSchema).max(tradingLimits.orders),
  openOrdersTotal: z.number().int().nonnegative(),
  fills: z.array(fillRowSchema).max(tradingLimits.fills),
  positions: z.array(positionRowSchema).max(tradingLimits.positions),
  alerts: z.array(alertSchema).max(tradingLimits.alerts),
});
export type TradingSnapshot = z.infer<typeof tradingSnapshotSchema>;

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * The alert an event raises, or undefined when it is not one (both the server log and the live view use this).
 * `runtimeState` is the runtime's state when the event was published: feeds going stale (and the degraded-mode
 * flicker that follows) because the bot is being stopped are not alerts.
 */
export function alertFromEvent(e: BotEvent, runtimeState?: RuntimeState): Alert | undefined {
  const base = { seq: e.seq, tsMs: e.tsEventMs };
  const mk = (kind: Alert['kind'], severity: Alert['severity'], title: string, detail: string, feed?: FeedName): Alert => ({
    ...base, kind, severity, title: clip(title, 120), detail: clip(detail, 300), ...(feed ? { feed } : {}),
  });
  switch (e.type) {
    case 'runtime.error':
      return mk('runtime.error', 'danger', `error in ${e.source}`, e.message);
    case 'runtime.notice':
      return mk('runtime.notice', e.severity === 'info' ? 'ok' : e.severity, e.title, e.detail);
    case 'risk.denied':
      return mk('risk.denied', 'warn', `denied: ${e.rule}`, `${e.strategyId} ${e.windowSlug}: ${e.reason}`);
    case 'risk.cooldown':
      return mk('risk.cooldown', 'warn', `cooldown: ${e.rule}`, `${e.reason} (until ${new Date(e.untilMs).toISOString().slice(11, 19)} UTC)`);
    case 'feed.stale':
      if (runtimeState === 'stopping' || runtimeState === 'stopped') return undefined;
      return mk('feed.stale', 'danger', `${e.feed} stale`, e.ageMs >= 1000 ? `no data for ${(e.ageMs / 1000).toFixed(1)} s` : 'connection not open', e.feed);
    case 'feed.recovered':
      return mk('feed.recovered', 'ok', `${e.feed} recovered`, 'data flowing again', e.feed);
    case 'feed.degraded':
      if (runtimeState === 'stopping' || runtimeState === 'stopped') return undefined;
      return e.degraded
        ? mk('feed.degraded', 'danger', 'degraded mode', `${e.reason}; new orders ${e.ordersAllowed ? 'allowed' : 'blocked'}`)
        : mk('feed.degraded', 'ok', 'degraded mode over', e.reason);
    case 'killswitch.changed':
      if (!e.automatic || e.state === e.prevState) return undefined;
      return mk('killswitch.auto', e.state === 'active' ? 'ok' : 'danger', `kill switch ${e.prevState} → ${e.state}`, `${e.actor}: ${e.reason}`);
    case 'preflight.report': {
      // A NO-GO that is news is an alert (the first failed stage and its fix); a GO, and the same NO-GO again at a
      // re-check, are shown by the preflight card, not here.
      if (e.report.go || !e.changed) return undefined;
      const f = e.report.stages.find((s) => s.status === 'fail');
      return mk('preflight', 'danger', `preflight ${e.report.summary}`, f ? `${f.title}: ${f.detail}${f.fix ? ` — fix: ${f.fix}` : ''}` : e.report.summary);
    }
    case 'health.condition':
      return mk('health', e.active ? e.severity : 'ok', e.active ? e.title : `${e.title}: over`, e.detail);
    default:
      return undefined;
  }
}

export interface AlertGroup extends Alert {
  /** How many consecutive alerts with the same kind and title this row stands for (newest shown). */
  count: number;
  firstMs: number;
}

/** Newest first, consecutive repeats (same kind and title) folded into one row with a count; at most `max` rows. */
export function collapseAlerts(alerts: readonly Alert[], max: number): AlertGroup[] {
  const sorted = [...alerts].sort((a, b) => b.seq - a.seq);
  const out: AlertGroup[] = [];
  let lastSeq = -1;
  for (const a of sorted) {
    if (a.seq === lastSeq) continue;
    lastSeq = a.seq;
    const prev = out[out.length - 1];
    if (prev && prev.kind === a.kind && prev.title === a.title) {
      prev.count++;
      prev.firstMs = a.tsMs;
      continue;
    }
    if (out.length >= max) break;
    out.push({ ...a, count: 1, firstMs: a.tsMs });
  }
  return out;
}
