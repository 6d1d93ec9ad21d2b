/**
 * The one Venue interface (live Polymarket, paper). The engine prepares an order (its venue id known before any
 * byte leaves, so it can be journaled), then sends it; ambiguous outcomes are resolved by `getOrder`, never by
 * resending.
 */
import type { CancelOutcome, PlaceOutcome, PlaceRequest, VenueFill, VenueListener, VenueOrder } from '../core/orders';

export interface PreparedOrder {
  clientId: string;
  orderId: string;
  salt: number;
  request: PlaceRequest;
  /** Exact body bytes to send (live venue). */
  body?: string;
}

export interface Venue {
  readonly kind: 'live' | 'paper';
  setListener(l: VenueListener): void;
  /** Build (and sign) the order; pure apart from the clock. Throws on invalid input (tick, min size). */
  prepare(req: PlaceRequest, clientId: string, salt: number): PreparedOrder | Promise<PreparedOrder>;
  /**
   * Send a prepared order. A venue that goes over the network calls `onSent` once the request's bytes are handed to
   * the socket (and says so with `reportsSent`); for the others the engine treats the call itself as the send.
   */
  send(p: PreparedOrder, onSent?: () => void): Promise<PlaceOutcome>;
  readonly reportsSent?: boolean;
  cancel(orderIds: readonly string[]): Promise<CancelOutcome>;
  cancelAll(): Promise<CancelOutcome>;
  /** undefined = the venue does not know this id. Throws on transport errors. */
  getOrder(orderId: string): Promise<VenueOrder | undefined>;
  openOrders(): Promise<VenueOrder[]>;
  /** Our fills since `afterMs` (REST catch-up / reconciliation). */
  fills(afterMs?: number): Promise<VenueFill[]>;
  /**
   * Ask the venue to refresh its view of the balance and approvals this order draws on (pUSD for a BUY, the token
   * for a SELL) and return the confirmed balance in that unit (USD or shares); undefined when it cannot say.
   */
  refreshBalance?(req: PlaceRequest): Promise<number | undefined>;
}

export class VenueRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'VenueRequestError';
  }
}
