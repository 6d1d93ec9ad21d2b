/**
 * Builds the read-only StrategyContext parts from the trading port: market views (windows + best-first books),
 * the reference view (1 s Chainlink history, TWAP-60, spot, stale flag) and a strategy's open orders.
 *
 * Invariants: views are rebuilt from current state on every call (no caching across events, so they are never
 * stale); windows forgotten after resolution are not shown; book levels are best-first, positive sizes only.
 */
import type { TrackedOrder } from '../execution';
import type { WindowRecord } from '../markets';
import type { BookView, MarketView, OpenOrderView, ReferenceView } from '../strategies/context';
import type { StrategyPort } from './strategy-port';

const DEPTH = 20;
const REFERENCE_HISTORY = 240;

export function bookView(port: StrategyPort, tokenId: string): BookView {
  const b = port.book(tokenId);
  if (!b) return { tokenId, bids: [], asks: [], fresh: false, updatedMs: 0 };
  return {
    tokenId,
    bids: b.levels('bid', DEPTH).filter((l) => l.size > 0),
    asks: b.levels('ask', DEPTH).filter((l) => l.size > 0),
    fresh: port.isBookFresh(tokenId),
    updatedMs: b.lastUpdateMs,
  };
}

export function marketView(port: StrategyPort, r: WindowRecord): MarketView {
  const state = r.state === 'discovered' ? 'upcoming' : r.state;
  return {
    slug: r.window.slug,
    asset: r.window.asset,
    windowSec: (r.window.endMs - r.window.startMs) / 1000,
    startMs: r.window.startMs,
    endMs: r.window.endMs,
    upTokenId: r.upTokenId,
    downTokenId: r.downTokenId,
    tickSize: r.tickSize,
    minOrderSize: r.minOrderSize,
    fee: { rate: r.fees.rate, exponent: r.fees.exponent, takerOnly: r.fees.takerOnly },
    state,
    up: bookView(port, r.upTokenId),
    down: bookView(port, r.downTokenId),
    ...(r.priceToBeat !== undefined ? { priceToBeat: r.priceToBeat } : {}),
    ...(r.winner ? { winner: r.winner } : {}),
  };
}

export function marketViews(port: StrategyPort): MarketView[] {
  return port.windows().map((r) => marketView(port, r));
}

export function referenceView(port: StrategyPort): ReferenceView {
  const ref = port.reference;
  const all = ref.live.all();
  const history = all.length > REFERENCE_HISTORY ? all.slice(all.length - REFERENCE_HISTORY) : all;
  const latest = ref.live.latest();
  const twap = ref.twap.latest();
  return {
    ...(latest ? { latest } : {}),
    history,
    ...(twap ? { twap60: twap } : {}),
    ...(ref.spot ? { spot: ref.spot } : {}),
    stale: port.referenceStale(),
  };
}

export function openOrderViews(orders: readonly TrackedOrder[]): OpenOrderView[] {
  return orders.map((o) => ({
    clientTag: o.clientTag,
    tokenId: o.tokenId,
    side: o.side,
    price: o.price,
    size: o.size ?? (o.usd !== undefined && o.price > 0 ? o.usd / o.price : 0),
    filledSize: o.filledSize,
    postOnly: o.postOnly,
  }));
}
