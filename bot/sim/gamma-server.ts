/**
 * Gamma API routes of the simulator (reference §1, §9.1): events and markets by slug, keyset listing by series,
 * filtered lists and series lookup.
 *
 * Invariants:
 * - `clobTokenIds`, `outcomes`, `outcomePrices`, `umaResolutionStatuses` are JSON-encoded strings; token ids are
 *   decimal strings; `version` is the market's ("v1": clobTokenIds; "v2": positionIds, clobTokenIds null, 62-hex
 *   bytes31 conditionId).
 * - A slug is known only once listed (open - listLeadMs <= now); otherwise 404 with an empty body.
 * - Keyset pages hold at most 100 events; `offset` is refused with 422 like the venue.
 */
import type { SimModel } from './model';
import type { SimMarket } from './market';
import { err, json, type Res, Router } from './http-kit';
import { isoFromMs, parseSlug, windowStartSec, windowTitle } from './series';

const notFound: Res = { status: 404 };

export function gammaMarketJson(m: SimMarket, nowMs: number) {
  const resolved = m.status === 'resolved';
  const up = Math.round(m.fairUp * 1000) / 1000;
  const prices = resolved ? (m.winner === 'Up' ? ['1', '0'] : ['0', '1']) : [String(up), String(Math.round((1 - up) * 1000) / 1000)];
  const top = m.book.top('Up');
  const out: Record<string, unknown> = {
    id: m.marketId,
    slug: m.slug,
    question: windowTitle(m.spec, m.startSec),
    conditionId: m.gammaConditionId,
    questionID: m.questionId,
    clobTokenIds: m.version === 'v1' ? `["${m.upTokenId}", "${m.downTokenId}"]` : null,
    outcomes: '["Up", "Down"]',
    outcomePrices: `["${prices[0]}", "${prices[1]}"]`,
    startDate: isoFromMs(m.listedMs),
    endDate: isoFromMs(m.endMs),
    eventStartTime: isoFromMs(m.startMs),
    active: true,
    closed: resolved,
    archived: false,
    acceptingOrders: m.acceptingOrders(nowMs),
    acceptingOrdersTimestamp: isoFromMs(m.listedMs),
    enableOrderBook: true,
    orderPriceMinTickSize: m.tickMilli / 1000,
    orderMinSize: m.minOrderSize,
    negRisk: false,
    feesEnabled: true,
    feeType: 'crypto_fees_v2',
    feeSchedule: { exponent: m.fees.exponent, rate: m.fees.rate, takerOnly: m.fees.takerOnly, rebateRate: m.fees.rebateRate },
    makerBaseFee: 1000,
    takerBaseFee: 1000,
    makerRebatesFeeShareBps: 10000,
    restricted: true,
    resolutionSource: `https://data.chain.link/streams/${m.spec.asset}-usd-twap-60s-streams`,
    description: `Resolves Up if the Chainlink ${m.spec.asset.toUpperCase()}/USD 60s TWAP at the end of the range is greater than or equal to the one at the beginning; otherwise Down.`,
    umaResolutionStatuses: resolved ? '["resolved"]' : '[]',
    cryptoMarketConfig: { id: `${m.spec.asset}-${m.spec.label}-twap-60`, asset: m.spec.asset, duration: m.spec.label, twapEnabled: true, twapLookbackSeconds: 60 },
    cryptoMarketConfigId: `${m.spec.asset}-${m.spec.label}-twap-60`,
    rfqEnabled: false,
    version: m.version,
  };
  if (m.version === 'v2') out.positionIds = [m.upTokenId, m.downTokenId];
  if (top.bid !== undefined) out.bestBid = top.bid / 1000;
  if (top.ask !== undefined) out.bestAsk = top.ask / 1000;
  if (m.lastTradeMilli !== undefined) out.lastTradePrice = m.lastTradeMilli / 1000;
  if (resolved) {
    out.umaResolutionStatus = 'resolved';
    out.automaticallyResolved = true;
  }
  return out;
}

