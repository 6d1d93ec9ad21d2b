/**
 * Conformance over REAL venue traffic (tests/fixtures/polymarket/real/, provenance and licences in its README):
 * every frame is parsed with the bot's own wire schemas and normalisers, and the normalised result is compared
 * field by field with the frame's `expect` block (prices and sizes as strings, null = absent or "", side
 * upper-cased, trade status without its TRADE_STATUS_ prefix, best bid/ask = max bid / min ask over all levels).
 * A second block feeds real frames through the feeds themselves (books become ready, fills are ours) — the two
 * failures that kept the first build from ever trading on the venue.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as P from '../../../bot/protocol';
import { restOrderToVenue, tradeToFills, wsOrderToVenue } from '../../../bot/execution/user-normalize';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { ClobMarketFeed, PolyboltFeed, RtdsFeed } from '../../../bot/feeds';

import { Prng } from '../../../bot/util/prng';
import { ReferenceStore } from '../../../bot/core';
import { type ClobPublicClient } from '../../../bot/http';

interface Frame {
  id: string;
  surface: string;
  raw: unknown;
  http_status?: number;
  expect: Record<string, unknown>;
}
const load = (name: string): Frame[] => (JSON.parse(readFileSync(join(__dirname, '../../fixtures/polymarket/real', name), 'utf8')) as { frames: Frame[] }).frames;
const nul = <T>(v: T | undefined | null): T | null => (v === undefined || v === null ? null : v);
const best = (levels: readonly { price: string }[], pick: 'max' | 'min'): string | null => {
  if (levels.length === 0) return null;
  const sorted = [...levels].sort((a, b) => Number(a.price) - Number(b.price));
  return (pick === 'max' ? sorted[sorted.length - 1] : sorted[0])!.price;
};

// ---- normalisers: our parse result in the vocabulary of the fixtures' `expect` blocks ----

function bookFacts(b: { asset_id: string; market: string; timestamp?: string | number; hash?: string; bids: { price: string }[]; asks: { price: string }[]; tick_size?: string; last_trade_price?: string; version?: string }) {
  return {
    asset_id: b.asset_id, market: b.market, timestamp: nul(b.timestamp === undefined ? undefined : String(b.timestamp)), hash: nul(b.hash),
    bestBid: best(b.bids, 'max'), bestAsk: best(b.asks, 'min'), levels: { bids: b.bids.length, asks: b.asks.length },
    tickSize: nul(b.tick_size), lastTradePrice: nul(b.last_trade_price), version: nul(b.version),
  };
}

function marketEventFacts(e: P.MarketWsEvent): Record<string, unknown> {
  switch (e.event_type) {
    case 'book':
      return { event_type: 'book', ...bookFacts(e) };
    case 'price_change':
      return {
        event_type: 'price_change', market: e.market, timestamp: nul(e.timestamp === undefined ? undefined : String(e.timestamp)),
        changes: P.normalizePriceChange(e).map((c) => ({ asset_id: c.asset_id, price: c.price, size: c.size, side: c.side, hash: nul(c.hash), bestBid: nul(c.best_bid), bestAsk: nul(c.best_ask) })),
      };
    case 'last_trade_price':
      return {
        event_type: e.event_type, asset_id: e.asset_id, market: e.market, price: e.price, size: nul(e.size), side: e.side,
        feeRateBps: nul(e.fee_rate_bps), timestamp: nul(e.timestamp === undefined ? undefined : String(e.timestamp)), transactionHash: nul(e.transaction_hash),
      };
    case 'best_bid_ask':
      return {
        event_type: e.event_type, asset_id: e.asset_id, market: e.market, bestBid: nul(e.best_bid), bestAsk: nul(e.best_ask), spread: nul(e.spread),
        timestamp: nul(e.timestamp === undefined ? undefined : String(e.timestamp)),
      };
    case 'new_market':
      return {
        event_type: e.event_type, id: e.id, market: e.market, conditionId: nul(e.condition_id), slug: nul(e.slug), assetIds: nul(e.assets_ids),
        clobTokenIds: nul(e.clob_token_ids), outcomes: nul(e.outcomes), active: nul(e.active), orderPriceMinTickSize: nul(e.order_price_min_tick_size),
        timestamp: nul(e.timestamp === undefined ? undefined : String(e.timestamp)),
      };
    default:
      return { event_type: e.event_type };
  }
}

/** Compare only the keys our normaliser produces, and require that it produces most of what the fixture states. */
function expectFacts(id: string, ours: Record<string, unknown>, want: Record<string, unknown>, minShare = 0.6): void {
  const keys = Object.keys(ours);
  const covered = keys.filter((k) => k in want);
  expect(covered.length / Object.keys(want).length, `${id}: normaliser covers too few of the fixture's facts`).toBeGreaterThanOrEqual(minShare);
  const picked = Object.fromEntries(covered.map((k) => [k, want[k]]));
  const mine = Object.fromEntries(covered.map((k) => [k, ours[k]]));
  expect(mine, id).toEqual(picked);
}

