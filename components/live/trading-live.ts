/**
 * Live overlay of the trading snapshot: the bus events that arrive between two GET /api/trading refetches
 * (book.top, ref.price and spot.price per asset, feed.health, feed.degraded, risk.correlation, alerts) are folded into
 * a small bounded overlay, and `mergeTrading` lays it over the last snapshot. Pure functions (unit-tested), no React.
 *
 * Invariants: an overlay value is used only when its seq is newer than the snapshot's `seq` and it comes from the
 * same runtime instance (seqs restart with a new instance); a price lands on the asset its symbol names, never on
 * another; the overlay is bounded (MAX_TOPS tokens, MAX_ASSETS assets, MAX_ALERTS).
 * Also the server clock estimate used by the countdowns: an anchor (server ms, client ms, rate) moved only when a
 * new sample disagrees by more than a tolerance, so the countdown does not jitter on every refetch.
 */
import type { BotEvent, RuntimeState } from '../../lib/schemas/events';
import { alertFromEvent, assetOfPriceSymbol, correlationFromEvent, type Alert, type AssetView, type BookTop, type CorrelationView, type FeedName, type FeedRow, type TradingSnapshot } from '../../lib/schemas/trading';

const MAX_TOPS = 200;
const MAX_ASSETS = 32;
const MAX_ALERTS = 60;

interface Stamped {
  seq: number;
}
type Price = { priceUsd: number; tsMs: number } & Stamped;

/** One asset's newest prices; `refRecv`: when (server clock) its newest reference point arrived. */
export interface AssetOverlay {
  live: Price | null;
  twap: Price | null;
  spot: Price | null;
  refRecv: ({ ms: number } & Stamped) | null;
}

export interface TradingOverlay {
  instanceId: string | null;
  tops: Map<string, Omit<BookTop, 'tokenId'> & Stamped>;
  assets: Map<string, AssetOverlay>;
  correlation: CorrelationView | null;
  feeds: Map<FeedName, FeedRow>;
  degraded: (TradingSnapshot['degraded'] & Stamped) | null;
  alerts: Alert[];
  runtimeState: RuntimeState | undefined;
}

export function createOverlay(instanceId: string | null = null): TradingOverlay {
  return { instanceId, tops: new Map(), assets: new Map(), correlation: null, feeds: new Map(), degraded: null, alerts: [], runtimeState: undefined };
}

/** Event types after which the snapshot itself is refetched (orders, fills, positions, windows, lifecycle). */
export const REFETCH_ON: ReadonlySet<BotEvent['type']> = new Set<BotEvent['type']>([
  'order.state', 'order.filled', 'order.fill_confirmed', 'order.fill_voided', 'position.changed', 'position.settled',
  'market.discovered', 'market.state', 'market.resolved', 'market.price_to_beat', 'runtime.state', 'killswitch.changed', 'reconcile.completed',
]);

/** Fold one event into the overlay (mutates it). Returns true when the view changed. */
export function applyEvent(ov: TradingOverlay, e: BotEvent): boolean {
  switch (e.type) {
    case 'book.top': {
      ov.tops.delete(e.tokenId);
      ov.tops.set(e.tokenId, { bestBid: e.bestBid ?? null, bestAsk: e.bestAsk ?? null, bidSize: e.bidSize ?? null, askSize: e.askSize ?? null, seq: e.seq });
      if (ov.tops.size > MAX_TOPS) ov.tops.delete(ov.tops.keys().next().value!);
      return true;
    }
    case 'ref.price': {
      const a = assetOverlay(ov, assetOfPriceSymbol(e.symbol));
      const p = { priceUsd: e.priceUsd, tsMs: e.tsEventMs, seq: e.seq };
      if (e.kind === 'live') a.live = p;
      else a.twap = p;
      a.refRecv = { ms: e.tsRecvMs, seq: e.seq };
      return true;
    }
    case 'spot.price':
      assetOverlay(ov, assetOfPriceSymbol(e.symbol)).spot = { priceUsd: e.priceUsd, tsMs: e.tsEventMs, seq: e.seq };
      return true;
    case 'risk.correlation':
      ov.correlation = correlationFromEvent(e);
      return true;
    case 'feed.health':
      ov.feeds.set(e.feed, {
        feed: e.feed, used: true, state: e.state, lastMsgAgeMs: e.lastMsgAgeMs ?? null, msgsPerSec: e.msgsPerSec, reconnects: e.reconnects,
        stale: e.stale, badFrames: e.badFrames, reportedMs: e.tsEventMs, seq: e.seq,
      });
      return true;
    case 'runtime.state':
      ov.runtimeState = e.state;
      return false;
    case 'feed.degraded':
      ov.degraded = { degraded: e.degraded, reason: e.reason, ordersAllowed: e.ordersAllowed, sinceMs: e.tsEventMs, seq: e.seq };
      break;
  }
  const a = alertFromEvent(e, ov.runtimeState);
  if (!a) return e.type === 'feed.degraded';
  ov.alerts.push(a);
  if (ov.alerts.length > MAX_ALERTS) ov.alerts.splice(0, ov.alerts.length - MAX_ALERTS);
  return true;
}

