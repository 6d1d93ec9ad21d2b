/**
 * GET /api/feeds: the Feeds page's snapshot — per asset (BTC, ETH, ...: the asset a feed symbol prices) its Chainlink
 * reference (`ref.price` live), TWAP-60 (`ref.price` twap60) and spot (`spot.price`) sampled once per second on the bus
 * clock with their divergence in USD and bps, and per feed a status timeline (open / stale / connecting / backoff /
 * closed / idle), reconnect times and msgs/s + bad frames over time. Also the one fold of a bus event into that
 * snapshot (`foldFeedEvent`), shared by the runtime's read model (bot/views/feed-timeline.ts) and the browser's live
 * overlay, so an event always reads the same.
 *
 * Invariants:
 * - Prices are kept per asset (`assetOfSymbol` of the event's symbol, lib/schemas/series.ts): an ETH price never lands
 *   in BTC's rows, and divergence is only ever between one asset's own reference, TWAP and spot. An event whose symbol
 *   names no valid asset changes nothing.
 * - Times are bus-clock epoch ms (`tsRecvMs` of the events). A price row `tMs` is the start of its second; its values
 *   are that asset's latest update of each series at most `feedsTiming.carryMs` old when the row was last written.
 * - Rate samples: one per feed per `rateSampleMs` slot, the slot's latest `feed.health` (at its own time).
 * - Divergence: spot − reference (USD, and bps of the reference); reference − TWAP (USD, and bps of the TWAP).
 * - `foldFeedEvent` is pure: it returns a new snapshot (never mutating its input or any nested object) or undefined
 *   for an event that changes nothing. Every list is bounded by `feedsLimits` and by the window (`windowMs`): at most
 *   `assets` assets (a new one evicts the one updated longest ago), `points` rows each.
 * - `externalSignals` (optional, so older snapshots parse): one row per external signal source from
 *   `signal.external` (lib/schemas/external-signals.ts); not windowed (a source polled once stays listed).
 */
import { z } from 'zod';
import type { BotEvent } from './events';
import { connectionStateSchema, feedNames, feedNameSchema } from './events/feed';
import { externalSignalsSchema, foldExternalSignal } from './external-signals';
import { assetOfSymbol, assetSchema } from './series';

/** `points`: price rows per asset (30 min at one a second); `assets`: assets priced at once. */
export const feedsLimits = { points: 1800, assets: 8, intervals: 120, reconnectTimes: 50, ratePoints: 360 } as const;
export const feedsTiming = { windowMs: 30 * 60_000, sampleMs: 1_000, carryMs: 5_000, rateSampleMs: 5_000, gapMs: 5_000 } as const;

export const feedStatuses = ['open', 'stale', 'connecting', 'backoff', 'closed', 'idle'] as const;
export const feedStatusSchema = z.enum(feedStatuses);
export type FeedStatus = z.infer<typeof feedStatusSchema>;

const usd = z.number().positive();
const num = z.number().finite();

export const pricePointSchema = z.object({
  tMs: num,
  refUsd: usd.nullable(),
  twapUsd: usd.nullable(),
  spotUsd: usd.nullable(),
  spotRefUsd: num.nullable(),
  spotRefBps: num.nullable(),
  refTwapUsd: num.nullable(),
  refTwapBps: num.nullable(),
});
export type PricePoint = z.infer<typeof pricePointSchema>;

export const latestPriceSchema = z.object({ priceUsd: usd, tsMs: num, tsEventMs: num, source: z.string().max(40) });
export type LatestPrice = z.infer<typeof latestPriceSchema>;

const latestPricesSchema = z.object({ ref: latestPriceSchema.nullable(), twap: latestPriceSchema.nullable(), spot: latestPriceSchema.nullable() });
export type LatestPrices = z.infer<typeof latestPricesSchema>;

/** One asset's prices: latest values, the feed symbols they came from, and one row a second over the window. */
export const assetPricesSchema = z.object({
  asset: assetSchema,
  /** The last reference (`btcusd`) and spot (`btcusdt`) symbols seen for the asset (null: none yet). */
  symbols: z.object({ ref: z.string().max(40).nullable(), spot: z.string().max(40).nullable() }),
  latest: latestPricesSchema,
  /** Oldest first. */
  points: z.array(pricePointSchema).max(feedsLimits.points),
});
export type AssetPrices = z.infer<typeof assetPricesSchema>;

