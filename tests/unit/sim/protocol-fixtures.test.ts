/** The reference §9 test vectors (tests/fixtures/polymarket) parse with the shared wire schemas in bot/protocol. */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as P from '../../../bot/protocol';

const fx = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../fixtures/polymarket', name), 'utf8'));

describe('gamma vectors', () => {
  const g = fx('gamma.json');
  it('parses the v1 event and maps Up/Down by version', () => {
    const ev = P.GammaEvent.parse(g.event15m);
    expect(typeof ev.markets[0]!.clobTokenIds).toBe('string');
    const pair = P.marketTokenPair(ev.markets[0]!);
    expect(pair).toEqual({ ok: true, upTokenId: fx('ids.json').upTokenId, downTokenId: fx('ids.json').downTokenId, version: 'v1' });
  });
  it('parses the resolved and v2 variants', () => {
    const r = P.GammaEvent.parse(g.event15mResolved);
    expect(P.parseJsonStringArray(r.markets[0]!.outcomePrices!)).toEqual(['1', '0']);
    const v2 = P.GammaEvent.parse(g.eventV2);
    const pair = P.marketTokenPair(v2.markets[0]!);
    expect(pair.ok && pair.upTokenId.endsWith('152')).toBe(true);
    expect(P.clobConditionId(v2.markets[0]!.conditionId)).toBe(g.v2ClobConditionId);
    expect(P.GammaKeysetResponse.parse(g.keyset).events).toHaveLength(1);
  });
  it('rejects a missing version and non-canonical ids', () => {
    const m = P.GammaMarket.parse({ ...g.event15m.markets[0], version: undefined });
    expect(P.marketTokenPair(m).ok).toBe(false);
    const bad = P.GammaMarket.parse({ ...g.event15m.markets[0], clobTokenIds: '["0123", "5"]' });
    expect(P.marketTokenPair(bad).ok).toBe(false);
  });
});

describe('clob rest vectors', () => {
  const c = fx('clob-rest.json');
  it('parses every public market-data vector', () => {
    expect(P.ServerTime.parse(c.time)).toBe(1791241812);
    P.TickSizeResponse.parse(c.tickSize);
    P.NegRiskResponse.parse(c.negRisk);
    P.FeeRateResponse.parse(c.feeRate);
    P.PriceResponse.parse(c.priceBuy);
    P.PriceResponse.parse(c.priceSell);
    P.MidpointResponse.parse(c.midpoint);
    P.MidpointResponse.parse(c.midpointLegacy);
    P.ErrorBody.parse(c.bookUnknown.body);
    P.ErrorBody.parse(c.bookInvalid.body);
    const book = P.OrderBookSummary.parse(c.book);
    expect(Math.max(...book.bids.map((l) => Number(l.price)))).toBe(0.5);
    P.ClobMarketInfo.parse(c.clobMarket);
    P.BalanceAllowance.parse(c.balance);
  });
  it('rejects numbers where the venue sends strings', () => {
    expect(P.OrderBookSummary.safeParse({ ...c.book, asset_id: 1 }).success).toBe(false);
    expect(P.OrderBookSummary.safeParse({ ...c.book, bids: [{ price: 0.5, size: '1' }] }).success).toBe(false);
  });
});