describe('real market-socket frames', () => {
  const frames = load('market-ws.json');
  it('every frame parses (no bad element) and its normalised facts equal the fixture', () => {
    expect(frames.length).toBeGreaterThanOrEqual(10);
    const types = new Set<string>();
    for (const f of frames) {
      const r = P.parseMarketFrame(f.raw as string);
      if (f.expect.keepalive) {
        expect(r.kind, f.id).toBe('pong');
        continue;
      }
      expect(r.kind, f.id).toBe('events');
      if (r.kind !== 'events') continue;
      expect(r.dropped, f.id).toEqual([]);
      const want = (f.expect.events as Record<string, unknown>[] | undefined) ?? [f.expect];
      // new_market and the rest: types we know; anything else would be counted as unknown.
      expect(r.unknownTypes, f.id).toEqual([]);
      expect(r.events.length, f.id).toBe(want.length);
      r.events.forEach((e, i) => {
        types.add(e.event_type);
        const w = { ...want[i]! };
        delete w.frameIsArray;
        expectFacts(`${f.id}[${i}]`, marketEventFacts(e), w, e.event_type === 'new_market' ? 0.5 : 0.8);
      });
      expect(Array.isArray(JSON.parse(f.raw as string)), f.id).toBe(f.expect.frameIsArray ?? false);
    }
    expect([...types].sort()).toEqual(['best_bid_ask', 'book', 'last_trade_price', 'new_market', 'price_change']);
  });

  it('real book frames make a followed book ready, with the best levels taken from anywhere in the arrays', () => {
    const clock = new SimClock(1_800_000_000_000);
    const bus = new EventBus({ clock });
    const feed = new ClobMarketFeed({ url: 'ws://127.0.0.1:9', clock, bus, prng: new Prng('conf'), rest: {} as ClobPublicClient });
    const books = frames.filter((f) => !f.expect.keepalive && (f.expect.event_type === 'book' || (f.expect.events as { event_type: string }[] | undefined)?.[0]?.event_type === 'book'));
    expect(books.length).toBeGreaterThanOrEqual(4);
    let checked = 0;
    for (const f of books) {
      const e = ((f.expect.events as Record<string, unknown>[] | undefined)?.[0] ?? f.expect) as { asset_id: string; bestBid: string | null; bestAsk: string | null };
      feed.setAssets([e.asset_id]);
      feed.ingest(f.raw as string);
      const b = feed.book(e.asset_id)!;
      expect(b.ready, f.id).toBe(true);
      expect(b.bestBid() ?? null, f.id).toBe(e.bestBid === null ? null : Number(e.bestBid));
      expect(b.bestAsk() ?? null, f.id).toBe(e.bestAsk === null ? null : Number(e.bestAsk));
      checked++;
    }
    expect(checked).toBe(books.length);
    expect(feed.conn.health.badFrames).toBe(0);
  });
});