export function gammaEventJson(m: SimMarket, nowMs: number) {
  const meta: Record<string, number> = {};
  if (m.priceToBeat !== undefined) meta.priceToBeat = m.priceToBeat;
  if (m.finalPrice !== undefined) meta.finalPrice = m.finalPrice;
  return {
    id: m.eventId,
    ticker: m.slug,
    slug: m.slug,
    title: windowTitle(m.spec, m.startSec),
    startDate: isoFromMs(m.listedMs),
    endDate: isoFromMs(m.endMs),
    startTime: isoFromMs(m.startMs),
    active: true,
    closed: m.status === 'resolved',
    negRisk: false,
    enableNegRisk: false,
    seriesSlug: m.spec.seriesSlug,
    series: [{ id: m.spec.seriesId, slug: m.spec.seriesSlug, recurrence: m.spec.label }],
    tags: [{ id: '21', slug: 'crypto', label: 'Crypto' }],
    eventMetadata: meta,
    version: m.version,
    markets: [gammaMarketJson(m, nowMs)],
  };
}

export function gammaRouter(model: SimModel): Router {
  const now = () => model.clock.nowMs();
  const lookup = (slug: string): SimMarket | undefined => {
    const p = parseSlug(model.opts.series, slug);
    if (!p || !model.isListed(p.spec, p.startSec, now())) return undefined;
    return model.market(p.spec, p.startSec);
  };
  const r = new Router();
  // polymarket.com's geoblock check (the real one lives on the website host, not the API hosts); the control API
  // can set the answer (`POST /geoblock {"blocked": true, "country": "US"}`).
  r.add('GET', '/api/geoblock', () => json(200, { blocked: model.geo.blocked, ip: '127.0.0.1', country: model.geo.country, region: model.geo.region }));
  r.add('GET', '/events/slug/:slug', (q) => {
    const m = lookup(q.params.slug!);
    return m ? json(200, gammaEventJson(m, now())) : notFound;
  });
  r.add('GET', '/markets/slug/:slug', (q) => {
    const m = lookup(q.params.slug!);
    return m ? json(200, gammaMarketJson(m, now())) : notFound;
  });
  r.add('GET', '/events', (q) => json(200, q.query.getAll('slug').map(lookup).filter((m): m is SimMarket => !!m).map((m) => gammaEventJson(m, now()))));
  r.add('GET', '/markets', (q) => json(200, q.query.getAll('slug').map(lookup).filter((m): m is SimMarket => !!m).map((m) => gammaMarketJson(m, now()))));
  r.add('GET', '/series', (q) => {
    const slugs = q.query.getAll('slug');
    const list = model.opts.series.filter((s) => slugs.length === 0 || slugs.includes(s.seriesSlug));
    return json(200, list.map((s) => ({ id: s.seriesId, slug: s.seriesSlug, title: `${s.assetName} Up or Down ${s.label}`, recurrence: s.label, active: true, closed: false })));
  });
  r.add('GET', '/events/keyset', (q) => {
    if (q.query.has('offset')) return err(422, 'offset is not supported on keyset pagination; use after_cursor');
    const spec = model.opts.series.find((s) => s.seriesId === q.query.get('series_id'));
    const limit = Math.min(100, Math.max(1, Number(q.query.get('limit') ?? '20') || 20));
    if (!spec) return json(200, { events: [], next_cursor: null });
    const closed = q.query.get('closed') === 'true';
    let from = windowStartSec(spec, now()) - (closed ? 0 : spec.durationSec);
    const cursor = q.query.get('after_cursor');
    if (cursor) {
      const c = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
      if (!Number.isFinite(c)) return err(400, 'invalid cursor');
      from = c + (closed ? -spec.durationSec : spec.durationSec);
    }
    const events: unknown[] = [];
    let last: number | undefined;
    for (let s = from, n = 0; n < limit; s += closed ? -spec.durationSec : spec.durationSec) {
      if (!closed && !model.isListed(spec, s, now())) break;
      const existing = model.registry.slug(`${spec.asset}-updown-${spec.label}-${s}`);
      if (closed && !existing) break;
      if (closed && existing!.status !== 'resolved') continue;
      const m = existing ?? model.market(spec, s);
      if (!closed && m.status === 'resolved') continue;
      events.push(gammaEventJson(m, now()));
      last = s;
      n++;
    }
    const more = last !== undefined && events.length === limit;
    return json(200, { events, next_cursor: more ? Buffer.from(String(last)).toString('base64url') : null });
  });
  return r;
}