export const feedIntervalSchema = z.object({ status: feedStatusSchema, startMs: num, endMs: num });
export type FeedInterval = z.infer<typeof feedIntervalSchema>;

export const ratePointSchema = z.object({ tMs: num, msgsPerSec: z.number().nonnegative(), badFrames: z.number().int().nonnegative() });

export const feedTimelineSchema = z.object({
  feed: feedNameSchema,
  status: feedStatusSchema,
  /** Connection state from the last `feed.health` (null: only an edge event seen so far). */
  state: connectionStateSchema.nullable(),
  stale: z.boolean(),
  msgsPerSec: z.number().nonnegative(),
  badFrames: z.number().int().nonnegative(),
  /** The feed's reconnect counter as last reported (restarts at 0 with a new feed instance). */
  reconnects: z.number().int().nonnegative(),
  lastMsgAgeMs: z.number().nonnegative().nullable(),
  /** Bus time of the last `feed.health`. */
  reportedMs: num.nullable(),
  intervals: z.array(feedIntervalSchema).max(feedsLimits.intervals),
  /** When the reconnect counter went up (oldest first). */
  reconnectTimesMs: z.array(num).max(feedsLimits.reconnectTimes),
  rate: z.array(ratePointSchema).max(feedsLimits.ratePoints),
});
export type FeedTimelineRow = z.infer<typeof feedTimelineSchema>;

export const feedsSnapshotSchema = z.object({
  /** Bus-clock time of the snapshot. */
  nowMs: num,
  /** The bus sequence number the snapshot is consistent with: live events with a larger seq are newer. */
  seq: z.number().int().nonnegative(),
  windowMs: z.number().int().positive(),
  /** Per asset, in the order first priced. */
  assets: z.array(assetPricesSchema).max(feedsLimits.assets),
  feeds: z.array(feedTimelineSchema).max(feedNames.length),
  /** Per external signal source (id order); absent in snapshots from before it existed. */
  externalSignals: externalSignalsSchema.optional(),
});
export type FeedsSnapshot = z.infer<typeof feedsSnapshotSchema>;

export function emptyFeedsSnapshot(nowMs: number): FeedsSnapshot {
  return { nowMs, seq: 0, windowMs: feedsTiming.windowMs, assets: [], feeds: [], externalSignals: [] };
}

/** What a feed.health pair (state, stale) shows on the timeline. */
export function feedStatusOf(state: z.infer<typeof connectionStateSchema>, stale: boolean): FeedStatus {
  return state === 'open' ? (stale ? 'stale' : 'open') : state;
}

/** Divergence between the three series (null where an operand is missing). */
export function divergenceOf(refUsd: number | null, twapUsd: number | null, spotUsd: number | null): Pick<PricePoint, 'spotRefUsd' | 'spotRefBps' | 'refTwapUsd' | 'refTwapBps'> {
  const spotRef = spotUsd !== null && refUsd !== null ? spotUsd - refUsd : null;
  const refTwap = refUsd !== null && twapUsd !== null ? refUsd - twapUsd : null;
  return {
    spotRefUsd: spotRef,
    spotRefBps: spotRef !== null ? (spotRef / refUsd!) * 10_000 : null,
    refTwapUsd: refTwap,
    refTwapBps: refTwap !== null ? (refTwap / twapUsd!) * 10_000 : null,
  };
}

/** Is this event one the Feeds page folds? */
export function isFeedsEvent(e: BotEvent): boolean {
  return e.type === 'ref.price' || e.type === 'spot.price' || e.type === 'feed.health' || e.type === 'feed.stale' || e.type === 'feed.recovered' || e.type === 'signal.external';
}

/** Append (or replace the last when `sameSlot`) and drop the oldest beyond `max` and before `minT`. */
function bounded<T>(list: readonly T[], item: T, sameSlot: boolean, max: number, keep: (x: T) => boolean): T[] {
  const out = sameSlot ? [...list.slice(0, -1), item] : [...list, item];
  let from = Math.max(0, out.length - max);
  while (from < out.length - 1 && !keep(out[from]!)) from++;
  return from > 0 ? out.slice(from) : out;
}

