/**
 * The order side of a venue session, built by a factory the composition root picks (the one place that branches on
 * mode): `paperOrderSide()` fills from the shared fill model over the session's books; `liveOrderSide(key)`
 * (live-order-side.ts, apart so that a replay loads no signing or CLOB client code) signs and
 * posts to the CLOB on the session's venue clock, heartbeats for cancel-on-disconnect (the heartbeat is also the
 * probe of a restarting venue), follows the user socket (REST catch-up after every reconnect), and re-derives its
 * API credentials once after an L2 401 (credential-renewal.ts).
 *
 * Invariants: a live order side cannot be built without a signing key and API credentials (LiveArmingError, with
 * the variables to set); secrets stay inside the venue and the user socket; nothing here starts a timer until
 * the session starts it.
 */
import type { EventBus } from '../bus';
import type { Clock } from '../clock';
import type { FeedName, MarketDataListener, OrderBook, VenueClock, VenueEndpoints } from '../core';
import type { Prng } from '../util/prng';
import type { ClobUserFeed } from './clob-user-feed';
import type { CredentialRenewal } from './credential-renewal';
import type { HeartbeatLoop } from './heartbeat';
import type { LiveVenue } from './live-venue';
import type { OrderTracker } from './order-tracker';
import { PaperVenue } from './paper-venue';
import type { RateLimiter } from './rate-limiter';
import type { Venue } from './venue';
import type { VenueStatus } from './venue-status';

export class LiveArmingError extends Error {}

/** What a session hands its order side. */
export interface OrderSideContext {
  clock: Clock;
  bus: EventBus;
  prng: Prng;
  endpoints: VenueEndpoints;
  tracker: OrderTracker;
  limiter: RateLimiter;
  status: VenueStatus;
  /** Our clock plus the venue's measured offset (measured by the session before `prepare`). */
  venueClock: VenueClock;
  /** The session's books (the paper venue's fill model reads them). */
  book(tokenId: string): OrderBook | undefined;
  /** Follow the session's market data (book changes, trade prints, resolutions). */
  follow(listener: MarketDataListener): void;
  /** REST catch-up with the venue (after a user-socket reconnect). */
  catchUp(): Promise<void>;
  onRaw?: (feed: FeedName, tsRecvMs: number, text: string) => void;
  chainId?: number;
  requestTimeoutMs?: number;
}

export interface OrderSide {
  readonly venue: Venue;
  /** The live venue (undefined on paper). */
  readonly live?: LiveVenue;
  readonly heartbeat?: HeartbeatLoop;
  readonly userFeed?: ClobUserFeed;
  /** Live: the API-credential re-derive after a 401. */
  readonly credentials?: CredentialRenewal;
  /** Cancel our open orders when the session stops (live: yes; paper: nothing rests anywhere else). */
  readonly cancelOnStop: boolean;
  /** Before the first reconciliation. */
  prepare(): Promise<void>;
  /** Why new orders are refused by the order side itself (credentials refused); undefined = allowed. */
  denyReason?(): string | undefined;
  close(): void;
}

export type OrderSideFactory = (ctx: OrderSideContext) => OrderSide;

export function paperOrderSide(): OrderSideFactory {
  return (ctx) => {
    const venue = new PaperVenue({ clock: ctx.clock, book: (t) => ctx.book(t) });
    ctx.follow(venue);
    return { venue, cancelOnStop: false, prepare: async () => {}, close: () => {} };
  };
}
