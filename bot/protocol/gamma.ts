/**
 * Gamma API (market discovery) wire schemas: `GET /events/slug/:slug`, `GET /markets/slug/:slug`,
 * `GET /events/keyset?series_id=...`.
 *
 * Invariants:
 * - `clobTokenIds`, `outcomes`, `outcomePrices`, `umaResolutionStatuses` are JSON-encoded STRINGS on the wire
 *   and stay strings in these schemas; decode them with the helpers below.
 * - Token ids are chosen by `market.version` ("v1" -> clobTokenIds, "v2" -> positionIds), never by presence.
 * - Index 0 is Up, index 1 is Down.
 */
import { z } from 'zod';
import { conditionId, isoDateTime, parseJsonStringArray, tokenId, TOKEN_ID_RE } from './common';

export const FeeSchedule = z.object({
  exponent: z.number(),
  rate: z.number().nonnegative(),
  takerOnly: z.boolean(),
  rebateRate: z.number().nonnegative().optional(),
});
export type FeeSchedule = z.infer<typeof FeeSchedule>;

export const CryptoMarketConfig = z.object({
  id: z.string(),
  asset: z.string(),
  duration: z.string(),
  twapEnabled: z.boolean().optional(),
  twapLookbackSeconds: z.number().int().positive().optional(),
});

export const MarketVersion = z.enum(['v1', 'v2']);

export const GammaMarket = z.object({
  id: z.string(),
  slug: z.string(),
  question: z.string(),
  conditionId,
  questionID: z.string().optional(),
  clobTokenIds: z.string().nullable().optional(),
  positionIds: z.array(tokenId).nullable().optional(),
  outcomes: z.string(),
  outcomePrices: z.string().nullable().optional(),
  startDate: isoDateTime,
  endDate: isoDateTime,
  eventStartTime: isoDateTime.optional(),
  active: z.boolean(),
  closed: z.boolean(),
  archived: z.boolean().optional(),
  acceptingOrders: z.boolean().optional(),
  acceptingOrdersTimestamp: isoDateTime.optional(),
  enableOrderBook: z.boolean().optional(),
  orderPriceMinTickSize: z.number().positive(),
  orderMinSize: z.number().nonnegative(),
  negRisk: z.boolean().optional(),
  feesEnabled: z.boolean().optional(),
  feeType: z.string().optional(),
  feeSchedule: FeeSchedule.optional(),
  makerBaseFee: z.number().optional(),
  takerBaseFee: z.number().optional(),
  makerRebatesFeeShareBps: z.number().optional(),
  restricted: z.boolean().optional(),
  resolutionSource: z.string().optional(),
  description: z.string().optional(),
  bestBid: z.number().optional(),
  bestAsk: z.number().optional(),
  lastTradePrice: z.number().optional(),
  spread: z.number().optional(),
  umaResolutionStatus: z.string().optional(),
  umaResolutionStatuses: z.string().optional(),
  automaticallyResolved: z.boolean().optional(),
  closedTime: z.string().optional(),
  cryptoMarketConfig: CryptoMarketConfig.optional(),
  cryptoMarketConfigId: z.string().optional(),
  rfqEnabled: z.boolean().optional(),
  secondsDelay: z.number().optional(),
  version: MarketVersion.optional(),
});
export type GammaMarket = z.infer<typeof GammaMarket>;

export const GammaSeriesRef = z.object({
  id: z.string(),
  slug: z.string(),
  recurrence: z.string().optional(),
  title: z.string().optional(),
});

export const EventMetadata = z.object({
  priceToBeat: z.number().optional(),
  finalPrice: z.number().optional(),
});

export const GammaEvent = z.object({
  id: z.string(),
  ticker: z.string().optional(),
  slug: z.string(),
  title: z.string(),
  startDate: isoDateTime.optional(),
  endDate: isoDateTime,
  startTime: isoDateTime.optional(),
  active: z.boolean(),
  closed: z.boolean(),
  negRisk: z.boolean().optional(),
  enableNegRisk: z.boolean().optional(),
  seriesSlug: z.string().optional(),
  series: z.array(GammaSeriesRef).optional(),
  tags: z.array(z.object({ id: z.string(), slug: z.string().optional(), label: z.string().optional() })).optional(),
  eventMetadata: EventMetadata.nullable().optional(),
  version: MarketVersion.optional(),
  markets: z.array(GammaMarket),
});
export type GammaEvent = z.infer<typeof GammaEvent>;

export const GammaKeysetResponse = z.object({
  events: z.array(GammaEvent),
  next_cursor: z.string().nullable().optional(),
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