describe('real user-socket frames', () => {
  const frames = load('user-ws.json');
  it('orders and trades normalise (status spellings, "" fees, nulls) to the fixture facts', () => {
    let orders = 0;
    let trades = 0;
    for (const f of frames) {
      const r = P.parseUserFrame(f.raw as string);
      expect(r.kind, f.id).toBe('events');
      if (r.kind !== 'events') continue;
      expect(r.dropped, f.id).toEqual([]);
      expect(r.events).toHaveLength(1);
      const e = r.events[0]!;
      if (e.event_type === 'order') {
        orders++;
        const v = wsOrderToVenue(e);
        expectFacts(f.id, {
          event_type: 'order', id: e.id, type: e.type, status: v.status, side: v.side, price: e.price, originalSize: e.original_size, sizeMatched: e.size_matched,
          associateTrades: nul(e.associate_trades), createdAt: nul(e.created_at === undefined ? undefined : String(e.created_at)), orderType: nul(e.order_type),
          timestamp: String(e.timestamp),
        }, f.expect, 1);
      } else {
        trades++;
        expectFacts(f.id, {
          event_type: 'trade', id: e.id, status: e.status, statusRaw: JSON.parse(f.raw as string).status, side: e.side, price: e.price, size: e.size,
          feeRateBps: nul(e.fee_rate_bps), matchTime: nul(e.match_time ?? e.matchtime), transactionHash: nul(e.transaction_hash), traderSide: nul(e.trader_side),
          makerOrders: (e.maker_orders ?? []).map((m) => ({ orderId: m.order_id, matchedAmount: m.matched_amount, price: m.price, feeRateBps: nul(m.fee_rate_bps), side: nul(m.side) })),
          timestamp: nul(e.timestamp === undefined ? undefined : String(e.timestamp)),
        }, f.expect, 1);
        // Our fills from it: the taker side when the taker order is ours, one per maker order of ours.
        const fills = tradeToFills(e, { apiKey: 'none', isOurOrder: (id) => id === e.taker_order_id || (e.maker_orders ?? []).some((m) => m.order_id === id) });
        expect(fills.length, f.id).toBe(1 + (e.maker_orders ?? []).length);
        for (const x of fills) expect(x.status, f.id).toBe(e.status === 'MATCHED_NOT_BROADCASTED' ? 'MATCHED' : e.status);
        expect(fills[0]!.price, f.id).toBe(Number(e.price));
      }
    }
    expect(orders).toBeGreaterThanOrEqual(2);
    expect(trades).toBeGreaterThanOrEqual(4);
  });
});

describe('real CLOB REST bodies', () => {
  const frames = load('clob-rest.json');
  it('books, market info, post answers, cancels and ledger elements normalise to the fixture facts', () => {
    const seen = new Set<string>();
    for (const f of frames) {
      seen.add(f.surface);
      const raw = f.raw as Record<string, unknown>;
      if (f.surface === 'GET /book') {
        const b = P.OrderBookSummary.parse(raw);
        expectFacts(f.id, { ...bookFacts(b), minOrderSize: nul(b.min_order_size), negRisk: nul(b.neg_risk) }, f.expect, 1);
      } else if (f.surface.startsWith('GET /clob-markets')) {
        if ('error' in f.expect) {
          expect(P.ErrorBody.parse(raw).error, f.id).toBe(f.expect.error);
          continue;
        }
        const m = P.ClobMarketInfo.parse(raw);
        expectFacts(f.id, {
          conditionId: nul(m.c), tokens: m.t.map((t) => ({ tokenId: t.t, outcome: t.o })), minTickSize: m.mts, minOrderSize: m.mos, makerBaseFee: nul(m.mbf),
          takerBaseFee: nul(m.tbf), acceptingOrders: nul(m.ao), acceptingOrdersTimestamp: nul(m.aot), takerOrderDelay: nul(m.itode), feeDetails: nul(m.fd),
          negRisk: m.nr ?? false, version: nul(m.v),
        }, f.expect, 1);
      } else if (f.surface === 'POST /order') {
        if ('error' in raw) {
          // HTTP 400 `{error}`: a rejection carrying the venue's message.
          expect(f.http_status ?? 400).toBeGreaterThanOrEqual(400);
          expect(P.ErrorBody.parse(raw).error, f.id).toBe(f.expect.error);
          expect(f.expect.accepted).toBe(false);
          continue;
        }
        const r = P.PostOrderResponse.parse(raw);
        expectFacts(f.id, {
          accepted: P.isOrderAccepted(r), success: r.success, errorMsg: r.errorMsg || null, orderID: r.orderID || null, status: r.status || null,
          makingAmount: r.makingAmount === '0' ? null : r.makingAmount, takingAmount: r.takingAmount === '0' ? null : r.takingAmount, tradeIDs: r.tradeIDs?.length ? r.tradeIDs : null,
        }, f.expect, 1);
      } else if (f.surface.startsWith('DELETE')) {
        const c = P.CancelResponse.parse(raw);
        expectFacts(f.id, { canceled: c.canceled, notCanceled: c.not_canceled }, f.expect, 1);
      } else if (f.surface.startsWith('GET /data/orders')) {
        const o = P.OpenOrder.parse(raw);
        const v = restOrderToVenue(o);
        expectFacts(f.id, {
          id: o.id, status: v.status, side: v.side, price: o.price, originalSize: o.original_size, sizeMatched: o.size_matched, createdAt: o.created_at,
          expiration: nul(o.expiration === undefined ? undefined : String(o.expiration)), orderType: nul(o.order_type),
        }, f.expect, 1);
      } else if (f.surface.startsWith('GET /data/trades')) {
        const t = P.RestTrade.parse(raw);
        expectFacts(f.id, {
          id: t.id, status: t.status, statusRaw: raw.status, side: t.side, price: t.price, size: t.size, feeRateBps: nul(t.fee_rate_bps), matchTime: nul(t.match_time),
          transactionHash: nul(t.transaction_hash), traderSide: nul(t.trader_side),
          makerOrders: (t.maker_orders ?? []).map((m) => ({ orderId: m.order_id, matchedAmount: m.matched_amount, price: m.price, feeRateBps: nul(m.fee_rate_bps), side: nul(m.side) })),
        }, f.expect, 1);
      } else throw new Error(`${f.id}: no normaliser for surface ${f.surface}`);
    }
    expect([...seen].length).toBeGreaterThanOrEqual(6);
  });
});