/** The newest update of any of the asset's prices (for eviction and trimming). */
function lastPricedMs(a: AssetPrices): number {
  return Math.max(a.latest.ref?.tsMs ?? -Infinity, a.latest.twap?.tsMs ?? -Infinity, a.latest.spot?.tsMs ?? -Infinity);
}

function emptyAsset(asset: string): AssetPrices {
  return { asset, symbols: { ref: null, spot: null }, latest: { ref: null, twap: null, spot: null }, points: [] };
}

function foldAssetPrice(a: AssetPrices, key: keyof LatestPrices, p: LatestPrice, symbol: string): AssetPrices {
  const t = p.tsMs;
  const latest = { ...a.latest, [key]: p };
  const symbols = key === 'spot' ? { ...a.symbols, spot: symbol } : { ...a.symbols, ref: symbol };
  const fresh = (x: LatestPrice | null) => (x && t - x.tsMs <= feedsTiming.carryMs ? x.priceUsd : null);
  const refUsd = fresh(latest.ref);
  const twapUsd = fresh(latest.twap);
  const spotUsd = fresh(latest.spot);
  const tMs = Math.floor(t / feedsTiming.sampleMs) * feedsTiming.sampleMs;
  const row: PricePoint = { tMs, refUsd, twapUsd, spotUsd, ...divergenceOf(refUsd, twapUsd, spotUsd) };
  const last = a.points.at(-1);
  if (last && last.tMs > tMs) return { ...a, symbols, latest }; // the bus clock never goes back; kept for safety
  const minT = t - feedsTiming.windowMs;
  return { ...a, symbols, latest, points: bounded(a.points, row, last?.tMs === tMs, feedsLimits.points, (x) => x.tMs >= minT) };
}

/** Fold a price into its asset's entry (a new asset appended; at the bound, the asset priced longest ago evicted). */
function foldPrice(s: FeedsSnapshot, symbol: string, key: keyof LatestPrices, p: LatestPrice): FeedsSnapshot | undefined {
  const asset = assetOfSymbol(symbol);
  if (!assetSchema.safeParse(asset).success) return undefined;
  const i = s.assets.findIndex((a) => a.asset === asset);
  if (i >= 0) return { ...s, assets: s.assets.map((a, j) => (j === i ? foldAssetPrice(a, key, p, symbol) : a)) };
  let kept = s.assets;
  if (kept.length >= feedsLimits.assets) {
    const oldest = kept.reduce((o, a) => (lastPricedMs(a) < lastPricedMs(o) ? a : o));
    kept = kept.filter((a) => a !== oldest);
  }
  return { ...s, assets: [...kept, foldAssetPrice(emptyAsset(asset), key, p, symbol)] };
}

function emptyRow(feed: FeedTimelineRow['feed']): FeedTimelineRow {
  return { feed, status: 'idle', state: null, stale: false, msgsPerSec: 0, badFrames: 0, reconnects: 0, lastMsgAgeMs: null, reportedMs: null, intervals: [], reconnectTimesMs: [], rate: [] };
}

/** Extend the current interval, or close it and open the next (a silence over gapMs leaves a hole). */
function withStatus(intervals: readonly FeedInterval[], status: FeedStatus, t: number): FeedInterval[] {
  const last = intervals.at(-1);
  const minT = t - feedsTiming.windowMs;
  const keep = (x: FeedInterval) => x.endMs >= minT;
  if (last && t < last.endMs) return [...intervals];
  const joined = last !== undefined && t - last.endMs <= feedsTiming.gapMs;
  if (joined && last.status === status) return bounded(intervals, { ...last, endMs: t }, true, feedsLimits.intervals, keep);
  const closed = joined ? [...intervals.slice(0, -1), { ...last, endMs: t }] : intervals;
  return bounded(closed, { status, startMs: t, endMs: t }, false, feedsLimits.intervals, keep);
}

