/**
 * Stale-order cleanup (seed 003, issue 14): a working quote (not done, no cancel requested yet) whose age
 * reaches maxOrderAgeSec is cancelled; the maker then requotes it if the side is still wanted. Pure.
 */
export interface AgedOrder {
  readonly clientTag: string;
  readonly placedMs: number;
  readonly status: 'pending' | 'working' | 'done';
  readonly cancelRequested: boolean;
}

export function staleOrders<T extends AgedOrder>(orders: readonly T[], nowMs: number, maxAgeSec: number): T[] {
  return orders.filter((o) => o.status !== 'done' && !o.cancelRequested && nowMs - o.placedMs >= maxAgeSec * 1000 - 1e-6);
}