describe('real PolyBolt frames', () => {
  const frames = load('polybolt.json');
  it('control and data frames (no source, string or number values) normalise to the fixture facts', () => {
    let data = 0;
    for (const f of frames) {
      const r = P.PolyboltServerFrame.safeParse(JSON.parse(f.raw as string));
      expect(r.success, `${f.id}: ${r.success ? '' : P.issueText(r.error)}`).toBe(true);
      if (!r.success) continue;
      const x = r.data;
      if ('op' in x) {
        expectFacts(f.id, { kind: 'control', op: x.op, code: 'code' in x ? nul(x.code) : null, channel: 'channel' in x ? nul(x.channel) : null, rid: nul(x.rid) }, f.expect, 1);
        continue;
      }
      data++;
      const p = x.payload;
      const base = { kind: 'data', v: x.v, channel: x.channel, seq: x.seq, ts: x.ts, snapshot: x.snapshot ?? false };
      if (p === null) {
        // Not a crypto channel: parsed as an envelope only (the feed counts it as unknown).
        const rawPayload = JSON.parse(f.raw as string).payload as unknown;
        expectFacts(f.id, { ...base, points: Array.isArray(rawPayload) ? rawPayload.length : -1 }, f.expect, 0.5);
      } else if ('data' in p) {
        const first = p.data[0];
        expectFacts(f.id, {
          ...base, symbol: nul(p.symbol), source: nul(p.source), windowSeconds: nul(p.window_seconds), points: p.data.length,
          firstValue: first ? Number(first.value) : null, firstFullAccuracyValue: nul(first?.full_accuracy_value),
        }, f.expect, 1);
        if (first) expect(P.pointValue(first)).toBeCloseTo(Number(f.expect.firstFullAccuracyValue), 6);
      } else {
        expectFacts(f.id, {
          ...base, symbol: p.symbol, source: nul(p.source), windowSeconds: nul(p.window_seconds), value: Number(p.value),
          fullAccuracyValue: nul(p.full_accuracy_value), timestamp: p.timestamp,
        }, f.expect, 1);
      }
    }
    expect(data).toBeGreaterThanOrEqual(5);
  });

  it('the real frames feed the reference: btcusd points land, other symbols and channels never do', () => {
    const clock = new SimClock(1_788_886_178_000);
    const bus = new EventBus({ clock });
    const store = new ReferenceStore();
    const feed = new PolyboltFeed({ url: 'ws://127.0.0.1:9', clock, bus, prng: new Prng('pb'), creds: { key: 'k', secret: 's', passphrase: 'p' }, store });
    for (const f of frames) feed.ingest(f.raw as string);
    const live = frames.find((f) => f.id === 'pb-live-crypto-btcusd')!.expect;
    const twap = frames.find((f) => f.id === 'pb-live-twap-btcusd')!.expect;
    expect(store.live.latest()?.price).toBeCloseTo(Number(live.fullAccuracyValue), 6);
    expect(store.twap.latest()?.price).toBeCloseTo(Number(twap.fullAccuracyValue), 6);
    expect(feed.conn.health.badFrames).toBe(0);
    // btcusdt and price.polymarket frames were not ours: counted as unknown, never stored.
    expect(feed.conn.health.unknownEvents).toBeGreaterThanOrEqual(2);
  });
});

describe('real Gamma bodies', () => {
  const frames = load('gamma.json');
  it('the market and the keyset page parse, and Up/Down map by market.version', () => {
    const market = frames.find((f) => f.surface === 'GET /markets/{id}')!;
    const m = P.GammaMarket.parse(market.raw);
    const pair = P.marketTokenPair(m);
    const ids = market.expect.clobTokenIds as string[];
    expect(pair).toEqual({ ok: true, upTokenId: ids[0], downTokenId: ids[1], version: market.expect.version });
    expect(P.parseJsonStringArray(m.outcomePrices!)).toEqual(market.expect.outcomePrices);
    expect(m.orderPriceMinTickSize).toBe(market.expect.orderPriceMinTickSize);
    expect(m.feeSchedule).toEqual(market.expect.feeSchedule);
    const keyset = frames.find((f) => f.surface === 'GET /events/keyset')!;
    const k = P.GammaKeysetResponse.parse(keyset.raw);
    expect(k.events.map((e) => e.slug)).toEqual(keyset.expect.eventSlugs);
    expect(k.next_cursor).toBe(keyset.expect.nextCursor);
    expect(k.events.map((e) => P.marketTokenPair(e.markets[0]!).ok)).toEqual(k.events.map(() => true));
  });
});

