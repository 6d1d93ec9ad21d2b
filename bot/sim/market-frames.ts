/**
 * Market-channel frame builders and the per-market publisher that turns book changes into `price_change`,
 * `best_bid_ask` and `book` frames exactly in the venue's shapes (reference §4.2, §9.5).
 *
 * Invariants:
 * - Prices and sizes are decimal strings; timestamps are ms strings; `market` is the 64-hex condition id.
 * - One `price_change` carries both tokens: a unified bid level at p is Up BUY @ p and Down SELL @ (1 - p).
 * - `book` levels are sent best-last (as observed on the venue).
 * - Real dialect (dialect.ts): a missing best bid/ask or last trade price is sent as "" (not omitted, not a
 *   made-up 0.5); `best_bid_ask` is sent for one-sided books too.
 */
import { createHash } from 'node:crypto';
import { formatDecimal } from '../protocol/common';
import { type BookSide, MICRO, type Outcome } from './book';
import { absentDecimal, type Dialect } from './dialect';
import type { SimHub } from './hub';
import type { SimMarket } from './market';

const PX = Array.from({ length: 1001 }, (_v, i) => formatDecimal(i / 1000, 3));
/** Price string for thousandths (table lookup; prices are always whole thousandths). */
export const px = (milli: number): string => PX[milli] ?? formatDecimal(milli / 1000, 3);
/** Size string for integer micro-shares, trailing zeros trimmed ("35.5", "120"). */
export function sz(micro: number): string {
  if (!Number.isInteger(micro) || micro < 0) return formatDecimal(micro / MICRO, 6);
  const whole = Math.floor(micro / MICRO);
  let frac = micro % MICRO;
  if (frac === 0) return String(whole);
  let digits = 6;
  while (frac % 10 === 0) {
    frac /= 10;
    digits--;
  }
  return `${whole}.${String(frac).padStart(digits, '0')}`;
}

export const tickStr = (tickMilli: number): string => (tickMilli === 1 ? '0.001' : '0.01');

function sha1(s: string): string {
  return createHash('sha1').update(s).digest('hex');
}

/** Last trade price of a token: its own price, or (no trade yet) "" on the real venue and the docs' "0.5" in tidy. */
function lastTradeText(m: SimMarket, outcome: Outcome, d: Dialect): string {
  if (m.lastTradeMilli === undefined) return absentDecimal(d) ?? '0.5';
  return px(outcome === 'Up' ? m.lastTradeMilli : 1000 - m.lastTradeMilli);
}

export function bookSummary(m: SimMarket, outcome: Outcome, nowMs: number, d: Dialect) {
  const v = m.book.view(outcome);
  const body = {
    market: m.conditionId,
    asset_id: m.tokenFor(outcome),
    timestamp: String(nowMs),
    hash: '',
    bids: v.bids.map(([p, s]) => ({ price: px(p), size: sz(s) })),
    asks: v.asks.map(([p, s]) => ({ price: px(p), size: sz(s) })),
    min_order_size: String(m.minOrderSize),
    tick_size: tickStr(m.tickMilli),
    neg_risk: false,
    last_trade_price: lastTradeText(m, outcome, d),
  };
  body.hash = sha1(JSON.stringify(body));
  return body;
}

export function bookEvent(m: SimMarket, outcome: Outcome, nowMs: number, d: Dialect) {
  const s = bookSummary(m, outcome, nowMs, d);
  return {
    event_type: 'book' as const,
    asset_id: s.asset_id,
    market: s.market,
    bids: s.bids,
    asks: s.asks,
    timestamp: s.timestamp,
    hash: s.hash,
    tick_size: s.tick_size,
    last_trade_price: s.last_trade_price,
    ...(m.version === 'v2' ? { version: 'v2' } : {}),
  };
}

interface Top {
  bid?: number;
  ask?: number;
}

/** Flushes book changes of one market to the hub. */
export class MarketPublisher {
  private readonly lastTop = new Map<string, Top>();
  private hashSeq = 0;

  constructor(
    private readonly hub: SimHub,
    private readonly d: Dialect,
  ) {}