function foldFeed(s: FeedsSnapshot, e: Extract<BotEvent, { type: 'feed.health' | 'feed.stale' | 'feed.recovered' }>): FeedsSnapshot {
  const t = e.tsRecvMs;
  const prev = s.feeds.find((f) => f.feed === e.feed) ?? emptyRow(e.feed);
  let row: FeedTimelineRow;
  if (e.type === 'feed.health') {
    const status = feedStatusOf(e.state, e.stale);
    let reconnectTimesMs = prev.reconnectTimesMs;
    const ups = prev.reportedMs === null ? 0 : Math.min(feedsLimits.reconnectTimes, e.reconnects - prev.reconnects);
    if (ups > 0) reconnectTimesMs = [...reconnectTimesMs, ...Array<number>(ups).fill(t)].slice(-feedsLimits.reconnectTimes);
    const slot = (ms: number) => Math.floor(ms / feedsTiming.rateSampleMs);
    const lastRate = prev.rate.at(-1);
    const minT = t - feedsTiming.windowMs;
    const rate = bounded(prev.rate, { tMs: t, msgsPerSec: e.msgsPerSec, badFrames: e.badFrames }, lastRate !== undefined && slot(lastRate.tMs) === slot(t), feedsLimits.ratePoints, (x) => x.tMs >= minT);
    row = {
      ...prev, status, state: e.state, stale: e.stale, msgsPerSec: e.msgsPerSec, badFrames: e.badFrames, reconnects: e.reconnects,
      lastMsgAgeMs: e.lastMsgAgeMs ?? null, reportedMs: t, intervals: withStatus(prev.intervals, status, t), reconnectTimesMs, rate,
    };
  } else {
    // An edge: stale only means something new while the feed looked open (a closed / backoff feed is stale anyway).
    const status: FeedStatus = e.type === 'feed.recovered' ? 'open' : prev.status === 'open' || prev.state === null ? 'stale' : prev.status;
    row = { ...prev, status, stale: e.type === 'feed.stale', intervals: withStatus(prev.intervals, status, t) };
  }
  const others = s.feeds.filter((f) => f.feed !== e.feed);
  const feeds = [...others, row].sort((a, b) => feedNames.indexOf(a.feed) - feedNames.indexOf(b.feed));
  return { ...s, feeds };
}

/** Fold one bus event into the snapshot: a new snapshot, or undefined when the event is not the Feeds page's. */
export function foldFeedEvent(s: FeedsSnapshot, e: BotEvent): FeedsSnapshot | undefined {
  let next: FeedsSnapshot | undefined;
  switch (e.type) {
    case 'ref.price':
      next = foldPrice(s, e.symbol, e.kind === 'live' ? 'ref' : 'twap', { priceUsd: e.priceUsd, tsMs: e.tsRecvMs, tsEventMs: e.tsEventMs, source: e.source.slice(0, 40) });
      break;
    case 'spot.price':
      next = foldPrice(s, e.symbol, 'spot', { priceUsd: e.priceUsd, tsMs: e.tsRecvMs, tsEventMs: e.tsEventMs, source: e.source.slice(0, 40) });
      break;
    case 'feed.health':
    case 'feed.stale':
    case 'feed.recovered':
      next = foldFeed(s, e);
      break;
    case 'signal.external':
      next = { ...s, externalSignals: foldExternalSignal(s.externalSignals ?? [], e) };
      break;
    default:
      return undefined;
  }
  if (!next) return undefined;
  return { ...next, seq: Math.max(s.seq, e.seq), nowMs: Math.max(s.nowMs, e.tsRecvMs) };
}

/**
 * The snapshot as of `nowMs`: rows, rate points and intervals older than the window dropped (reconnect times kept);
 * an asset not priced within the window dropped.
 */
export function trimFeedsSnapshot(s: FeedsSnapshot, nowMs: number, seq: number): FeedsSnapshot {
  const minT = nowMs - s.windowMs;
  return {
    ...s,
    nowMs,
    seq,
    assets: s.assets.filter((a) => lastPricedMs(a) >= minT).map((a) => ({ ...a, points: a.points.filter((p) => p.tMs >= minT) })),
    feeds: s.feeds.map((f) => ({ ...f, intervals: f.intervals.filter((i) => i.endMs >= minT), rate: f.rate.filter((r) => r.tMs >= minT) })),
  };
}
