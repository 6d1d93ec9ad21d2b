/**
 * StrategyPort: what the strategy host needs from the venue session (catalog, books, reference, orders,
 * execution). An interface so the host is testable without sockets and so replay can supply its own.
 */

import type { SubmitResult, TrackedOrder } from '../execution';
import type { WindowRecord } from '../markets';
import { type OrderBook, type PlaceRequest, type ReferenceStore } from '../core';

export interface StrategyPort {
  windows(): readonly WindowRecord[];
  window(slug: string): WindowRecord | undefined;
  windowByToken(tokenId: string): WindowRecord | undefined;
  /** Undefined when the window accepts orders now. */
  windowBlockReason(slug: string): string | undefined;
  book(tokenId: string): OrderBook | undefined;
  isBookFresh(tokenId: string): boolean;
  /** The primary asset's reference (single-asset runtimes, replay). */
  reference: ReferenceStore;
  referenceStale(): boolean;
  /** One asset's reference store: a strategy instance sees only its own asset's (several assets side by side). */
  referenceOf?(asset: string): ReferenceStore | undefined;
  /** That asset's reference is stale (its feed, or its own symbol silent). */
  referenceStaleOf?(asset: string): boolean;
  /** Why new exposure may not be opened on this token now (feeds, degraded mode). */
  feedBlockReason(tokenId: string): string | undefined;
  /** Why the venue would refuse this order now (restart, post-only, cancel-only, heartbeat). */
  venueBlockReason(orderType: PlaceRequest['orderType'], postOnly: boolean): string | undefined;
  openOrders(strategyId?: string): TrackedOrder[];
  place(req: PlaceRequest): Promise<SubmitResult>;
  cancel(clientTag: string): Promise<boolean>;
  cancelAll(): Promise<number>;
}