  flush(m: SimMarket, nowMs: number): void {
    const dirty = m.book.drainDirty();
    if (dirty.length === 0) return;
    if (!this.hub.wantsMarket()) {
      this.lastTop.set(m.upTokenId, m.book.top('Up'));
      this.lastTop.set(m.downTokenId, m.book.top('Down'));
      return;
    }
    const upTop = m.book.top('Up');
    const downTop = m.book.top('Down');
    const changes: object[] = [];
    for (const d of dirty) {
      const size = m.book.levelSize(d.side, d.priceMilli);
      changes.push(this.change(m, 'Up', d.side, d.priceMilli, size, upTop));
      changes.push(this.change(m, 'Down', d.side, d.priceMilli, size, downTop));
    }
    const ids = [m.upTokenId, m.downTokenId];
    this.hub.publishMarket(m.conditionId, ids, false, { event_type: 'price_change', market: m.conditionId, price_changes: changes, timestamp: String(nowMs) });
    for (const [o, top] of [['Up', upTop], ['Down', downTop]] as const) {
      const id = m.tokenFor(o);
      const prev = this.lastTop.get(id);
      if (prev && prev.bid === top.bid && prev.ask === top.ask) continue;
      this.lastTop.set(id, top);
      const none = absentDecimal(this.d);
      if ((top.bid === undefined || top.ask === undefined) && none === undefined) continue;
      this.hub.publishMarket(m.conditionId, [id], true, {
        event_type: 'best_bid_ask',
        asset_id: id,
        market: m.conditionId,
        best_bid: top.bid === undefined ? none : px(top.bid),
        best_ask: top.ask === undefined ? none : px(top.ask),
        spread: top.bid === undefined || top.ask === undefined ? none : px(top.ask - top.bid),
        timestamp: String(nowMs),
      });
    }
  }

  private change(m: SimMarket, o: Outcome, side: BookSide, unifiedMilli: number, sizeMicro: number, top: Top) {
    const ownMilli = o === 'Up' ? unifiedMilli : 1000 - unifiedMilli;
    const ownSide = (side === 'bid') === (o === 'Up') ? 'BUY' : 'SELL';
    const entry: Record<string, string> = { asset_id: m.tokenFor(o), price: px(ownMilli), size: sz(sizeMicro), side: ownSide };
    // The venue's per-entry hash is opaque; a per-publisher sequence keeps it unique, 40-hex and cheap.
    entry.hash = (++this.hashSeq).toString(16).padStart(40, '0');
    const none = absentDecimal(this.d);
    if (top.bid !== undefined) entry.best_bid = px(top.bid);
    else if (none !== undefined) entry.best_bid = none;
    if (top.ask !== undefined) entry.best_ask = px(top.ask);
    else if (none !== undefined) entry.best_ask = none;
    return entry;
  }

  snapshots(m: SimMarket, nowMs: number): void {
    for (const o of ['Up', 'Down'] as const) this.hub.publishMarket(m.conditionId, [m.tokenFor(o)], false, bookEvent(m, o, nowMs, this.d));
  }

  lastTrade(m: SimMarket, o: Outcome, ownMilli: number, sizeMicro: number, takerSide: 'BUY' | 'SELL', txHash: string, nowMs: number): void {
    this.hub.publishMarket(m.conditionId, [m.tokenFor(o)], false, {
      event_type: 'last_trade_price',
      asset_id: m.tokenFor(o),
      market: m.conditionId,
      price: px(ownMilli),
      size: sz(sizeMicro),
      fee_rate_bps: '0',
      side: takerSide,
      timestamp: String(nowMs),
      transaction_hash: txHash,
    });
  }

  tickChange(m: SimMarket, oldTick: number, nowMs: number): void {
    for (const o of ['Up', 'Down'] as const) {
      this.hub.publishMarket(m.conditionId, [m.tokenFor(o)], false, {
        event_type: 'tick_size_change',
        asset_id: m.tokenFor(o),
        market: m.conditionId,
        old_tick_size: tickStr(oldTick),
        new_tick_size: tickStr(m.tickMilli),
        timestamp: String(nowMs),
      });
    }
  }

  resolved(m: SimMarket, nowMs: number): void {
    const winner = m.winner === 'Down' ? m.downTokenId : m.upTokenId;
    this.hub.publishMarket(m.conditionId, [m.upTokenId, m.downTokenId], true, {
      event_type: 'market_resolved',
      id: m.marketId,
      market: m.conditionId,
      assets_ids: [m.upTokenId, m.downTokenId],
      winning_asset_id: winner,
      winning_outcome: m.winner ?? 'Up',
      timestamp: String(nowMs),
    });
  }
}
