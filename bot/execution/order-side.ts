/**
 * The order side of a venue session, built by a factory the composition root picks (the one place that branches on
 * mode): `paperOrderSide()` fills from the shared fill model over the session's books; `liveOrderSide(key)` signs and
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
import type { ApiCredentials, FeedName, MarketDataListener, OrderBook, VenueClock, VenueEndpoints } from '../core';
import type { Prng } from '../util/prng';
import { obtainApiCreds } from './api-creds';
import { ClobUserFeed } from './clob-user-feed';
import { CredentialRenewal } from './credential-renewal';
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

export function liveOrderSide(key: (LiveKey & { api: ApiCredentials }) | undefined): OrderSideFactory {
  if (!key?.privateKey || !key.api) {
    throw new LiveArmingError('TRADING_MODE=live needs a wallet private key and CLOB API credentials; refusing to arm the live venue without them.');
  }
  return (ctx) => {
    const live = new LiveVenue({
      host: ctx.endpoints.clob, clock: ctx.clock, venueClock: ctx.venueClock, privateKey: key.privateKey, signatureType: key.signatureType, ...(key.funder ? { funder: key.funder } : {}),
      ...(ctx.chainId !== undefined ? { chainId: ctx.chainId } : {}), creds: key.api, limiter: ctx.limiter, status: ctx.status,
      isOurOrder: (id) => !!ctx.tracker.getByOrderId(id), ...(ctx.requestTimeoutMs ? { requestTimeoutMs: ctx.requestTimeoutMs } : {}),
    });
    // Restarting venue: the heartbeat is the probe (on the status's backoff); the periodic beats pause meanwhile.
    const heartbeat = new HeartbeatLoop(ctx.clock, ctx.bus, live, 5_000, { skip: () => ctx.status.current() === 'restarting' });
    ctx.status.setProbe(() => heartbeat.beat());
    const userFeed = new ClobUserFeed({
      url: ctx.endpoints.userWs, clock: ctx.clock, bus: ctx.bus, prng: ctx.prng, creds: key.api, ownership: live.ownership, ...(ctx.onRaw ? { onRaw: ctx.onRaw } : {}),
      listener: { onOrder: (v) => ctx.tracker.onVenueOrder(v), onFill: (f) => ctx.tracker.onFill(f) },
      catchUp: () => ctx.catchUp(),
    });
    const credentials = new CredentialRenewal({
      clock: ctx.clock, bus: ctx.bus, generation: () => live.http.generation,
      derive: async () => (await obtainApiCreds({ host: ctx.endpoints.clob, privateKey: key.privateKey, ...(ctx.chainId !== undefined ? { chainId: ctx.chainId } : {}), nowSec: Math.floor(ctx.venueClock.nowMs() / 1000), first: 'derive' })).creds,
      apply: (c) => {
        live.setCredentials(c);
        userFeed.setCreds(c);
      },
    });
    live.http.onL2Answer = (status, gen) => credentials.onAnswer(status, gen);
    return {
      venue: live,
      live,
      heartbeat,
      userFeed,
      credentials,
      cancelOnStop: true,
      prepare: async () => {},
      denyReason: () => credentials.denyReason(),
      close: () => {
        ctx.status.setProbe(undefined);
        ctx.status.dispose();
        live.close();
      },
    };
  };
}