const newer = <T extends Stamped>(v: T | null | undefined, seq: number): T | null => (v && v.seq > seq ? v : null);

function assetOverlay(ov: TradingOverlay, asset: string): AssetOverlay {
  let a = ov.assets.get(asset);
  if (!a) {
    if (ov.assets.size >= MAX_ASSETS) ov.assets.delete(ov.assets.keys().next().value!);
    ov.assets.set(asset, (a = { live: null, twap: null, spot: null, refRecv: null }));
  }
  return a;
}

/** One asset of the snapshot with its newer live prices; a reference point newer than the snapshot makes it fresh. */
function withPrices(a: AssetView, ov: TradingOverlay, snap: TradingSnapshot): AssetView {
  const o = ov.assets.get(a.asset);
  if (!o) return a;
  const price = (p: Price | null) => {
    const n = newer(p, snap.seq);
    return n ? { priceUsd: n.priceUsd, tsMs: n.tsMs } : null;
  };
  const recv = newer(o.refRecv, snap.seq);
  return {
    ...a,
    live: price(o.live) ?? a.live,
    twap: price(o.twap) ?? a.twap,
    spot: price(o.spot) ?? a.spot,
    ...(recv ? { refRecvMs: recv.ms, refAgeMs: Math.max(0, snap.nowMs - recv.ms), stale: false } : {}),
  };
}

function withTop(t: BookTop | null, ov: TradingOverlay, seq: number): BookTop | null {
  if (!t) return t;
  const o = newer(ov.tops.get(t.tokenId), seq);
  return o ? { tokenId: t.tokenId, bestBid: o.bestBid, bestAsk: o.bestAsk, bidSize: o.bidSize, askSize: o.askSize } : t;
}

/** The snapshot with every newer live value laid over it. Returns the snapshot itself when nothing applies. */
export function mergeTrading(snap: TradingSnapshot, ov: TradingOverlay): TradingSnapshot {
  if (ov.instanceId !== null && ov.instanceId !== snap.instanceId) return snap;
  const seq = snap.seq;
  const deg = newer(ov.degraded, seq);
  const feeds = snap.feeds.map((f) => {
    const o = newer(ov.feeds.get(f.feed), seq);
    return o ? { ...o, used: f.used } : f;
  });
  const liveAlerts = ov.alerts.filter((a) => a.seq > seq);
  const seen = new Set(snap.alerts.map((a) => a.seq));
  return {
    ...snap,
    series: snap.series.map((s) => ({
      ...s,
      current: { ...s.current, up: withTop(s.current.up, ov, seq), down: withTop(s.current.down, ov, seq) },
      next: s.next ? { ...s.next, up: withTop(s.next.up, ov, seq), down: withTop(s.next.down, ov, seq) } : null,
    })),
    assets: snap.assets.map((a) => withPrices(a, ov, snap)),
    correlation: ov.correlation && ov.correlation.seq > seq && (!snap.correlation || ov.correlation.seq > snap.correlation.seq) ? ov.correlation : snap.correlation,
    feeds,
    degraded: deg ? { degraded: deg.degraded, reason: deg.reason, ordersAllowed: deg.ordersAllowed, sinceMs: deg.sinceMs } : snap.degraded,
    alerts: liveAlerts.length ? [...liveAlerts.filter((a) => !seen.has(a.seq)).reverse(), ...snap.alerts] : snap.alerts,
  };
}

// --- server clock estimate ---

export interface ClockAnchor {
  serverMs: number;
  clientMs: number;
  rate: number;
}

export function serverNowAt(a: ClockAnchor, clientMs: number): number {
  return a.serverMs + (clientMs - a.clientMs) * a.rate;
}

/**
 * A new sample of the server clock (server time `serverMs`, seen at client time `clientMs`, usually the midpoint of
 * the request). Keeps the old anchor while it predicts the sample within `toleranceMs`.
 */
export function nextAnchor(prev: ClockAnchor | null, sample: ClockAnchor, toleranceMs = 400): ClockAnchor {
  if (!prev || prev.rate !== sample.rate) return sample;
  return Math.abs(serverNowAt(prev, sample.clientMs) - sample.serverMs) > toleranceMs ? sample : prev;
}
