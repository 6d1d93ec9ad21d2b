/**
 * Gamma API routes of the simulator (reference §1, §9.1): events and markets by slug (every slug scheme: the
 * `updown` epoch slugs and the hourly ET slugs), keyset listing by series (gamma-keyset.ts), filtered lists and
 * series lookup.
 *
 * Invariants:
 * - `eventMetadata.priceToBeat` / `finalPrice` are the series' settlement prices: reference TWAP-60 at start / end,
 *   or the spot candle's open / close for `spot-candle` (hourly) series, whose rules text names Binance <ASSET>/USDT.
 * - `clobTokenIds`, `outcomes`, `outcomePrices`, `umaResolutionStatuses` are JSON-encoded strings; token ids are
 *   decimal strings; `version` is the market's ("v1": clobTokenIds; "v2": positionIds, clobTokenIds null, 62-hex
 *   bytes31 conditionId).
 * - A slug is known only once listed (open - listLeadMs <= now); otherwise 404 with an empty body.
 * - Keyset pages hold at most 100 events; `offset` is refused with 422 like the venue.
 */
import type { SimModel } from './model';
import type { SimMarket } from './market';
import { keysetPage } from './gamma-keyset';
import { json, type Res, Router } from './http-kit';
import { isoFromMs, parseSlug, recurrenceOf, type SeriesSpec, seriesTitle, settlementOf, windowTitle } from './series';

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
    ...rules(m.spec),
    umaResolutionStatuses: resolved ? '["resolved"]' : '[]',
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

/** Resolution source, rules text and (TWAP series) the crypto market config of a series. */
function rules(s: SeriesSpec): Record<string, unknown> {
  const A = s.asset.toUpperCase();
  if (settlementOf(s) === 'spot-candle') {
    return {
      resolutionSource: `https://www.binance.com/en/trade/${A}_USDT`,
      description: `Resolves Up if the close price is greater than or equal to the open price of the Binance ${A}/USDT 1 hour candle that begins at the time in the title; otherwise Down.`,
    };
  }
  const id = `${s.asset}-${s.label}-twap-60`;
  return {
    resolutionSource: `https://data.chain.link/streams/${s.asset}-usd-twap-60s-streams`,
    description: `Resolves Up if the Chainlink ${A}/USD 60s TWAP at the end of the range is greater than or equal to the one at the beginning; otherwise Down.`,
    cryptoMarketConfig: { id, asset: s.asset, duration: s.label, twapEnabled: true, twapLookbackSeconds: 60 },
    cryptoMarketConfigId: id,
  };
}

function seriesJson(s: SeriesSpec) {
  return { id: s.seriesId, ticker: s.seriesSlug, slug: s.seriesSlug, title: seriesTitle(s), seriesType: 'single', recurrence: recurrenceOf(s), active: true, closed: false };
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
    series: [seriesJson(m.spec)],
    tags: [{ id: '21', slug: 'crypto', label: 'Crypto' }],
    eventMetadata: meta,
    version: m.version,
    markets: [gammaMarketJson(m, nowMs)],
  };
}

export function gammaRouter(model: SimModel): Router {
  const now = () => model.clock.nowMs();
  const lookup = (slug: string): SimMarket | undefined => {
    const p = parseSlug(model.series, slug, now());
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
    const list = model.series.filter((s) => slugs.length === 0 || slugs.includes(s.seriesSlug));
    return json(200, list.map(seriesJson));
  });
  r.add('GET', '/events/keyset', (q) => keysetPage(model, q.query, (m) => gammaEventJson(m, now())));
  return r;
}
