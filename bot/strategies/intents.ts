/**
 * What strategies return: intents, never actions. The runtime sends each `place` through the risk engine and
 * then to the venue (live or paper), applies `cancel`, and publishes `decision` as a `strategy.decision` event and `signal` as `strategy.signal`.
 *
 * Invariants:
 * - clientTag is deterministic: `<strategyId>|<windowSlug>|<purpose>|<n>`; the execution layer derives the
 *   venue client id from it, so a replayed run produces the same ids. A tag is never reused for a new order.
 * - `place` has either `size` (shares, GTC/GTD/FAK and SELL FOK) or `usd` (BUY FOK/FAK amount), never both.
 * - price is the limit price (worst acceptable price for FOK/FAK), already on the market's tick.
 */
import type { DecisionRecord, SignalRecord } from '../../lib/schemas/events/strategy';
import type { OrderSide } from './context';

export type OrderType = 'GTC' | 'GTD' | 'FOK' | 'FAK';

export interface PlaceIntent {
  readonly kind: 'place';
  readonly clientTag: string;
  readonly windowSlug: string;
  readonly tokenId: string;
  readonly side: OrderSide;
  readonly price: number;
  readonly size?: number;
  readonly usd?: number;
  readonly orderType: OrderType;
  readonly postOnly: boolean;
  /** GTD only: expiry (epoch ms). */
  readonly expiresMs?: number;
  readonly reason: string;
}

export type CancelIntent =
  | { readonly kind: 'cancel'; readonly clientTag: string; readonly reason: string }
  | { readonly kind: 'cancel'; readonly allForWindow: string; readonly reason: string };

export interface DecisionIntent {
  readonly kind: 'decision';
  readonly record: DecisionRecord;
}

/** A signal snapshot (issue 14), published as `strategy.signal`; strategies throttle these themselves. */
export interface SignalIntent {
  readonly kind: 'signal';
  readonly record: SignalRecord;
}

export type Intent = PlaceIntent | CancelIntent | DecisionIntent | SignalIntent;

export function makeClientTag(strategyId: string, windowSlug: string, purpose: string, n: number): string {
  return `${strategyId}|${windowSlug}|${purpose}|${n}`;
}

/** Parse a tag made by makeClientTag (undefined for foreign tags). */
export function parseClientTag(
  tag: string,
): { strategyId: string; windowSlug: string; purpose: string; n: number } | undefined {
  const parts = tag.split('|');
  if (parts.length !== 4) return undefined;
  const n = Number(parts[3]);
  if (!Number.isInteger(n)) return undefined;
  return { strategyId: parts[0]!, windowSlug: parts[1]!, purpose: parts[2]!, n };
}