describe('real legacy RTDS frames', () => {
  const frames = load('rtds.json');
  it('updates and snapshots parse with their facts; the greeting and the refusal are not data', () => {
    let data = 0;
    for (const f of frames) {
      const text = f.raw as string;
      if (f.expect.empty) {
        expect(text.trim()).toBe('');
        continue;
      }
      const raw = JSON.parse(text);
      if ('statusCode' in f.expect) {
        const e = P.RtdsErrorEnvelope.parse(raw);
        expect(e.statusCode).toBe(f.expect.statusCode);
        continue;
      }
      const m = P.RtdsMessage.parse(raw);
      data++;
      const p = m.payload;
      const base = { topic: m.topic, type: m.type, timestamp: m.timestamp, connectionId: nul(m.connection_id) };
      if ('data' in p) {
        expectFacts(f.id, { ...base, symbol: nul(p.symbol), points: p.data.length, firstValue: p.data[0]?.value ?? null, firstFullAccuracyValue: nul(p.data[0]?.full_accuracy_value) }, f.expect, 0.8);
      } else {
        expectFacts(f.id, { ...base, symbol: p.symbol, windowS: nul(p.window_s), value: p.value, fullAccuracyValue: nul(p.full_accuracy_value), payloadTimestamp: p.timestamp }, f.expect, 1);
      }
    }
    expect(data).toBeGreaterThanOrEqual(5);
  });

  it('the legacy feed keeps Chainlink live and TWAP-60 apart and ignores Binance and TWAP-30', () => {
    const clock = new SimClock(1_788_600_390_000);
    const bus = new EventBus({ clock });
    const store = new ReferenceStore();
    const errors: string[] = [];
    bus.on('runtime.error', (e) => errors.push(e.message));
    const feed = new RtdsFeed({ url: 'ws://127.0.0.1:9', clock, bus, prng: new Prng('rtds'), store });
    for (const f of frames) feed.ingest(f.raw as string);
    const live = frames.find((f) => f.id === 'rtds-px-chainlink-spot-update')!.expect;
    const twap = frames.find((f) => f.id === 'rtds-px-twap-sixty-update')!.expect;
    expect(store.live.latest()?.price).toBe(live.value);
    expect(store.twap.latest()?.price).toBe(twap.value);
    // Only the Chainlink update is live and only the TWAP-60 update is TWAP (Binance and TWAP-30 never land).
    expect(store.live.all().map((x) => x.price)).toEqual([live.value]);
    expect(store.twap.all().map((x) => x.price)).toEqual([twap.value]);
    expect(feed.conn.health.badFrames).toBe(0);
    expect(feed.conn.health.unknownEvents).toBeGreaterThanOrEqual(3);
    expect(errors.some((m) => /RTDS refused: HTTP 401/.test(m))).toBe(true);
  });
});

describe('open enums: order statuses the venue may add', () => {
  it('an unknown order status is kept raw (UNKNOWN) and never read as filled or cancelled', () => {
    const el = load('clob-rest.json').find((f) => f.surface.startsWith('GET /data/orders'))!.raw as Record<string, unknown>;
    const v = restOrderToVenue(P.OpenOrder.parse({ ...el, status: 'ON_HOLD', order_type: 'IOC' }));
    expect(v.status).toBe('UNKNOWN');
    expect(v.statusRaw).toBe('ON_HOLD');
    expect(P.ORDER_TYPE.known('IOC')).toBeUndefined();
    expect(P.ORDER_STATUS.known('live')).toBe('LIVE');
    const ws = wsOrderToVenue(P.UserOrderEvent.parse({ event_type: 'order', id: '0x1', owner: 'o', market: '0xab', asset_id: '1', side: 'buy', original_size: '10', size_matched: '0', price: '0.5', type: 'update', status: 'PENDING_NEW', timestamp: '1' }));
    expect(ws).toMatchObject({ status: 'UNKNOWN', statusRaw: 'PENDING_NEW', side: 'BUY' });
  });
});
