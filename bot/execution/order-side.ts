/**
 * The order side of a venue session, built by a factory the composition root picks (the one place that branches on
 * mode): `paperOrderSide()` fills from the shared fill model over the session's books; `liveOrderSide(key)` signs and
 * posts to the CLOB, heartbeats for cancel-on-disconnect, follows the user socket (REST catch-up after every
 * reconnect) and measures the venue clock before the first reconciliation.
 *
 * Invariants: a live order side cannot be built without a signing key and API credentials (LiveArmingError, with
 * the variables to set); secrets stay inside the venue and the user socket; nothing here starts a timer until
 * the session starts it.
 */
import type { EventBus } from '../bus';
import type { Clock } from '../clock';
import type { ApiCredentials, FeedName, MarketDataListener, OrderBook, VenueEndpoints } from '../core';
import { ClobPublicClient } from '../http';
import type { Prng } from '../util/prng';
import { ClobUserFeed } from './clob-user-feed';
import type { LiveKey } from './credentials';
import { HeartbeatLoop } from './heartbeat';
import { LiveVenue } from './live-venue';
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
  /** Cancel our open orders when the session stops (live: yes; paper: nothing rests anywhere else). */
  readonly cancelOnStop: boolean;
  /** Before the first reconciliation (live: measure the venue clock). */
  prepare(): Promise<void>;
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

export function liveOrderSide(key: (LiveKey & { api: ApiCredentials }) | undefined): OrderSideFactory {
  if (!key?.privateKey || !key.api) {
    throw new LiveArmingError('TRADING_MODE=live needs a wallet private key and CLOB API credentials; refusing to arm the live venue without them.');
  }
  return (ctx) => {
    const live = new LiveVenue({
      host: ctx.endpoints.clob, clock: ctx.clock, privateKey: key.privateKey, signatureType: key.signatureType, ...(key.funder ? { funder: key.funder } : {}),
      ...(ctx.chainId !== undefined ? { chainId: ctx.chainId } : {}), creds: key.api, limiter: ctx.limiter, status: ctx.status,
      isOurOrder: (id) => !!ctx.tracker.getByOrderId(id), ...(ctx.requestTimeoutMs ? { requestTimeoutMs: ctx.requestTimeoutMs } : {}),
    });
    const heartbeat = new HeartbeatLoop(ctx.clock, ctx.bus, live);
    const userFeed = new ClobUserFeed({
      url: ctx.endpoints.userWs, clock: ctx.clock, bus: ctx.bus, prng: ctx.prng, creds: key.api, ownership: live.ownership, ...(ctx.onRaw ? { onRaw: ctx.onRaw } : {}),
      listener: { onOrder: (v) => ctx.tracker.onVenueOrder(v), onFill: (f) => ctx.tracker.onFill(f) },
      catchUp: () => ctx.catchUp(),
    });
    return {
      venue: live,
      live,
      heartbeat,
      userFeed,
      cancelOnStop: true,
      // Measure the venue clock (GET /time, seconds) and apply the offset to L2 timestamps when it exceeds 1 s.
      prepare: async () => {
        const before = ctx.clock.nowMs();
        const r = await new ClobPublicClient(ctx.endpoints.clob).serverTimeSec();
        if (!r.ok) return;
        const mid = (before + ctx.clock.nowMs()) / 2;
        const offset = r.value * 1000 + 500 - mid;
        live.http.serverOffsetMs = Math.abs(offset) > 1_000 ? Math.round(offset) : 0;
      },
      close: () => live.close(),
    };
  };
}