describe('auth and order vectors', () => {
  const a = fx('auth.json');
  const o = fx('orders.json');
  it('auth shapes and the HMAC vector', () => {
    P.ApiCreds.parse(a.apiKey);
    P.ErrorBody.parse(a.badL1.body);
    const v = a.hmacVector;
    const key = Buffer.from(v.secret, 'base64');
    const sig = createHmac('sha256', key).update(`${v.timestamp}${v.method}${v.path}${v.body}`).digest('base64').replace(/\+/g, '-').replace(/\//g, '_');
    expect(sig).toBe(v.signature);
  });
  it('order responses, errors, cancels, queries, heartbeats', () => {
    for (const r of o.postSuccess) expect(P.isOrderAccepted(P.PostOrderResponse.parse(r))).toBe(true);
    for (const e of o.postErrors) P.ErrorBody.parse(e.body);
    expect(P.isOrderAccepted(P.PostOrderResponse.parse(o.legacyFailure))).toBe(false);
    P.ErrorBody.parse(o.batchTooMany.body);
    const batch = P.PostOrdersResponse.parse(o.batchMixed);
    expect(batch.map(P.isOrderAccepted)).toEqual([true, false]);
    P.CancelResponse.parse(o.cancelOk);
    P.CancelResponse.parse(o.cancelMatched);
    expect(P.OpenOrdersPage.parse(o.openOrders).next_cursor).toBe(P.END_CURSOR);
    // REST spells the status TRADE_STATUS_CONFIRMED; the schema normalises both spellings to the bare form.
    expect(o.trades.data[0].status).toBe('TRADE_STATUS_CONFIRMED');
    expect(P.TradesPage.parse(o.trades).data[0]!.status).toBe('CONFIRMED');
    P.HeartbeatResponse.parse(o.heartbeat.first.body);
    P.HeartbeatError.parse(o.heartbeat.stale.body);
    P.LegacyHeartbeatResponse.parse(o.heartbeat.legacy.body);
  });
});

describe('websocket vectors', () => {
  it('market frames: object, array, PONG, legacy price_change', () => {
    const m = fx('market-ws.json');
    P.MarketSubscribe.parse(m.subscribe);
    const kinds: string[] = [];
    for (const f of m.frames) {
      const r = P.parseMarketFrame(f);
      expect(r.kind, f).not.toBe('invalid');
      if (r.kind === 'events') kinds.push(...r.events.map((e) => e.event_type));
    }
    expect(kinds).toEqual(['book', 'price_change', 'price_change', 'last_trade_price', 'tick_size_change', 'best_bid_ask', 'new_market', 'market_resolved']);
    const legacy = P.parseMarketFrame(m.legacyPriceChange);
    expect(legacy.kind).toBe('events');
    if (legacy.kind === 'events' && legacy.events[0]!.event_type === 'price_change') {
      expect(P.normalizePriceChange(legacy.events[0]!)).toEqual([{ asset_id: fx('ids.json').upTokenId, price: '0.4', size: '3300', side: 'SELL' }]);
    }
    // Malformed JSON is invalid; a schema failure drops the element (counted by the feed); an unknown type is kept apart.
    for (const bad of m.invalidFrames) {
      const r = P.parseMarketFrame(bad);
      if (r.kind === 'invalid') continue;
      expect(r.kind === 'events' && r.events.length, bad).toBe(0);
      expect(r.kind === 'events' && r.dropped.length + r.unknownTypes.length, bad).toBe(1);
    }
    const reasons = m.invalidFrames.map((f: string) => P.parseMarketFrame(f)).map((r: P.MarketFrameResult) => (r.kind === 'events' ? (r.dropped[0] ?? `unknown:${r.unknownTypes[0]}`) : r.kind));
    expect(reasons[0]).toBe('invalid');
    expect(reasons[5]).toBe('unknown:mystery');
  });
  it('user frames with the MATCHED -> MINED -> CONFIRMED and RETRYING -> FAILED lifecycles', () => {
    const u = fx('user-ws.json');
    P.UserSubscribe.parse(u.subscribe);
    const statuses: string[] = [];
    for (const f of u.frames) {
      const r = P.parseUserFrame(f);
      expect(r.kind, f).not.toBe('invalid');
      if (r.kind === 'events') for (const e of r.events) statuses.push(e.status ?? '');
    }
    expect(statuses).toEqual(['LIVE', 'MATCHED', 'CANCELED', 'MATCHED', 'MINED', 'CONFIRMED', 'MATCHED', 'RETRYING', 'FAILED']);
    const tenDigit = JSON.parse(u.frames[u.tenDigitTimestampIndex]);
    expect(P.epochMsFrom(tenDigit.timestamp)).toBe(1791241860000);
    expect(P.epochMsFrom('1791241812000')).toBe(1791241812000);
  });
  it('rtds, polybolt and spot frames', () => {
    const r = fx('rtds.json');
    P.RtdsClientMessage.parse(r.subscribe);
    for (const f of r.frames) P.RtdsMessage.parse(JSON.parse(f));
    expect([...P.rtdsFilterSymbols('{"symbol":"btc/usd"}')]).toEqual(['btc/usd']);
    expect([...P.rtdsFilterSymbols('solusdt,btcusdt')]).toEqual(['solusdt', 'btcusdt']);
    const pb = fx('polybolt.json');
    for (const f of pb.clientFrames) P.PolyboltClientOp.parse(JSON.parse(f));
    for (const f of pb.serverFrames) P.PolyboltServerFrame.parse(JSON.parse(f));
    const s = fx('spot.json');
    for (const f of s.frames) P.SpotFrame.parse(JSON.parse(f));
  });
});
