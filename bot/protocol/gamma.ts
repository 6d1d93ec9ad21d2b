/**
 * Gamma API (market discovery) wire schemas: `GET /events/slug/:slug`, `GET /markets/slug/:slug`,
 * `GET /events/keyset?series_id=...`.
 *
 * Invariants:
 * - `clobTokenIds`, `outcomes`, `outcomePrices`, `umaResolutionStatuses` are JSON-encoded STRINGS on the wire
 *   and stay strings in these schemas; decode them with the helpers below.
 * - Token ids are chosen by `market.version` ("v1" -> clobTokenIds, "v2" -> positionIds), never by presence.
 * - Index 0 is Up, index 1 is Down.
 * - Gamma serializes many unset fields as null: every optional field here accepts null (= absent); unknown
 *   fields are ignored.
 */
import { z } from 'zod';
import { absentIfNull, conditionId, isoDateTime, parseJsonStringArray, tokenId, TOKEN_ID_RE } from './common';

export const FeeSchedule = z.object({
  exponent: z.number(),
  rate: z.number().nonnegative(),
  takerOnly: z.boolean(),
  rebateRate: absentIfNull(z.number().nonnegative()),
});
export type FeeSchedule = z.infer<typeof FeeSchedule>;

export const CryptoMarketConfig = z.object({
  id: z.string(),
  asset: z.string(),
  duration: z.string(),
  twapEnabled: absentIfNull(z.boolean()),
  twapLookbackSeconds: absentIfNull(z.number().int().positive()),
});

export const MarketVersion = z.enum(['v1', 'v2']);

export const GammaMarket = z.object({
  id: z.string(),
  slug: z.string(),
  question: z.string(),
  conditionId,
  questionID: absentIfNull(z.string()),
  clobTokenIds: z.string().nullable().optional(),
  positionIds: absentIfNull(z.array(tokenId).nullable()),
  outcomes: z.string(),
  outcomePrices: absentIfNull(z.string().nullable()),
  startDate: isoDateTime,
  endDate: isoDateTime,
  eventStartTime: absentIfNull(isoDateTime),
  active: z.boolean(),
  closed: z.boolean(),
  archived: absentIfNull(z.boolean()),
  acceptingOrders: absentIfNull(z.boolean()),
  acceptingOrdersTimestamp: absentIfNull(isoDateTime),
  enableOrderBook: absentIfNull(z.boolean()),
  orderPriceMinTickSize: z.number().positive(),
  orderMinSize: z.number().nonnegative(),
  negRisk: absentIfNull(z.boolean()),
  feesEnabled: absentIfNull(z.boolean()),
  feeType: absentIfNull(z.string()),
  feeSchedule: absentIfNull(FeeSchedule),
  makerBaseFee: absentIfNull(z.number()),
  takerBaseFee: absentIfNull(z.number()),
  makerRebatesFeeShareBps: absentIfNull(z.number()),
  restricted: absentIfNull(z.boolean()),
  resolutionSource: absentIfNull(z.string()),
  description: absentIfNull(z.string()),
  bestBid: absentIfNull(z.number()),
  bestAsk: absentIfNull(z.number()),
  lastTradePrice: absentIfNull(z.number()),
  spread: absentIfNull(z.number()),
  umaResolutionStatus: absentIfNull(z.string()),
  umaResolutionStatuses: absentIfNull(z.string()),
  automaticallyResolved: absentIfNull(z.boolean()),
  closedTime: absentIfNull(z.string()),
  cryptoMarketConfig: absentIfNull(CryptoMarketConfig),
  cryptoMarketConfigId: absentIfNull(z.string()),
  rfqEnabled: absentIfNull(z.boolean()),
  secondsDelay: absentIfNull(z.number()),
  version: absentIfNull(MarketVersion),
});
export type GammaMarket = z.infer<typeof GammaMarket>;

export const GammaSeriesRef = z.object({
  id: z.string(),
  slug: z.string(),
  recurrence: absentIfNull(z.string()),
  title: absentIfNull(z.string()),
});

export const EventMetadata = z.object({
  priceToBeat: absentIfNull(z.number()),
  finalPrice: absentIfNull(z.number()),
});

export const GammaEvent = z.object({
  id: z.string(),
  ticker: absentIfNull(z.string()),
  slug: z.string(),
  title: z.string(),
  startDate: absentIfNull(isoDateTime),
  endDate: isoDateTime,
  startTime: absentIfNull(isoDateTime),
  active: z.boolean(),
  closed: z.boolean(),
  negRisk: absentIfNull(z.boolean()),
  enableNegRisk: absentIfNull(z.boolean()),
  seriesSlug: absentIfNull(z.string()),
  series: absentIfNull(z.array(GammaSeriesRef)),
  tags: absentIfNull(z.array(z.object({ id: z.string(), slug: z.string().nullish(), label: z.string().optional() }))),
  eventMetadata: absentIfNull(EventMetadata.nullable()),
  version: absentIfNull(MarketVersion),
  markets: z.array(GammaMarket),
});
export type GammaEvent = z.infer<typeof GammaEvent>;

export const GammaKeysetResponse = z.object({
  events: z.array(GammaEvent),
  next_cursor: absentIfNull(z.string().nullable()),
});
export type GammaKeysetResponse = z.infer<typeof GammaKeysetResponse>;

export type TokenPairResult =
  | { ok: true; upTokenId: string; downTokenId: string; version: 'v1' | 'v2' }
  | { ok: false; reason: string };

/**
 * Up/Down token ids by `market.version` (reference §1.4). Rejects a missing/unknown version, a missing selected
 * field, non-canonical ids, a count other than two, duplicate ids, and outcomes other than ["Up","Down"].
 */
export function marketTokenPair(m: GammaMarket): TokenPairResult {
  if (m.version !== 'v1' && m.version !== 'v2') return { ok: false, reason: 'missing or unknown market.version' };
  let ids: string[] | undefined;
  if (m.version === 'v1') {
    if (typeof m.clobTokenIds !== 'string') return { ok: false, reason: 'ids not yet available (clobTokenIds)' };
    ids = parseJsonStringArray(m.clobTokenIds);
    if (!ids) return { ok: false, reason: 'clobTokenIds is not a JSON string array' };
  } else {
    if (!Array.isArray(m.positionIds)) return { ok: false, reason: 'ids not yet available (positionIds)' };
    ids = m.positionIds;
  }
  if (ids.length !== 2) return { ok: false, reason: `expected 2 token ids, got ${ids.length}` };
  if (!ids.every((t) => TOKEN_ID_RE.test(t))) return { ok: false, reason: 'token id is not a canonical decimal' };
  if (ids[0] === ids[1]) return { ok: false, reason: 'token ids are not distinct' };
  const outcomes = parseJsonStringArray(m.outcomes);
  if (!outcomes || outcomes[0] !== 'Up' || outcomes[1] !== 'Down') return { ok: false, reason: 'outcomes are not ["Up","Down"]' };
  return { ok: true, upTokenId: ids[0]!, downTokenId: ids[1]!, version: m.version };
}

/** Pad a 62-hex (bytes31) V2 condition id to the 64-hex form used by the CLOB and market WS. */
export function clobConditionId(cid: string): string {
  return cid.length === 64 ? `${cid}00` : cid;
}
